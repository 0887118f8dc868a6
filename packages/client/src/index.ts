export * from './errors';
export * from './storage';
export * from './realtime';
export * from './outbox';
export * from './session-store';
export * from './rest';
export * from './client';
