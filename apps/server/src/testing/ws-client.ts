import { PROTOCOL_VERSION, type ClientFrameInput, type ServerFrame } from '@parley/protocol';
import WebSocket from 'ws';

export interface TestSocket {
  ws: WebSocket;
  /** Every frame received so far, in order. */
  frames: ServerFrame[];
  send(frame: ClientFrameInput | Record<string, unknown>): void;
  sendRaw(data: string | Buffer): void;
  /** The first frame (received or still to come) after the last one taken that matches. */
  next<T extends ServerFrame['type']>(
    type: T,
    match?: (f: Extract<ServerFrame, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<ServerFrame, { type: T }>>;
  /** Frames of a type received so far. */
  all<T extends ServerFrame['type']>(type: T): Array<Extract<ServerFrame, { type: T }>>;
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

/**
 * A real WebSocket client for tests. With a token it authenticates in the handshake
 * (`Sec-WebSocket-Protocol: parley.v1, <token>`); without, the test sends `auth` itself.
 */
export async function connectSocket(baseUrl: string, token?: string): Promise<TestSocket> {
  const ws = new WebSocket(
    `${baseUrl.replace(/^http/, 'ws')}/ws`,
    token ? [PROTOCOL_VERSION, token] : [PROTOCOL_VERSION],
  );
  const frames: ServerFrame[] = [];
  const taken = new Set<number>();
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as ServerFrame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** The frames so far, short enough for an error message. */
  const summary = () => {
    const last = frames.slice(-8).map((f) => JSON.stringify(f).slice(0, 160));
    return `${frames.length} frames, last: ${last.join(' | ')}`;
  };
  const socket: TestSocket = {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data) => ws.send(data),
    next(type, match = () => true, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        let settled = false;
        const finish = (outcome: () => void) => {
          settled = true;
          clearTimeout(timer);
          outcome();
        };
        const look = () => {
          if (settled) return;
          const i = frames.findIndex((f, k) => !taken.has(k) && f.type === type && match(f as never));
          if (i >= 0) {
            taken.add(i);
            return finish(() => resolve(frames[i] as never));
          }
          if (ws.readyState === WebSocket.CLOSED) {
            return finish(() => reject(new Error(`socket closed while waiting for ${type}: ${summary()}`)));
          }
          if (Date.now() >= deadline) {
            return finish(() => reject(new Error(`no ${type} frame within ${timeoutMs} ms: ${summary()}`)));
          }
          waiters.push(look);
        };
        const timer = setTimeout(look, timeoutMs + 1);
        look();
      });
    },
    all: (type) => frames.filter((f) => f.type === type) as never,
    closed,
    async close() {
      ws.close();
      await closed;
    },
  };
  return socket;
}

/** A socket signed in with the handshake token, past its `ready`. */
export async function readySocket(baseUrl: string, who: { accessToken: string }): Promise<TestSocket> {
  const socket = await connectSocket(baseUrl, who.accessToken);
  await socket.next('ready');
  return socket;
}

let settleRefs = 0;

/** A round trip: every frame sent before it has been handled once the pong is in. */
export async function settle(socket: TestSocket): Promise<void> {
  const ref = `settle-${++settleRefs}`;
  socket.send({ type: 'ping', ref });
  await socket.next('pong', (f) => f.ref === ref);
}
