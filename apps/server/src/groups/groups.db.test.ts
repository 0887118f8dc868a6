import type { Conversation, ErrorBody, FriendRequest, Message, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

/** [RT-GROUPS] Named group conversations: who may make them, change them, and read them. */
describe(`group conversations on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  let n = 0;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await t?.close();
  });

  const socketOf = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };
  const createGroup = async (who: Session, body: object) => {
    const answer = await as(t, who).post('/conversations/groups', body);
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Conversation>();
  };
  const send = async (who: Session, conversationId: string, body: string) => {
    const answer = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `g-${++n}`,
      body,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Message>();
  };
  const history = async (who: Session, conversationId: string) =>
    (await as(t, who).get(`/conversations/${conversationId}/messages?limit=100`)).json<{ items: Message[] }>().items;
  const lines = async (who: Session, conversationId: string) =>
    (await history(who, conversationId)).filter((m) => m.kind === 'system').map((m) => m.body);
  const befriend = async (a: Session, b: Session) => {
    const request = (await as(t, a).post('/friend-requests', { userId: b.user.id })).json<FriendRequest>();
    expect((await as(t, b).post(`/friend-requests/${request.id}/accept`)).statusCode).toBe(200);
  };

  it('an agent starts a named group with a topic: everyone in it sees it listed, live, with the creator as admin', async () => {
    const kimSocket = await socketOf(desk.kim);
    const group = await createGroup(desk.sam, {
      title: '  Launch crew ',
      topic: 'Friday release',
      memberIds: [desk.kim.user.id, desk.otto.user.id, desk.kim.user.id],
    });
    expect(group).toMatchObject({ kind: 'group', title: 'Launch crew', topic: 'Friday release', ticketId: null });
    expect(group.members.map((m) => m.displayName).sort()).toEqual(['Kim Agent', 'Otto Billing', 'Sam Agent']);
    expect(group.adminIds).toEqual([desk.sam.user.id]);
    // The creator read the opening lines; the others have them unread.
    expect(group.unreadCount).toBe(0);
    const live = await kimSocket.next('conversation.created', (f) => f.conversation.id === group.id);
    expect(live.conversation).toMatchObject({ title: 'Launch crew', unreadCount: 2 });
    const listed = (await as(t, desk.otto).get('/conversations')).json<{ items: Conversation[] }>().items;
    expect(listed.find((c) => c.id === group.id)).toMatchObject({ kind: 'group', topic: 'Friday release' });
    expect(await lines(desk.otto, group.id)).toEqual([
      'Sam Agent created the group "Launch crew"',
      'Sam Agent added Kim Agent, Otto Billing',
    ]);
    const [created] = await history(desk.otto, group.id);
    expect(created!.system).toEqual({
      event: 'group.created',
      actor: { id: desk.sam.user.id, name: 'Sam Agent' },
      params: { title: 'Launch crew' },
    });
  });

  it('refuses a group without a name, with nobody else, with yourself twice, or with people you may not add', async () => {
    const refused = async (who: Session, body: object, status: number) => {
      const answer = await as(t, who).post('/conversations/groups', body);
      expect(answer.statusCode, answer.body).toBe(status);
      return answer.json<ErrorBody>().error;
    };
    expect((await refused(desk.sam, { title: ' ', memberIds: [desk.kim.user.id] }, 400)).code).toBe(
      'validation_failed',
    );
    await refused(desk.sam, { title: 'Alone', memberIds: [] }, 400);
    const self = await refused(desk.sam, { title: 'Me', memberIds: [desk.kim.user.id, desk.sam.user.id] }, 400);
    expect(self.details?.fields).toEqual([expect.objectContaining({ path: 'memberIds.1' })]);
    // A customer adds contacts only; anyone else reads as nobody (not as "exists, not yours").
    const notContact = await refused(desk.carla, { title: 'Us', memberIds: [desk.dan.user.id] }, 400);
    const unknown = await refused(desk.carla, { title: 'Us', memberIds: ['01J00000000000000000000000'] }, 400);
    expect(notContact.details?.fields?.[0]?.message).toBe(unknown.details?.fields?.[0]?.message);
    await befriend(desk.carla, desk.dan);
    const ours = await createGroup(desk.carla, { title: 'Carla and Dan', memberIds: [desk.dan.user.id] });
    expect(ours.adminIds).toEqual([desk.carla.user.id]);
    // Someone who blocked the creator cannot be put in their group.
    expect((await as(t, desk.otto).put(`/blocks/${desk.kim.user.id}`)).statusCode).toBe(204);
    const blocked = await refused(desk.kim, { title: 'No', memberIds: [desk.otto.user.id] }, 400);
    expect(blocked.details?.fields?.[0]?.path).toBe('memberIds.0');
    expect((await as(t, desk.otto).delete(`/blocks/${desk.kim.user.id}`)).statusCode).toBe(204);
  });

  it('any member renames it or sets the topic; each change is a line in the thread and reaches every member live', async () => {
    const group = await createGroup(desk.sam, { title: 'Ops', memberIds: [desk.kim.user.id, desk.otto.user.id] });
    const ottoSocket = await socketOf(desk.otto);
    const renamed = await as(t, desk.kim).patch(`/conversations/${group.id}`, { title: 'Ops room', topic: 'On call' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json<Conversation>()).toMatchObject({ title: 'Ops room', topic: 'On call' });
    const live = await ottoSocket.next('conversation.updated', (f) => f.conversation.id === group.id);
    expect(live.conversation).toMatchObject({ title: 'Ops room', topic: 'On call', adminIds: [desk.sam.user.id] });
    expect((await as(t, desk.kim).patch(`/conversations/${group.id}`, { topic: '' })).json<Conversation>().topic).toBe(
      null,
    );
    // The same name again changes nothing and says nothing.
    await as(t, desk.kim).patch(`/conversations/${group.id}`, { title: 'Ops room' });
    expect(await lines(desk.otto, group.id)).toEqual([
      'Sam Agent created the group "Ops"',
      'Sam Agent added Kim Agent, Otto Billing',
      'Kim Agent renamed the group to "Ops room"',
      'Kim Agent set the topic to "On call"',
      'Kim Agent cleared the topic',
    ]);
    // Only groups have names to change: a ticket thread or direct chat does not exist as one.
    const direct = (
      await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id })
    ).json<Conversation>();
    expect((await as(t, desk.sam).patch(`/conversations/${direct.id}`, { title: 'X' })).statusCode).toBe(404);
    // An outsider learns nothing about the group.
    expect((await as(t, desk.dan).patch(`/conversations/${group.id}`, { title: 'Mine' })).statusCode).toBe(404);
  });

  it('only admins add and remove; a new member sees the history, and an admin can hand on the role', async () => {
    const group = await createGroup(desk.sam, { title: 'Billing help', memberIds: [desk.kim.user.id] });
    await send(desk.sam, group.id, 'Who knows invoices?');
    const notAdmin = await as(t, desk.kim).post(`/conversations/${group.id}/members`, { userIds: [desk.otto.user.id] });
    expect(notAdmin.statusCode).toBe(403);
    expect((await as(t, desk.kim).delete(`/conversations/${group.id}/members/${desk.sam.user.id}`)).statusCode).toBe(
      403,
    );
    const ottoSocket = await socketOf(desk.otto);
    const added = await as(t, desk.sam).post(`/conversations/${group.id}/members`, {
      userIds: [desk.otto.user.id, desk.kim.user.id],
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json<Conversation>().members).toHaveLength(3);
    const created = await ottoSocket.next('conversation.created', (f) => f.conversation.id === group.id);
    expect(created.conversation.lastMessage?.body).toBe('Sam Agent added Otto Billing');
    expect((await history(desk.otto, group.id)).map((m) => m.body)).toContain('Who knows invoices?');

    const promoted = await as(t, desk.sam).patch(`/conversations/${group.id}/members/${desk.kim.user.id}`, {
      admin: true,
    });
    expect(promoted.json<Conversation>().adminIds.sort()).toEqual([desk.sam.user.id, desk.kim.user.id].sort());
    expect(
      (await as(t, desk.kim).post(`/conversations/${group.id}/members`, { userIds: [desk.admin.user.id] })).statusCode,
    ).toBe(200);
    // The last admin cannot step down (somebody must be able to add people).
    await as(t, desk.kim).patch(`/conversations/${group.id}/members/${desk.sam.user.id}`, { admin: false });
    const last = await as(t, desk.kim).patch(`/conversations/${group.id}/members/${desk.kim.user.id}`, {
      admin: false,
    });
    expect(last.statusCode).toBe(409);
    expect((await lines(desk.sam, group.id)).slice(-3)).toEqual([
      'Sam Agent made Kim Agent an admin',
      `Kim Agent added ${desk.admin.user.displayName}`,
      'Kim Agent made Sam Agent a member',
    ]);
  });

  it('a removed member loses the group at once: no live messages, no history, not listed, no writing', async () => {
    const group = await createGroup(desk.sam, {
      title: 'Secret plans',
      memberIds: [desk.kim.user.id, desk.otto.user.id],
    });
    const ottoSocket = await socketOf(desk.otto);
    ottoSocket.send({ type: 'subscribe', conversationId: group.id });
    await ottoSocket.next('subscribed', (f) => f.conversationId === group.id);
    const otherOttoDevice = await socketOf(desk.otto); // not following it
    await send(desk.sam, group.id, 'Before');
    expect(
      (await ottoSocket.next('message', (f) => f.message.conversationId === group.id && f.message.body === 'Before'))
        .message.seq,
    ).toBeGreaterThan(0);

    expect((await as(t, desk.sam).delete(`/conversations/${group.id}/members/${desk.otto.user.id}`)).statusCode).toBe(
      204,
    );
    const removedLine = await ottoSocket.next('message', (f) => f.message.system?.event === 'group.member_removed');
    expect(removedLine.message.body).toBe('Sam Agent removed Otto Billing');
    await ottoSocket.next('unsubscribed', (f) => f.conversationId === group.id);
    await ottoSocket.next('conversation.removed', (f) => f.conversationId === group.id);
    await otherOttoDevice.next('conversation.removed', (f) => f.conversationId === group.id);

    const after = await send(desk.sam, group.id, 'After Otto left');
    await send(desk.kim, group.id, 'Seen by Sam, fine');
    const samSees = await history(desk.sam, group.id);
    expect(samSees.at(-1)!.body).toBe('Seen by Sam, fine');
    expect(ottoSocket.frames.some((f) => f.type === 'message' && f.message.id === after.id)).toBe(false);
    for (const [method, url] of [
      ['GET', `/conversations/${group.id}`],
      ['GET', `/conversations/${group.id}/messages`],
      ['POST', `/conversations/${group.id}/messages`],
    ] as const) {
      const answer = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${desk.otto.accessToken}` },
        ...(method === 'POST' && { payload: { clientMsgId: 'otto-late', body: 'Let me back' } }),
      });
      expect(answer.statusCode, `${method} ${url}`).toBe(404);
    }
    const listed = (await as(t, desk.otto).get('/conversations')).json<{ items: Conversation[] }>().items;
    expect(listed.map((c) => c.id)).not.toContain(group.id);
    // Subscribing again is refused too.
    ottoSocket.send({ type: 'subscribe', conversationId: group.id, ref: 'again' });
    expect((await ottoSocket.next('error', (f) => f.ref === 'again')).code).toBe('not_found');
  });

  it('anyone may leave; when the last admin leaves, the longest-standing member becomes admin', async () => {
    const group = await createGroup(desk.sam, {
      title: 'Short lived',
      memberIds: [desk.kim.user.id, desk.otto.user.id],
    });
    const kimSocket = await socketOf(desk.kim);
    expect((await as(t, desk.sam).delete(`/conversations/${group.id}/members/${desk.sam.user.id}`)).statusCode).toBe(
      204,
    );
    const update = await kimSocket.next('conversation.updated', (f) => f.conversation.id === group.id);
    expect(update.conversation.members.map((m) => m.id)).not.toContain(desk.sam.user.id);
    expect(update.conversation.adminIds).toHaveLength(1);
    const heir = update.conversation.adminIds[0]!;
    expect([desk.kim.user.id, desk.otto.user.id]).toContain(heir);
    const heirName = heir === desk.kim.user.id ? 'Kim Agent' : 'Otto Billing';
    expect((await lines(desk.kim, group.id)).slice(-2)).toEqual([
      'Sam Agent left the group',
      `Parley made ${heirName} an admin`,
    ]);
    // Leaving twice: you are not in it, so it does not exist for you.
    expect((await as(t, desk.sam).delete(`/conversations/${group.id}/members/${desk.sam.user.id}`)).statusCode).toBe(
      404,
    );
  });

  it('keeps a group to its size limit', async () => {
    const many = await Promise.all(
      Array.from({ length: 3 }, (_, i) => signUp(t, 'customer', { displayName: `Guest ${i}` })),
    );
    const group = await createGroup(desk.sam, { title: 'Big', memberIds: many.map((m) => m.user.id) });
    // Fill it to 100 straight in the tables, then one more by the API is one too many.
    const at = Date.now();
    const ids = Array.from({ length: 96 }, (_, i) => `01J${String(i).padStart(23, '0')}`);
    await t.database.db
      .insertInto('users')
      .values(
        ids.map((id) => ({
          id,
          email: `${id}@filler.test`,
          username: id,
          usernameKey: id.toLowerCase(),
          displayName: id,
          passwordHash: '-',
          avatarKey: null,
          statusText: null,
          createdAt: at,
          updatedAt: at,
          deactivatedAt: null,
        })),
      )
      .execute();
    await t.database.db
      .insertInto('conversationMembers')
      .values(
        ids.map((userId) => ({
          workspaceId: desk.sam.user.workspace.id,
          conversationId: group.id,
          userId,
          lastReadSeq: 0,
          isAdmin: 0,
          createdAt: at,
        })),
      )
      .execute();
    const full = await as(t, desk.sam).post(`/conversations/${group.id}/members`, { userIds: [desk.kim.user.id] });
    expect(full.statusCode, full.body).toBe(409);
    expect(full.json<ErrorBody>().error.message).toMatch(/at most 100/);
  });
});
