import { MAX_DISTINCT_REACTIONS, type Message, type Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SERVICES } from '../../../../test/test-services';
import { startTcpProxy, viaProxy, type TcpProxy } from '../testing/tcp-proxy';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';

describe(`messages changed by several writers at once on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  let url: string;
  let watcher: TestSocket;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp();
    const base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    url = `/conversations/${ticket.conversationId}/messages`;
    watcher = await connectSocket(base, desk.admin.accessToken);
    await watcher.next('ready');
    watcher.send({ type: 'subscribe', conversationId: ticket.conversationId });
    await watcher.next('subscribed');
  });
  afterAll(async () => {
    await watcher.close();
    await t.close();
  });

  const send = async (body: string) =>
    (await as(t, desk.carla).post(url, { clientMsgId: `mc-${++n}`, body })).json<Message>();
  const stored = async (id: string) =>
    (await as(t, desk.admin).get(`${url}?limit=100`)).json<{ items: Message[] }>().items.find((m) => m.id === id)!;
  /** The `message.updated` frames a subscriber got for one message, once `count` of them are in. */
  const broadcasts = async (id: string, count: number) => {
    const of = () => watcher.all('message.updated').filter((f) => f.message.id === id);
    await expect.poll(() => of().length).toBe(count);
    return of().map((f) => f.message);
  };

  it('[RT-SEND] never brings text back into a deleted message, and the last broadcast is the message as stored', async () => {
    for (let round = 0; round < 3; round++) {
      const message = await send(`round ${round}`);
      const edit = (i: number) => as(t, desk.carla).patch(`${url}/${message.id}`, { body: `edit ${round}.${i}` });
      const react = (who: typeof desk.sam, emoji: string) =>
        as(t, who).post(`${url}/${message.id}/reactions`, { emoji });
      const answers = await Promise.all([
        ...[0, 1, 2, 3, 4].map(edit),
        react(desk.sam, '👍'),
        as(t, desk.carla).delete(`${url}/${message.id}`),
        react(desk.kim, '🎉'),
        ...[5, 6, 7, 8, 9].map(edit),
        react(desk.admin, '👍'),
      ]);
      // Writes after the deletion are refused as conflicts, never applied.
      for (const answer of answers) {
        expect([200, 409]).toContain(answer.statusCode);
        if (answer.statusCode === 409) expect(answer.json().error.code).toBe('conflict');
      }
      const final = await stored(message.id);
      expect(final).toMatchObject({ body: '', reactions: [] });
      expect(final.deletedAt).not.toBeNull();
      // Each write that succeeded was broadcast once; a client applying them in order ends up
      // with what a reload shows.
      const sent = await broadcasts(message.id, answers.filter((a) => a.statusCode === 200).length);
      expect(sent.at(-1)).toEqual(final);
    }
  });

  it('[RT-SEND] broadcasts a reaction with the message as it is after it: the reaction and the latest edit', async () => {
    const message = await send('Thanks');
    await as(t, desk.carla).patch(`${url}/${message.id}`, { body: 'Thanks a lot' });
    const answers = await Promise.all([
      as(t, desk.sam).post(`${url}/${message.id}/reactions`, { emoji: '🎉' }),
      as(t, desk.carla).patch(`${url}/${message.id}`, { body: 'Thanks a lot!' }),
      as(t, desk.kim).post(`${url}/${message.id}/reactions`, { emoji: '🎉' }),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    const sent = await broadcasts(message.id, 4);
    expect(sent[0]).toMatchObject({ body: 'Thanks a lot', reactions: [] });
    expect(sent.at(-1)).toEqual(await stored(message.id));
    expect(sent.at(-1)).toMatchObject({
      body: 'Thanks a lot!',
      reactions: [{ emoji: '🎉', userIds: expect.arrayContaining([desk.sam.user.id, desk.kim.user.id]) }],
    });
  });

  it(`takes at most ${MAX_DISTINCT_REACTIONS} different emoji per message; more people may join one it has`, async () => {
    const message = await send('Vote!');
    const emoji = [...'😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗😙😚🙂🤗🤩'];
    expect(emoji).toHaveLength(MAX_DISTINCT_REACTIONS + 1);
    const people = [desk.sam, desk.kim, desk.admin];
    const react = (i: number, who = people[i % 3]!) =>
      as(t, who).post(`${url}/${message.id}/reactions`, { emoji: emoji[i] });
    for (let i = 0; i < MAX_DISTINCT_REACTIONS; i++) expect((await react(i)).statusCode).toBe(200);

    const refused = await react(MAX_DISTINCT_REACTIONS);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/at most 20/) });
    expect((await stored(message.id)).reactions).toHaveLength(MAX_DISTINCT_REACTIONS);

    // Joining an emoji the message has still works, and so does a new one once a slot is free.
    const joined = await react(0, desk.carla);
    expect(joined.statusCode).toBe(200);
    expect(joined.json<Message>().reactions[0]).toEqual({
      emoji: emoji[0],
      userIds: [desk.sam.user.id, desk.carla.user.id],
    });
    expect((await react(1)).statusCode).toBe(200); // Kim takes back the only 😁
    expect((await react(MAX_DISTINCT_REACTIONS)).statusCode).toBe(200);
  });
});

/**
 * The database connection breaks right at the commit of a new message: a real fault, from a TCP
 * relay between the server and MariaDB/PostgreSQL. (SQLite has no connection to break; its
 * in-process writes left nothing to fail between commit and publish to begin with.)
 */
describe.skipIf(TEST_DIALECT === 'sqlite')(`a message whose commit meets a fault on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let proxy: TcpProxy;
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let url: string;
  let watcher: TestSocket;
  let assignee: TestSocket;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    proxy = await startTcpProxy(new URL(TEST_SERVICES[TEST_DIALECT as 'mysql' | 'postgres'].url).host);
    t = await startTestApp({ database: testDb, env: { DATABASE_URL: viaProxy(testDb.url, proxy) } });
    const base = await listen(t);
    desk = await setUpDesk(t);
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    url = `/conversations/${ticket.conversationId}/messages`;
    watcher = await connectSocket(base, desk.admin.accessToken);
    await watcher.next('ready');
    watcher.send({ type: 'subscribe', conversationId: ticket.conversationId });
    await watcher.next('subscribed');
    assignee = await connectSocket(base, desk.sam.accessToken);
    await assignee.next('ready');
  });
  afterAll(async () => {
    await watcher?.close();
    await assignee?.close();
    await t?.close();
    await proxy?.close();
    await testDb.drop();
  });

  it.each([
    ['the answer to its commit is lost', false],
    ['reading anything after its commit fails', true],
  ])('[RT-SEND] still reaches live subscribers, once, when %s', async (_, deliverAnswer) => {
    const body = { clientMsgId: `fault-${deliverAnswer}`, body: 'Did this arrive?' };
    const sprung = proxy.cutAfterAnswerTo(/commit/i, { deliverAnswer });
    const first = await as(t, desk.carla).post(url, body);
    await sprung;
    await proxy.restore();
    // The outbox sends again until it gets an answer; so does this test.
    let resent = first;
    await expect
      .poll(async () => (resent = await as(t, desk.carla).post(url, body)).statusCode, { timeout: 10_000 })
      .toBe(200);
    const message = resent.json<Message>();
    expect(resent.json()).toMatchObject({ body: 'Did this arrive?', clientMsgId: body.clientMsgId });

    await watcher.next('message', (f) => f.message.id === message.id);
    // Once more, and a message after it: still one copy for the subscriber, one notice for Sam.
    expect((await as(t, desk.carla).post(url, body)).statusCode).toBe(200);
    const after = (
      await as(t, desk.carla).post(url, { clientMsgId: `after-${deliverAnswer}`, body: 'And this?' })
    ).json<Message>();
    await watcher.next('message', (f) => f.message.id === after.id);
    expect(watcher.all('message').filter((f) => f.message.id === message.id)).toHaveLength(1);
    // Notifications are made after the publish, off the request: wait for the notifier's write
    // (a full suite on two cores once checked before it landed).
    const noticesOfMessage = async () =>
      (
        await t.database.db.selectFrom('notifications').select('data').where('userId', '=', desk.sam.user.id).execute()
      ).filter((n) => JSON.parse(n.data).messageId === message.id).length;
    await expect.poll(noticesOfMessage).toBe(1);
    const live = assignee.all('notification').filter((f) => JSON.stringify(f).includes(message.id));
    expect(live.length).toBeLessThanOrEqual(1);
  });
});
