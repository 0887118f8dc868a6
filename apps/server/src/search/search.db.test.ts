import type { Attachment, Highlighted, Message, SearchResults, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../http/cursor';
import { newId } from '../ids';
import { manualClock, startTestApp, bearer, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { multipart } from '../testing/multipart';
import { RANKED_MATCHES } from './search-repository';
import { pngImage } from '../testing/upload-image';

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T09:00:00Z');

/** Search: one query over tickets, messages and people, on every database's own engine. */
describe(`search on ${TEST_DIALECT}`, () => {
  const clock = manualClock(START);
  let t: TestApp;
  let desk: Desk;
  let printer: Ticket;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000', LOG_LEVEL: 'error' } });
    desk = await setUpDesk(t);
    printer = await openTicket(t, desk.carla, {
      subject: 'Printer on fire',
      description: 'The toner smells of smoke since Monday.',
    });
  });
  afterAll(() => t.close());

  const search = async (who: Session, q: string, params = '') => {
    const answer = await as(t, who).get(`/search?q=${encodeURIComponent(q)}${params}`);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<SearchResults>();
  };
  const messageTexts = async (who: Session, q: string) =>
    (await search(who, q, '&kind=messages')).messages!.items.map((m) => m.snippet.text);
  const send = async (who: Session, conversationId: string, body: string, extra: object = {}) => {
    clock.advance(1000);
    const answer = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: newId(),
      body,
      ...extra,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Message>();
  };
  /** The highlighted parts of a text, as strings. */
  const marked = (h: Highlighted) => h.highlights.map(([from, to]) => h.text.slice(from, to));

  it('finds a ticket by its subject or description and a message by its body, with the matches marked', async () => {
    await send(desk.sam, printer.conversationId, 'Please try resetting the fuser unit.');

    const bySubject = await search(desk.carla, 'printer ');
    expect(bySubject.tickets!.items.map((i) => i.ticketId)).toEqual([printer.id]);
    expect(marked(bySubject.tickets!.items[0]!.subject)).toEqual(['Printer']);
    expect(bySubject.tickets!.items[0]!.snippet).toBeNull();

    const byDescription = await search(desk.carla, 'smoke toner');
    expect(byDescription.tickets!.items[0]!.snippet).toEqual({
      text: 'The toner smells of smoke since Monday.',
      highlights: [
        [4, 9],
        [20, 25],
      ],
    });

    const byBody = (await search(desk.carla, 'fuser')).messages!.items;
    expect(byBody).toHaveLength(1);
    expect(byBody[0]).toMatchObject({
      conversationId: printer.conversationId,
      conversationKind: 'ticket',
      conversationTitle: 'Printer on fire',
      ticketId: printer.id,
      kind: 'text',
      sender: { id: desk.sam.user.id, displayName: 'Sam Agent', bot: false },
    });
    expect(marked(byBody[0]!.snippet)).toEqual(['fuser']);
  });

  it('finds what a message says now: edited text, not the old one; nothing of a deleted message', async () => {
    const message = await send(desk.carla, printer.conversationId, 'The kettle in the break room is broken too');
    expect(await messageTexts(desk.carla, 'kettle')).toHaveLength(1);

    const edit = await as(t, desk.carla).patch(`/conversations/${printer.conversationId}/messages/${message.id}`, {
      body: 'The espresso machine in the break room is broken too',
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(await messageTexts(desk.carla, 'kettle')).toEqual([]);
    expect(await messageTexts(desk.carla, 'espresso')).toEqual([
      'The espresso machine in the break room is broken too',
    ]);

    const removal = await as(t, desk.carla).delete(`/conversations/${printer.conversationId}/messages/${message.id}`);
    expect(removal.statusCode, removal.body).toBe(200);
    expect(await messageTexts(desk.carla, 'espresso')).toEqual([]);
  });

  it('finds a message by the name of a file attached to it', async () => {
    const body = multipart({ fileName: 'whiteboard-sketch.png', contentType: 'image/png', content: await pngImage() });
    const upload = await t.app.inject({
      method: 'POST',
      url: `/conversations/${printer.conversationId}/attachments`,
      headers: { ...bearer(desk.carla), 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    await send(desk.carla, printer.conversationId, 'Here is what I drew', {
      attachmentIds: [upload.json<Attachment>().id],
    });

    const hits = (await search(desk.carla, 'whiteboard')).messages!.items;
    expect(hits.map((h) => h.snippet.text)).toEqual(['whiteboard-sketch.png']);
    expect(marked(hits[0]!.snippet)).toEqual(['whiteboard']);
    expect(await messageTexts(desk.carla, 'drew has:attachment')).toEqual(['Here is what I drew']);
    expect(await messageTexts(desk.carla, 'fuser has:attachment')).toEqual([]);
  });

  it('ignores case and accents, matches the last word as a prefix while typing, and phrases in order', async () => {
    const ticket = await openTicket(t, desk.dan, { subject: 'Travel', description: 'Booking' });
    await send(desk.dan, ticket.conversationId, 'Café Zürich RÉSUMÉ 🔥 sam@example.com');
    const find = (q: string) => messageTexts(desk.dan, q);
    const found = ['Café Zürich RÉSUMÉ 🔥 sam@example.com'];

    expect(await find('cafe')).toEqual(found);
    expect(await find('ZURICH résumé')).toEqual(found);
    expect(await find('zur')).toEqual(found); // typing: "zur" is the start of a word
    expect(await find('zur ')).toEqual([]); // a finished word must match whole
    expect(await find('"zurich resume"')).toEqual(found);
    expect(await find('"resume zurich"')).toEqual([]);
    expect(await find('example')).toEqual(found);
    expect(await find('sam@example.com')).toEqual(found);
    expect(marked((await search(desk.dan, 'cafe zurich', '&kind=messages')).messages!.items[0]!.snippet)).toEqual([
      'Café',
      'Zürich',
    ]);
    // An emoji is not a word: the query has nothing to look for, and says so with no results.
    expect(await find('🔥')).toEqual([]);
  });

  it('finds a run of CJK text by its beginning', async () => {
    const ticket = await openTicket(t, desk.dan, { subject: 'Tokyo office', description: 'Visit' });
    await send(desk.dan, ticket.conversationId, '東京都に行きました');
    expect(await messageTexts(desk.dan, '東京')).toEqual(['東京都に行きました']);
  });

  it('ranks by relevance, then the newest first, and pages by cursor without repeats', async () => {
    const ticket = await openTicket(t, desk.carla, { subject: 'Refund request', description: 'Order 1234' });
    const other = await openTicket(t, desk.carla, {
      subject: 'Shipping address',
      description: 'Also: is a refund possible?',
    });
    const tickets = (await search(desk.carla, 'refund ')).tickets!.items.map((i) => i.ticketId);
    expect(tickets).toEqual([ticket.id, other.id]); // in the subject ranks above in the description

    for (let i = 1; i <= 12; i++) await send(desk.carla, ticket.conversationId, `Tracking update ${i} of my parcel`);
    const texts: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page: SearchResults = await search(
        desk.carla,
        'parcel tracking',
        `&kind=messages&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      texts.push(...page.messages!.items.map((m) => m.snippet.text));
      cursor = page.messages!.nextCursor;
      pages += 1;
      // A message sent meanwhile does not shift the pages already started.
      if (pages === 1) await send(desk.carla, ticket.conversationId, 'Tracking the parcel again');
    }
    expect(pages).toBe(3);
    expect(texts).toEqual(Array.from({ length: 12 }, (_, i) => `Tracking update ${12 - i} of my parcel`));
    expect((await messageTexts(desk.carla, 'parcel tracking'))[0]).toBe('Tracking the parcel again');
  });

  it('ranks only the newest matches of a word that is everywhere, and pages stop where they end', async () => {
    // A thread full of one word, written straight to the table (the indexes follow it as they
    // follow every write): the best match of all is the oldest, so past the ranked ones.
    const { workspaceId } = await t.database.db
      .selectFrom('conversations')
      .select('workspaceId')
      .where('id', '=', printer.conversationId)
      .executeTakeFirstOrThrow();
    const at = clock.now() - 30 * DAY;
    const rows = Array.from({ length: RANKED_MATCHES + 10 }, (_, i) => ({
      id: newId(),
      workspaceId,
      conversationId: printer.conversationId,
      seq: 100_000 + i,
      senderId: desk.sam.user.id,
      kind: 'text' as const,
      body: i === 0 ? 'quasar quasar quasar' : `the quasar report number ${i} is in`,
      clientMsgId: null,
      createdAt: at + i * 1000,
      editedAt: null,
      deletedAt: null,
      systemEvent: null,
    }));
    for (let i = 0; i < rows.length; i += 50) {
      await t.database.db
        .insertInto('messages')
        .values(rows.slice(i, i + 50))
        .execute();
    }

    const seen: string[] = [];
    let params = '&kind=messages&limit=50';
    for (;;) {
      const page = (await search(desk.sam, 'quasar', params)).messages!;
      seen.push(...page.items.map((m) => m.messageId));
      if (!page.nextCursor) break;
      params = `&kind=messages&limit=50&cursor=${page.nextCursor}`;
    }
    expect(seen).toHaveLength(RANKED_MATCHES);
    expect(new Set(seen).size).toBe(RANKED_MATCHES);
    expect(seen).not.toContain(rows[0]!.id);
    expect(seen[seen.length - 1]).toBe(rows[10]!.id);

    const forged = await as(t, desk.sam).get(
      `/search?q=quasar&kind=messages&cursor=${encodeCursor([RANKED_MATCHES, clock.now()])}`,
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('validation_failed');
  });

  it('narrows with operators: in, from, is, status, priority, label, before and after', async () => {
    clock.advance(START + 10 * DAY - clock.now());
    const wifi = await openTicket(t, desk.carla, {
      subject: 'Wifi drops',
      description: 'Every hour',
      priority: 'high',
    });
    await send(desk.carla, wifi.conversationId, 'The router blinks orange');
    await send(desk.sam, wifi.conversationId, 'Is the router firmware current?');
    clock.advance(START + 12 * DAY - clock.now());
    const dm = await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id });
    const dmId = dm.json<{ id: string }>().id;
    await send(desk.sam, dmId, 'Router vendor called back');

    const ids = async (who: Session, q: string) =>
      (await search(who, q, '&kind=messages')).messages!.items.map((m) => m.snippet.text).sort();
    expect(await ids(desk.sam, 'router')).toEqual([
      'Is the router firmware current?',
      'Router vendor called back',
      'The router blinks orange',
    ]);
    expect(await ids(desk.sam, `router in:${wifi.id}`)).toEqual([
      'Is the router firmware current?',
      'The router blinks orange',
    ]);
    expect(await ids(desk.sam, `router in:${dmId}`)).toEqual(['Router vendor called back']);
    expect(await ids(desk.sam, `router from:${desk.carla.user.username}`)).toEqual(['The router blinks orange']);
    expect(await ids(desk.sam, 'router from:me')).toEqual([
      'Is the router firmware current?',
      'Router vendor called back',
    ]);
    expect(await ids(desk.sam, 'router is:dm')).toEqual(['Router vendor called back']);
    expect(await ids(desk.sam, 'router is:ticket priority:high status:open')).toHaveLength(2);
    expect(await ids(desk.sam, 'router priority:low')).toEqual([]);
    expect(await ids(desk.sam, 'router after:2026-03-14')).toEqual(['Router vendor called back']);
    expect(await ids(desk.sam, 'router before:2026-03-14')).toHaveLength(2);
    expect(await ids(desk.sam, 'router from:nobody-at-all')).toEqual([]);

    // Operators alone list what they narrow to, newest first.
    const fromCarla = await search(desk.sam, `in:${wifi.id} from:${desk.carla.user.username}`);
    expect(fromCarla.messages!.items.map((m) => m.snippet.text)).toEqual(['The router blinks orange']);
    expect(fromCarla.people!.items).toEqual([]);

    const label = await as(t, desk.admin).post('/labels', { name: 'Needs review', colour: '#336699' });
    expect(label.statusCode, label.body).toBe(201);
    await as(t, desk.sam).put(`/tickets/${wifi.id}/labels`, { labelIds: [label.json<{ id: string }>().id] });
    const labelled = await search(desk.sam, 'label:"needs review"');
    expect(labelled.tickets!.items.map((i) => i.ticketId)).toEqual([wifi.id]);
    expect(labelled.messages!.items).toHaveLength(2);
    expect((await search(desk.sam, 'label:"needs review" firmware')).messages!.items).toHaveLength(1);
    expect((await search(desk.sam, 'label:"Unknown label" router')).messages!.items).toEqual([]);
  });

  it('says which operator is wrong, and keeps labels for staff', async () => {
    for (const q of ['status:sleeping', 'before:yesterday', 'is:channel', 'priority:']) {
      const answer = await as(t, desk.sam).get(`/search?q=${encodeURIComponent(q)}`);
      expect(answer.statusCode, q).toBe(400);
      expect(answer.json().error.code).toBe('validation_failed');
      expect(answer.json().error.message).toContain(q.split(':')[0]);
    }
    const customer = await as(t, desk.carla).get(`/search?q=${encodeURIComponent('label:refund')}`);
    expect(customer.statusCode).toBe(403);
    const cursorAlone = await as(t, desk.carla).get('/search?q=x&cursor=abc');
    expect(cursorAlone.statusCode).toBe(400);
  });

  it('finds people by name: staff anyone active, a customer only people they already deal with', async () => {
    const staffView = (await search(desk.sam, 'car')).people!.items;
    expect(staffView.map((p) => p.user.id)).toEqual([desk.carla.user.id]);
    expect(marked(staffView[0]!.displayName)).toEqual(['Carla']);
    expect((await search(desk.sam, 'agent')).people!.items.map((p) => p.user.displayName).sort()).toEqual([
      'Kim Agent',
      'Sam Agent',
    ]);
    // Dan may not browse the directory: Carla is no one he deals with; Sam answered his tickets? Not yet.
    expect((await search(desk.dan, 'carla')).people!.items).toEqual([]);
    expect((await search(desk.dan, 'dan')).people!.items.map((p) => p.user.id)).toEqual([desk.dan.user.id]);
  });
});
