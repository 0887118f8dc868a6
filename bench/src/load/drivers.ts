import { PROTOCOL_VERSION } from '@parley/protocol/constants';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';

/**
 * One simulated user's connection, the same for every system under test, so the generator's
 * own cost is the same on each side of a ratio. `position` is what a client resumes from: the
 * message seq on Parley, the row id on the peer, nothing on the ceiling (it keeps no history).
 */
export interface BenchConnection {
  /** Resolves once the server says the room is live (after any replay from `after`). */
  join(room: string, after?: number): Promise<void>;
  send(room: string, clientMsgId: string, body: string): void;
  /** Parley only: what a person's app sends besides messages (the baselines have none of it). */
  typing?(room: string): void;
  read?(room: string, position: number): void;
  presence?(status: 'online' | 'away'): void;
  /** Abrupt: like a phone losing its network. */
  drop(): void;
  close(): void;
}

export interface ConnectionEvents {
  onAck(clientMsgId: string): void;
  onMessage(room: string, body: string, position: number): void;
  onError(message: string): void;
  /** The connection ended without `close()` or `drop()` being called. */
  onLost(): void;
}

export type DriverName = 'parley' | 'ceiling' | 'peer';

export type Connect = (url: string, token: string, events: ConnectionEvents) => Promise<BenchConnection>;

const CONNECT_TIMEOUT_MS = 30_000;

/** Parley's own wire protocol on raw `ws`: auth in the subprotocol, JSON frames. */
const parley: Connect = (url, token, events) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, [PROTOCOL_VERSION, token], {
      perMessageDeflate: false,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    const joining = new Map<string, () => void>();
    let ended = false;
    const connection: BenchConnection = {
      join: (room, after) =>
        new Promise<void>((done) => {
          joining.set(room, done);
          ws.send(JSON.stringify({ type: 'subscribe', conversationId: room, ...(after && { afterSeq: after }) }));
        }),
      send: (room, clientMsgId, body) =>
        ws.send(JSON.stringify({ type: 'message.send', conversationId: room, clientMsgId, body })),
      typing: (room) => ws.send(JSON.stringify({ type: 'typing', conversationId: room })),
      read: (room, seq) => ws.send(JSON.stringify({ type: 'read', conversationId: room, seq })),
      presence: (status) => ws.send(JSON.stringify({ type: 'presence', status })),
      drop: () => ((ended = true), ws.terminate()),
      close: () => ((ended = true), ws.close()),
    };
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      switch (frame.type) {
        case 'message':
          return events.onMessage(frame.message.conversationId, frame.message.body, frame.message.seq);
        case 'ack':
          return events.onAck(frame.clientMsgId);
        case 'subscribed':
          joining.get(frame.conversationId)?.();
          return joining.delete(frame.conversationId);
        case 'ready':
          return resolve(connection);
        case 'error':
          return events.onError(`${frame.code}: ${frame.message}`);
      }
    });
    ws.on('error', (error) => (ended ? undefined : reject(error)));
    ws.on('close', (code, reason) => {
      reject(new Error(`closed before ready: ${code} ${reason}`));
      if (!ended) events.onLost();
    });
  });

/** The ceiling's minimal protocol (bench/baselines/ws-broadcast.ts): no auth, no history. */
const ceiling: Connect = (url, _token, events) =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false, handshakeTimeout: 30_000 });
    const joining = new Map<string, () => void>();
    let ended = false;
    ws.on('open', () =>
      resolve({
        join: (room) =>
          new Promise<void>((done) => {
            joining.set(room, done);
            ws.send(JSON.stringify({ type: 'join', room }));
          }),
        send: (room, clientMsgId, body) => ws.send(JSON.stringify({ type: 'send', room, clientMsgId, body })),
        drop: () => ((ended = true), ws.terminate()),
        close: () => ((ended = true), ws.close()),
      }),
    );
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === 'message') events.onMessage(frame.room, frame.body, 0);
      else if (frame.type === 'ack') events.onAck(frame.clientMsgId);
      else if (frame.type === 'joined') joining.get(frame.room)?.();
    });
    ws.on('error', (error) => (ended ? undefined : reject(error)));
    ws.on('close', () => !ended && events.onLost());
  });

/** The peer (bench/baselines/socketio-server.ts): Socket.IO events with acknowledgement callbacks. */
const peer: Connect = (url, token, events) =>
  new Promise((resolve, reject) => {
    const socket: Socket = io(url, {
      transports: ['websocket'],
      auth: { token },
      reconnection: false,
      timeout: CONNECT_TIMEOUT_MS,
    });
    let ended = false;
    socket.on('message', (m: { room: string; body: string; id: number }) => events.onMessage(m.room, m.body, m.id));
    socket.once('connect', () =>
      resolve({
        join: (room, after) =>
          new Promise<void>((done) => socket.emit('join', { room, after: after ?? 0 }, () => done())),
        send: (room, clientMsgId, body) =>
          socket.emit('send', { room, clientMsgId, body }, (reply: { error?: string }) =>
            reply.error ? events.onError(reply.error) : events.onAck(clientMsgId),
          ),
        drop: () => ((ended = true), socket.io.engine.close()),
        close: () => ((ended = true), socket.disconnect()),
      }),
    );
    socket.once('connect_error', reject);
    socket.on('disconnect', () => !ended && events.onLost());
  });

export const DRIVERS: Record<DriverName, Connect> = { parley, ceiling, peer };
