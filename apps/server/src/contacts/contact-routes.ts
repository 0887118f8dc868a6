import type { RouteDeps } from '../deps';
import type { ZodApp } from '../http/zod-app';

export function registerContactRoutes(_app: ZodApp, _deps: RouteDeps): void {}
