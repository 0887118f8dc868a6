import type { Session } from '@parley/protocol';
import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password-hasher';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { openDatabase } from './connect';
import { migrations } from './migrations';
import { WORKSPACE_TABLES } from './schema';

const MIGRATION = '2026-12-03T0900-create-workspaces';
const PASSWORD = 'correct horse battery';
const T = 1_764_000_000_000;

// Ids in ULID form (whose alphabet has no I, L, O or U); the letters say what they are.
const id = (tag: string) =>
  `01J${tag.toUpperCase().replace(/[IL]/g, '1').replace(/O/g, '0').replace(/U/g, 'V').padEnd(23, '0')}`;
const ADA = id('ada');
const SAM = id('sam');
const CARLA = id('carla');
const DAN = id('dan');
const GONE = id('gone');
const SUPPORT = id('support');
const TICKET = id('ticket');
const THREAD = id('thread');
const DIRECT = id('direct');

/**
 * An installation from before workspaces, written as the schema was then, moves into one default
 * workspace with nothing lost: the same people with the same roles (and the same deactivation),
 * teams, tickets with their threads and notes, direct chats, contacts, blocks, settings, audit.
 */
describe(`the move into a default workspace on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let t: TestApp;
  let before: Record<string, number>;

  beforeAll(async () => {
    const database = await openDatabase(testDb.url);
    const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
    const names = Object.keys(migrations).sort();
    expect((await migrator.migrateTo(names[names.indexOf(MIGRATION) - 1]!)).error).toBeUndefined();
    const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await writeOldInstallation(db);
    before = await countRows(db);
    await database.close();
    t = await startTestApp({ database: testDb });
  });
  afterAll(async () => {
    await t?.close();
    await testDb.drop();
  });

  const signIn = async (login: string): Promise<Session> => {
    const response = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { login, password: PASSWORD } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Session>();
  };

  it('keeps every row and puts each one in the default workspace', async () => {
    const db = t.database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const [workspace] = await db.selectFrom('workspaces').selectAll().execute();
    expect(workspace).toMatchObject({ slug: 'default', name: 'Parley' });
    const after = await countRows(db);
    for (const [table, count] of Object.entries(before))
      expect({ table, count: after[table] }).toEqual({ table, count });
    for (const table of WORKSPACE_TABLES) {
      const stray = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspaceId', '!=', workspace!.id as string)
        .executeTakeFirstOrThrow();
      expect({ table, stray: Number(stray.n) }).toEqual({ table, stray: 0 });
    }
  });

  it('signs people in with their old passwords and roles; a deactivated account stays out', async () => {
    const ada = await signIn('ada');
    expect(ada.user).toMatchObject({ role: 'admin', workspace: { slug: 'default' } });
    expect(ada.user.permissions).toContain('people.manage');
    expect((await signIn('sam')).user.role).toBe('agent');
    expect((await signIn('carla')).user).toMatchObject({ role: 'customer', permissions: [] });
    const gone = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: 'gone', password: PASSWORD },
    });
    expect(gone.statusCode).toBe(401);
  });

  it('shows the desk as it was: the ticket with its thread and note, the team, the direct chat', async () => {
    const sam = await signIn('sam');
    const tickets = await t.app.inject({ method: 'GET', url: '/tickets', headers: bearer(sam) });
    expect(tickets.json().items).toMatchObject([{ id: TICKET, subject: 'Printer on fire', teamId: SUPPORT }]);
    const thread = await t.app.inject({
      method: 'GET',
      url: `/conversations/${THREAD}/messages`,
      headers: bearer(sam),
    });
    expect(thread.json().items.map((m: { body: string }) => m.body)).toEqual(['It burns', 'Call the fire brigade']);

    const carla = await signIn('carla');
    const hers = await t.app.inject({
      method: 'GET',
      url: `/conversations/${THREAD}/messages`,
      headers: bearer(carla),
    });
    expect(hers.json().items.map((m: { body: string }) => m.body)).toEqual(['It burns']);
    const chats = await t.app.inject({ method: 'GET', url: '/conversations', headers: bearer(carla) });
    expect(chats.json().items.map((c: { id: string }) => c.id)).toContain(DIRECT);
    const contacts = await t.app.inject({ method: 'GET', url: '/contacts', headers: bearer(carla) });
    expect(contacts.json().items.map((c: { user: { id: string } }) => c.user.id)).toEqual([DAN]);

    // The old pair's direct chat is found again, not opened twice.
    const again = await t.app.inject({
      method: 'POST',
      url: '/conversations/direct',
      headers: bearer(carla),
      payload: { userId: DAN },
    });
    expect(again.json()).toMatchObject({ id: DIRECT });
  });

  it('keeps the desk settings and the team name unique as before', async () => {
    const ada = await signIn('ada');
    const settings = await t.app.inject({ method: 'GET', url: '/settings', headers: bearer(ada) });
    expect(settings.json()).toMatchObject({ customersMayChooseUrgent: true });
    const clash = await t.app.inject({
      method: 'POST',
      url: '/teams',
      headers: bearer(ada),
      payload: { name: 'SUPPORT' },
    });
    expect(clash.statusCode).toBe(409);
  });
});

async function writeOldInstallation(db: Kysely<Record<string, Record<string, unknown>>>) {
  const passwordHash = await hashPassword(PASSWORD);
  const person = (userId: string, username: string, role: string, deactivatedAt: number | null = null) => ({
    id: userId,
    email: `${username}@example.com`,
    username,
    usernameKey: username,
    displayName: username,
    passwordHash,
    role,
    avatarKey: null,
    statusText: null,
    createdAt: T,
    updatedAt: T,
    deactivatedAt,
  });
  await db
    .insertInto('users')
    .values([
      person(ADA, 'ada', 'admin'),
      person(SAM, 'sam', 'agent'),
      person(CARLA, 'carla', 'customer'),
      person(DAN, 'dan', 'customer'),
      person(GONE, 'gone', 'agent', T + 5),
    ])
    .execute();
  await db.insertInto('installationClaims').values({ name: 'first_admin', userId: ADA, createdAt: T }).execute();
  await db
    .insertInto('teams')
    .values({
      id: SUPPORT,
      name: 'Support',
      nameKey: 'support',
      description: null,
      category: 'Account',
      createdAt: T,
      updatedAt: T,
    })
    .execute();
  await db.insertInto('teamMembers').values({ teamId: SUPPORT, userId: SAM, createdAt: T }).execute();
  const conversation = (cid: string, kind: string, lastSeq: number, directKey: string | null) => ({
    id: cid,
    kind,
    title: null,
    lastSeq,
    directKey,
    createdAt: T,
    updatedAt: T + lastSeq,
    publicLastSeq: kind === 'ticket' ? 1 : lastSeq,
    publicUpdatedAt: T + 1,
  });
  await db
    .insertInto('conversations')
    .values([conversation(THREAD, 'ticket', 2, null), conversation(DIRECT, 'direct', 1, [CARLA, DAN].sort().join(':'))])
    .execute();
  await db
    .insertInto('conversationMembers')
    .values([
      { conversationId: THREAD, userId: CARLA, lastReadSeq: 1, createdAt: T },
      { conversationId: DIRECT, userId: CARLA, lastReadSeq: 1, createdAt: T },
      { conversationId: DIRECT, userId: DAN, lastReadSeq: 0, createdAt: T },
    ])
    .execute();
  const message = (mid: string, cid: string, seq: number, senderId: string, kind: string, body: string) => ({
    id: mid,
    conversationId: cid,
    seq,
    senderId,
    kind,
    body,
    clientMsgId: null,
    createdAt: T + seq,
    editedAt: null,
    deletedAt: null,
    systemEvent: null,
  });
  await db
    .insertInto('messages')
    .values([
      message(id('m1'), THREAD, 1, CARLA, 'text', 'It burns'),
      message(id('m2'), THREAD, 2, SAM, 'note', 'Call the fire brigade'),
      message(id('m3'), DIRECT, 1, CARLA, 'text', 'Hi Dan'),
    ])
    .execute();
  await db
    .insertInto('reactions')
    .values({ messageId: id('m3'), userId: DAN, emoji: '👍', createdAt: T })
    .execute();
  await db
    .insertInto('tickets')
    .values({
      id: TICKET,
      subject: 'Printer on fire',
      description: 'Really',
      status: 'open',
      priority: 'high',
      priorityRank: 3,
      requesterId: CARLA,
      assigneeId: SAM,
      teamId: SUPPORT,
      conversationId: THREAD,
      createdAt: T,
      updatedAt: T + 2,
      closedAt: null,
      followUpOf: null,
    })
    .execute();
  await db
    .insertInto('contacts')
    .values([
      { userId: CARLA, contactId: DAN, createdAt: T },
      { userId: DAN, contactId: CARLA, createdAt: T },
    ])
    .execute();
  await db.insertInto('blocks').values({ blockerId: DAN, blockedId: SAM, createdAt: T }).execute();
  await db
    .insertInto('friendRequests')
    .values({
      id: id('fr'),
      fromUserId: CARLA,
      toUserId: DAN,
      status: 'accepted',
      pendingKey: null,
      createdAt: T,
      respondedAt: T,
    })
    .execute();
  await db
    .insertInto('deskSettings')
    .values({ key: 'customersMayChooseUrgent', value: 'true', updatedBy: ADA, updatedAt: T })
    .execute();
  await db
    .insertInto('auditLog')
    .values({
      id: id('audit'),
      actorId: ADA,
      action: 'ticket.created',
      entityType: 'ticket',
      entityId: TICKET,
      data: '{}',
      createdAt: T,
    })
    .execute();
  await db
    .insertInto('notifications')
    .values({
      id: id('note'),
      userId: SAM,
      kind: 'ticket.message',
      data: '{}',
      conversationId: THREAD,
      count: 1,
      seq: 1,
      createdAt: T,
      updatedAt: T,
      readAt: null,
    })
    .execute();
}

const COUNTED = [
  'users',
  'teams',
  'team_members',
  'conversations',
  'conversation_members',
  'messages',
  'reactions',
  'tickets',
  'contacts',
  'blocks',
  'friend_requests',
  'desk_settings',
  'audit_log',
  'notifications',
];

async function countRows(db: Kysely<Record<string, Record<string, unknown>>>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
