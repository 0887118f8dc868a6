import net from 'node:net';

export interface TcpProxy {
  /** `host:port` to connect to instead of the target. */
  address: string;
  port: number;
  /**
   * The target "goes down": open connections are cut, new ones refused, as when a database or
   * Redis restarts. Suites share the real servers, so restarting those would break the others.
   */
  cut(): Promise<void>;
  /** The target is back, on the same address. */
  restore(): Promise<void>;
  /**
   * Goes down, as `cut()` does, at the worst moment for whoever sends the next client message
   * matching `pattern` (the `commit` of a transaction, say): once the target has answered it.
   * With `deliverAnswer` the client gets that answer and then nothing more (the commit is known
   * to have happened; whatever comes next fails); without, the answer is lost (it happened, but
   * the client cannot know). Resolves once the trap has sprung.
   */
  cutAfterAnswerTo(pattern: RegExp, options: { deliverAnswer: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** A TCP relay to `target` (`host:port`) that a test can cut and restore. */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [targetHost, targetPort] = splitHostPort(target);
  const open = new Set<net.Socket>();
  let trap: { pattern: RegExp; deliverAnswer: boolean; sprung: () => void } | undefined;
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: targetHost, port: targetPort });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {}); // a cut is the point; whoever uses the proxy sees the close
    }
    let answerIsTrapped = false;
    client.on('data', (chunk: Buffer) => {
      if (trap?.pattern.test(chunk.toString('latin1'))) answerIsTrapped = true;
    });
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!answerIsTrapped || !trap) return void client.write(chunk);
      const { deliverAnswer, sprung } = trap;
      trap = undefined;
      // Everything else goes down first, so nothing the client sends after the answer gets through.
      const closed = stopListening();
      for (const socket of open) if (socket !== client) socket.destroy();
      if (deliverAnswer) client.end(chunk, () => client.destroy());
      else client.destroy();
      void closed.then(sprung);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await listenOn(server, 0);
  const port = (server.address() as net.AddressInfo).port;
  const stopListening = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    address: `127.0.0.1:${port}`,
    port,
    async cut() {
      const closed = stopListening();
      for (const socket of open) socket.destroy();
      await closed;
    },
    restore: () => listenOn(server, port),
    cutAfterAnswerTo: (pattern, { deliverAnswer }) =>
      new Promise<void>((sprung) => {
        trap = { pattern, deliverAnswer, sprung };
      }),
    async close() {
      const closed = server.listening ? stopListening() : Promise.resolve();
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}

function listenOn(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function splitHostPort(target: string): [string, number] {
  const i = target.lastIndexOf(':');
  return [target.slice(0, i), Number(target.slice(i + 1))];
}

/** The same URL with its host and port pointed at the proxy. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.host = proxy.address;
  return u.href.replace(/\/$/, '');
}
