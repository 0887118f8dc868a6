import type { BenchRoom } from '../systems/system';
import { connectAll, sendFigure, sendPhase, type PlannedClient, type Scenario } from './common';
import type { Sizes } from './sizes';

/** Everyone in the room listens; the first `senders` of them also send at the fixed rate. */
export const roomClients = (room: BenchRoom, s: Sizes['room']): PlannedClient[] =>
  room.tokens.map((token, i) => ({
    token,
    rooms: [room.id],
    ...(i < s.senders && {
      sends: { room: room.id, rate: s.ratePerSender, window: s.window, phase: i / s.senders },
    }),
  }));

/**
 * One ticket thread with many subscribers (an agent team watching a busy ticket): first at a
 * fixed rate, then with every sender as fast as its acks come back. `cluster` is the same over
 * two nodes, clients alternating between them.
 */
export const roomScenario =
  (scenario: 'room' | 'cluster'): Scenario =>
  async (ctx) => {
    const s = ctx.sizes.room;
    const [room] = await ctx.sut.rooms(1, s.subscribers, 'ticket');
    const { senders } = await connectAll(ctx, roomClients(room!, s));
    const clients = s.subscribers;
    await sendPhase(ctx, senders, Math.min(1000, s.phaseMs)); // warm-up: JIT, pools, caches
    const fixed = await sendPhase(ctx, senders, s.phaseMs);
    const atMax = (w: number) => senders(w).map((sender) => ({ ...sender, rate: null }));
    const max = await sendPhase(ctx, atMax, s.phaseMs);
    return [
      sendFigure(ctx, { scenario, phase: `${s.senders * s.ratePerSender} msg/s in`, clients }, fixed),
      sendFigure(ctx, { scenario, phase: 'max rate', clients }, max),
    ];
  };
