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

/**
 * The server's entry point as its own process, with only the environment given: the sources
 * through tsx, or (`built`) what `npm start` runs, `dist/main.js` from `scripts/build.ts`.
 */
export function startServerProcess(env: Record<string, string>, opts: { built?: boolean } = {}): ServerProcess {
  const args = opts.built ? ['--enable-source-maps', 'dist/main.js'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
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

/** One REST call to a node, as a client over HTTP would make it; anything but 2xx throws with the answer. */
export async function callNode<T>(
  base: string,
  method: string,
  url: string,
  token?: string,
  body?: object,
): Promise<T> {
  const response = await fetch(base + url, {
    method,
    headers: {
      ...(body && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(body && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
