import { CLOSE_CODES, type Message, type Ticket } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertMessage } from '../conversations/message-repository';
import { newId } from '../ids';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';

describe(`the realtime gateway on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  const sockets: TestSocket[] = [];
  let n = 0;
  const id = () => `rt-${++n}`;

  beforeAll(async () => {
    t = await startTestApp({ realtime: { presenceGraceMs: 100, authTimeoutMs: 500, typingThrottleMs: 300 } });
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  const open = async (who: { accessToken: string } | null) => {
    const socket = await connectSocket(base, who?.accessToken);
    sockets.push(socket);
    if (who) await socket.next('ready');
    return socket;
  };
  const subscribed = async (
    who: { accessToken: string },
    afterSeq?: number,
    conversationId = ticket.conversationId,
  ) => {
    const socket = await open(who);
    socket.send({ type: 'subscribe', conversationId, ...(afterSeq !== undefined && { afterSeq }) });
    await socket.next('subscribed');
    return socket;
  };

  describe('authentication', () => {
    it('[RT-AUTH] accepts the token in the handshake or in a first auth frame', async () => {
      const viaHeader = await open(desk.carla);
      expect(viaHeader.frames[0]).toMatchObject({ type: 'ready', userId: desk.carla.user.id, protocol: 'parley.v1' });
      const viaFrame = await open(null);
      viaFrame.send({ type: 'subscribe', conversationId: ticket.conversationId, ref: 'too-early' });
      expect(await viaFrame.next('error')).toMatchObject({ code: 'unauthorized', ref: 'too-early' });
      viaFrame.send({ type: 'auth', token: desk.carla.accessToken });
      expect((await viaFrame.next('ready')).userId).toBe(desk.carla.user.id);
    });

    it('[RT-AUTH] closes with 4401 before sending anything for a bad token or no auth in time', async () => {
      const forged = await connectSocket(base, `${desk.carla.accessToken}x`);
      expect(await forged.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'Invalid access token' });
      expect(forged.frames).toEqual([]);
      const silent = await connectSocket(base);
      expect((await silent.closed).code).toBe(CLOSE_CODES.unauthorized);
      expect(silent.frames).toEqual([]);
    });
  });

  describe('chatting in a ticket', () => {
    it('[RT-SEND] acks after the commit, then delivers to every subscriber once, in order', async () => {
      const carla = await subscribed(desk.carla);
      const sam = await subscribed(desk.sam);
      const ids = [id(), id(), id()];
      for (const [i, clientMsgId] of ids.entries()) {
        carla.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId, body: `part ${i}` });
      }
      const acks: Array<{ messageId: string; seq: number }> = [];
      for (const clientMsgId of ids) acks.push(await carla.next('ack', (a) => a.clientMsgId === clientMsgId));
      // Acked means stored: the REST history has them already.
      const stored = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}/messages`)).json<{
        items: Message[];
      }>();
      expect(acks.every((a) => stored.items.some((m) => m.id === a.messageId))).toBe(true);
      expect(acks.map((a) => a.seq - acks[0]!.seq)).toEqual([0, 1, 2]);
      const seen = await Promise.all(
        ids.map((clientMsgId) => sam.next('message', (m) => m.message.clientMsgId === clientMsgId)),
      );
      expect(seen.map((f) => f.message.body)).toEqual(['part 0', 'part 1', 'part 2']);
      // The ack reaches the sender before the echo of its own message.
      const first = carla.frames.findIndex((f) => f.type === 'ack' && f.clientMsgId === ids[0]);
      const echo = carla.frames.findIndex((f) => f.type === 'message' && f.message.clientMsgId === ids[0]);
      expect(first).toBeLessThan(echo);

      // A resend of the same clientMsgId gets the original ack and no second message.
      carla.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: ids[0]!, body: 'part 0' });
      expect(await carla.next('ack', (a) => a.clientMsgId === ids[0])).toEqual(acks[0]);
      sam.send({ type: 'ping', ref: 'fence' });
      await sam.next('pong');
      expect(sam.all('message').filter((m) => m.message.clientMsgId === ids[0])).toHaveLength(1);
    });

    it('[RT-SUB] a client that was away gets exactly what it missed, in order, then live', async () => {
      const sam = await subscribed(desk.sam);
      const lastSeen: number = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}`)).json().lastSeq;
      await sam.close();
      for (let i = 0; i < 3; i++) {
        await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
          clientMsgId: id(),
          body: `while away ${i}`,
        });
      }
      const back = await subscribed(desk.sam, lastSeen);
      expect(back.all('message').map((f) => f.message.body)).toEqual(['while away 0', 'while away 1', 'while away 2']);
      expect(back.all('message').map((f) => f.message.seq)).toEqual([lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    });

    it('[RT-SUB] has no gap and no duplicate when messages commit during the replay', async () => {
      const { lastSeq } = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}`)).json();
      const writes = Array.from({ length: 15 }, (_, i) =>
        as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
          clientMsgId: id(),
          body: `race ${i}`,
        }),
      );
      const sam = await open(desk.sam);
      sam.send({ type: 'subscribe', conversationId: ticket.conversationId, afterSeq: lastSeq });
      await Promise.all(writes);
      await sam.next('subscribed');
      const final = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}`)).json().lastSeq;
      await sam.next('message', (f) => f.message.seq === final);
      const seqs = sam.all('message').map((f) => f.message.seq);
      expect(seqs).toEqual(Array.from({ length: final - lastSeq }, (_, i) => lastSeq + 1 + i));
    });

    it('[RT-SEND] a message committed but never published (its node died first) still reaches subscribers, in order', async () => {
      const carla = await subscribed(desk.carla);
      const sam = await subscribed(desk.sam);
      // What a node that crashed between its commit and its publish leaves behind: a stored
      // message no event ever announces.
      const orphan = await t.database.db.transaction().execute((trx) =>
        insertMessage(
          trx,
          { workspaceId: desk.carla.user.workspace.id },
          {
            conversationId: ticket.conversationId,
            senderId: desk.carla.user.id,
            kind: 'text',
            body: 'committed, never published',
            clientMsgId: id(),
            at: Date.now(),
          },
        ),
      );
      sam.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: id(), body: 'after it' });
      const after = await sam.next('ack');
      expect(after.seq).toBe(orphan.seq + 1);
      for (const socket of [carla, sam]) {
        const got = await socket.next('message', (f) => f.message.seq === after.seq);
        expect(got.message.body).toBe('after it');
        expect(socket.all('message').map((f) => [f.message.seq, f.message.body])).toEqual([
          [orphan.seq, 'committed, never published'],
          [after.seq, 'after it'],
        ]);
      }
    });

    it('[RT-SEND] edits, deletions and reactions reach every subscriber as message.updated', async () => {
      const carla = await subscribed(desk.carla);
      const sam = await subscribed(desk.sam);
      carla.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: id(), body: 'Tpyo' });
      const { messageId } = await carla.next('ack');
      carla.send({ type: 'message.edit', conversationId: ticket.conversationId, messageId, body: 'Typo' });
      expect((await sam.next('message.updated')).message).toMatchObject({ id: messageId, body: 'Typo' });
      sam.send({ type: 'reaction', conversationId: ticket.conversationId, messageId, emoji: '👍' });
      const reacted = await carla.next('message.updated', (f) => f.message.reactions.length > 0);
      expect(reacted.message.reactions).toEqual([{ emoji: '👍', userIds: [desk.sam.user.id] }]);
      carla.send({ type: 'message.delete', conversationId: ticket.conversationId, messageId });
      expect((await sam.next('message.updated', (f) => f.message.deletedAt !== null)).message).toMatchObject({
        body: '',
        reactions: [],
      });
    });

    it('[RT-NOTE] internal notes and internal typing reach staff only', async () => {
      const carla = await subscribed(desk.carla);
      const kim = await subscribed(desk.kim);
      const sam = await open(desk.sam);
      sam.send({ type: 'typing', conversationId: ticket.conversationId, internal: true });
      sam.send({
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: id(),
        body: 'secret',
        internal: true,
      });
      await kim.next('typing');
      expect((await kim.next('message')).message.kind).toBe('note');
      sam.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: id(), body: 'public' });
      expect((await carla.next('message')).message.body).toBe('public');
      expect(carla.all('message').some((f) => f.message.kind === 'note')).toBe(false);
      expect(carla.all('typing')).toEqual([]);
    });
  });

  describe('authorization, frame by frame', () => {
    it("[RT-AUTHZ] a stranger cannot touch another customer's ticket through any frame", async () => {
      const message = (
        await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
          clientMsgId: id(),
          body: 'mine',
        })
      ).json<Message>();
      const dan = await open(desk.dan);
      const c = ticket.conversationId;
      const frames = [
        { type: 'subscribe', conversationId: c },
        { type: 'message.send', conversationId: c, clientMsgId: id(), body: 'hi' },
        { type: 'message.edit', conversationId: c, messageId: message.id, body: 'hacked' },
        { type: 'message.delete', conversationId: c, messageId: message.id },
        { type: 'reaction', conversationId: c, messageId: message.id, emoji: '👍' },
        { type: 'typing', conversationId: c },
        { type: 'read', conversationId: c, seq: 1 },
        { type: 'call.signal', callId: newId(), toUserId: desk.carla.user.id, payload: { sdp: 'offer' } },
      ];
      for (const [i, frame] of frames.entries()) dan.send({ ...frame, ref: `f${i}` });
      for (const i of frames.keys())
        expect(await dan.next('error', (e) => e.ref === `f${i}`)).toMatchObject({ code: 'not_found' });
      expect(dan.all('message')).toEqual([]);
      expect(
        (await as(t, desk.carla).get(`/conversations/${c}/messages?limit=100`))
          .json()
          .items.find((m: Message) => m.id === message.id).body,
      ).toBe('mine');
    });

    it('[RT-AUTHZ] an agent whose ticket moves to another team loses it at once, typing included', async () => {
      const moving = await openTicket(t, desk.carla, { teamId: desk.support });
      const kim = await subscribed(desk.kim, undefined, moving.conversationId);
      const otto = await open(desk.otto);
      // Typing in a subscribed thread is allowed by the subscription, without asking again.
      kim.send({ type: 'typing', conversationId: moving.conversationId, internal: true, ref: 'before' });
      await new Promise((resolve) => setTimeout(resolve, 350)); // past the typing throttle
      expect(kim.all('error')).toEqual([]);

      await as(t, desk.admin).patch(`/tickets/${moving.id}`, { teamId: desk.billing });
      expect(await kim.next('unsubscribed')).toMatchObject({ conversationId: moving.conversationId });
      otto.send({ type: 'subscribe', conversationId: moving.conversationId });
      await otto.next('subscribed');
      kim.send({ type: 'typing', conversationId: moving.conversationId, internal: true, ref: 'after' });
      expect(await kim.next('error', (e) => e.ref === 'after')).toMatchObject({ code: 'not_found' });
      expect(otto.all('typing')).toEqual([]);
    });

    it('[RT-AUTHZ] a customer cannot write internal notes or type them', async () => {
      const carla = await open(desk.carla);
      carla.send({
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: id(),
        body: 'x',
        internal: true,
        ref: 'n',
      });
      carla.send({ type: 'typing', conversationId: ticket.conversationId, internal: true, ref: 't' });
      expect(await carla.next('error', (e) => e.ref === 'n')).toMatchObject({ code: 'forbidden' });
      expect(await carla.next('error', (e) => e.ref === 't')).toMatchObject({ code: 'forbidden' });
    });
  });

  describe('bad input', () => {
    it('[RT-LIMITS] answers malformed frames with an error and keeps the socket usable', async () => {
      const carla = await open(desk.carla);
      carla.sendRaw('{not json');
      expect(await carla.next('error')).toMatchObject({ code: 'bad_request' });
      carla.send({ type: 'subscribe', conversationId: 'nope', ref: 'bad-id' });
      const invalid = await carla.next('error', (e) => e.ref === 'bad-id');
      expect(invalid.code).toBe('validation_failed');
      expect(invalid.message).toMatch(/conversationId/);
      carla.send({ type: 'no.such.frame', ref: 'unknown' });
      expect((await carla.next('error', (e) => e.ref === 'unknown')).code).toBe('validation_failed');
      carla.sendRaw(Buffer.from([1, 2, 3]));
      expect((await carla.next('error', (e) => e.message === 'Frames are JSON text')).code).toBe('bad_request');
      carla.send({ type: 'ping', ref: 'still-alive' });
      expect(await carla.next('pong')).toEqual({ type: 'pong', ref: 'still-alive' });
    });

    it('[RT-LIMITS] closes the socket on a frame over 64 KiB', async () => {
      const carla = await open(desk.carla);
      carla.sendRaw(JSON.stringify({ type: 'ping', ref: 'x'.repeat(70_000) }));
      expect((await carla.closed).code).toBe(1009);
    });
  });

  describe('dead peers', () => {
    it('[RT-LIMITS] are dropped when they stop answering heartbeats', async () => {
      const quick = await startTestApp({ realtime: { heartbeatMs: 150 } });
      try {
        const user = await signUp(quick);
        const socket = await connectSocket(await listen(quick), user.accessToken);
        await socket.next('ready');
        const raw = (socket.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
        raw.pause(); // no pongs from here on: to the server, this peer is dead
        await new Promise((resolve) => setTimeout(resolve, 600));
        raw.resume(); // reading again, the client finds the server hung up without a close frame
        expect((await socket.closed).code).toBe(1006);
      } finally {
        await quick.close();
      }
    });
  });

  describe('live domain events', () => {
    it('[RT-LIVE] ticket changes reach everyone who may see the ticket, dashboards included', async () => {
      const kim = await open(desk.kim);
      const otto = await open(desk.otto);
      const carla = await open(desk.carla);
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'urgent' });
      expect((await kim.next('ticket.updated')).ticket).toMatchObject({ id: ticket.id, priority: 'urgent' });
      expect((await carla.next('ticket.updated')).ticket.priority).toBe('urgent');
      otto.send({ type: 'ping' });
      await otto.next('pong');
      expect(otto.all('ticket.updated')).toEqual([]);
    });

    it('[RT-PRESENCE] shows a co-member online while any of their sockets is open, offline after the grace', async () => {
      const carla = await subscribed(desk.carla);
      const phone = await open(desk.sam);
      await carla.next('presence', (p) => p.userId === desk.sam.user.id && p.status === 'online');
      const laptop = await open(desk.sam);
      laptop.send({ type: 'presence', status: 'away' });
      await phone.close();
      await laptop.close();
      await carla.next('presence', (p) => p.userId === desk.sam.user.id && p.status === 'offline');
    });

    it("[RT-PRESENCE] new contacts see each other's presence at once; a block hides it again", async () => {
      const [eve, fred] = [await signUp(t, 'customer'), await signUp(t, 'customer')];
      const eveSocket = await open(eve);
      const fredSocket = await open(fred);
      const request = (await as(t, eve).post('/friend-requests', { userId: fred.user.id })).json();
      await as(t, fred).post(`/friend-requests/${request.id}/accept`);
      await eveSocket.next('presence', (p) => p.userId === fred.user.id && p.status === 'online');
      await fredSocket.next('presence', (p) => p.userId === eve.user.id && p.status === 'online');
      // A contact who connects later learns at once who of their contacts is already online.
      const eveOnPhone = await open(eve);
      await eveOnPhone.next('presence', (p) => p.userId === fred.user.id && p.status === 'online');

      await t.app.inject({
        method: 'PUT',
        url: `/blocks/${eve.user.id}`,
        headers: { authorization: `Bearer ${fred.accessToken}` },
      });
      await new Promise((resolve) => setTimeout(resolve, 50)); // the event reaches the sockets
      fredSocket.send({ type: 'presence', status: 'away' });
      await fredSocket.close();
      await new Promise((resolve) => setTimeout(resolve, 250)); // past the grace period
      eveSocket.send({ type: 'ping' });
      await eveSocket.next('pong');
      expect(
        eveSocket
          .all('presence')
          .filter((p) => p.userId === fred.user.id)
          .map((p) => p.status),
      ).toEqual(['online']);
    });

    it('[RT-READ] read receipts and typing reach the other side', async () => {
      const carla = await subscribed(desk.carla);
      const sam = await subscribed(desk.sam);
      sam.send({ type: 'typing', conversationId: ticket.conversationId });
      sam.send({ type: 'typing', conversationId: ticket.conversationId }); // throttled away
      expect(await carla.next('typing')).toMatchObject({
        userId: desk.sam.user.id,
        conversationId: ticket.conversationId,
      });
      const { lastSeq } = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}`)).json();
      sam.send({ type: 'read', conversationId: ticket.conversationId, seq: lastSeq });
      expect(await carla.next('read')).toEqual({
        type: 'read',
        conversationId: ticket.conversationId,
        userId: desk.sam.user.id,
        seq: lastSeq,
      });
      expect(carla.all('typing')).toHaveLength(1);
    });
  });
});
