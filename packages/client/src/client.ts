import type { JoinBody, Session } from '@parley/protocol';
import { Outbox } from './outbox';
import { RealtimeSession, type NetworkMonitor, type WebSocketConstructor } from './realtime';
import { createRestClient, type RestClientOptions } from './rest';
import { memoryStorage } from './storage';

export interface ParleyClientOptions extends RestClientOptions {
  /** Needed where there is no global WebSocket (Node 20: pass the `ws` package's). */
  WebSocket?: WebSocketConstructor;
  network?: NetworkMonitor;
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * Everything an app needs, wired together: the typed REST calls, one realtime session that
 * authenticates with the REST session's tokens (refreshing them as needed), and the outbox that
 * sends through it. Tokens and the outbox share one storage, so both survive a restart.
 */
const OUTBOX_OWNER_KEY = 'parley.outbox.owner';

export function createParleyClient(options: ParleyClientOptions) {
  const storage = options.storage ?? memoryStorage();
  const rest = createRestClient({ ...options, storage });
  const realtime = new RealtimeSession({
    baseUrl: options.baseUrl,
    getToken: (fresh) => rest.accessToken(fresh),
    ...(options.WebSocket && { WebSocket: options.WebSocket }),
    ...(options.network && { network: options.network }),
    ...(options.backoff && { backoff: options.backoff }),
  });
  const outbox = new Outbox(realtime, storage);
  // The outbox belongs to one user: if someone else signs in on this device (even after the
  // last session simply expired), what the previous user left unsent is dropped, never sent.
  let ownerChecked = Promise.resolve();
  // The same goes for another workspace of the same person: its conversations are not there.
  rest.session.onChange((session) => {
    const user = session?.user;
    if (!user) return;
    const ownerId = user.workspace ? `${user.id}@${user.workspace.id}` : user.id;
    ownerChecked = ownerChecked.then(async () => {
      const owner = await storage.getItem(OUTBOX_OWNER_KEY);
      if (owner === ownerId) return;
      if (owner !== null) await outbox.clear();
      await storage.setItem(OUTBOX_OWNER_KEY, ownerId);
    });
  });
  /** A session in another workspace: the socket (if it was live) starts over with its token. */
  async function moveSocketAfter(starting: Promise<Session>): Promise<Session> {
    const started = await starting;
    const live = realtime.status !== 'idle' && realtime.status !== 'closed';
    realtime.reset();
    if (live) {
      await ownerChecked;
      await outbox.load();
      realtime.connect();
    }
    return started;
  }

  return {
    ...rest,
    auth: {
      ...rest.auth,
      /**
       * A session in another of the person's workspaces: stored like a sign-in, and the socket
       * (if it was live) starts over with the new token, following nothing of the old workspace.
       */
      async switchWorkspace(workspaceId: string) {
        return moveSocketAfter(rest.auth.switchWorkspace(workspaceId));
      },
      /** Joins the invite's workspace and moves there, like `switchWorkspace`. */
      async join(body: JoinBody) {
        return moveSocketAfter(rest.auth.join(body));
      },
    },
    realtime,
    outbox,
    /** Goes live: connects the socket and sends whatever the outbox kept from earlier runs. */
    async connect(): Promise<void> {
      await ownerChecked;
      await outbox.load();
      realtime.connect();
    },
    /**
     * Closes the socket, drops the unsent messages (so they never go out as whoever signs in
     * next on this device) and signs out, locally even when the server cannot be reached.
     */
    async logout(): Promise<void> {
      realtime.close();
      await outbox.clear();
      await rest.auth.logout();
    },
  };
}

export type ParleyClient = ReturnType<typeof createParleyClient>;
