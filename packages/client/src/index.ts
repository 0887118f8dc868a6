export * from './errors';
export * from './storage';
export * from './realtime';
export * from './outbox';
