import { ParleyError } from '@parley/client';
import type { GuestSession, StartGuestBody } from '@parley/protocol';
import type { FrameStorage } from './frame-storage';
import { solveChallenge } from './proof-of-work';
import type { WidgetApi } from './widget-api';

export interface GuestDetails {
  name?: string;
  email?: string;
}

/** An access token this close to its end is renewed before use rather than sent. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * The visitor's guest session. A guest token kept in storage brings the same guest back (no
 * puzzle to solve); a new visitor first solves the server's proof of work. The access token it
 * gives is short-lived; the guest token renews it.
 */
export class GuestSessions {
  private current: GuestSession | null = null;
  private expiresAt = 0;
  private pending: Promise<GuestSession> | null = null;
  private readonly storageKey: string;

  constructor(
    private readonly api: WidgetApi,
    private readonly key: string,
    private readonly identity: StartGuestBody['identity'] | null,
    private readonly storage: FrameStorage,
    /** A session began or was renewed; a different `user.id` means a new guest (the old one was refused). */
    private readonly onSession: (session: GuestSession) => void,
  ) {
    this.storageKey = `parley.widget.${key}.guest`;
  }

  get session(): GuestSession | null {
    return this.current;
  }

  hasStoredGuest(): boolean {
    return this.storage.get(this.storageKey) !== null;
  }

  /** The session, begun if need be (one request at a time; callers share it). */
  start(): Promise<GuestSession> {
    if (this.current) return Promise.resolve(this.current);
    return this.begin();
  }

  /**
   * A new access token (and, with `details`, the name and email from the pre-chat form saved):
   * `POST /widget/sessions` with the guest token. A refused guest token is dropped and a new
   * guest starts, with a proof of work.
   */
  renew(details?: GuestDetails): Promise<GuestSession> {
    return this.begin(details, true);
  }

  /** A token for a call now: the current one, or a renewed one when it is about to run out. */
  async token(): Promise<string> {
    if (this.current && Date.now() < this.expiresAt - EXPIRY_MARGIN_MS) return this.current.accessToken;
    return (await (this.current ? this.renew() : this.start())).accessToken;
  }

  /** Calls with the access token; a 401 (expired, revoked) renews it and calls once more. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(await this.token());
    } catch (error) {
      if (!(error instanceof ParleyError) || error.status !== 401) throw error;
      return call((await this.renew()).accessToken);
    }
  }

  private begin(details?: GuestDetails, force = false): Promise<GuestSession> {
    // A renewal asked for while another request runs waits for it, then goes itself (it may carry details).
    const previous = this.pending;
    const next = (async () => {
      if (previous) {
        const session = await previous.catch(() => null);
        if (session && !force) return session;
      }
      return this.request(details);
    })();
    this.pending = next;
    const clear = () => {
      if (this.pending === next) this.pending = null;
    };
    next.then(clear, clear);
    return next;
  }

  private async request(details?: GuestDetails): Promise<GuestSession> {
    const base: StartGuestBody = {
      key: this.key,
      ...(this.identity && { identity: this.identity }),
      ...(details?.name && { name: details.name }),
      ...(details?.email && { email: details.email }),
    };
    const guestToken = this.storage.get(this.storageKey);
    let session: GuestSession | null = null;
    if (guestToken) {
      try {
        session = await this.api.startSession({ ...base, guestToken });
      } catch (error) {
        if (!(error instanceof ParleyError) || error.status !== 401) throw error;
        this.storage.remove(this.storageKey); // this guest is gone: start over as a new one
      }
    }
    session ??= await this.startWithProof(base);
    this.storage.set(this.storageKey, session.guestToken);
    this.current = session;
    this.expiresAt = Date.now() + session.expiresIn * 1000;
    this.onSession(session);
    return session;
  }

  private async startWithProof(base: StartGuestBody): Promise<GuestSession> {
    for (let attempt = 1; ; attempt++) {
      const { challenge, difficulty } = await this.api.challenge(this.key);
      const nonce = await solveChallenge(challenge, difficulty);
      try {
        return await this.api.startSession({ ...base, proof: { challenge, nonce } });
      } catch (error) {
        // A challenge that ran out while solving (a slow phone) is worth one more try.
        const refused =
          error instanceof ParleyError &&
          error.code === 'validation_failed' &&
          !!error.details?.fields?.some((field) => field.path === 'proof');
        if (attempt >= 2 || !refused) throw error;
      }
    }
  }
}
