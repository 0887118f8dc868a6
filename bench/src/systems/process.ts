import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface RunningProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `node <entry>` (a TypeScript entry through tsx) with only the given environment (plus
 * PATH), logging to `logFile`, and resolves with its URL once a line of its output shows it
 * listening.
 */
export function startProcess(opts: {
  entry: string;
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  nodeArgs?: string[];
  /** The URL, from the output so far; undefined until it is up. */
  urlFrom(output: string): string | undefined;
}): Promise<RunningProcess> {
  const loader = opts.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...loader, opts.entry], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(opts.logFile);
  let head = ''; // only until the URL shows: a busy server writes a lot
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let up = false;
    const onOutput = (chunk: Buffer) => {
      log.write(chunk);
      if (up) return;
      head += chunk;
      const url = opts.urlFrom(head);
      if (!url) return;
      up = true;
      resolve({
        url,
        pid: child.pid!,
        stop: async () => {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          await exited;
          clearTimeout(timer);
          log.end();
        },
      });
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.once('exit', (code) => {
      if (!up) reject(new Error(`${opts.entry} exited with ${code} before it was up:\n${head.slice(-3000)}`));
    });
  });
}
