import type { RouteDeps } from '../deps';
import type { ZodApp } from '../http/zod-app';

export function registerTeamRoutes(_app: ZodApp, _deps: RouteDeps): void {}
