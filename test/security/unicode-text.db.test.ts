import type { Me, Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { registerUser } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as } from '../../apps/server/src/testing/test-desk';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { expectError, frameError, guardUnchanged } from './bad-input-kit';
import { setStage, textFields, type Stage } from './text-fields';

/**
 * Unicode at the edges, in every field a person types. The rule, the same on SQLite, MariaDB
 * and PostgreSQL: any real text is stored and returned exactly, byte for byte (4-byte emoji,
 * ZWJ sequences, right-to-left scripts, combining marks, unnormalized); what no database keeps
 * faithfully (NUL, unpaired surrogates) is refused with validation_failed naming the field.
 * Names (display names, status lines, team names) also refuse line breaks and the bidi
 * controls that could make them read as something else; content keeps them.
 */

const KEPT_EVERYWHERE = [
  { label: 'a 4-byte emoji', value: '😀' },
  { label: 'a ZWJ family emoji', value: '👩‍👩‍👧‍👦' },
  { label: 'flags and skin tones', value: '🇮🇱🇵🇸 👍🏿' },
  { label: 'Hebrew', value: 'שלום עולם' },
  { label: 'Arabic with a right-to-left mark', value: 'مرحبا\u200F 123' },
  { label: 'an unnormalized combining accent', value: 'Cafe\u0301 vs Caf\u00e9' },
  { label: 'mathematical letters outside the BMP', value: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛' },
  { label: 'CJK', value: '工单已解决' },
  { label: 'zero-width joiners and non-joiners', value: 'a\u200Db\u200Cc' },
];

const REFUSED_EVERYWHERE = [
  { label: 'NUL', value: 'a\u0000b' },
  { label: 'a lone high surrogate', value: 'a\uD800b' },
  { label: 'a lone low surrogate', value: 'a\uDC00b' },
  { label: 'a surrogate pair in the wrong order', value: '\uDC00\uD800' },
  { label: 'half an emoji at the end', value: 'cut \uD83D' },
];

/** Kept in content, refused in names. */
const BIDI_AND_LINES = [
  { label: 'a right-to-left override', value: '\u202Egnp.exe' },
  { label: 'a left-to-right embedding', value: '\u202Aabc\u202C' },
  { label: 'a first-strong isolate', value: '\u2068abc\u2069' },
  { label: 'a line break', value: 'first line\nsecond line' },
];

const AT_LIMIT = [
  { label: 'a display name of 64 emoji', field: 'display name', value: '😀'.repeat(64) },
  { label: 'a status of 140 emoji', field: 'status text', value: '👩'.repeat(140) },
  { label: 'a subject of 200 emoji', field: 'ticket subject', value: '🎫'.repeat(200) },
  { label: 'a team name of 64 emoji', field: 'team name', value: '🛟'.repeat(64) },
  // "İ" lower-cases to two characters (i + U+0307): the unique key is twice as long as the name.
  { label: 'a team name of 64 dotted capital Is', field: 'team name', value: 'İ'.repeat(64) },
];

/** Searches and filters that take text; a URL cannot carry a lone surrogate, only bytes. */
const SEARCHES = [
  { label: 'ticket search', param: 'q', url: '/tickets', who: 'carla' },
  { label: 'staff user search', param: 'q', url: '/users', who: 'sam' },
  { label: 'customer username lookup', param: 'q', url: '/users', who: 'carla' },
  { label: 'audit action', param: 'action', url: '/audit', who: 'admin' },
] as const;

describe(`Unicode in every text field on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let n = 0;
  const unique = () => `u${++n}`;

  beforeAll(async () => {
    stage = await setStage();
  });
  afterAll(() => stage.t.close());

  const FIELDS = textFields(() => stage);
  const byLabel = (label: string) => FIELDS.find((f) => f.label === label)!;
  const messageBody = async (id: string) =>
    (await stage.t.database.db.selectFrom('messages').select('body').where('id', '=', id).executeTakeFirstOrThrow())
      .body;
  const readMessage = async (seq: number) =>
    (
      await as(stage.t, stage.desk.sam).get(
        `/conversations/${stage.ticket.conversationId}/messages?afterSeq=${seq - 1}&limit=1`,
      )
    ).json<{ items: Message[] }>().items[0]!.body;
  /** A signed-in socket of Carla's, closed when the test ends. */
  const carlasSocket = async ({ onTestFinished }: TestContext) => {
    const socket = await connectSocket(stage.base, stage.desk.carla.accessToken);
    onTestFinished(() => socket.close());
    await socket.next('ready');
    return socket;
  };

  // Every case here must change nothing, so they run concurrently against one baseline.
  describe.concurrent('refused, changing nothing', () => {
    const unchangedAfter = guardUnchanged(() => stage.t);

    const refused = FIELDS.flatMap((f) =>
      [...REFUSED_EVERYWHERE, ...(f.kind === 'name' ? BIDI_AND_LINES : [])].map((v) => ({ ...v, f, name: f.label })),
    );

    it.each(refused)('refuses $label in a $name with validation_failed naming it', async ({ f, value }) => {
      await unchangedAfter(async () => {
        const error = expectError(await f.write(value), 400, 'validation_failed', f.field);
        expect(error.message).toMatch(/NUL|surrogate|control characters/);
      });
    });

    it.each(AT_LIMIT)('refuses $label plus one', async ({ field, value }) => {
      await unchangedAfter(async () => {
        expectError(await byLabel(field).write(`${value}x`), 400, 'validation_failed', byLabel(field).field);
      });
    });

    it.for(REFUSED_EVERYWHERE)('message.send and message.edit refuse $label', async ({ value }, context) => {
      const socket = await carlasSocket(context);
      const { ticket, editable } = stage;
      for (const frame of [
        { type: 'message.send', conversationId: ticket.conversationId, clientMsgId: unique(), body: value },
        { type: 'message.edit', conversationId: ticket.conversationId, messageId: editable.id, body: value },
      ]) {
        await unchangedAfter(async () => {
          const error = await frameError(socket, frame);
          expect(error.code).toBe('validation_failed');
          expect(error.message).toMatch(/^Invalid frame: body: .*(NUL|surrogate)/);
        });
      }
    });

    const searches = (encoded: ReadonlyArray<{ label: string; encoded: string }>) =>
      SEARCHES.flatMap((s) => encoded.map((v) => ({ ...v, s, search: s.label })));

    it.each(
      searches([
        { label: 'NUL', encoded: 'a%00b' },
        { label: 'NUL alone', encoded: '%00' },
      ]),
    )('refuses $label in the $search', async ({ s, encoded }) => {
      await unchangedAfter(async () => {
        const response = await as(stage.t, stage.desk[s.who]).get(`${s.url}?${s.param}=${encoded}`);
        expectError(response, 400, 'validation_failed', s.param);
      });
    });

    // Bytes that are not UTF-8 (CESU-8 for U+D800, a stray byte) decode to text like any other.
    it.each(
      searches([
        { label: 'a CESU-8 lone surrogate', encoded: '%ED%A0%80' },
        { label: 'a byte that is not UTF-8', encoded: 'a%FFb' },
        { label: 'a truncated UTF-8 sequence', encoded: 'x%F0%9F%98' },
        { label: 'a broken percent escape', encoded: '%E0%A4%A' },
      ]),
    )('answers $label in the $search with a page, finding nothing', async ({ s, encoded }) => {
      await unchangedAfter(async () => {
        const response = await as(stage.t, stage.desk[s.who]).get(`${s.url}?${s.param}=${encoded}`);
        expect(response.statusCode, response.body).toBe(200);
        expect(response.json().items).toEqual([]);
      });
    });

    it('refuses NUL in a sign-in name the same on every database', async () => {
      await unchangedAfter(async () => {
        const response = await stage.t.app.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { login: `${stage.desk.carla.user.username}\u0000`, password: 'correct horse battery' },
        });
        expectError(response, 400, 'validation_failed', 'login');
      });
    });
  });

  describe('kept exactly as sent', () => {
    const kept = FIELDS.flatMap((f) =>
      [...KEPT_EVERYWHERE, ...(f.kind === 'content' ? BIDI_AND_LINES : [])].map((v) => ({ ...v, f, name: f.label })),
    );

    it.each(kept)('keeps $label in a $name, byte for byte', async ({ f, value }) => {
      const response = await f.write(value);
      expect(response.statusCode, response.body).toBeLessThan(300);
      const stored = await f.stored(response);
      expect(stored).toEqual({ answered: value, read: value, row: value });
      expect(Buffer.from(stored.row!).equals(Buffer.from(value))).toBe(true);
    });

    it.each(AT_LIMIT)('stores $label: lengths count characters, as the columns do', async ({ field, value }) => {
      const response = await byLabel(field).write(value);
      expect(response.statusCode, response.body).toBeLessThan(300);
      expect(await byLabel(field).stored(response)).toEqual({ answered: value, read: value, row: value });
    });

    it.for([...KEPT_EVERYWHERE, ...BIDI_AND_LINES])('message.send keeps $label', async ({ value }, context) => {
      const socket = await carlasSocket(context);
      const clientMsgId = unique();
      socket.send({ type: 'message.send', conversationId: stage.ticket.conversationId, clientMsgId, body: value });
      const ack = await socket.next('ack', (a) => a.clientMsgId === clientMsgId);
      expect(await readMessage(ack.seq)).toBe(value);
      expect(await messageBody(ack.messageId)).toBe(value);
    });

    it.each(KEPT_EVERYWHERE)('finds tickets and people by $label', async ({ value }) => {
      const { t, desk } = stage;
      const mine = (
        await as(t, desk.carla).post('/tickets', { subject: `Re: ${value} !`, description: 'x' })
      ).json<Ticket>();
      const found = (await as(t, desk.carla).get(`/tickets?q=${encodeURIComponent(value)}`)).json<{
        items: Ticket[];
      }>();
      expect(found.items.map((i) => i.id)).toContain(mine.id);
      const has = (text: string) => text.toLowerCase().includes(value.toLowerCase());
      expect(found.items.every((i) => has(i.subject) || has(i.description))).toBe(true);

      const person = await registerUser(t.app, { displayName: `The ${value} one` });
      const people = (await as(t, desk.sam).get(`/users?q=${encodeURIComponent(value)}`)).json<{ items: Me[] }>();
      expect(people.items.map((p) => p.id)).toContain(person.user.id);
    });

    it('matches case-insensitively beyond ASCII, on every database', async () => {
      const { t, desk } = stage;
      const subject = 'Ärger in İstanbul mit der ÜBERWEISUNG';
      const mine = (await as(t, desk.carla).post('/tickets', { subject, description: 'x' })).json<Ticket>();
      for (const q of ['ärger', 'ÄRGER', 'überweisung', 'Überweisung', 'İstanbul']) {
        const found = (await as(t, desk.carla).get(`/tickets?q=${encodeURIComponent(q)}`)).json<{ items: Ticket[] }>();
        expect(
          found.items.map((i) => i.id),
          q,
        ).toEqual([mine.id]);
      }
    });
  });
});
