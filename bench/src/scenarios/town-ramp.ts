import type { SenderSpec } from '../load/worker-protocol';
import { sendPhase, type Figure, type Scenario } from './common';
import { moveIn, seconds, townFigure } from './town';

/**
 * How many town people one server holds: towns of `step` people move in one after another
 * (each a town of its own, all writing), with a phase after each, until send→deliver p99
 * passes the budget or something is lost, duplicated or refused. A figure per step, then one
 * whose `extra.maxUsers` is the last step that held.
 */
export const townRampScenario: Scenario = async (ctx) => {
  const { periodMs } = ctx.sizes.town;
  const s = ctx.sizes.townRamp;
  if (!ctx.sut.town) return [];
  const towns: Array<(worker: number) => SenderSpec[]> = [];
  const senders = (worker: number) => towns.flatMap((town) => town(worker));
  const figures: Figure[] = [];
  let held = 0;
  for (let people = s.step; people <= s.maxUsers; people += s.step) {
    try {
      const town = await moveIn(ctx, s.step, periodMs, towns.length + 1);
      towns.push(town.senders);
      await sendPhase(ctx, senders, Math.min(5000, s.phaseMs / 4)); // the newcomers' first sends
      const outcome = await sendPhase(ctx, senders, s.phaseMs);
      const figure = townFigure(ctx, 'town-ramp', people, outcome, { connectSeconds: seconds(town.connectMs) });
      figures.push(figure);
      const holds =
        (figure.deliver?.p99 ?? Infinity) < s.p99BudgetMs &&
        figure.lost === 0 &&
        figure.duplicated === 0 &&
        figure.errors === 0;
      if (!holds) break;
      held = people;
    } catch (error) {
      // The step could not run (its town could not connect, a worker died): the last step stands.
      console.warn(`  town-ramp at ${people} users: ${(error as Error).message}`);
      break;
    }
  }
  return [
    ...figures,
    {
      scenario: 'town-ramp',
      phase: `most users with send→deliver p99 under ${s.p99BudgetMs} ms`,
      system: ctx.sut.system,
      db: ctx.sut.db,
      nodes: ctx.sut.nodes.length,
      clients: held,
      errors: 0,
      // `capped`: every step held, so the server holds at least this many.
      extra: {
        maxUsers: held,
        p99BudgetMs: s.p99BudgetMs,
        capped: held === s.maxUsers - (s.maxUsers % s.step) ? 1 : 0,
      },
    },
  ];
};
