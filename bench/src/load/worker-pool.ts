import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command, Reply } from './worker-protocol';

type Op = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/** The load-generator processes, driven in lockstep: each call goes to all and waits for all. */
export class WorkerPool {
  private readonly workers: ChildProcess[];
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 0;

  constructor(readonly size: number) {
    const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
    this.workers = Array.from({ length: size }, (_, i) => {
      const child = fork(entry, { execArgv: ['--import', 'tsx'], env: { ...process.env, BENCH_WORKER_ID: String(i) } });
      child.on('message', (reply: Reply) => {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if (reply.ok) waiter?.resolve(reply.result);
        else waiter?.reject(new Error(`load worker ${i}: ${reply.error}`));
      });
      child.on('exit', (code) => {
        if (code !== 0 && code !== null)
          for (const w of this.waiting.values()) w.reject(new Error(`load worker ${i} exited with ${code}`));
      });
      return child;
    });
  }

  /** Sends `op(i)` to worker i, resolves with every worker's result. */
  all<T>(op: (worker: number) => Op): Promise<T[]> {
    return Promise.all(
      this.workers.map(
        (worker, i) =>
          new Promise<T>((resolve, reject) => {
            const id = this.nextId++;
            this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
            worker.send({ id, ...op(i) });
          }),
      ),
    );
  }

  /** Splits `items` across the workers round-robin: worker i gets items i, i+size, … */
  split<T>(items: T[], worker: number): T[] {
    return items.filter((_, j) => j % this.size === worker);
  }

  async close() {
    await this.all(() => ({ op: 'close' })).catch(() => {});
    for (const worker of this.workers) worker.kill();
  }
}
