import type { Message, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_COLUMNS, TICKET_COLUMNS } from '../../apps/server/src/db/schema';
import { newId } from '../../apps/server/src/ids';
import { registerUser } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as } from '../../apps/server/src/testing/test-desk';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { expectError, withoutChange } from './bad-input-kit';
import { setStage, type Stage } from './text-fields';

/**
 * Fields a client must not set, smuggled into bodies next to the ones it may: a role, an id,
 * someone else's id as the author, a seq, an internal-note kind. Request schemas list what each
 * route takes and drop everything else, so the write goes through with only its own fields and
 * the smuggled ones change nothing.
 */

const FOREIGN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const LONG_AGO = 86_400_000;

describe(`mass assignment on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let n = 0;
  const unique = () => `mass${++n}`;

  beforeAll(async () => {
    stage = await setStage();
  });
  afterAll(() => stage.t.close());

  const db = () => stage.t.database.db;
  const userRow = (id: string) => db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  // The rows as the app has them, not PostgreSQL's search vectors, which follow the text.
  const ticketRow = (id: string) =>
    db().selectFrom('tickets').select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
  const messageRow = (id: string) =>
    db().selectFrom('messages').select(MESSAGE_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow();
  const lastSeq = async (conversationId: string) =>
    (
      await db()
        .selectFrom('conversations')
        .select('lastSeq')
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow()
    ).lastSeq;

  describe('PATCH /me', () => {
    const SMUGGLED = [
      { field: 'role', value: 'admin' },
      { field: 'id', value: FOREIGN_ID },
      { field: 'email', value: 'dan@evil.example' },
      { field: 'username', value: 'root' },
      { field: 'usernameKey', value: 'root' },
      { field: 'passwordHash', value: '$argon2id$v=19$m=19456,t=2,p=1$known$hash' },
      { field: 'deactivatedAt', value: null },
      { field: 'deactivated', value: true },
      { field: 'avatarKey', value: 'a'.repeat(32) },
      { field: 'avatarUrl', value: 'https://evil.example/x.png' },
      { field: 'createdAt', value: 0 },
    ];

    it.each(SMUGGLED)('changes the display name and ignores $field', async ({ field, value }) => {
      const dan = stage.desk.dan;
      const before = await userRow(dan.user.id);
      const displayName = `Dan ${unique()}`;
      const response = await as(stage.t, dan).patch('/me', { displayName, [field]: value });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ id: dan.user.id, email: dan.user.email, role: 'customer', displayName });
      const after = await userRow(dan.user.id);
      expect({ ...after, displayName: before.displayName, updatedAt: before.updatedAt }).toEqual(before);
    });

    it('refuses a body with nothing it takes, however much else it carries', async () => {
      await withoutChange(stage.t, async () => {
        const response = await as(stage.t, stage.desk.dan).patch(
          '/me',
          Object.fromEntries(SMUGGLED.map(({ field, value }) => [field, value])),
        );
        expectError(response, 400, 'validation_failed');
      });
    });
  });

  describe('POST /auth/register', () => {
    const SMUGGLED = [
      { field: 'role', value: 'admin' },
      { field: 'id', value: FOREIGN_ID },
      { field: 'deactivatedAt', value: Date.now() },
      { field: 'passwordHash', value: 'plain' },
      { field: 'avatarKey', value: 'b'.repeat(32) },
      { field: 'createdAt', value: 0 },
    ];

    it.each(SMUGGLED)('creates a plain customer and ignores $field', async ({ field, value }) => {
      const username = unique();
      const response = await stage.t.app.inject({
        method: 'POST',
        url: '/auth/register',
        payload: { email: `${username}@example.com`, username, password: 'correct horse battery', [field]: value },
      });
      expect(response.statusCode, response.body).toBe(201);
      const { user } = response.json<Session>();
      const row = await userRow(user.id);
      expect(user.role).toBe('customer');
      expect(row).toMatchObject({ deactivatedAt: null, avatarKey: null });
      expect(row.id).not.toBe(FOREIGN_ID);
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(Date.now() - row.createdAt).toBeLessThan(60_000);
    });
  });

  describe('POST /tickets', () => {
    // `requesterId` and `requester` are staff's fields (a ticket on behalf of a customer): below.
    const SMUGGLED = [
      { field: 'status', value: () => 'closed' },
      { field: 'assigneeId', value: () => stage.desk.sam.user.id },
      { field: 'conversationId', value: () => stage.ticket.conversationId },
      { field: 'id', value: () => FOREIGN_ID },
      { field: 'closedAt', value: () => Date.now() },
      { field: 'priorityRank', value: () => 99 },
      { field: 'createdAt', value: () => LONG_AGO },
      { field: 'followUpOf', value: () => stage.ticket.id },
    ];

    it.each(SMUGGLED)("opens Dan's own open, unassigned ticket and ignores $field", async ({ field, value }) => {
      const response = await as(stage.t, stage.desk.dan).post('/tickets', {
        subject: 'Mine',
        description: 'x',
        [field]: value(),
      });
      expect(response.statusCode, response.body).toBe(201);
      const row = await ticketRow(response.json<Ticket>().id);
      expect(row).toMatchObject({
        requesterId: stage.desk.dan.user.id,
        status: 'open',
        assigneeId: null,
        closedAt: null,
        followUpOf: null,
        priority: 'medium',
        priorityRank: 2,
      });
      expect(row.id).not.toBe(FOREIGN_ID);
      expect(row.conversationId).not.toBe(stage.ticket.conversationId);
      expect(Date.now() - row.createdAt).toBeLessThan(60_000);
      // Carla's ticket and its thread are as they were.
      expect(await ticketRow(stage.ticket.id)).toMatchObject({ requesterId: stage.desk.carla.user.id, status: 'open' });
    });

    it.each([
      { field: 'requesterId', value: () => stage.desk.carla.user.id },
      { field: 'requester', value: () => ({ email: 'someone@example.com', name: 'Someone' }) },
    ])('refuses $field from a customer: only staff open tickets for someone else', async ({ field, value }) => {
      await withoutChange(stage.t, async () => {
        const response = await as(stage.t, stage.desk.dan).post('/tickets', {
          subject: 'For Carla',
          description: 'x',
          [field]: value(),
        });
        expectError(response, 403, 'forbidden');
      });
    });

    it('lets Carla close her ticket but not hand it to Dan on the way', async () => {
      const { carla, dan } = stage.desk;
      const mine = (
        await as(stage.t, carla).post('/tickets', { subject: 'Close me', description: 'x' })
      ).json<Ticket>();
      const response = await as(stage.t, carla).patch(`/tickets/${mine.id}`, {
        status: 'closed',
        requesterId: dan.user.id,
        conversationId: stage.ticket.conversationId,
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(await ticketRow(mine.id)).toMatchObject({
        status: 'closed',
        requesterId: carla.user.id,
        conversationId: mine.conversationId,
      });
      await withoutChange(stage.t, async () => {
        const onlySmuggled = await as(stage.t, carla).patch(`/tickets/${mine.id}`, { requesterId: dan.user.id });
        expectError(onlySmuggled, 400, 'validation_failed');
      });
    });
  });

  describe('sending a message', () => {
    const SMUGGLED = [
      { field: 'senderId', value: () => stage.desk.sam.user.id },
      { field: 'seq', value: () => 999 },
      { field: 'kind', value: () => 'note' },
      { field: 'kind', value: () => 'system' },
      { field: 'id', value: () => newId() },
      { field: 'createdAt', value: () => '2000-01-01T00:00:00.000Z' },
      { field: 'deletedAt', value: () => '2000-01-01T00:00:00.000Z' },
      { field: 'editedAt', value: () => '2000-01-01T00:00:00.000Z' },
      { field: 'reactions', value: () => [{ emoji: '👍', userIds: [stage.desk.sam.user.id] }] },
    ];
    const REST_ONLY = [{ field: 'conversationId', value: () => FOREIGN_ID }];

    const expectPlainTextFromCarla = async (messageId: string, seqBefore: number, id?: unknown) => {
      const row = await messageRow(messageId);
      expect(row).toMatchObject({
        senderId: stage.desk.carla.user.id,
        conversationId: stage.ticket.conversationId,
        kind: 'text',
        seq: seqBefore + 1,
        deletedAt: null,
        editedAt: null,
      });
      expect(row.id).not.toBe(id);
      expect(Date.now() - row.createdAt).toBeLessThan(60_000);
      const reactions = await db().selectFrom('reactions').selectAll().where('messageId', '=', messageId).execute();
      expect(reactions).toEqual([]);
    };

    it.each([...SMUGGLED, ...REST_ONLY])(
      "over REST: posts a text of Carla's and ignores $field",
      async ({ field, value }) => {
        const smuggled = value();
        const seqBefore = await lastSeq(stage.ticket.conversationId);
        const response = await as(stage.t, stage.desk.carla).post(
          `/conversations/${stage.ticket.conversationId}/messages`,
          {
            clientMsgId: unique(),
            body: 'Hello',
            [field]: smuggled,
          },
        );
        expect(response.statusCode, response.body).toBe(201);
        expect(response.json<Message>()).toMatchObject({ kind: 'text', senderId: stage.desk.carla.user.id });
        await expectPlainTextFromCarla(response.json<Message>().id, seqBefore, smuggled);
      },
    );

    it.for(SMUGGLED)(
      "over the socket: posts a text of Carla's and ignores $field",
      async ({ field, value }, context) => {
        const socket = await connectSocket(stage.base, stage.desk.carla.accessToken);
        context.onTestFinished(() => socket.close());
        await socket.next('ready');
        const smuggled = value();
        const seqBefore = await lastSeq(stage.ticket.conversationId);
        const clientMsgId = unique();
        socket.send({
          type: 'message.send',
          conversationId: stage.ticket.conversationId,
          clientMsgId,
          body: 'Hello',
          [field]: smuggled,
        });
        const ack = await socket.next('ack', (a) => a.clientMsgId === clientMsgId);
        await expectPlainTextFromCarla(ack.messageId, seqBefore, smuggled);
      },
    );

    it("edits only the body of Carla's message, whatever else the edit carries", async () => {
      const { editable } = stage;
      const before = await messageRow(editable.id);
      const response = await as(stage.t, stage.desk.carla).patch(
        `/conversations/${stage.ticket.conversationId}/messages/${editable.id}`,
        { body: 'Edited', senderId: stage.desk.sam.user.id, kind: 'note', seq: 999, deletedAt: null },
      );
      expect(response.statusCode, response.body).toBe(200);
      const after = await messageRow(editable.id);
      expect({ ...after, body: before.body, editedAt: before.editedAt }).toEqual(before);
      expect(after.body).toBe('Edited');
    });

    it("moves only Sam's own read cursor, whoever the body names", async () => {
      const { sam, carla } = stage.desk;
      const cursors = () =>
        db()
          .selectFrom('conversationMembers')
          .select(['userId', 'lastReadSeq'])
          .where('conversationId', '=', stage.ticket.conversationId)
          .where('userId', '=', carla.user.id)
          .execute();
      const carlasBefore = await cursors();
      const response = await as(stage.t, sam).post(`/conversations/${stage.ticket.conversationId}/read`, {
        seq: 1,
        userId: carla.user.id,
      });
      expect(response.statusCode).toBe(204);
      expect(await cursors()).toEqual(carlasBefore);
    });
  });

  describe('elsewhere', () => {
    it('a friend request is always from its sender, and always pending', async () => {
      const { dan, kim, carla } = stage.desk;
      const response = await as(stage.t, dan).post('/friend-requests', {
        userId: kim.user.id,
        fromUserId: carla.user.id,
        status: 'accepted',
      });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ fromUser: { id: dan.user.id }, status: 'pending' });
      const contacts = await db().selectFrom('contacts').selectAll().where('userId', '=', kim.user.id).execute();
      expect(contacts).toEqual([]);
    });

    it("an admin's change of role touches nothing else of the account", async () => {
      const { admin } = stage.desk;
      const target = await registerUser(stage.t.app);
      const before = await userRow(target.user.id);
      const response = await as(stage.t, admin).patch(`/users/${target.user.id}`, {
        role: 'agent',
        email: 'owned@evil.example',
        username: 'owned',
        displayName: 'Owned',
        passwordHash: 'plain',
      });
      expect(response.statusCode, response.body).toBe(200);
      const after = await userRow(target.user.id);
      expect({ ...after, updatedAt: before.updatedAt }).toEqual(before);
      expect(response.json().role).toBe('agent');
    });

    it('a new team gets its own id and times', async () => {
      const response = await as(stage.t, stage.desk.admin).post('/teams', {
        name: 'Night shift',
        id: FOREIGN_ID,
        nameKey: 'support',
        createdAt: 0,
      });
      expect(response.statusCode, response.body).toBe(201);
      const row = await db()
        .selectFrom('teams')
        .selectAll()
        .where('name', '=', 'Night shift')
        .executeTakeFirstOrThrow();
      expect(row.id).not.toBe(FOREIGN_ID);
      expect(row.nameKey).toBe(`${stage.desk.admin.user.workspace.id}/night shift`);
      expect(row.createdAt).toBeGreaterThan(LONG_AGO);
    });
  });
});
