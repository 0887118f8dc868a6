import type { Habits } from '../load/worker-protocol';
import { planTown } from '../systems/town-plan';
import {
  connectAll,
  sendFigure,
  sendPhase,
  type Figure,
  type ScenarioContext,
  type Scenario,
  type SendOutcome,
} from './common';

/**
 * What a person's app sends around their messages, scaled to how often they write: a typing
 * indicator before half of them, a read receipt for a room once three messages came there (at
 * most one a period, so a busy group is glanced at, not read line by line), and away/online now
 * and then.
 */
export const habitsFor = (periodMs: number): Habits => ({
  typingShare: 0.5,
  typingLeadMs: Math.min(2000, periodMs / 2),
  readEvery: 3,
  readGapMs: periodMs,
  presenceEveryMs: 5 * periodMs,
});

/**
 * Seeds a town of `people` (town-plan.ts) and connects them all, each subscribed to all its
 * rooms and writing about once a `periodMs` to one of them, at random, from a random phase.
 */
export async function moveIn(ctx: ScenarioContext, people: number, periodMs: number, seed: number) {
  const started = performance.now();
  const { tokens, rooms } = await ctx.sut.town!(planTown(people, seed));
  const seedMs = performance.now() - started;
  const habits = habitsFor(periodMs);
  const { connectMs, senders } = await connectAll(
    ctx,
    tokens.map((token, i) => ({
      token,
      rooms: rooms[i]!,
      sends: { rate: 1000 / periodMs, window: 1, phase: Math.random(), habits },
    })),
  );
  return { seedMs, connectMs, senders };
}

/** A town's send phase, with the habit frames that went with it. */
export function townFigure(
  ctx: ScenarioContext,
  scenario: string,
  people: number,
  outcome: SendOutcome,
  extra: Record<string, number>,
): Figure {
  const msgPerSecIn = Math.round((people * 1000) / ctx.sizes.town.periodMs);
  const figure = sendFigure(
    ctx,
    { scenario, phase: `${people} users, ${msgPerSecIn} msg/s in`, clients: people },
    outcome,
  );
  const { typing, read, presence } = outcome.habitFrames;
  return {
    ...figure,
    extra: { users: people, typingFrames: typing, readFrames: read, presenceFrames: presence, ...extra },
  };
}

export const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * A town on one server: 10,000 people signed in at once (agents, customers, tickets, direct
 * chats, groups), each writing about once a minute with typing, read receipts and presence
 * changes around it. One steady phase after a warm-up. Parley only: the baselines have no
 * tickets, groups, typing or receipts.
 */
export const townScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.town;
  if (!ctx.sut.town) return [];
  const { seedMs, connectMs, senders } = await moveIn(ctx, s.users, s.periodMs, 1);
  await sendPhase(ctx, senders, Math.min(10_000, s.phaseMs / 2)); // warm-up: JIT, pools, caches
  const outcome = await sendPhase(ctx, senders, s.phaseMs);
  return [
    townFigure(ctx, 'town', s.users, outcome, { seedSeconds: seconds(seedMs), connectSeconds: seconds(connectMs) }),
  ];
};
