import type { Conversation, FriendRequest, Message, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';
import { multipart } from '../testing/multipart';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

/**
 * A block (or the end of a contact, for customers) ends an existing direct chat for writing,
 * over REST and over the socket alike; both keep reading their own history.
 */
describe(`a direct chat after a block or a removed contact on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let ann: Session, bob: Session, cid: Session, agent: Session;
  /** Ann and Bob (Bob blocks Ann); Ann and Cid (Cid removes Ann); the agent and Bob (no contact). */
  let blocked: Conversation, unfriended: Conversation, withAgent: Conversation;
  let annsMessage: Message;
  const sockets: TestSocket[] = [];
  let n = 0;
  const id = () => `blk-${++n}`;

  const befriend = async (a: Session, b: Session) => {
    const request = (await as(t, a).post('/friend-requests', { userId: b.user.id })).json<FriendRequest>();
    expect((await as(t, b).post(`/friend-requests/${request.id}/accept`)).statusCode).toBe(200);
  };
  const dm = async (from: Session, to: Session) =>
    (await as(t, from).post('/conversations/direct', { userId: to.user.id })).json<Conversation>();
  const send = (who: Session, conversation: Conversation, body = 'hello') =>
    as(t, who).post(`/conversations/${conversation.id}/messages`, { clientMsgId: id(), body });
  const upload = (who: Session, conversation: Conversation) => {
    const body = multipart({ fileName: 'note.txt', contentType: 'text/plain', content: 'hi' });
    return t.app.inject({
      method: 'POST',
      url: `/conversations/${conversation.id}/attachments`,
      headers: { ...bearer(who), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const open = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp({ realtime: { typingThrottleMs: 1 } });
    base = await listen(t);
    ann = await signUp(t, 'customer', { displayName: 'Ann' });
    bob = await signUp(t, 'customer', { displayName: 'Bob' });
    cid = await signUp(t, 'customer', { displayName: 'Cid' });
    agent = await signUp(t, 'agent', { displayName: 'Agent' });
    await befriend(ann, bob);
    await befriend(ann, cid);
    blocked = await dm(ann, bob);
    unfriended = await dm(ann, cid);
    withAgent = await dm(agent, bob);
    annsMessage = (await send(ann, blocked, 'before the block')).json<Message>();
    expect((await send(ann, unfriended)).statusCode).toBe(201);
    expect((await as(t, bob).put(`/blocks/${ann.user.id}`)).statusCode).toBe(204);
    expect((await as(t, cid).delete(`/contacts/${ann.user.id}`)).statusCode).toBe(204);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  describe('over REST', () => {
    it('[RT-BLOCK] neither side may send into the chat once one blocked the other', async () => {
      for (const who of [ann, bob]) {
        const response = await send(who, blocked);
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual({
          error: { code: 'forbidden', message: 'You can no longer write in this conversation' },
        });
      }
    });

    it('[RT-BLOCK] a customer may not send to a former contact, either way', async () => {
      expect((await send(ann, unfriended)).statusCode).toBe(403);
      expect((await send(cid, unfriended)).statusCode).toBe(403);
    });

    it('[RT-BLOCK] staff still write to a customer who is not their contact, and the customer may answer', async () => {
      expect((await send(agent, withAgent)).statusCode).toBe(201);
      expect((await send(bob, withAgent)).statusCode).toBe(201);
    });

    it('[RT-BLOCK] the blocked user may not edit, react or upload; may still delete their own message', async () => {
      const url = `/conversations/${blocked.id}/messages/${annsMessage.id}`;
      expect((await as(t, ann).patch(url, { body: 'edited after the block' })).statusCode).toBe(403);
      expect((await as(t, ann).post(`${url}/reactions`, { emoji: '👍' })).statusCode).toBe(403);
      expect((await as(t, bob).post(`${url}/reactions`, { emoji: '👍' })).statusCode).toBe(403);
      expect((await upload(ann, blocked)).statusCode).toBe(403);
      expect((await upload(bob, blocked)).statusCode).toBe(403);
      expect((await upload(ann, unfriended)).statusCode).toBe(403);

      const history = (await as(t, bob).get(`/conversations/${blocked.id}/messages`)).json<{ items: Message[] }>();
      expect(history.items.map((m) => [m.body, m.reactions])).toEqual([['before the block', []]]);
    });

    it('[RT-BLOCK] both keep reading their history and their read cursor', async () => {
      for (const who of [ann, bob]) {
        expect((await as(t, who).get(`/conversations/${blocked.id}/messages`)).statusCode).toBe(200);
        expect((await as(t, who).post(`/conversations/${blocked.id}/read`, { seq: 1 })).statusCode).toBe(204);
      }
    });
  });

  describe('over the socket', () => {
    it('[RT-BLOCK] send, edit and reaction frames are refused with forbidden, echoing the ref', async () => {
      const socket = await open(ann);
      const frames = [
        { type: 'message.send', conversationId: blocked.id, clientMsgId: id(), body: 'sneaky' },
        { type: 'message.edit', conversationId: blocked.id, messageId: annsMessage.id, body: 'sneaky' },
        { type: 'reaction', conversationId: blocked.id, messageId: annsMessage.id, emoji: '👎' },
        { type: 'typing', conversationId: blocked.id },
        { type: 'message.send', conversationId: unfriended.id, clientMsgId: id(), body: 'sneaky' },
      ] as const;
      for (const frame of frames) {
        const ref = id();
        socket.send({ ...frame, ref });
        expect(await socket.next('error', (f) => f.ref === ref)).toMatchObject({ code: 'forbidden' });
      }
      const history = (await as(t, ann).get(`/conversations/${blocked.id}/messages`)).json<{ items: Message[] }>();
      expect(history.items.map((m) => m.body)).toEqual(['before the block']);
    });

    it('[RT-BLOCK] the blocker hears no typing from the blocked user, even while subscribed', async () => {
      const bobs = await open(bob);
      bobs.send({ type: 'subscribe', conversationId: blocked.id });
      await bobs.next('subscribed');
      const anns = await open(ann);
      anns.send({ type: 'subscribe', conversationId: blocked.id });
      await anns.next('subscribed');
      anns.send({ type: 'typing', conversationId: blocked.id, ref: 'typing' });
      expect(await anns.next('error', (f) => f.ref === 'typing')).toMatchObject({ code: 'forbidden' });
      await settle(anns);
      await settle(bobs);
      expect(bobs.all('typing')).toEqual([]);
    });

    it('[RT-BLOCK] subscribing to the chat does not show either side the other one’s presence', async () => {
      const bobs = await open(bob);
      const anns = await open(ann);
      for (const [socket, other] of [
        [anns, bob],
        [bobs, ann],
      ] as const) {
        socket.send({ type: 'subscribe', conversationId: blocked.id });
        await socket.next('subscribed');
        await settle(socket);
        expect(socket.all('presence').filter((f) => f.userId === other.user.id)).toEqual([]);
      }
      // Nor later: a change of status does not reach the other side.
      bobs.send({ type: 'presence', status: 'away' });
      await settle(bobs);
      const agents = await open(agent);
      agents.send({ type: 'subscribe', conversationId: withAgent.id });
      expect(await agents.next('presence', (f) => f.userId === bob.user.id)).toMatchObject({ status: 'away' });
      await settle(anns);
      expect(anns.all('presence').filter((f) => f.userId === bob.user.id)).toEqual([]);
    });
  });
});
