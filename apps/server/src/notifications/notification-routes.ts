import type { RouteDeps } from '../deps';
import type { ZodApp } from '../http/zod-app';

export function registerNotificationRoutes(_app: ZodApp, _deps: RouteDeps): void {}
