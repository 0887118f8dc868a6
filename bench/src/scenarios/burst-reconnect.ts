import { connectAll, sendFigure, sendPhase, type Scenario } from './common';

/**
 * Rooms with a steady writer each; every reader drops at once (a load balancer restart, a
 * network blip), stays away for `outageMs` while the writers go on, then all reconnect at once
 * and resume where they were. The time is from the reconnect until every reader is subscribed
 * again with its backlog replayed.
 */
export const burstReconnectScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.burst;
  const rooms = await ctx.sut.rooms(s.rooms, s.perRoom + 1, 'group');
  const { senders } = await connectAll(
    ctx,
    rooms.flatMap((room) => [
      {
        token: room.tokens[0]!,
        rooms: [room.id],
        joins: false,
        droppable: false,
        sends: { room: room.id, rate: s.ratePerRoom, window: 1, phase: Math.random() },
      },
      ...room.tokens.slice(1).map((token) => ({ token, rooms: [room.id] })),
    ]),
  );
  const sending = sendPhase(ctx, senders, s.phaseMs * 2);
  await new Promise((resolve) => setTimeout(resolve, s.phaseMs / 2));
  await ctx.pool.all(() => ({ op: 'drop' }));
  await new Promise((resolve) => setTimeout(resolve, s.outageMs));
  const reconnectedAt = performance.now();
  const reconnected = await ctx.pool.all<{ failed: number }>(() => ({ op: 'reconnect', concurrency: 1000 }));
  const resumeMs = performance.now() - reconnectedAt;
  const outcome = await sending;
  const failed = reconnected.reduce((sum, r) => sum + r.failed, 0);
  const readers = s.rooms * s.perRoom;
  const figure = sendFigure(
    ctx,
    { scenario: 'burst-reconnect', phase: `${readers} readers`, clients: readers },
    outcome,
  );
  return [{ ...figure, errors: figure.errors + failed, extra: { resumeSeconds: Math.round(resumeMs) / 1000 } }];
};
