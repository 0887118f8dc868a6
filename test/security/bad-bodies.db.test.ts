import type { Message, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { bearer, listen, startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as, openTicket, setUpDesk } from '../../apps/server/src/testing/test-desk';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { expectError, fence, guardUnchanged, snapshotDatabase } from './bad-input-kit';

/**
 * Bodies no client of ours would send: broken JSON, the wrong media type, wrong types in every
 * field of every write, strings past every maximum, absurd nesting. Each gets a typed 4xx and
 * leaves every table exactly as it was; none reaches a 500 or takes the server down.
 */

type Kind = 'text' | 'enum' | 'id' | 'boolean' | 'ids' | 'seq';

/** Values of the wrong type (or shape) for each kind of field. */
const WRONG: Record<Kind, unknown[]> = {
  text: [42, true, null, ['x'], { x: 'y' }],
  enum: ['no-such-option', 42, null, ['open'], { value: 'open' }],
  id: ['not-an-id', '01arz3ndektsv4rrffq69g5fav', 42, null, [], {}],
  boolean: ['true', 1, null, [true], {}],
  ids: ['01ARZ3NDEKTSV4RRFFQ69G5FAV', ['not-an-id'], 42, null, {}],
  // 2^31: seqs are 32-bit INTEGER columns, and PostgreSQL cannot even compare one past that.
  seq: ['1', -1, 1.5, 2 ** 31, true, null, [1]],
};

const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

interface Field {
  name: string;
  kind: Kind;
  /** null is a valid value (it clears the field). */
  nullable?: boolean;
  /** The longest string accepted; one more character must be refused. */
  max?: number;
  /** A string over `max` that is otherwise valid, when 'x' repeated would not be. */
  tooLong?: string;
}

interface WriteRoute {
  name: string;
  method: 'POST' | 'PATCH';
  url: () => string;
  who: () => Session | null;
  /** A body the route accepts; each case breaks one field of it. */
  valid: () => Record<string, unknown>;
  fields: Field[];
}

describe(`bad request bodies on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  let message: Message;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    message = (
      await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: 'bodies-1',
        body: 'The printer is on fire',
      })
    ).json<Message>();
  });
  afterAll(() => t.close());

  const inject = (method: 'POST' | 'PATCH', url: string, who: Session | null, payload: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { ...(who && bearer(who)), 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });

  const ROUTES: WriteRoute[] = [
    {
      name: 'register',
      method: 'POST',
      url: () => '/auth/register',
      who: () => null,
      valid: () => ({
        email: 'newbie@example.com',
        username: 'newbie',
        password: 'correct horse battery',
        displayName: 'New',
      }),
      fields: [
        { name: 'email', kind: 'text', max: 254, tooLong: `${'x'.repeat(243)}@example.com` },
        { name: 'username', kind: 'text', max: 32 },
        { name: 'password', kind: 'text', max: 256 },
        { name: 'displayName', kind: 'text', max: 64 },
      ],
    },
    {
      name: 'login',
      method: 'POST',
      url: () => '/auth/login',
      who: () => null,
      valid: () => ({ login: desk.carla.user.username, password: 'correct horse battery' }),
      fields: [
        { name: 'login', kind: 'text', max: 254 },
        { name: 'password', kind: 'text', max: 256 },
      ],
    },
    {
      name: 'create ticket',
      method: 'POST',
      url: () => '/tickets',
      who: () => desk.carla,
      valid: () => ({ subject: 'Paper jam', description: 'Again.', priority: 'high', teamId: desk.support }),
      fields: [
        { name: 'subject', kind: 'text', max: 200 },
        { name: 'description', kind: 'text', max: 10_000 },
        { name: 'priority', kind: 'enum' },
        { name: 'teamId', kind: 'id' },
      ],
    },
    {
      name: 'update ticket',
      method: 'PATCH',
      url: () => `/tickets/${ticket.id}`,
      who: () => desk.sam,
      valid: () => ({ status: 'in_progress', priority: 'low', assigneeId: desk.sam.user.id, teamId: desk.support }),
      fields: [
        { name: 'status', kind: 'enum' },
        { name: 'priority', kind: 'enum' },
        { name: 'assigneeId', kind: 'id', nullable: true },
        { name: 'teamId', kind: 'id', nullable: true },
      ],
    },
    {
      name: 'send message',
      method: 'POST',
      url: () => `/conversations/${ticket.conversationId}/messages`,
      who: () => desk.carla,
      valid: () => ({ clientMsgId: 'bodies-new', body: 'Hello', internal: false, attachmentIds: [] }),
      fields: [
        { name: 'clientMsgId', kind: 'text', max: 64 },
        { name: 'body', kind: 'text', max: 10_000 },
        { name: 'internal', kind: 'boolean' },
        { name: 'attachmentIds', kind: 'ids' },
      ],
    },
    {
      name: 'edit message',
      method: 'PATCH',
      url: () => `/conversations/${ticket.conversationId}/messages/${message.id}`,
      who: () => desk.carla,
      valid: () => ({ body: 'Edited' }),
      fields: [{ name: 'body', kind: 'text', max: 10_000 }],
    },
    {
      name: 'react',
      method: 'POST',
      url: () => `/conversations/${ticket.conversationId}/messages/${message.id}/reactions`,
      who: () => desk.carla,
      valid: () => ({ emoji: '👍' }),
      fields: [{ name: 'emoji', kind: 'text', max: 32, tooLong: '👍'.repeat(33) }],
    },
    {
      name: 'mark read',
      method: 'POST',
      url: () => `/conversations/${ticket.conversationId}/read`,
      who: () => desk.sam,
      valid: () => ({ seq: 1 }),
      fields: [{ name: 'seq', kind: 'seq' }],
    },
    {
      name: 'PATCH /me',
      method: 'PATCH',
      url: () => '/me',
      who: () => desk.dan,
      valid: () => ({ displayName: 'Dan D.', statusText: 'Around' }),
      fields: [
        { name: 'displayName', kind: 'text', max: 64 },
        { name: 'statusText', kind: 'text', nullable: true, max: 140 },
      ],
    },
    {
      name: 'friend request',
      method: 'POST',
      url: () => '/friend-requests',
      who: () => desk.dan,
      valid: () => ({ userId: desk.carla.user.id }),
      fields: [{ name: 'userId', kind: 'id' }],
    },
    {
      name: 'direct conversation',
      method: 'POST',
      url: () => '/conversations/direct',
      who: () => desk.sam,
      valid: () => ({ userId: desk.dan.user.id }),
      fields: [{ name: 'userId', kind: 'id' }],
    },
    {
      name: 'create team',
      method: 'POST',
      url: () => '/teams',
      who: () => desk.admin,
      valid: () => ({ name: 'Escalations', description: 'The hard ones', category: 'Hard cases' }),
      fields: [
        { name: 'name', kind: 'text', max: 64 },
        { name: 'description', kind: 'text', max: 500 },
        { name: 'category', kind: 'text', nullable: true, max: 64 },
      ],
    },
    {
      name: 'update team',
      method: 'PATCH',
      url: () => `/teams/${desk.billing}`,
      who: () => desk.admin,
      valid: () => ({ name: 'Invoices', description: 'Money', category: 'Payments' }),
      fields: [
        { name: 'name', kind: 'text', max: 64 },
        { name: 'description', kind: 'text', nullable: true, max: 500 },
        { name: 'category', kind: 'text', nullable: true, max: 64 },
      ],
    },
    {
      name: 'update desk settings',
      method: 'PATCH',
      url: () => '/settings',
      who: () => desk.admin,
      valid: () => ({ customersMayChooseUrgent: true }),
      fields: [{ name: 'customersMayChooseUrgent', kind: 'boolean' }],
    },
    {
      name: 'update user',
      method: 'PATCH',
      url: () => `/users/${desk.dan.user.id}`,
      who: () => desk.admin,
      valid: () => ({ role: 'agent', deactivated: true }),
      fields: [
        { name: 'role', kind: 'enum' },
        { name: 'deactivated', kind: 'boolean' },
      ],
    },
  ];

  /** A socket of `who` (or an anonymous one), closed when the test ends. */
  const open = async (who: Session | null, { onTestFinished }: TestContext) => {
    const socket = await connectSocket(base, who?.accessToken);
    onTestFinished(() => socket.close());
    if (who) await socket.next('ready');
    return socket;
  };

  // Every case here must change nothing, so they run concurrently against one baseline.
  describe.concurrent('refused, changing nothing', () => {
    const unchangedAfter = guardUnchanged(() => t);

    const wrongTypeCases = ROUTES.flatMap((route) =>
      route.fields.flatMap((field) =>
        WRONG[field.kind]
          .filter((value) => !(value === null && field.nullable))
          .map((value) => ({ label: `${route.name}: ${field.name} = ${JSON.stringify(value)}`, route, field, value })),
      ),
    );

    it.each(wrongTypeCases)(
      'refuses $label with validation_failed naming the field',
      async ({ route, field, value }) => {
        await unchangedAfter(async () => {
          const response = await inject(route.method, route.url(), route.who(), {
            ...route.valid(),
            [field.name]: value,
          });
          expectError(response, 400, 'validation_failed', field.name);
        });
      },
    );

    const tooLongCases = ROUTES.flatMap((route) =>
      route.fields
        .filter((field) => field.max !== undefined)
        .map((field) => ({
          label: `${route.name}: ${field.name} over ${field.max}`,
          route,
          field,
          value: field.tooLong ?? 'x'.repeat(field.max! + 1),
        })),
    );

    it.each(tooLongCases)('refuses $label characters, naming the field', async ({ route, field, value }) => {
      expect([...value].length).toBeGreaterThan(field.max!);
      await unchangedAfter(async () => {
        const response = await inject(route.method, route.url(), route.who(), {
          ...route.valid(),
          [field.name]: value,
        });
        expectError(response, 400, 'validation_failed', field.name);
      });
    });

    const tooLongQueries = [
      { label: 'ticket search q', url: '/tickets', param: 'q', max: 200, who: () => desk.sam },
      { label: 'user directory q', url: '/users', param: 'q', max: 64, who: () => desk.sam },
      { label: 'search q', url: '/search', param: 'q', max: 200, who: () => desk.carla },
      { label: 'audit action', url: '/audit', param: 'action', max: 64, who: () => desk.admin },
      { label: 'ticket cursor', url: '/tickets', param: 'cursor', max: 500, who: () => desk.sam },
      { label: 'audit cursor', url: '/audit', param: 'cursor', max: 500, who: () => desk.admin },
    ];

    it.each(tooLongQueries)('refuses a $label over $max characters', async ({ url, param, max, who }) => {
      await unchangedAfter(async () => {
        const response = await as(t, who()).get(`${url}?${param}=${'x'.repeat(max + 1)}`);
        expectError(response, 400, 'validation_failed', param);
      });
    });

    const OUT_OF_RANGE = [
      {
        label: 'history after seq 2^31',
        url: () => `/conversations/${ticket.conversationId}/messages?afterSeq=2147483648`,
        param: 'afterSeq',
      },
      {
        label: 'history before seq 2^31',
        url: () => `/conversations/${ticket.conversationId}/messages?beforeSeq=2147483648`,
        param: 'beforeSeq',
      },
      { label: 'a page of 101', url: () => '/tickets?limit=101', param: 'limit' },
      { label: 'a page of 0', url: () => '/tickets?limit=0', param: 'limit' },
      { label: 'a page of 2^53', url: () => '/tickets?limit=9007199254740993', param: 'limit' },
    ];

    it.each(OUT_OF_RANGE)('refuses $label with validation_failed', async ({ url, param }) => {
      await unchangedAfter(async () => {
        expectError(await as(t, desk.carla).get(url()), 400, 'validation_failed', param);
      });
    });

    const REPEATED = [
      { url: '/tickets', query: 'status=open&status=closed', param: 'status' },
      { url: '/tickets', query: 'q=a&q=b', param: 'q' },
      { url: '/tickets', query: 'limit=1&limit=2', param: 'limit' },
      { url: '/tickets', query: 'cursor=a&cursor=b', param: 'cursor' },
      { url: '/users', query: 'q=a&q=b', param: 'q' },
      { url: '/notifications', query: 'unread=true&unread=false', param: 'unread' },
    ];

    it.each(REPEATED)('refuses $url?$query (a parameter given twice) with validation_failed', async (c) => {
      await unchangedAfter(async () => {
        expectError(await as(t, desk.sam).get(`${c.url}?${c.query}`), 400, 'validation_failed', c.param);
      });
    });

    describe('JSON that does not parse', () => {
      const valid = '{"subject":"Paper jam","description":"Again."}';
      const MALFORMED = [
        { label: 'truncated', payload: '{"subject":"Paper jam","descr' },
        { label: 'trailing garbage', payload: `${valid} trailing` },
        { label: 'two documents', payload: `${valid}${valid}` },
        { label: 'NaN as a value', payload: '{"subject":"a","description":"b","priority":NaN}' },
        { label: 'bare NaN', payload: 'NaN' },
        { label: 'Infinity as a value', payload: '{"subject":"a","description":"b","x":Infinity}' },
        { label: 'single quotes', payload: "{'subject':'a','description':'b'}" },
        { label: 'unquoted keys', payload: '{subject:"a",description:"b"}' },
        { label: 'a trailing comma', payload: '{"subject":"a","description":"b",}' },
        { label: 'a comment', payload: `/* hi */${valid}` },
        { label: 'a raw control character in a string', payload: '{"subject":"a\u0001b","description":"b"}' },
        { label: 'an invalid escape', payload: '{"subject":"\\x41","description":"b"}' },
        { label: 'an empty body', payload: '' },
        { label: 'only whitespace', payload: '  \n ' },
        { label: 'a __proto__ key', payload: '{"subject":"a","description":"b","__proto__":{"role":"admin"}}' },
        {
          label: 'a constructor.prototype key',
          payload: '{"subject":"a","description":"b","constructor":{"prototype":{"role":"admin"}}}',
        },
        {
          label: 'a __proto__ key 10,000 levels down',
          payload: `{"subject":"a","description":"b","x":${'{"__proto__":'.repeat(10_000)}1${'}'.repeat(10_001)}`,
        },
      ];

      it.each(MALFORMED)('answers $label with 400 bad_request', async ({ payload }) => {
        await unchangedAfter(async () => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/tickets',
            headers: { ...bearer(desk.carla), 'content-type': 'application/json' },
            payload,
          });
          expectError(response, 400, 'bad_request');
        });
      });

      const NOT_AN_OBJECT = [
        { label: 'null', payload: 'null' },
        { label: 'an array', payload: '[]' },
        { label: 'a string', payload: '"Paper jam"' },
        { label: 'a number', payload: '42' },
        { label: 'a number too big for a double', payload: '{"subject":"a","description":"b","priority":1e999}' },
      ];

      it.each(NOT_AN_OBJECT)('answers JSON that is $label where a ticket belongs with validation_failed', async (c) => {
        await unchangedAfter(async () => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/tickets',
            headers: { ...bearer(desk.carla), 'content-type': 'application/json' },
            payload: c.payload,
          });
          expectError(response, 400, 'validation_failed');
        });
      });
    });

    describe('media types other than JSON', () => {
      const WRONG_TYPES = [
        { contentType: 'text/plain', payload: 'subject=a' },
        { contentType: 'text/html', payload: '<form><input name=subject value=a></form>' },
        { contentType: 'application/x-www-form-urlencoded', payload: 'subject=a&description=b' },
        { contentType: 'application/xml', payload: '<ticket><subject>a</subject></ticket>' },
        { contentType: 'application/javascript', payload: '({subject:"a",description:"b"})' },
        {
          contentType: 'multipart/form-data; boundary=x',
          payload: '--x\r\nContent-Disposition: form-data; name="subject"\r\n\r\na\r\n--x--\r\n',
        },
        { contentType: 'application/octet-stream', payload: Buffer.from('{"subject":"a","description":"b"}') },
        { contentType: undefined, payload: '{"subject":"a","description":"b"}' },
      ];

      it.each(WRONG_TYPES)('answers content type $contentType with 415', async ({ contentType, payload }) => {
        await unchangedAfter(async () => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/tickets',
            headers: { ...bearer(desk.carla), ...(contentType && { 'content-type': contentType }) },
            payload,
          });
          expectError(response, 415, 'unsupported_media_type');
        });
      });
    });

    describe('absurd nesting', () => {
      const NESTED = [
        { label: 'a 10,000-deep array as the body', payload: deepArray(10_000), field: '' },
        { label: 'a 100,000-deep array as the body', payload: deepArray(100_000), field: '' },
        { label: 'a 10,000-deep object as the body', payload: deepObject(10_000), field: 'subject' },
        {
          label: 'a 10,000-deep array as the subject',
          payload: `{"subject":${deepArray(10_000)},"description":"b"}`,
          field: 'subject',
        },
        {
          label: 'a 10,000-deep object as the priority',
          payload: `{"subject":"a","description":"b","priority":${deepObject(10_000)}}`,
          field: 'priority',
        },
      ];

      it.each(NESTED)('answers $label with validation_failed', async ({ payload, field }) => {
        await unchangedAfter(async () => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/tickets',
            headers: { ...bearer(desk.carla), 'content-type': 'application/json' },
            payload,
          });
          expectError(response, 400, 'validation_failed', field);
        });
        expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      });

      const deepFrame = (frame: Record<string, unknown>, key: string, nested: string) =>
        JSON.stringify({ ...frame, [key]: '§' }).replace('"§"', nested);
      // Valid but for its payload: only the nesting can be what is refused.
      const signal = () => ({ type: 'call.signal', callId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', toUserId: desk.sam.user.id });
      const FRAMES = [
        { label: 'a 10,000-deep array as the frame', frame: () => deepArray(10_000) },
        { label: 'a 10,000-deep object as the frame', frame: () => deepObject(10_000) },
        {
          label: 'a call.signal whose payload is 10,000 arrays deep',
          frame: () => deepFrame(signal(), 'payload', deepArray(10_000)),
        },
        {
          label: 'a call.signal whose payload is 10,000 objects deep',
          frame: () => deepFrame(signal(), 'payload', deepObject(10_000)),
        },
        {
          label: 'a message.send whose body is 10,000 arrays deep',
          frame: () =>
            deepFrame(
              { type: 'message.send', conversationId: ticket.conversationId, clientMsgId: 'deep-1' },
              'body',
              deepArray(10_000),
            ),
        },
        {
          label: 'a subscribe whose afterSeq is 10,000 objects deep',
          frame: () =>
            deepFrame({ type: 'subscribe', conversationId: ticket.conversationId }, 'afterSeq', deepObject(10_000)),
        },
        {
          label: 'a ping whose ref is 10,000 arrays deep',
          frame: () => deepFrame({ type: 'ping' }, 'ref', deepArray(10_000)),
        },
      ];

      for (const signedIn of [true, false]) {
        it.for(FRAMES)(
          `answers ${signedIn ? 'a signed-in' : 'an anonymous'} socket's $label with validation_failed and keeps serving it`,
          async ({ frame }, context) => {
            const socket = await open(signedIn ? desk.carla : null, context);
            await unchangedAfter(async () => {
              const raw = frame();
              expect(raw.length).toBeLessThan(64 * 1024);
              socket.sendRaw(raw);
              const error = await socket.next('error');
              expect(error.code).toBe('validation_failed');
              await fence(socket);
            });
            expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
          },
        );
      }
    });

    describe('malformed frames on a socket', () => {
      const FRAMES = [
        { label: 'truncated JSON', raw: '{"type":"ping","ref":"a', code: 'bad_request' },
        { label: 'trailing garbage', raw: '{"type":"ping"} x', code: 'bad_request' },
        { label: 'NaN', raw: '{"type":"read","conversationId":"x","seq":NaN}', code: 'bad_request' },
        { label: 'an empty frame', raw: '', code: 'bad_request' },
        { label: 'null', raw: 'null', code: 'validation_failed' },
        { label: 'an array', raw: '[{"type":"ping"}]', code: 'validation_failed' },
        { label: 'a number', raw: '42', code: 'validation_failed' },
        { label: 'no type', raw: '{"ref":"x"}', code: 'validation_failed' },
        { label: 'a type that is not a string', raw: '{"type":{"$ne":null}}', code: 'validation_failed' },
        {
          label: 'a subscribe after seq 2^31',
          raw: '{"type":"subscribe","conversationId":"01ARZ3NDEKTSV4RRFFQ69G5FAV","afterSeq":2147483648}',
          code: 'validation_failed',
        },
        {
          label: 'a read up to seq 2^31',
          raw: '{"type":"read","conversationId":"01ARZ3NDEKTSV4RRFFQ69G5FAV","seq":2147483648}',
          code: 'validation_failed',
        },
      ] as const;

      it.for(FRAMES)('answers $label with $code and keeps the socket', async ({ raw, code }, context) => {
        const socket = await open(desk.carla, context);
        await unchangedAfter(async () => {
          socket.sendRaw(raw);
          expect((await socket.next('error')).code).toBe(code);
          await fence(socket);
        });
      });

      const sendFrame = () => ({
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: 'ws-bodies',
        body: 'Hello',
        internal: false,
        attachmentIds: [],
      });
      const FIELDS: Array<{ name: string; kind: Kind; max?: number }> = [
        { name: 'conversationId', kind: 'id' },
        { name: 'clientMsgId', kind: 'text', max: 64 },
        { name: 'body', kind: 'text', max: 10_000 },
        { name: 'internal', kind: 'boolean' },
        { name: 'attachmentIds', kind: 'ids' },
      ];
      const WS_CASES = FIELDS.flatMap((field) => [
        ...WRONG[field.kind].map((value) => ({ label: `${field.name} = ${JSON.stringify(value)}`, field, value })),
        ...(field.max ? [{ label: `${field.name} over ${field.max}`, field, value: 'x'.repeat(field.max + 1) }] : []),
      ]);

      it.for(WS_CASES)('refuses message.send with $label, naming the field', async ({ field, value }, context) => {
        const socket = await open(desk.carla, context);
        await unchangedAfter(async () => {
          socket.send({ ...sendFrame(), [field.name]: value, ref: 'bad' });
          const error = await socket.next('error', (e) => e.ref === 'bad');
          expect(error.code).toBe('validation_failed');
          expect(error.message).toMatch(new RegExp(`^Invalid frame: ${field.name}[.:]`));
          await fence(socket);
        });
      });
    });
  });

  describe('accepted, with the noise left out', () => {
    it('ignores a byte-order mark before the JSON, as RFC 8259 allows, and stores no trace of it', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/tickets',
        headers: { ...bearer(desk.carla), 'content-type': 'application/json' },
        payload: `\uFEFF{"subject":"With a BOM","description":"Still JSON"}`,
      });
      expect(response.statusCode).toBe(201);
      const stored = (await as(t, desk.carla).get(`/tickets/${response.json<Ticket>().id}`)).json<Ticket>();
      expect(stored.subject).toBe('With a BOM');
    });

    it('drops a 10,000-deep unknown field and stores the rest', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/tickets',
        headers: { ...bearer(desk.carla), 'content-type': 'application/json' },
        payload: `{"subject":"Deep","description":"b","extra":${deepObject(10_000)}}`,
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).not.toHaveProperty('extra');
    });

    it('leaves the database with just those two tickets more', async () => {
      const rows = await snapshotDatabase(t.database.db);
      expect(rows.tickets).toHaveLength(3);
      expect(rows.users).toHaveLength(6);
    });
  });
});
