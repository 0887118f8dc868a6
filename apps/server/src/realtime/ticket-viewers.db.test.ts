import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

/** [RT-VIEWERS] Collision: staff on a ticket see which other staff have it open, and who types. */
describe(`who else is viewing a ticket, on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    base = await listen(t);
  });
  afterAll(() => t.close());

  const open = async (socket: TestSocket, conversationId: string) => {
    socket.send({ type: 'subscribe', conversationId });
    await socket.next('subscribed', (f) => f.conversationId === conversationId);
    socket.send({ type: 'viewing', conversationId });
    await settle(socket);
  };

  it('[RT-VIEWERS] staff see each other arrive and leave, live; typing shows; the customer sees no viewers', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const c = ticket.conversationId;
    const sam = await readySocket(base, desk.sam);
    const kim = await readySocket(base, desk.kim);
    const carla = await readySocket(base, desk.carla);

    await open(carla, c);
    await open(sam, c);
    expect((await sam.next('viewers', (f) => f.conversationId === c)).userIds).toEqual([desk.sam.user.id]);

    await open(kim, c);
    const both = [desk.sam.user.id, desk.kim.user.id].sort();
    expect((await sam.next('viewers', (f) => f.userIds.length === 2)).userIds).toEqual(both);
    expect((await kim.next('viewers', (f) => f.userIds.length === 2)).userIds).toEqual(both);

    kim.send({ type: 'typing', conversationId: c });
    expect((await sam.next('typing')).userId).toBe(desk.kim.user.id);

    // Kim goes to another screen: Sam sees him leave.
    kim.send({ type: 'viewing', conversationId: null });
    expect((await sam.next('viewers', (f) => f.userIds.length === 1)).userIds).toEqual([desk.sam.user.id]);
    // Kim back, then his socket closes: gone again.
    kim.send({ type: 'viewing', conversationId: c });
    await sam.next('viewers', (f) => f.userIds.length === 2);
    await kim.close();
    expect((await sam.next('viewers', (f) => f.userIds.length === 1)).userIds).toEqual([desk.sam.user.id]);

    await settle(carla);
    expect(carla.all('viewers')).toEqual([]);
    await sam.close();
    await carla.close();
  });

  it('[RT-VIEWERS] a socket that says viewing before it subscribes still learns who is looking', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const c = ticket.conversationId;
    const sam = await readySocket(base, desk.sam);
    await open(sam, c);
    const kim = await readySocket(base, desk.kim);
    kim.send({ type: 'viewing', conversationId: c });
    kim.send({ type: 'subscribe', conversationId: c });
    const both = [desk.sam.user.id, desk.kim.user.id].sort();
    expect((await kim.next('viewers', (f) => f.userIds.length === 2)).userIds).toEqual(both);
    await sam.close();
    await kim.close();
  });

  it('a customer looking is never announced, and messages do not resend viewers', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const c = ticket.conversationId;
    const sam = await readySocket(base, desk.sam);
    const carla = await readySocket(base, desk.carla);
    await open(sam, c);
    await sam.next('viewers');
    await open(carla, c);
    for (let i = 0; i < 3; i++) {
      carla.send({ type: 'message.send', conversationId: c, clientMsgId: `v-${i}`, body: `hi ${i}` });
    }
    for (let i = 0; i < 3; i++) await sam.next('message');
    await settle(sam);
    expect(sam.all('viewers')).toHaveLength(1);
    await sam.close();
    await carla.close();
  });
});
