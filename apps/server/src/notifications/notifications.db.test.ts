import type { FriendRequest, NotificationPage, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';

describe(`notifications on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let ann: Session, bob: Session, cid: Session, dot: Session;
  /** Ids of Ann's notifications, newest first. */
  let annsIds: string[];

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    ann = await signUp(t, 'customer', { displayName: 'Ann' });
    bob = await signUp(t, 'customer', { displayName: 'Bob' });
    cid = await signUp(t, 'customer', { displayName: 'Cid' });
    dot = await signUp(t, 'customer', { displayName: 'Dot' });
  });
  afterAll(() => t.close());

  const page = async (who: Session, query = '') => {
    const response = await as(t, who).get(`/notifications${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<NotificationPage>();
  };
  const ask = async (from: Session, to: Session) => {
    clock.advance(1000);
    return (await as(t, from).post('/friend-requests', { userId: to.user.id })).json<FriendRequest>();
  };

  it('starts empty', async () => {
    expect(await page(ann)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it('tells of requests received and accepted, newest first, to their user only', async () => {
    const fromBob = await ask(bob, ann);
    const fromCid = await ask(cid, ann);
    const toDot = await ask(ann, dot);
    clock.advance(1000);
    await as(t, dot).post(`/friend-requests/${toDot.id}/accept`);
    const acceptedAt = new Date(clock.now()).toISOString();

    const anns = await page(ann);
    expect(anns.unreadCount).toBe(3);
    expect(anns.nextCursor).toBeNull();
    const entry = (kind: string, data: object, from: Session, at: string) => ({
      id: expect.any(String),
      kind,
      conversationId: null,
      ticketId: null,
      subject: null,
      sender: { id: from.user.id, displayName: from.user.displayName, bot: false },
      preview: null,
      count: 1,
      data,
      createdAt: at,
      updatedAt: at,
      readAt: null,
    });
    expect(anns.items).toEqual([
      entry('friend_request.accepted', { requestId: toDot.id, byUserId: dot.user.id }, dot, acceptedAt),
      entry('friend_request.received', { requestId: fromCid.id, fromUserId: cid.user.id }, cid, fromCid.createdAt),
      entry('friend_request.received', { requestId: fromBob.id, fromUserId: bob.user.id }, bob, fromBob.createdAt),
    ]);
    annsIds = anns.items.map((n) => n.id);
    expect((await page(dot)).items.map((n) => n.kind)).toEqual(['friend_request.received']);
    expect(await page(bob)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
  });

  it('pages through with a cursor; unreadCount counts them all', async () => {
    const first = await page(ann, '?limit=2');
    expect(first.items.map((n) => n.id)).toEqual(annsIds.slice(0, 2));
    expect(first.unreadCount).toBe(3);
    const second = await page(ann, `?limit=2&cursor=${first.nextCursor}`);
    expect(second).toMatchObject({ nextCursor: null, unreadCount: 3 });
    expect(second.items.map((n) => n.id)).toEqual(annsIds.slice(2));
    expect((await as(t, ann).get('/notifications?cursor=nope')).statusCode).toBe(400);
    expect((await as(t, ann).get('/notifications?limit=0')).statusCode).toBe(400);
    expect((await as(t, ann).get('/notifications?unread=maybe')).statusCode).toBe(400);
  });

  it('marks one read; unread=true then leaves it out', async () => {
    clock.advance(1000);
    const read = await as(t, ann).post(`/notifications/${annsIds[1]}/read`);
    expect(read.statusCode).toBe(204);
    const all = await page(ann);
    expect(all.unreadCount).toBe(2);
    expect(all.items[1]!.readAt).toBe(new Date(clock.now()).toISOString());
    expect((await page(ann, '?unread=true')).items.map((n) => n.id)).toEqual([annsIds[0], annsIds[2]]);
    expect((await page(ann, '?unread=false')).items.map((n) => n.id)).toEqual([annsIds[1]]);

    // Again is fine, and keeps the first time it was read.
    clock.advance(1000);
    expect((await as(t, ann).post(`/notifications/${annsIds[1]}/read`)).statusCode).toBe(204);
    expect((await page(ann)).items[1]!.readAt).toBe(new Date(clock.now() - 1000).toISOString());
  });

  it("someone else's notification does not exist for you", async () => {
    for (const id of [annsIds[0]!, '01JZZZZZZZZZZZZZZZZZZZZZZZ']) {
      const response = await as(t, bob).post(`/notifications/${id}/read`);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
    }
    expect((await page(ann)).unreadCount).toBe(2);
  });

  it('marks all read, touching only your own', async () => {
    expect((await as(t, ann).post('/notifications/read-all')).statusCode).toBe(204);
    expect(await page(ann, '?unread=true')).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect((await page(ann)).items.every((n) => n.readAt !== null)).toBe(true);
    expect((await page(dot)).unreadCount).toBe(1);
  });

  it('needs a signed-in user', async () => {
    for (const [method, url] of [
      ['GET', '/notifications'],
      ['POST', '/notifications/read-all'],
      ['POST', `/notifications/${annsIds[0]}/read`],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode).toBe(401);
    }
  });
});
