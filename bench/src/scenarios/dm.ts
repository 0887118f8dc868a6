import { connectAll, sendFigure, sendPhase, type Scenario } from './common';

/** Many one-to-one chats, each person writing now and then: realistic chat, database-bound. */
export const dmScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.dm;
  const rooms = await ctx.sut.rooms(s.pairs, 2, 'direct');
  const { senders } = await connectAll(
    ctx,
    rooms.flatMap((room) =>
      room.tokens.map((token) => ({
        token,
        rooms: [room.id],
        sends: { room: room.id, rate: s.ratePerUser, window: 1, phase: Math.random() },
      })),
    ),
  );
  await sendPhase(ctx, senders, Math.min(2000, s.phaseMs)); // warm-up: JIT, pools, caches
  const outcome = await sendPhase(ctx, senders, s.phaseMs);
  return [
    sendFigure(
      ctx,
      { scenario: 'dm', phase: `${s.pairs} pairs, ${s.pairs * 2 * s.ratePerUser} msg/s in`, clients: s.pairs * 2 },
      outcome,
    ),
  ];
};
