import { connectAll, sendFigure, sendPhase, type Scenario } from './common';
import { roomClients } from './room';

/**
 * A restart under load, as a deploy does it: the room's people are connected and sending (the
 * load generator warm), they all drop, the server processes stop and start again over the
 * database they left (its rows and the OS's cache of them warm; the process, its JIT, pools and
 * statements cold), and everyone reconnects at once, resumes and sends at the room's fixed rate.
 * The first `firstMs` against the `afterMs` that follow. Parley's target: p99 of the first
 * within 2× of the after.
 */
export const coldScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.room;
  const { firstMs, afterMs } = ctx.sizes.cold;
  const [room] = await ctx.sut.rooms(1, s.subscribers, 'ticket');
  const { senders } = await connectAll(ctx, roomClients(room!, s));
  await sendPhase(ctx, senders, Math.min(2000, firstMs)); // the generator warms up; this server is then gone
  await ctx.pool.all(() => ({ op: 'drop' }));
  const upMs = await ctx.sut.restart();
  const reconnectedAt = performance.now();
  const reconnected = await ctx.pool.all<{ failed: number }>(() => ({ op: 'reconnect', concurrency: 200 }));
  const reconnectMs = performance.now() - reconnectedAt;
  const failed = reconnected.reduce((sum, r) => sum + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} of ${s.subscribers} clients could not reconnect`);
  const first = await sendPhase(ctx, senders, firstMs);
  const after = await sendPhase(ctx, senders, afterMs);
  const clients = s.subscribers;
  const rate = `${s.senders * s.ratePerSender} msg/s in`;
  const afterFigure = sendFigure(ctx, { scenario: 'cold', phase: `${rate}, after`, clients }, after);
  const firstFigure = sendFigure(ctx, { scenario: 'cold', phase: `${rate}, first`, clients }, first);
  const afterP99 = afterFigure.deliver?.p99;
  firstFigure.extra = {
    upSeconds: upMs / 1000,
    reconnectSeconds: reconnectMs / 1000,
    ...(firstFigure.deliver && afterP99 && { p99VsAfter: firstFigure.deliver.p99 / afterP99 }),
  };
  return [firstFigure, afterFigure];
};
