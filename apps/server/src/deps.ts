import type { Config, TicketRules } from './config';
import type { AuthGuards } from './http/auth-guard';
import type { Clock } from './clock';
import type { Db } from './db/connect';
import type { EventBus } from './events/event-bus';
import type { Reactions } from './events/reactions';

/** What most domain services need: the database, the time, and where committed events go. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  /** What must follow an event once, durably (recorded in the change's transaction). */
  reactions: Reactions;
  /** From `TICKET_REOPEN_WINDOW_DAYS`; absent (scripts, older callers): the default of 7 days. */
  tickets?: TicketRules;
}

/** What route modules get: services' deps plus the auth guards and config. */
export interface RouteDeps extends ServiceDeps {
  guards: AuthGuards;
  config: Config;
}
