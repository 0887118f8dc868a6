import { ParleyError } from '@parley/client';
import type { GuestSession, StartGuestBody } from '@parley/protocol';
import { describe, expect, it, vi } from 'vitest';
import type { FrameStorage } from './frame-storage';
import { GuestSessions } from './guest-session';
import type { WidgetApi } from './widget-api';

const KEY = 'wk_test';
const STORED = `parley.widget.${KEY}.guest`;

function memory(initial: Record<string, string> = {}): FrameStorage & { items: Map<string, string> } {
  const items = new Map(Object.entries(initial));
  return {
    items,
    get: (key) => items.get(key) ?? null,
    set: (key, value) => void items.set(key, value),
    remove: (key) => void items.delete(key),
  };
}

const session = (userId: string, n = 1): GuestSession => ({
  accessToken: `access-${userId}-${n}`,
  expiresIn: 900,
  guestToken: `g1.${userId}`,
  user: { id: userId, displayName: 'Visitor' },
  look: { name: 'Shop', greeting: null, workspaceName: 'Acme', accentColor: null, logoUrl: null },
});

/** A server that knows the guest tokens in `known`; a proof makes a new guest. */
function fakeApi(known: Set<string>) {
  const sent: StartGuestBody[] = [];
  let n = 0;
  const api = {
    challenge: vi.fn(async () => ({ challenge: 'c', difficulty: 0 })),
    startSession: vi.fn(async (body: StartGuestBody) => {
      sent.push(body);
      if (body.guestToken) {
        if (!known.has(body.guestToken)) throw new ParleyError(401, 'unauthorized', 'Not known');
        return session(body.guestToken.slice(3), ++n);
      }
      if (!body.proof) throw new ParleyError(400, 'validation_failed', 'Needs a proof');
      known.add('g1.new');
      return session('new', ++n);
    }),
  } as unknown as WidgetApi;
  return { api, sent };
}

describe('guest sessions', () => {
  it('come back as the stored guest without a proof, passing the identity and the pre-chat details', async () => {
    const { api, sent } = fakeApi(new Set(['g1.ann']));
    const storage = memory({ [STORED]: 'g1.ann' });
    const identity = { userId: '42', hash: 'ab'.repeat(32) };
    const sessions = new GuestSessions(api, KEY, identity, storage, () => {});
    expect((await sessions.start()).user.id).toBe('ann');
    await sessions.renew({ name: 'Ann', email: 'ann@example.com' });
    expect(api.challenge).not.toHaveBeenCalled();
    expect(sent).toEqual([
      { key: KEY, identity, guestToken: 'g1.ann' },
      { key: KEY, identity, guestToken: 'g1.ann', name: 'Ann', email: 'ann@example.com' },
    ]);
  });

  it('drop a refused guest token and start over as a new guest with a proof of work', async () => {
    const { api, sent } = fakeApi(new Set());
    const storage = memory({ [STORED]: 'g1.gone' });
    const seen: string[] = [];
    const sessions = new GuestSessions(api, KEY, null, storage, (s) => seen.push(s.user.id));
    expect((await sessions.start()).user.id).toBe('new');
    expect(sent[1]).toEqual({ key: KEY, proof: { challenge: 'c', nonce: '0' } });
    expect(storage.items.get(STORED)).toBe('g1.new');
    expect(seen).toEqual(['new']);
  });

  it('share one request between callers, and renew the access token once when a call is refused with 401', async () => {
    const { api } = fakeApi(new Set(['g1.ann']));
    const sessions = new GuestSessions(api, KEY, null, memory({ [STORED]: 'g1.ann' }), () => {});
    await Promise.all([sessions.start(), sessions.start(), sessions.token()]);
    expect(api.startSession).toHaveBeenCalledTimes(1);
    const tokens: string[] = [];
    const result = await sessions.authed(async (token) => {
      tokens.push(token);
      if (tokens.length === 1) throw new ParleyError(401, 'unauthorized', 'Expired');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(tokens).toEqual(['access-ann-1', 'access-ann-2']);
  });
});
