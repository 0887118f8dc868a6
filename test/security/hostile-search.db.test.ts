import type { Message, SearchResults, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../apps/server/src/ids';
import { startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as, openTicket, setUpTwoDesks, type Desk } from '../../apps/server/src/testing/test-desk';

/**
 * A hostile searcher against every visibility rule. Each secret is a word written once, where
 * only some people may read it; everyone else searches for it every way the language allows
 * (the word, a prefix of it, operators aimed at where it is) and gets exactly what they would
 * if it did not exist: no item, no snippet, no cursor to a next page. Those allowed find it,
 * so each case can fail.
 */
describe(`hostile searcher on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;
  let carlaTicket: Ticket;
  let directId: string;
  let groupId: string;

  const send = async (who: Session, conversationId: string, body: string, extra: object = {}) => {
    const answer = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: newId(),
      body,
      ...extra,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Message>();
  };

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));
    // Carla's ticket is Support's: Otto (Billing) does not work it, Dan is another customer.
    carlaTicket = await openTicket(t, a.carla, {
      subject: 'Walrus subject',
      description: 'Walrusdesc in the description',
      teamId: a.support,
    });
    await send(a.carla, carlaTicket.conversationId, 'walrusreply from Carla');
    await send(a.sam, carlaTicket.conversationId, 'zebranote for agents only', { internal: true });
    const deleted = await send(a.carla, carlaTicket.conversationId, 'lynxdeleted words');
    await as(t, a.carla).delete(`/conversations/${carlaTicket.conversationId}/messages/${deleted.id}`);

    // A private chat between Sam and Kim: no one else, admins included.
    directId = (await as(t, a.sam).post('/conversations/direct', { userId: a.kim.user.id })).json<{ id: string }>().id;
    await send(a.sam, directId, 'penguindm between two agents');

    // Workspace B's own secret.
    const other = await openTicket(t, b.carla, { subject: 'Ocelot other workspace', description: 'ocelotdesc' });
    await send(b.carla, other.conversationId, 'ocelotreply');

    // A group (groups are made by the data layer until group chats ship): Sam, Kim and Otto.
    groupId = newId();
    const now = Date.now();
    const ws = a.sam.user.workspace.id;
    await t.database.db
      .insertInto('conversations')
      .values({
        id: groupId,
        workspaceId: ws,
        kind: 'group',
        title: 'Agents lounge',
        directKey: null,
        createdAt: now,
        updatedAt: now,
        publicUpdatedAt: now,
      })
      .execute();
    for (const who of [a.sam, a.kim, a.otto]) {
      await t.database.db
        .insertInto('conversationMembers')
        .values({ workspaceId: ws, conversationId: groupId, userId: who.user.id, createdAt: now })
        .execute();
    }
    await send(a.kim, groupId, 'capybaragroup from Kim');
    await send(a.otto, groupId, 'capybaragroup from Otto');
  });
  afterAll(() => t.close());

  const search = async (who: Session, q: string, params = '') => {
    const answer = await as(t, who).get(`/search?q=${encodeURIComponent(q)}${params}`);
    expect(answer.statusCode, `${q}: ${answer.body}`).toBe(200);
    return answer.json<SearchResults>();
  };
  /** Every text a search shows, over all kinds: subjects, snippets, names. */
  const shown = (results: SearchResults) => [
    ...(results.messages?.items ?? []).map((m) => `${m.conversationTitle ?? ''} ${m.snippet.text}`),
    ...(results.tickets?.items ?? []).map((i) => `${i.subject.text} ${i.snippet?.text ?? ''}`),
    ...(results.people?.items ?? []).map((p) => p.user.displayName),
  ];
  /** The ways to look for a word: the word, its start while typing, in a phrase, per kind with a page of one. */
  const probes = (word: string) => [word, word.slice(0, 4), `"${word}"`, `${word} `];
  const findsNothing = async (who: Session, word: string, operators = '') => {
    for (const probe of probes(word)) {
      const q = `${probe} ${operators}`.trim();
      const everything = await search(who, q);
      expect(shown(everything), q).toEqual([]);
      for (const kind of ['messages', 'tickets', 'people']) {
        const page = (await search(who, q, `&kind=${kind}&limit=1`))[kind as keyof SearchResults]!;
        expect(page, `${q} ${kind}`).toEqual({ items: [], nextCursor: null });
      }
    }
  };
  const finds = async (who: Session, word: string) =>
    expect(
      shown(await search(who, word))
        .join(' ')
        .toLowerCase(),
    ).toContain(word);

  it('internal notes: staff find them, the customer whose ticket it is does not', async () => {
    await finds(a.sam, 'zebranote');
    await findsNothing(a.carla, 'zebranote');
    await findsNothing(a.carla, 'zebranote', `in:${carlaTicket.id}`);
    await findsNothing(a.carla, 'zebranote', 'is:ticket');
  });

  it("another customer's ticket: not its subject, description, messages, nor by operators aimed at it", async () => {
    for (const word of ['walrus', 'walrusdesc', 'walrusreply']) {
      await finds(a.carla, word);
      await findsNothing(a.dan, word);
    }
    await findsNothing(a.dan, 'walrusreply', `in:${carlaTicket.id}`);
    await findsNothing(a.dan, 'walrusreply', `in:${carlaTicket.conversationId}`);
    await findsNothing(a.dan, 'walrusreply', `from:${a.carla.user.username}`);
    // Operators alone list nothing of hers either.
    expect(shown(await search(a.dan, `in:${carlaTicket.id}`))).toEqual([]);
    expect(shown(await search(a.dan, `from:${a.carla.user.username}`))).toEqual([]);
  });

  it("an agent outside the ticket's team finds nothing of it; its team does", async () => {
    await finds(a.kim, 'walrusreply');
    await findsNothing(a.otto, 'walrus');
    await findsNothing(a.otto, 'walrusreply', 'status:open');
  });

  it('a private chat is found by its two members only, not by an admin', async () => {
    await finds(a.kim, 'penguindm');
    await findsNothing(a.admin, 'penguindm');
    await findsNothing(a.admin, 'penguindm', `in:${directId}`);
    await findsNothing(a.otto, 'penguindm', 'is:dm');
    await findsNothing(a.carla, 'penguindm');
  });

  it('a deleted message is found by no one, its author included', async () => {
    await findsNothing(a.carla, 'lynxdeleted');
    await findsNothing(a.admin, 'lynxdeleted');
  });

  it('another workspace: nothing of it, whoever searches', async () => {
    await finds(b.carla, 'ocelotreply');
    await finds(b.admin, 'ocelot');
    for (const who of [a.admin, a.sam, a.carla]) {
      for (const word of ['ocelot', 'ocelotdesc', 'ocelotreply']) await findsNothing(who, word);
    }
    // Nor its people.
    const people = (await search(a.admin, 'carla')).people!.items.map((p) => p.user.id);
    expect(people).toEqual([a.carla.user.id]);
  });

  it('a block hides the chat with that person both ways, and their words in a group', async () => {
    await finds(a.sam, 'capybaragroup');
    expect((await search(a.sam, 'capybaragroup', '&kind=messages')).messages!.items).toHaveLength(2);

    const block = await as(t, a.kim).put(`/blocks/${a.sam.user.id}`);
    expect(block.statusCode, block.body).toBeLessThan(300);
    await findsNothing(a.sam, 'penguindm');
    await findsNothing(a.kim, 'penguindm');
    // In the group Sam still finds Otto's words, not Kim's.
    const seen = (await search(a.sam, 'capybaragroup', '&kind=messages')).messages!.items.map((m) => m.snippet.text);
    expect(seen).toEqual(['capybaragroup from Otto']);
    const unblock = await as(t, a.kim).delete(`/blocks/${a.sam.user.id}`);
    expect(unblock.statusCode, unblock.body).toBeLessThan(300);
    await finds(a.sam, 'penguindm');
  });

  it('a customer finds no one they do not already deal with', async () => {
    expect((await search(a.dan, 'carla')).people!.items).toEqual([]);
    expect((await search(a.dan, 'sam')).people!.items).toEqual([]);
    expect((await search(a.carla, 'carla')).people!.items.map((p) => p.user.id)).toEqual([a.carla.user.id]);
  });

  it('labels are for staff: a customer may not even ask', async () => {
    const answer = await as(t, a.carla).get(`/search?q=${encodeURIComponent('label:vip walrus')}`);
    expect(answer.statusCode).toBe(403);
    expect(answer.json().error.code).toBe('forbidden');
  });

  it("query syntax of every engine is only text: no error, no match beyond the words' own", async () => {
    const nasty = [
      'walrus*',
      'walrus OR zebranote',
      'NEAR(walrus zebranote)',
      '-walrus',
      '+walrus +zebranote',
      'walrus:*',
      "walrus' OR '1'='1",
      'walrus & zebranote | !x',
      '(walrus) <-> zebranote',
      '"unterminated walrus',
      '%',
      '_',
      '\\',
      '*',
      '""',
      'in:',
      'from:"',
      '@',
      'subject:walrus',
      'body MATCH walrus',
    ];
    for (const q of nasty) {
      const answer = await as(t, a.dan).get(`/search?q=${encodeURIComponent(q)}`);
      expect([200, 400], `${q}: ${answer.body}`).toContain(answer.statusCode);
      if (answer.statusCode === 200) expect(shown(answer.json<SearchResults>()), q).toEqual([]);
      else expect(answer.json().error.code).toBe('validation_failed');
    }
    // The same queries from Carla find only her own words: syntax does not widen a search.
    const carla = shown(await search(a.carla, 'walrus OR zebranote'));
    expect(carla).toEqual([]);
  });
});
