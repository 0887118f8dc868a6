import type { Conversation, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';

/** "Seen" marks come back on a reload: every member's read position, as far as the reader may know it. */
describe(`members' read positions over REST on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ann: Session, bob: Session;
  const sockets: TestSocket[] = [];
  let n = 0;
  const id = () => `rr-${++n}`;

  const say = (who: Session, conversationId: string, body: string, internal = false) =>
    as(t, who).post(`/conversations/${conversationId}/messages`, { clientMsgId: id(), body, internal });
  const read = (who: Session, conversationId: string, seq: number) =>
    as(t, who).post(`/conversations/${conversationId}/read`, { seq });
  const conversationAs = async (who: Session, conversationId: string) => {
    const one = (await as(t, who).get(`/conversations/${conversationId}`)).json<Conversation>();
    const listed = (await as(t, who).get('/conversations')).json<{ items: Conversation[] }>();
    expect(listed.items.find((c) => c.id === conversationId)).toEqual(one);
    return one;
  };
  const open = async (who: Session, conversationId: string) => {
    const socket = await connectSocket(base, who.accessToken);
    sockets.push(socket);
    await socket.next('ready');
    socket.send({ type: 'subscribe', conversationId });
    await socket.next('subscribed');
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    // Staff write to anyone, so no contacts are needed for this pair.
    ann = await signUp(t, 'agent', { displayName: 'Ann' });
    bob = await signUp(t, 'agent', { displayName: 'Bob' });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  it('[RT-READ] each member’s read seq comes with the conversation, in the list and alone', async () => {
    const { id: dm } = (await as(t, ann).post('/conversations/direct', { userId: bob.user.id })).json<Conversation>();
    await say(ann, dm, 'one');
    await say(ann, dm, 'two');
    expect((await conversationAs(ann, dm)).readSeqs).toEqual({ [ann.user.id]: 2, [bob.user.id]: 0 });
    await read(bob, dm, 2);
    expect((await conversationAs(ann, dm)).readSeqs).toEqual({ [ann.user.id]: 2, [bob.user.id]: 2 });
    expect((await conversationAs(bob, dm)).readSeqs).toEqual({ [ann.user.id]: 2, [bob.user.id]: 2 });
  });

  it('[RT-BLOCK] a block hides each side’s read position from the other, on reload and live', async () => {
    const { id: dm } = (await as(t, ann).post('/conversations/direct', { userId: bob.user.id })).json<Conversation>();
    expect((await as(t, bob).put(`/blocks/${ann.user.id}`)).statusCode).toBe(204);
    expect((await conversationAs(ann, dm)).readSeqs).toEqual({ [ann.user.id]: 2 });
    expect((await conversationAs(bob, dm)).readSeqs).toEqual({ [bob.user.id]: 2 });

    const bobs = await open(bob, dm);
    const anns = await open(ann, dm);
    await say(bob, dm, 'three').then((r) => expect(r.statusCode).toBe(403));
    // Ann's own devices still hear her receipt; Bob does not.
    anns.send({ type: 'read', conversationId: dm, seq: 2 });
    await anns.next('read', (f) => f.userId === ann.user.id);
    const ref = id();
    bobs.send({ type: 'ping', ref });
    await bobs.next('pong', (f) => f.ref === ref);
    expect(bobs.all('read')).toEqual([]);
  });

  it('[RT-NOTE] a customer sees a staff cursor that rests on a note at the last message they can see', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const thread = ticket.conversationId;
    await say(desk.carla, thread, 'hello'); // 1
    await say(desk.sam, thread, 'hi Carla'); // 2
    await say(desk.sam, thread, 'she is nice', true); // 3, a note
    await read(desk.sam, thread, 3);
    expect((await conversationAs(desk.sam, thread)).readSeqs).toEqual({
      [desk.carla.user.id]: 1,
      [desk.sam.user.id]: 3,
    });
    expect((await conversationAs(desk.carla, thread)).readSeqs).toEqual({
      [desk.carla.user.id]: 1,
      [desk.sam.user.id]: 2,
    });
  });
});
