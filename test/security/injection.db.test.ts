import type { Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as } from '../../apps/server/src/testing/test-desk';
import { expectError, forgeCursor, guardUnchanged, snapshotDatabase, type Snapshot } from './bad-input-kit';
import { setStage, textFields, type Stage } from './text-fields';

/**
 * SQL injection and XSS payloads in every text field and every filter. Text is stored and
 * returned literally, searched literally (`%` finds a literal percent sign and nothing else),
 * never changes a row it was not written to, and always comes back as JSON text.
 */

const SQL = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '" OR ""="',
  "'; DROP TABLE users; --",
  '"; DROP TABLE users; --',
  "' UNION SELECT password_hash FROM users --",
  "'||(SELECT password_hash FROM users LIMIT 1)||'",
  '1; SELECT pg_sleep(5); --',
  "') OR SLEEP(5) OR ('",
  "admin'--",
  '%',
  '_',
  '%_%',
  '\\',
  "\\'",
  '\\%',
  '!',
  '!%',
  '$1',
  '?',
  '`users`',
  '/* */',
];

/** The classics, for the text fields; the searches take every one above. */
const SQL_IN_TEXT = [
  "' OR 1=1 --",
  "'; DROP TABLE users; --",
  '"; DROP TABLE users; --',
  "' UNION SELECT password_hash FROM users --",
  "'||(SELECT password_hash FROM users LIMIT 1)||'",
  "') OR SLEEP(5) OR ('",
  '%_%',
  "\\'",
  '!%',
  '`users`',
];

const XSS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '"><svg/onload=alert(1)>',
  '</script><script>alert(document.cookie)</script>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  "{{constructor.constructor('alert(1)')()}}",
];

/** Tables changed between two snapshots. */
const changedTables = (before: Snapshot, after: Snapshot) =>
  Object.keys(after).filter((table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]));

/** Rows of a table in `before` but not in `after`: a row a write changed shows up here. */
const rowsGone = (before: Snapshot, after: Snapshot, table: string) =>
  (before[table] ?? []).filter((row) => !after[table]?.includes(row));

describe(`injection payloads on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let searcher: Session;
  let searcherTickets: Ticket[];

  beforeAll(async () => {
    stage = await setStage();
    // A customer of their own, so the tickets a search may find are exactly these.
    searcher = await registerUser(stage.t.app);
    searcherTickets = [];
    for (const subject of [...SQL.map((p) => `About ${p} here`), 'plain', '100 percent', 'under score', 'back slash']) {
      const response = await as(stage.t, searcher).post('/tickets', { subject, description: 'x' });
      searcherTickets.push(response.json<Ticket>());
    }
  });
  afterAll(() => stage.t.close());

  const FIELDS = textFields(() => stage);

  // Every case here must change nothing, so they run concurrently against one baseline (taken
  // before the writes below fill the tables, which keeps the comparisons cheap).
  describe.concurrent('refused or read-only, changing nothing', () => {
    const unchangedAfter = guardUnchanged(() => stage.t);

    describe('in searches', () => {
      it.each(SQL)('a ticket search for %s finds exactly the subjects containing it', async (q) => {
        await unchangedAfter(async () => {
          const response = await as(stage.t, searcher).get(`/tickets?q=${encodeURIComponent(q)}&limit=100`);
          expect(response.statusCode, response.body).toBe(200);
          const expected = searcherTickets.filter((ticket) => ticket.subject.toLowerCase().includes(q.toLowerCase()));
          expect(expected.length).toBeGreaterThan(0);
          expect(
            response
              .json<{ items: Ticket[] }>()
              .items.map((i) => i.id)
              .sort(),
          ).toEqual(expected.map((i) => i.id).sort());
        });
      });

      it('finds only the literal percent sign, underscore and backslash', async () => {
        const search = async (q: string) =>
          (await as(stage.t, searcher).get(`/tickets?q=${encodeURIComponent(q)}&limit=100`))
            .json<{ items: Ticket[] }>()
            .items.map((i) => i.subject)
            .sort();
        expect(await search('%')).toEqual(['About % here', 'About %_% here', 'About \\% here', 'About !% here'].sort());
        expect(await search('_')).toEqual(
          [
            'About _ here',
            'About %_% here',
            'About 1; SELECT pg_sleep(5); -- here',
            "About ' UNION SELECT password_hash FROM users -- here",
            "About '||(SELECT password_hash FROM users LIMIT 1)||' here",
          ].sort(),
        );
        expect(await search('\\')).toEqual(['About \\ here', "About \\' here", 'About \\% here'].sort());
      });

      it.each(SQL)('a staff directory search for %s finds exactly the people whose names contain it', async (q) => {
        const users = await stage.t.database.db
          .selectFrom('users')
          .select(['id', 'usernameKey', 'displayName'])
          .execute();
        const expected = users
          .filter(
            (u) => u.usernameKey.includes(q.toLowerCase()) || u.displayName.toLowerCase().includes(q.toLowerCase()),
          )
          .map((u) => u.id)
          .sort();
        await unchangedAfter(async () => {
          const response = await as(stage.t, stage.desk.sam).get(`/users?q=${encodeURIComponent(q)}&limit=100`);
          expect(response.statusCode, response.body).toBe(200);
          expect(
            response
              .json<{ items: Array<{ id: string }> }>()
              .items.map((u) => u.id)
              .sort(),
          ).toEqual(expected);
        });
      });

      it.each(SQL)('a customer username lookup for %s finds nobody', async (q) => {
        await unchangedAfter(async () => {
          const response = await as(stage.t, searcher).get(`/users?q=${encodeURIComponent(q)}`);
          expect(response.statusCode, response.body).toBe(200);
          expect(response.json().items).toEqual([]);
        });
      });

      it.each(SQL)('an audit filter on action %s matches no entry', async (q) => {
        await unchangedAfter(async () => {
          const response = await as(stage.t, stage.desk.admin).get(`/audit?action=${encodeURIComponent(q)}`);
          expect(response.statusCode, response.body).toBe(200);
          expect(response.json().items).toEqual([]);
        });
      });
    });

    describe('in filters that take a fixed set of values', () => {
      const FILTERS = [
        { url: '/tickets', param: 'status', who: () => searcher },
        { url: '/tickets', param: 'priority', who: () => searcher },
        { url: '/tickets', param: 'assigneeId', who: () => searcher },
        { url: '/tickets', param: 'teamId', who: () => searcher },
        { url: '/tickets', param: 'requesterId', who: () => stage.desk.admin },
        { url: '/tickets', param: 'sort', who: () => searcher },
        { url: '/tickets', param: 'limit', who: () => searcher },
        { url: '/users', param: 'limit', who: () => stage.desk.sam },
        { url: '/audit', param: 'entityType', who: () => stage.desk.admin },
        { url: '/audit', param: 'entityId', who: () => stage.desk.admin },
        { url: '/audit', param: 'actorId', who: () => stage.desk.admin },
        { url: '/notifications', param: 'unread', who: () => searcher },
        { url: '/friend-requests', param: 'direction', who: () => searcher },
        { url: '/friend-requests', param: 'status', who: () => searcher },
        { url: '/conversations', param: 'limit', who: () => searcher },
        { url: '/contacts', param: 'limit', who: () => searcher },
        { url: '/blocks', param: 'limit', who: () => searcher },
        { url: 'messages', param: 'afterSeq', who: () => stage.desk.carla },
        { url: 'messages', param: 'beforeSeq', who: () => stage.desk.carla },
        { url: 'messages', param: 'limit', who: () => stage.desk.carla },
      ];
      const PAYLOADS = [
        "' OR 1=1 --",
        "open' OR '1'='1",
        '1; DROP TABLE tickets',
        '%',
        '1 UNION SELECT 1',
        '-1',
        '1e99',
      ];
      const filterCases = FILTERS.flatMap((f) =>
        PAYLOADS.map((value) => ({
          ...f,
          value,
          where: `${f.url} ${f.param}`,
        })),
      );
      const urlOf = (url: string) =>
        url === 'messages' ? `/conversations/${stage.ticket.conversationId}/messages` : url;

      it.each(filterCases)(
        'refuses $where = $value with validation_failed naming it',
        async ({ url, param, value, who }) => {
          await unchangedAfter(async () => {
            const response = await as(stage.t, who()).get(`${urlOf(url)}?${param}=${encodeURIComponent(value)}`);
            expectError(response, 400, 'validation_failed', param);
          });
        },
      );
    });

    describe('in pagination cursors', () => {
      /** Every paginated list, with the shape of its cursor key. */
      const LISTS = [
        { url: '/tickets', key: 'number,string', who: () => searcher },
        { url: '/tickets?sort=priority', key: 'number,number,string', who: () => searcher },
        { url: '/users', key: 'string', who: () => stage.desk.sam },
        { url: '/audit', key: 'string', who: () => stage.desk.admin },
        { url: '/conversations', key: 'number,string', who: () => searcher },
        { url: '/notifications', key: 'number,string', who: () => searcher },
        { url: '/friend-requests', key: 'number,string', who: () => searcher },
        { url: '/contacts', key: 'number,string', who: () => searcher },
        { url: '/blocks', key: 'number,string', who: () => searcher },
      ];
      const FORGED = [
        { label: 'not base64url JSON', cursor: () => encodeURIComponent("' OR 1=1 --") },
        { label: 'a JSON string', cursor: () => forgeCursor("' OR 1=1 --") },
        { label: 'a JSON object', cursor: () => forgeCursor({ id: { $gt: '' } }) },
        { label: 'an empty array', cursor: () => forgeCursor([]) },
        { label: 'nulls', cursor: () => forgeCursor([null, null]) },
        { label: 'a fraction', cursor: () => forgeCursor([1.5, 'x']) },
        { label: 'a number too big for a double', cursor: () => forgeCursor([1e300, 'x']) },
        { label: 'a number past 2^53', cursor: () => forgeCursor([2 ** 53 + 2, 'x']) },
        { label: 'NUL in the text', cursor: () => forgeCursor([1, 'x\u0000']) },
        { label: 'NUL alone', cursor: () => forgeCursor(['\u0000']) },
        { label: 'a lone surrogate', cursor: () => forgeCursor([1, '\uD800']) },
        { label: 'SQL as a number', cursor: () => forgeCursor(['1 OR 1=1', 'x']) },
      ];
      const cursorCases = LISTS.flatMap((list) => FORGED.map((forged) => ({ ...list, ...forged })));

      it.each(cursorCases)('refuses a forged cursor on $url: $label', async ({ url, cursor, who }) => {
        await unchangedAfter(async () => {
          const response = await as(stage.t, who()).get(`${url}${url.includes('?') ? '&' : '?'}cursor=${cursor()}`);
          expectError(response, 400, 'validation_failed', 'cursor');
        });
      });

      it.each(LISTS)('compares SQL in a well-shaped cursor on $url as a plain value', async ({ url, key, who }) => {
        const parts = key.split(',').map((type) => (type === 'number' ? 0 : "' OR 1=1 --"));
        await unchangedAfter(async () => {
          const response = await as(stage.t, who()).get(
            `${url}${url.includes('?') ? '&' : '?'}cursor=${forgeCursor(parts)}&limit=100`,
          );
          expect(response.statusCode, response.body).toBe(200);
          // A time key of 0: nothing is older than 1970, so nothing is on the page, where "OR 1=1"
          // would have listed everything. (Text keys order by each database's collation.)
          if (key !== 'string') expect(response.json().items).toEqual([]);
        });
      });
    });

    describe('XSS on the way out', () => {
      const URLS = [
        '/<script>alert(1)</script>',
        '/tickets/<img src=x onerror=alert(1)>',
        '/tickets?q=<script>alert(1)</script>&status=<b>',
        '/users/"><svg onload=alert(1)>',
        '/avatars/javascript:alert(1)',
      ];

      it.each(URLS)('answers %s in the error shape, as JSON', async (url) => {
        await unchangedAfter(async () => {
          const response = await as(stage.t, stage.desk.carla).get(url);
          expect([400, 404]).toContain(response.statusCode);
          expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(response.headers['x-content-type-options']).toBe('nosniff');
          expect(response.json().error.code).toMatch(/^(validation_failed|not_found)$/);
        });
      });
    });
  });

  describe.each(FIELDS.map((f) => ({ f, name: f.label })))('as text in a $name', ({ f }) => {
    let before: Snapshot;
    beforeAll(async () => {
      await stage.t.app.notifications.settled(); // the earlier writes' notifications are in `before`
      before = await snapshotDatabase(stage.t.database.db);
    });

    it.each([...SQL_IN_TEXT, ...XSS])('stores %s literally, and answers it as JSON', async (value) => {
      const response = await f.write(value);
      expect(response.statusCode, response.body).toBeLessThan(300);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(await f.stored(response)).toEqual({ answered: value, read: value, row: value });
    });

    it('changed no row it was not written to', async () => {
      await stage.t.app.notifications.settled();
      const after = await snapshotDatabase(stage.t.database.db);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      expect(changedTables(before, after).filter((table) => !f.touches.includes(table))).toEqual([]);
      // An update rewrites its one row per table (the ticket, the sender's read cursor...);
      // every other row that was there is there still, unchanged.
      for (const table of f.touches) expect(rowsGone(before, after, table).length, table).toBeLessThanOrEqual(1);
    });
  });
});
