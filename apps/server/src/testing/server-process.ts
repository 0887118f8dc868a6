import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  child: ReturnType<typeof spawn>;
  /** Resolves with the base URL once the server says it is up. */
  listening: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

/** The real `npm start` entry point as its own process, with only the environment given. */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  let announced: ((url: string) => void) | undefined;
  const onOutput = (chunk: Buffer) => {
    output += chunk;
    const url = output.match(/Parley is up: (http:\/\/\S+) /)?.[1];
    if (url) announced?.(url);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const listening = new Promise<string>((resolve, reject) => {
    announced = resolve;
    void exited.then((code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  listening.catch(() => {}); // a server expected to refuse start-up is never awaited for this
  return { child, listening, exited, output: () => output };
}
