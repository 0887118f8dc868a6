import pidusage from 'pidusage';

export interface Usage {
  /** Average CPU of all sampled processes together, in % of one core. */
  cpuPercent: number;
  /** Highest combined resident memory seen, in MiB. */
  rssMiB: number;
  /** CPU time the processes spent between start and stop, in ms (user + system). */
  cpuMs: number;
}

/** Samples the server processes' CPU and memory every `everyMs` until `stop()`. */
export function sampleUsage(pids: number[], everyMs = 250) {
  const cpu: number[] = [];
  let rss = 0;
  const cpuTime: number[] = []; // cumulative, per sample

  const take = async () => {
    const stats = await pidusage(pids).catch(() => undefined);
    if (!stats) return;
    const all = Object.values(stats);
    cpu.push(all.reduce((sum, s) => sum + s.cpu, 0));
    cpuTime.push(all.reduce((sum, s) => sum + s.ctime, 0));
    rss = Math.max(
      rss,
      all.reduce((sum, s) => sum + s.memory, 0),
    );
  };
  void take(); // pidusage measures CPU between calls: this first one sets the baseline
  const timer = setInterval(() => void take(), everyMs);
  return {
    async stop(): Promise<Usage> {
      clearInterval(timer);
      await take();
      const measured = cpu.slice(1);
      return {
        cpuPercent: measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : 0,
        rssMiB: rss / 2 ** 20,
        cpuMs: cpuTime.length > 1 ? cpuTime[cpuTime.length - 1]! - cpuTime[0]! : 0,
      };
    },
  };
}

/** Combined resident memory now, in MiB. */
export async function rssNow(pids: number[]): Promise<number> {
  const stats = await pidusage(pids);
  return Object.values(stats).reduce((sum, s) => sum + s.memory, 0) / 2 ** 20;
}
