import type { BlockedUserPage, ContactPage, FriendRequest, FriendRequestPage, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';

const NOBODY = '01JZZZZZZZZZZZZZZZZZZZZZZZ';

describe(`contacts, friend requests and blocks on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  /** Customers. */
  let ann: Session, bob: Session, cid: Session, dot: Session, eve: Session;
  let agent: Session;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    ann = await signUp(t, 'customer', { displayName: 'Ann' });
    bob = await signUp(t, 'customer', { displayName: 'Bob' });
    cid = await signUp(t, 'customer', { displayName: 'Cid' });
    dot = await signUp(t, 'customer', { displayName: 'Dot' });
    eve = await signUp(t, 'customer', { displayName: 'Eve' });
    agent = await signUp(t, 'agent', { displayName: 'Agent Al' });
  });
  afterAll(() => t.close());

  const ask = async (from: Session, to: Session) => {
    clock.advance(1000);
    return as(t, from).post('/friend-requests', { userId: to.user.id });
  };
  const answer = (who: Session, request: FriendRequest, verb: 'accept' | 'decline' | 'cancel') =>
    as(t, who).post(`/friend-requests/${request.id}/${verb}`);
  const requests = async (who: Session, query = '') =>
    (await as(t, who).get(`/friend-requests${query}`)).json<FriendRequestPage>();
  const contactsOf = async (who: Session, query = '') =>
    (await as(t, who).get(`/contacts${query}`)).json<ContactPage>();
  const contactIds = async (who: Session) => (await contactsOf(who)).items.map((c) => c.user.id);
  const block = (who: Session, target: string) => {
    clock.advance(1000);
    return t.app.inject({ method: 'PUT', url: `/blocks/${target}`, headers: bearer(who) });
  };
  const dm = (from: Session, to: Session) => as(t, from).post('/conversations/direct', { userId: to.user.id });
  const kindsFor = async (who: Session) =>
    (await as(t, who).get('/notifications')).json<{ items: { kind: string; data: unknown }[] }>().items;

  /** Makes the two contacts through the API. */
  const befriend = async (a: Session, b: Session) => {
    const request = (await ask(a, b)).json<FriendRequest>();
    expect((await answer(b, request, 'accept')).statusCode).toBe(200);
  };

  describe('asking someone to be a contact', () => {
    let request: FriendRequest;

    it('the recipient sees it incoming and is notified; the sender sees it outgoing', async () => {
      const response = await ask(ann, bob);
      expect(response.statusCode).toBe(201);
      request = response.json<FriendRequest>();
      expect(request).toMatchObject({
        fromUser: { id: ann.user.id, displayName: 'Ann' },
        toUser: { id: bob.user.id, displayName: 'Bob' },
        status: 'pending',
        createdAt: new Date(clock.now()).toISOString(),
        respondedAt: null,
      });
      expect(request.fromUser).not.toHaveProperty('email');

      expect((await requests(bob)).items.map((r) => r.id)).toEqual([request.id]);
      expect((await requests(bob, '?direction=incoming&status=pending')).items.map((r) => r.id)).toEqual([request.id]);
      expect((await requests(bob, '?direction=outgoing')).items).toEqual([]);
      expect((await requests(ann, '?direction=outgoing')).items).toEqual([request]);
      expect((await requests(ann)).items).toEqual([]);
      expect(await kindsFor(bob)).toEqual([
        {
          id: expect.any(String),
          kind: 'friend_request.received',
          conversationId: null,
          ticketId: null,
          subject: null,
          sender: { id: ann.user.id, displayName: ann.user.displayName, bot: false },
          preview: null,
          count: 1,
          data: { requestId: request.id, fromUserId: ann.user.id },
          createdAt: request.createdAt,
          updatedAt: request.createdAt,
          readAt: null,
        },
      ]);
      expect(await kindsFor(ann)).toEqual([]);
    });

    it('cannot be repeated while pending, from either side', async () => {
      for (const response of [await ask(ann, bob), await ask(bob, ann)]) {
        expect(response.statusCode).toBe(409);
        expect(response.json().error.code).toBe('conflict');
      }
      expect((await requests(bob)).items).toHaveLength(1);
    });

    it('cannot go to yourself, to nobody, or to a deactivated user', async () => {
      const self = await ask(ann, ann);
      expect(self.statusCode).toBe(400);
      expect(self.json().error).toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'userId' }] } });
      expect((await as(t, ann).post('/friend-requests', { userId: NOBODY })).statusCode).toBe(404);
      expect((await as(t, ann).post('/friend-requests', { userId: 'not-an-id' })).statusCode).toBe(400);
      await t.database.db
        .updateTable('users')
        .set({ deactivatedAt: clock.now() })
        .where('id', '=', eve.user.id)
        .execute();
      try {
        expect((await ask(ann, eve)).statusCode).toBe(404);
      } finally {
        await t.database.db.updateTable('users').set({ deactivatedAt: null }).where('id', '=', eve.user.id).execute();
      }
    });

    it('is invisible to a third party, who can neither see nor answer it', async () => {
      for (const verb of ['accept', 'decline', 'cancel'] as const) {
        const response = await answer(cid, request, verb);
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('not_found');
      }
      expect((await requests(cid)).items).toEqual([]);
      expect((await requests(cid, '?direction=outgoing')).items).toEqual([]);
      expect((await as(t, ann).post(`/friend-requests/${NOBODY}/accept`)).statusCode).toBe(404);
    });

    it('is answered by the right side only: the sender cannot accept or decline, the recipient cannot cancel', async () => {
      for (const response of [
        await answer(ann, request, 'accept'),
        await answer(ann, request, 'decline'),
        await answer(bob, request, 'cancel'),
      ]) {
        expect(response.statusCode).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
      expect((await requests(bob)).items.map((r) => r.status)).toEqual(['pending']);
    });

    it('once accepted, makes both contacts of each other and tells the sender', async () => {
      clock.advance(5000);
      const accepted = await answer(bob, request, 'accept');
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({
        id: request.id,
        status: 'accepted',
        respondedAt: new Date(clock.now()).toISOString(),
      });

      expect(await contactIds(ann)).toEqual([bob.user.id]);
      expect(await contactIds(bob)).toEqual([ann.user.id]);
      expect((await contactsOf(ann)).items[0]).toMatchObject({
        user: { id: bob.user.id, displayName: 'Bob' },
        since: new Date(clock.now()).toISOString(),
      });
      expect((await kindsFor(ann)).map((n) => [n.kind, n.data])).toEqual([
        ['friend_request.accepted', { requestId: request.id, byUserId: bob.user.id }],
      ]);
      expect((await requests(bob)).items).toEqual([]);
      expect((await requests(bob, '?status=accepted')).items.map((r) => r.id)).toEqual([request.id]);
    });

    it('cannot be answered twice, and contacts cannot ask each other again', async () => {
      for (const verb of ['accept', 'decline'] as const) {
        const again = await answer(bob, request, verb);
        expect(again.statusCode).toBe(409);
        expect(again.json().error.message).toMatch(/accepted/);
      }
      expect((await answer(ann, request, 'cancel')).statusCode).toBe(409);
      for (const response of [await ask(ann, bob), await ask(bob, ann)]) {
        expect(response.statusCode).toBe(409);
        expect(response.json().error.message).toMatch(/already contacts/);
      }
    });
  });

  describe('declining and cancelling', () => {
    it('a declined request leaves no contact, and the sender may ask again', async () => {
      const first = (await ask(cid, ann)).json<FriendRequest>();
      const declined = await answer(ann, first, 'decline');
      expect(declined.statusCode).toBe(200);
      expect(declined.json()).toMatchObject({ status: 'declined', respondedAt: new Date(clock.now()).toISOString() });
      expect(await contactIds(cid)).toEqual([]);
      expect(await contactIds(ann)).toEqual([bob.user.id]);
      expect((await kindsFor(cid)).map((n) => n.kind)).toEqual([]);
      expect((await requests(cid, '?direction=outgoing&status=declined')).items.map((r) => r.id)).toEqual([first.id]);

      const second = await ask(cid, ann);
      expect(second.statusCode).toBe(201);
      expect((await answer(cid, second.json(), 'cancel')).json()).toMatchObject({ status: 'cancelled' });
      expect((await answer(cid, second.json(), 'cancel')).statusCode).toBe(409);
      expect((await answer(ann, second.json(), 'accept')).statusCode).toBe(409);
      expect((await requests(ann)).items).toEqual([]);
      expect(await contactIds(cid)).toEqual([]);
    });

    it('two users asking each other at once get one request, and the other a 409', async () => {
      const [one, two] = await Promise.all([
        as(t, dot).post('/friend-requests', { userId: eve.user.id }),
        as(t, eve).post('/friend-requests', { userId: dot.user.id }),
      ]);
      expect([one.statusCode, two.statusCode].sort()).toEqual([201, 409]);
      const pending = [...(await requests(dot)).items, ...(await requests(eve)).items];
      expect(pending).toHaveLength(1);
      const request = pending[0]!;
      const recipient = request.toUser.id === dot.user.id ? dot : eve;
      expect((await answer(recipient, request, 'decline')).statusCode).toBe(200);
    });
  });

  describe('contacts', () => {
    it('list newest first, a page at a time', async () => {
      await befriend(cid, ann);
      await befriend(ann, dot);
      expect(await contactIds(ann)).toEqual([dot.user.id, cid.user.id, bob.user.id]);
      const first = await contactsOf(ann, '?limit=2');
      expect(first.items.map((c) => c.user.id)).toEqual([dot.user.id, cid.user.id]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await contactsOf(ann, `?limit=2&cursor=${first.nextCursor}`);
      expect(second).toEqual({
        items: [expect.objectContaining({ user: expect.objectContaining({ id: bob.user.id }) })],
        nextCursor: null,
      });
      expect((await as(t, ann).get('/contacts?cursor=garbage')).statusCode).toBe(400);
    });

    it('let customers message each other; removing one ends it for both', async () => {
      expect((await dm(ann, dot)).statusCode).toBe(201);
      const removed = await as(t, dot).delete(`/contacts/${ann.user.id}`);
      expect(removed.statusCode).toBe(204);
      expect(await contactIds(dot)).toEqual([]);
      expect(await contactIds(ann)).toEqual([cid.user.id, bob.user.id]);
      expect((await dm(ann, dot)).statusCode).toBe(403);
      expect((await as(t, dot).delete(`/contacts/${ann.user.id}`)).statusCode).toBe(404);
      expect((await as(t, ann).delete(`/contacts/${dot.user.id}`)).statusCode).toBe(404);
      expect((await as(t, eve).delete(`/contacts/${ann.user.id}`)).statusCode).toBe(404);
    });
  });

  describe('blocking', () => {
    let pending: FriendRequest;
    let lastBlockedAt: number;

    it('ends the contact, cancels pending requests between the two, and stops requests and messages both ways', async () => {
      expect((await dm(ann, bob)).statusCode).toBe(201);
      expect((await dm(agent, bob)).statusCode).toBe(201);
      pending = (await ask(dot, bob)).json<FriendRequest>();
      const other = (await ask(eve, bob)).json<FriendRequest>();

      expect((await block(bob, ann.user.id)).statusCode).toBe(204);
      expect((await block(bob, dot.user.id)).statusCode).toBe(204);
      expect((await block(bob, agent.user.id)).statusCode).toBe(204);
      lastBlockedAt = clock.now();

      expect(await contactIds(bob)).toEqual([]);
      expect(await contactIds(ann)).toEqual([cid.user.id]);
      expect((await requests(dot, '?direction=outgoing&status=cancelled')).items.map((r) => r.id)).toEqual([
        pending.id,
      ]);
      expect((await answer(bob, pending, 'accept')).statusCode).toBe(409);
      expect((await requests(bob)).items.map((r) => r.id)).toEqual([other.id]);

      // The block looks like an unknown user, whichever side asks.
      for (const response of [
        await ask(ann, bob),
        await ask(bob, ann),
        await ask(dot, bob),
        await dm(ann, bob),
        await dm(bob, ann),
        await dm(agent, bob),
        await dm(bob, agent),
      ]) {
        expect(response.statusCode).toBe(404);
        expect(response.json().error).toMatchObject({ code: 'not_found', message: 'User not found' });
      }
    });

    it('lists the blocked users, newest first', async () => {
      const page = (await as(t, bob).get('/blocks')).json<BlockedUserPage>();
      expect(page.items.map((b) => b.user.id)).toEqual([agent.user.id, dot.user.id, ann.user.id]);
      expect(page.items[0]!.since).toBe(new Date(lastBlockedAt).toISOString());
      expect(page.nextCursor).toBeNull();
      const first = (await as(t, bob).get('/blocks?limit=2')).json<BlockedUserPage>();
      const rest = (await as(t, bob).get(`/blocks?limit=2&cursor=${first.nextCursor}`)).json<BlockedUserPage>();
      expect([...first.items, ...rest.items].map((b) => b.user.id)).toEqual(page.items.map((b) => b.user.id));
      expect((await as(t, ann).get('/blocks')).json()).toEqual({ items: [], nextCursor: null });
    });

    it('is idempotent, and refuses yourself or nobody', async () => {
      expect((await block(bob, ann.user.id)).statusCode).toBe(204);
      expect((await as(t, bob).get('/blocks')).json<BlockedUserPage>().items).toHaveLength(3);
      const self = await block(bob, bob.user.id);
      expect(self.statusCode).toBe(400);
      expect(self.json().error.code).toBe('validation_failed');
      expect((await block(bob, NOBODY)).statusCode).toBe(404);
    });

    it('undone, lets them ask again but does not restore the contact', async () => {
      expect((await as(t, bob).delete(`/blocks/${ann.user.id}`)).statusCode).toBe(204);
      expect((await as(t, bob).delete(`/blocks/${ann.user.id}`)).statusCode).toBe(404);
      // Only the blocker can lift a block.
      expect((await as(t, dot).delete(`/blocks/${bob.user.id}`)).statusCode).toBe(404);
      expect(await contactIds(bob)).toEqual([]);
      expect((await dm(ann, bob)).statusCode).toBe(403);
      expect((await dm(agent, bob)).statusCode).toBe(404);
      const again = await ask(ann, bob);
      expect(again.statusCode).toBe(201);
      expect((await answer(bob, again.json(), 'accept')).statusCode).toBe(200);
      expect((await dm(ann, bob)).statusCode).toBe(200);
    });
  });

  it('every route needs a signed-in user', async () => {
    for (const [method, url] of [
      ['GET', '/friend-requests'],
      ['POST', `/friend-requests/${NOBODY}/accept`],
      ['GET', '/contacts'],
      ['DELETE', `/contacts/${NOBODY}`],
      ['GET', '/blocks'],
      ['PUT', `/blocks/${NOBODY}`],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode).toBe(401);
    }
  });
});
