import type { BlockedUserPage, ContactPage, FriendRequest, FriendRequestPage, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, joinWorkspace } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, setUpTwoDesks } from '../testing/test-desk';

/**
 * Contacts, friend requests and blocks belong to a workspace: the default one's (A) are nowhere
 * to be seen from Acme (B), not even by the same person signed in there.
 */
describe(`contacts across workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;
  /** Kim and Dan of A, also members of Acme, signed in there. */
  let kimAtAcme: Session, danAtAcme: Session;
  /** Dan's request to Kim, in A. */
  let pendingInA: FriendRequest;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));

    // In A: Sam and Kim are contacts, Dan waits for Kim's answer, and Kim blocked Otto.
    const samToKim = (await as(t, a.sam).post('/friend-requests', { userId: a.kim.user.id })).json<FriendRequest>();
    expect((await as(t, a.kim).post(`/friend-requests/${samToKim.id}/accept`)).statusCode).toBe(200);
    pendingInA = (await as(t, a.dan).post('/friend-requests', { userId: a.kim.user.id })).json<FriendRequest>();
    expect((await as(t, a.kim).put(`/blocks/${a.otto.user.id}`)).statusCode).toBe(204);

    kimAtAcme = await joinWorkspace(t, a.kim, 'acme', 'agent');
    danAtAcme = await joinWorkspace(t, a.dan, 'acme', 'customer');
  });
  afterAll(() => t.close());

  const contactIds = async (who: Session) =>
    (await as(t, who).get('/contacts')).json<ContactPage>().items.map((c) => c.user.id);
  const blockedIds = async (who: Session) =>
    (await as(t, who).get('/blocks')).json<BlockedUserPage>().items.map((c) => c.user.id);
  const requestIds = async (who: Session, direction: 'incoming' | 'outgoing') =>
    (await as(t, who).get(`/friend-requests?direction=${direction}`)).json<FriendRequestPage>().items.map((r) => r.id);

  it("shows none of A's contacts, requests or blocks to the same person signed in to B", async () => {
    expect(await contactIds(kimAtAcme)).toEqual([]);
    expect(await blockedIds(kimAtAcme)).toEqual([]);
    expect(await requestIds(kimAtAcme, 'incoming')).toEqual([]);
    expect(await requestIds(danAtAcme, 'outgoing')).toEqual([]);
    // ...while A still shows them.
    expect(await contactIds(a.kim)).toEqual([a.sam.user.id]);
    expect(await blockedIds(a.kim)).toEqual([a.otto.user.id]);
    expect(await requestIds(a.kim, 'incoming')).toEqual([pendingInA.id]);
  });

  it("answers 404 on A's requests and people for every route, from a token of B", async () => {
    for (const verb of ['accept', 'decline']) {
      expect((await as(t, kimAtAcme).post(`/friend-requests/${pendingInA.id}/${verb}`)).statusCode).toBe(404);
    }
    expect((await as(t, danAtAcme).post(`/friend-requests/${pendingInA.id}/cancel`)).statusCode).toBe(404);
    expect((await as(t, b.carla).post('/friend-requests', { userId: a.carla.user.id })).statusCode).toBe(404);
    expect((await as(t, kimAtAcme).delete(`/contacts/${a.sam.user.id}`)).statusCode).toBe(404);
    expect((await as(t, kimAtAcme).put(`/blocks/${a.otto.user.id}`)).statusCode).toBe(404);
    expect((await as(t, kimAtAcme).delete(`/blocks/${a.otto.user.id}`)).statusCode).toBe(404);
    // None of it touched A.
    expect(await contactIds(a.kim)).toEqual([a.sam.user.id]);
    expect(await blockedIds(a.kim)).toEqual([a.otto.user.id]);
    expect((await as(t, a.kim).get('/friend-requests')).json<FriendRequestPage>().items[0]?.status).toBe('pending');
  });

  it('lets the same two people be asked, linked and blocked in B on their own', async () => {
    // A request of the same pair is pending in A: that is no conflict in B.
    const asked = await as(t, danAtAcme).post('/friend-requests', { userId: a.kim.user.id });
    expect(asked.statusCode).toBe(201);
    expect((await as(t, kimAtAcme).post(`/friend-requests/${asked.json<FriendRequest>().id}/accept`)).statusCode).toBe(
      200,
    );
    expect(await contactIds(kimAtAcme)).toEqual([a.dan.user.id]);
    expect(await contactIds(a.kim)).toEqual([a.sam.user.id]);

    expect((await as(t, kimAtAcme).put(`/blocks/${a.dan.user.id}`)).statusCode).toBe(204);
    expect(await contactIds(kimAtAcme)).toEqual([]);
    // In A, Dan's request is still pending and Kim has not blocked him.
    expect(await requestIds(a.kim, 'incoming')).toEqual([pendingInA.id]);
    expect(await blockedIds(a.kim)).toEqual([a.otto.user.id]);
    expect(await blockedIds(kimAtAcme)).toEqual([a.dan.user.id]);
  });
});
