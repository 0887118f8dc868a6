/** How big each scenario is. The defaults fit all of them, every database, in 10 minutes on 2 cores. */
export interface Sizes {
  room: { subscribers: number; senders: number; ratePerSender: number; window: number; phaseMs: number };
  dm: { pairs: number; ratePerUser: number; phaseMs: number };
  idle: { sockets: number };
  burst: { rooms: number; perRoom: number; ratePerRoom: number; phaseMs: number; outageMs: number };
  rest: { connections: number; durationSec: number };
  reports: { tickets: number; messagesPerTicket: number; samples: number };
  search: { tickets: number; messagesPerTicket: number; samples: number };
  /** 10,000 people each writing about once a `periodMs` (town-plan.ts says who is where). */
  town: { users: number; periodMs: number; phaseMs: number };
  /** `room`'s load after a restart: its first `firstMs`, then `afterMs` more. */
  cold: { firstMs: number; afterMs: number };
  /** Towns of `step` more people until deliver p99 passes the budget (or `maxUsers`). */
  townRamp: { step: number; maxUsers: number; phaseMs: number; p99BudgetMs: number };
}

export const DEFAULT_SIZES: Sizes = {
  room: { subscribers: 200, senders: 10, ratePerSender: 10, window: 4, phaseMs: 5000 },
  dm: { pairs: 2000, ratePerUser: 0.2, phaseMs: 10_000 },
  idle: { sockets: 10_000 },
  burst: { rooms: 100, perRoom: 20, ratePerRoom: 2, phaseMs: 4000, outageMs: 1000 },
  rest: { connections: 20, durationSec: 5 },
  reports: { tickets: 100_000, messagesPerTicket: 10, samples: 7 },
  search: { tickets: 100_000, messagesPerTicket: 10, samples: 100 },
  town: { users: 10_000, periodMs: 60_000, phaseMs: 120_000 },
  cold: { firstMs: 5000, afterMs: 10_000 },
  townRamp: { step: 2000, maxUsers: 20_000, phaseMs: 20_000, p99BudgetMs: 100 },
};

/** `--smoke`: every code path in a few seconds (CI runs it through `npm test`). */
export const SMOKE_SIZES: Sizes = {
  room: { subscribers: 10, senders: 2, ratePerSender: 10, window: 2, phaseMs: 500 },
  dm: { pairs: 10, ratePerUser: 2, phaseMs: 500 },
  idle: { sockets: 20 },
  burst: { rooms: 2, perRoom: 5, ratePerRoom: 20, phaseMs: 800, outageMs: 300 },
  rest: { connections: 2, durationSec: 1 },
  reports: { tickets: 300, messagesPerTicket: 2, samples: 2 },
  search: { tickets: 300, messagesPerTicket: 2, samples: 3 },
  town: { users: 60, periodMs: 1000, phaseMs: 1000 },
  cold: { firstMs: 500, afterMs: 500 },
  townRamp: { step: 30, maxUsers: 60, phaseMs: 1000, p99BudgetMs: 100 },
};
