import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CLOSE_CODES,
  ClientFrameSchema,
  PROTOCOL_VERSION,
  type ClientFrame,
  type ErrorBody,
  type ErrorCode,
} from '@parley/protocol';
import { clientAddressOf } from '../abuse/client-address';
import type { UserBudget } from '../abuse/rate-limits';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AccessTokens } from '../auth/access-tokens';
import { contactIdsOf } from '../contacts/contact-service';
import type { ServiceDeps } from '../deps';
import { teamIdsOf } from '../teams/team-service';
import { ticketReach } from '../tickets/ticket-policy';
import { fanOut, type SessionIndex } from './fan-out';
import { accessSettled, revalidateAfterMissedEvents } from './access-revalidation';
import { errorOfFrame } from './frame-errors';
import { FRAME_HANDLERS, WRITE_FRAMES, replayMissed, spendWrite, type RealtimeContext } from './frame-handlers';
import type { PresenceTracker } from './presence-tracker';
import { announceViewers } from './ticket-viewers';
import type { ViewingStore } from './viewing-store';
import { joinIndex, leaveIndex, memberKey } from './session-index';
import { AppError } from '../http/app-error';
import { GUEST_FRAMES } from '../widget/guest-scope';
import { tokenMayFrame } from '../api-tokens/api-token-scope';
import { SocketSession, type SessionLimits } from './socket-session';

export interface GatewayOptions extends SessionLimits {
  maxFrameBytes: number;
  heartbeatMs: number;
  /** How long a socket may stay unauthenticated. */
  authTimeoutMs: number;
  typingThrottleMs: number;
  typingExpiresMs: number;
  /** Open sockets one address may hold; more are refused with HTTP 429 at the upgrade. */
  maxConnectionsPerIp: number;
  trustProxy: boolean | string;
}

/** The rest come from the config: frame size and frame rate are an operator's settings. */
export const DEFAULT_GATEWAY_OPTIONS: Omit<
  GatewayOptions,
  'maxFrameBytes' | 'framesPerSecond' | 'burst' | 'maxConnectionsPerIp' | 'trustProxy'
> = {
  heartbeatMs: 30_000,
  authTimeoutMs: 10_000,
  typingThrottleMs: 2_000,
  typingExpiresMs: 6_000,
  maxBufferedBytes: 1024 * 1024,
  gapWaitMs: 250,
  maxStrikes: 50,
  maxSubscriptions: 500,
  maxBacklogFrames: 256,
  maxBacklogBytes: 1024 * 1024,
};

/**
 * `GET /ws`: the realtime gateway on the app's own HTTP server. Authenticates each socket
 * (token in `Sec-WebSocket-Protocol: parley.v1, <token>` or a first `auth` frame), runs its
 * frames one at a time through FRAME_HANDLERS, and fans committed events out to the sockets
 * that may see them.
 */
export function attachGateway(
  app: FastifyInstance,
  deps: {
    services: ServiceDeps;
    accessTokens: AccessTokens;
    presence: PresenceTracker;
    viewing: ViewingStore;
    spendWrite: UserBudget;
    spendSignal: UserBudget;
    options: GatewayOptions;
  },
): Gateway {
  const { options } = deps;
  const log = app.log.child({ component: 'gateway' });
  const index: SessionIndex = { byUser: new Map(), byConversation: new Map(), byWatched: new Map(), all: new Set() };
  const ctx: RealtimeContext = {
    deps: deps.services,
    accessTokens: deps.accessTokens,
    presence: deps.presence,
    viewing: deps.viewing,
    typingThrottleMs: options.typingThrottleMs,
    typingExpiresMs: options.typingExpiresMs,
    spendWrite: deps.spendWrite,
    spendSignal: deps.spendSignal,
    log,
    index: {
      authenticated: (session) =>
        void onAuthenticated(session).catch((error: unknown) => {
          log.error({ err: error }, 'setting up an authenticated socket failed');
          session.close(CLOSE_CODES.tryAgainLater, 'Server busy: reconnect in a moment');
        }),
      subscribed: (session, conversationId) => joinIndex(index.byConversation, conversationId, session),
      unsubscribed: (session, conversationId) => leaveIndex(index.byConversation, conversationId, session),
    },
  };

  async function onAuthenticated(session: SocketSession) {
    const actor = session.actor!;
    // The close handler takes it out again, should the socket close during what follows.
    joinIndex(index.byUser, memberKey(actor, actor.id), session);
    // The teams came with the actor at sign-in; they matter to an agent who sees their teams' tickets.
    const teamIds = ticketReach(actor) === 'teams' ? [...(await teamIdsOf(deps.services.db, actor))] : [];
    const contactIds = await contactIdsOf(deps.services.db, actor, actor.id);
    // Gone meanwhile: announcing the user online now would keep them online for good.
    if (!session.isOpen) return;
    session.teamIds = teamIds;
    session.actor = { ...session.actor!, teamIds };
    accessSettled(session);
    session.setContacts(contactIds);
    deps.presence.set(actor, actor.id, session.id, session.status);
    session.send({ type: 'ready', userId: actor.id, protocol: PROTOCOL_VERSION, heartbeatMs: options.heartbeatMs });
    // Contacts already online: changes come live from now on, but the present state must too.
    for (const [userId, status] of await deps.presence.statusOf(actor, contactIds)) {
      if (status !== 'offline') session.send({ type: 'presence', userId, status });
    }
  }

  /** Each socket's frame queue, so shutdown can wait for frames already being handled. */
  const inFlight = new Map<SocketSession, Promise<void>>();
  const fanOutOptions = {
    typingExpiresMs: options.typingExpiresMs,
    presenceOf: async (workspaceId: string, userId: string) =>
      (await deps.presence.statusOf({ workspaceId }, [userId])).get(userId) ?? 'offline',
  };
  const unsubscribeBus = deps.services.events.subscribe((event) => fanOut(index, event, fanOutOptions));
  // While the bus was cut off, other nodes' events went by unheard: check every socket's rights
  // again (an access.changed may have been among them), then read the missed messages.
  const unsubscribeReconnect = revalidateAfterMissedEvents({
    events: deps.services.events,
    db: deps.services.db,
    sessions: index.all,
    onError: (error) => log.warn({ err: error }, "checking sockets' access after missed events failed; retrying"),
    thenCatchUp: () => {
      for (const session of index.all)
        for (const subscription of session.subscriptions.values()) session.catchUp(subscription);
    },
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(PROTOCOL_VERSION) ? PROTOCOL_VERSION : false),
  });

  const addressOf = clientAddressOf(options.trustProxy);
  const socketsPerAddress = new Map<string, number>();
  app.server.on('upgrade', (request, socket, head) => {
    if (new URL(request.url ?? '/', 'http://x').pathname !== '/ws') {
      socket.destroy();
      return;
    }
    const address = addressOf(request);
    const held = socketsPerAddress.get(address) ?? 0;
    if (held >= options.maxConnectionsPerIp) {
      refuseUpgrade(socket, 429, {
        error: { code: 'rate_limited', message: `At most ${options.maxConnectionsPerIp} sockets per address` },
      });
      return;
    }
    socketsPerAddress.set(address, held + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (socketsPerAddress.get(address) ?? 1) - 1;
      if (left > 0) socketsPerAddress.set(address, left);
      else socketsPerAddress.delete(address);
    };
    socket.once('close', release);
    wss.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request));
  });

  function onConnection(ws: WebSocket, request: IncomingMessage) {
    const session = new SocketSession(
      ws,
      options,
      (subscription) =>
        enqueue(() =>
          replayMissed(ctx, session, subscription).catch((error: Error) => {
            log.error({ err: error }, 'catching up a subscription failed');
            session.close(CLOSE_CODES.serviceRestart, 'Could not catch up: reconnect and resume from your last seq');
          }),
        ),
      (conversationId) => leaveIndex(index.byConversation, conversationId, session),
      // Watching starts after authentication: the actor is known.
      (userId, watched) =>
        (watched ? joinIndex : leaveIndex)(index.byWatched, memberKey(session.actor!, userId), session),
    );
    index.all.add(session);
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      if (!alive) return ws.terminate(); // no pong since the last ping: the peer is gone
      alive = false;
      ws.ping();
    }, options.heartbeatMs);
    const authDeadline = setTimeout(() => {
      if (!session.actor) session.close(CLOSE_CODES.unauthorized, 'No auth frame received in time');
    }, options.authTimeoutMs);

    // Frames of one socket run in order: a client's sends get their seqs in the order sent.
    let queue = Promise.resolve();
    const enqueue = (work: () => Promise<void>) => {
      // A failure that escaped must not stall the queue: every later frame would be skipped.
      queue = queue.then(work).catch((error: unknown) => log.error({ err: error }, 'socket work failed'));
      inFlight.set(session, queue);
    };
    // Rate and backlog are checked here, before a frame is queued: a queue stuck behind a
    // replay the client does not read would otherwise hold every frame it sends meanwhile.
    ws.on('message', (data, isBinary) => {
      if (!session.isOpen) return; // closing: nothing more is handled
      const text = data.toString();
      if (!session.admit()) return sendError(session, 'rate_limited', 'Too many frames; slow down', refOf(text));
      const bytes = Buffer.byteLength(text);
      if (!session.queue(bytes)) return;
      enqueue(() => handleFrame(session, text, isBinary, log).finally(() => session.dequeue(bytes)));
    });
    ws.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(authDeadline);
      clearTimeout(session.expiryTimer);
      index.all.delete(session);
      if (session.actor) {
        leaveIndex(index.byUser, memberKey(session.actor, session.actor.id), session);
        for (const userId of session.watching) leaveIndex(index.byWatched, memberKey(session.actor, userId), session);
        deps.presence.remove(session.actor, session.actor.id, session.id);
        if (session.viewing) {
          const { actor } = session;
          const shown = session.viewing;
          session.viewing = null;
          deps.viewing
            .set(actor.id, session.id, null)
            .then(() => announceViewers(deps.viewing, deps.services.events, actor, [shown]))
            .catch((error: unknown) => log.warn({ err: error }, 'forgetting what a closed socket showed failed'));
        }
      }
      for (const conversationId of session.subscriptions.keys())
        leaveIndex(index.byConversation, conversationId, session);
      const last = queue;
      void last.then(() => inFlight.get(session) === last && inFlight.delete(session));
    });
    ws.on('error', (error) => log.debug({ err: error }, 'socket error'));

    const token = protocolToken(request);
    if (token) enqueue(() => dispatch(session, { type: 'auth', token }, undefined, log));
  }

  async function handleFrame(session: SocketSession, text: string, isBinary: boolean, logger: FastifyBaseLogger) {
    if (isBinary) return sendError(session, 'bad_request', 'Frames are JSON text');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return sendError(session, 'bad_request', 'Frame is not valid JSON');
    }
    const ref = refIn(raw);
    const parsed = ClientFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const list = parsed.error.issues
        .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ');
      return sendError(session, 'validation_failed', `Invalid frame: ${list}`, ref);
    }
    const frame = parsed.data;
    if (!session.actor && frame.type !== 'auth' && frame.type !== 'ping') {
      return sendError(session, 'unauthorized', 'Send an auth frame first', ref);
    }
    await dispatch(session, frame, ref, logger);
  }

  /** Runs one valid frame's handler; its failure goes back to the client as an error frame. */
  async function dispatch(
    session: SocketSession,
    frame: ClientFrame,
    ref: string | undefined,
    logger: FastifyBaseLogger,
  ) {
    try {
      if (session.actor?.guestOf && !GUEST_FRAMES.has(frame.type)) {
        throw new AppError('forbidden', "A chat widget's visitor reaches only their own chat");
      }
      if (session.actor?.apiToken && !tokenMayFrame(session.actor.apiToken.scopes, frame.type)) {
        throw new AppError('forbidden', `This API token's scopes do not reach ${frame.type} frames`);
      }
      if (WRITE_FRAMES.has(frame.type)) await spendWrite(ctx, session);
      await (FRAME_HANDLERS[frame.type] as (c: RealtimeContext, s: SocketSession, f: ClientFrame) => Promise<void>)(
        ctx,
        session,
        frame,
      );
    } catch (error) {
      const { code, message } = errorOfFrame(error, logger, frame.type);
      sendError(session, code, message, ref ?? clientMsgIdOf(frame));
    }
  }

  // Shutdown: tell every client to reconnect (elsewhere) before the HTTP server stops.
  app.addHook('preClose', async () => {
    unsubscribeBus();
    unsubscribeReconnect();
    for (const session of index.all) session.close(CLOSE_CODES.serviceRestart, 'Server restarting');
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await Promise.allSettled(inFlight.values()); // then the database may close under them
  });

  return {
    openSockets: () => index.all.size,
    stats() {
      const stats = {
        users: index.byUser.size,
        conversations: index.byConversation.size,
        watched: index.byWatched.size,
      };
      let subscriptions = 0;
      let pendingEvents = 0;
      let backlogBytes = 0;
      for (const session of index.all) {
        subscriptions += session.subscriptions.size;
        for (const subscription of session.subscriptions.values())
          pendingEvents += (subscription.pending?.length ?? 0) + subscription.ahead.size;
        backlogBytes += session.backlog.bytes;
      }
      return { ...stats, subscriptions, pendingEvents, backlogBytes };
    },
  };
}

export interface Gateway {
  /** Sockets connected to this node, authenticated or not. */
  openSockets(): number;
  /** What this node holds for its sockets, for /metrics: it must shrink as they go. */
  stats(): GatewayStats;
}

export interface GatewayStats {
  /** Signed-in users and followed conversations with a socket here (index entries). */
  users: number;
  conversations: number;
  /** Users whose presence a socket here follows (index entries). */
  watched: number;
  subscriptions: number;
  /** Live events held back: during replays, or ahead of a missing seq. */
  pendingEvents: number;
  /** Bytes of frames received and not handled yet. */
  backlogBytes: number;
}

function sendError(session: SocketSession, code: ErrorCode, message: string, ref?: string) {
  session.send({ type: 'error', code, message, ...(ref && { ref }) });
}

/** Answers an upgrade request with a plain HTTP error (the socket never becomes a WebSocket). */
function refuseUpgrade(socket: Duplex, status: number, body: ErrorBody) {
  const json = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\nRetry-After: 10\r\nConnection: close\r\n\r\n${json}`,
  );
}

/** The frame's `ref`, for the error it causes (read even from an invalid frame). */
function refIn(raw: unknown): string | undefined {
  const ref = (raw as { ref?: unknown } | null)?.ref;
  return typeof ref === 'string' ? ref.slice(0, 64) : undefined;
}

/** For a frame refused before it is parsed: its `ref`, or else the `clientMsgId` of a send. */
function refOf(text: string): string | undefined {
  try {
    const raw: unknown = JSON.parse(text);
    const clientMsgId = (raw as { clientMsgId?: unknown } | null)?.clientMsgId;
    return refIn(raw) ?? (typeof clientMsgId === 'string' ? clientMsgId.slice(0, 64) : undefined);
  } catch {
    return undefined;
  }
}

const clientMsgIdOf = (frame: ClientFrame) => (frame.type === 'message.send' ? frame.clientMsgId : undefined);

/** `Sec-WebSocket-Protocol: parley.v1, <token>`: browsers cannot set other headers on a socket. */
function protocolToken(request: IncomingMessage): string | undefined {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.includes(PROTOCOL_VERSION) ? offered.find((p) => p && p !== PROTOCOL_VERSION) : undefined;
}
