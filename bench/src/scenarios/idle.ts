import { rssNow } from '../measure/usage';
import { connectAll, type Scenario } from './common';

/** Many authenticated sockets doing nothing: what each costs in memory, and how fast they come. */
export const idleScenario: Scenario = async (ctx) => {
  const n = ctx.sizes.idle.sockets;
  const pids = ctx.sut.nodes.map((node) => node.pid);
  const tokens = await ctx.sut.users(n);
  const before = await rssNow(pids);
  const { connectMs } = await connectAll(
    ctx,
    tokens.map((token) => ({ token, rooms: [] })),
    500,
  );
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the heap settle
  const after = await rssNow(pids);
  return [
    {
      scenario: 'idle',
      phase: `${n} sockets`,
      system: ctx.sut.system,
      db: ctx.sut.db,
      nodes: ctx.sut.nodes.length,
      clients: n,
      rssMiB: Math.round(after),
      errors: 0,
      extra: {
        connectSeconds: Math.round(connectMs) / 1000,
        connectsPerSec: Math.round((n / connectMs) * 1000),
        kibPerConnection: Math.round(((after - before) * 1024) / n),
      },
    },
  ];
};
