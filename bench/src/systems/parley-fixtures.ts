import type { Role } from '@parley/protocol';
import { PostgresAdapter, sql, type Insertable } from 'kysely';
import { createAccessTokens } from '../../../apps/server/src/auth/access-tokens';
import { systemClock } from '../../../apps/server/src/clock';
import type { Db } from '../../../apps/server/src/db/connect';
import type { Database } from '../../../apps/server/src/db/schema';
import { newId } from '../../../apps/server/src/ids';
import { builtInRoleId } from '../../../apps/server/src/workspaces/member-repository';
import { findDefaultWorkspace } from '../../../apps/server/src/workspaces/workspace-repository';
import { seedReportDesk } from './report-fixtures';
import type { RoomKind } from './system';
import { roomsByPerson, type TownPlan } from './town-plan';

/**
 * Bench data written straight into Parley's tables, thousands of rows a second. Going through
 * the API would spend most of the run hashing passwords; the socket path under test is the
 * same either way. Tokens are signed with the server's secret, as a login would. Everything
 * lives in the installation's default workspace.
 */
export function createParleyFixtures(db: Db, jwtSecret: string) {
  const tokens = createAccessTokens({ secret: jwtSecret, ttlSeconds: 3600, clock: systemClock });
  let serial = 0;
  let workspace: Promise<string> | undefined;
  const workspaceId = () =>
    (workspace ??= findDefaultWorkspace(db).then((row) => {
      if (!row) throw new Error('The bench database has no workspace: run the migrations first');
      return row.id;
    }));

  async function insertAll<T extends keyof Database>(table: T, rows: Insertable<Database[T]>[]) {
    // 500 rows keeps every dialect under its bound-parameter limit.
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto(table)
        .values(rows.slice(i, i + 500) as never)
        .execute();
    }
  }

  async function users(count: number, role: Role): Promise<Array<{ id: string; token: string }>> {
    const at = Date.now();
    const rows = Array.from({ length: count }, () => {
      const name = `bench${++serial}_${newId().slice(-8).toLowerCase()}`;
      return {
        id: newId(),
        email: `${name}@bench.test`,
        username: name,
        usernameKey: name,
        displayName: name,
        passwordHash: 'not-a-hash: bench users never sign in',
        avatarKey: null,
        statusText: null,
        createdAt: at,
        updatedAt: at,
        deactivatedAt: null,
      };
    });
    await insertAll('users', rows);
    const ws = { workspaceId: await workspaceId() };
    const roleId = await builtInRoleId(db, ws, role);
    await insertAll(
      'workspaceMembers',
      rows.map((u) => ({ ...ws, userId: u.id, roleId, createdAt: at, updatedAt: at, deactivatedAt: null })),
    );
    return Promise.all(rows.map(async (u) => ({ id: u.id, token: await tokens.sign({ userId: u.id, ...ws }) })));
  }

  /**
   * `count` rooms of `members` agents each: a ticket (of a team of its own, whose agents are
   * the members, opened by a customer), or a direct or group chat.
   */
  async function rooms(count: number, members: number, kind: RoomKind) {
    const people = await users(count * members, 'agent');
    const requesters = kind === 'ticket' ? await users(count, 'customer') : [];
    const at = Date.now();
    const ws = { workspaceId: await workspaceId() };
    const rows = {
      conversations: [] as Row<'conversations'>[],
      conversationMembers: [] as Row<'conversationMembers'>[],
    };
    const desk = {
      teams: [] as Row<'teams'>[],
      teamMembers: [] as Row<'teamMembers'>[],
      tickets: [] as Row<'tickets'>[],
    };
    const result = Array.from({ length: count }, (_, r) => {
      const group = people.slice(r * members, (r + 1) * members);
      const id = newId();
      const directKey =
        kind === 'direct'
          ? group
              .map((p) => p.id)
              .sort()
              .join(':')
          : null;
      rows.conversations.push(conversationRow(ws.workspaceId, id, kind, directKey, at));
      if (kind === 'ticket') {
        const teamId = newId();
        desk.teams.push(teamRow(ws.workspaceId, teamId, at));
        desk.teamMembers.push(...group.map((p) => ({ ...ws, teamId, userId: p.id, createdAt: at })));
        desk.tickets.push(ticketRow(ws.workspaceId, id, requesters[r]!.id, teamId, 'Printer on fire', at));
      } else {
        rows.conversationMembers.push(
          ...group.map((p) => ({ ...ws, conversationId: id, userId: p.id, createdAt: at })),
        );
      }
      return { id, tokens: group.map((p) => p.token) };
    });
    for (const [table, values] of [...Object.entries(rows), ...Object.entries(desk)]) {
      await insertAll(table as keyof Database, values as never[]);
    }
    return result;
  }

  /**
   * For `rest`: an agent of a team with `ticketCount` tickets (half about printers), the first
   * of which has `messageCount` messages. Returns the agent's token and that conversation.
   */
  async function history(ticketCount: number, messageCount: number) {
    const [room] = await rooms(1, 1, 'ticket');
    const [requester] = await users(1, 'customer');
    const ws = { workspaceId: await workspaceId() };
    const template = await db
      .selectFrom('tickets')
      .select('teamId')
      .where('conversationId', '=', room!.id)
      .executeTakeFirstOrThrow();
    const at = Date.now();
    const conversations: Row<'conversations'>[] = [];
    const tickets: Row<'tickets'>[] = [];
    for (let i = 1; i < ticketCount; i++) {
      const id = newId();
      conversations.push({
        ...ws,
        id,
        kind: 'ticket',
        title: null,
        directKey: null,
        createdAt: at - i,
        updatedAt: at - i,
        publicUpdatedAt: at - i,
      });
      tickets.push(
        ticketRow(
          ws.workspaceId,
          id,
          requester!.id,
          template.teamId!,
          i % 2 ? 'Printer trouble' : 'Invoice question',
          at - i,
        ),
      );
    }
    await insertAll('conversations', conversations);
    await insertAll('tickets', tickets);
    const senderId = (
      await db
        .selectFrom('teamMembers')
        .select('userId')
        .where('teamId', '=', template.teamId!)
        .executeTakeFirstOrThrow()
    ).userId;
    await insertAll(
      'messages',
      Array.from({ length: messageCount }, (_, i) => ({
        ...ws,
        id: newId(),
        conversationId: room!.id,
        seq: i + 1,
        senderId,
        kind: 'text' as const,
        body: `Message ${i + 1}: `.padEnd(100, 'lorem ipsum '),
        clientMsgId: null,
        createdAt: at + i,
        editedAt: null,
        deletedAt: null,
      })),
    );
    await db.updateTable('conversations').set({ lastSeq: messageCount }).where('id', '=', room!.id).execute();
    return { token: room!.tokens[0]!, conversationId: room!.id };
  }

  /** For `reports`: the desk of seedReportDesk, and an admin's token to ask for its reports. */
  async function reportDesk(ticketCount: number, messagesPerTicket: number) {
    const [admin] = await users(1, 'admin');
    const agents = await users(50, 'agent');
    const [requester] = await users(1, 'customer');
    await seedReportDesk(db, {
      workspaceId: await workspaceId(),
      requesterId: requester!.id,
      agentIds: agents.map((a) => a.id),
      ticketCount,
      messagesPerTicket,
      // One transaction per batch of tickets (all its tables), and multi-row INSERTs as large as
      // the bound-parameter limits allow (SQLite 32,766; MariaDB and PostgreSQL 65,535).
      inTransaction: (write) => db.transaction().execute((trx) => write((table, rows) => insertRows(trx, table, rows))),
    });
    // What autovacuum does minutes after a bulk load: statistics, and the visibility map that lets
    // PostgreSQL answer from the covering indexes alone. Without it every report reads the heap.
    if (db.getExecutor().adapter instanceof PostgresAdapter)
      await sql`VACUUM ANALYZE tickets, csat_surveys, messages, conversations`.execute(db);
    // The agent with the most tickets: the seed's random assignment leaves some with none, and
    // an agent who can read nothing measures only how fast nothing is found.
    const busiest = await db
      .selectFrom('tickets')
      .select((eb) => ['assigneeId', eb.fn.countAll().as('tickets')])
      .where('assigneeId', 'is not', null)
      .groupBy('assigneeId')
      .orderBy('tickets', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const agent = agents.find((a) => a.id === busiest.assigneeId)!;
    return { token: admin!.token, agentToken: agent.token };
  }

  /**
   * The people of a town (planTown) with their rooms, written in one transaction: each
   * person's token and the ids of the rooms they are in, by person index.
   */
  async function town(plan: TownPlan): Promise<{ tokens: string[]; rooms: string[][] }> {
    const people = [...(await users(plan.agents, 'agent')), ...(await users(plan.people - plan.agents, 'customer'))];
    const ws = { workspaceId: await workspaceId() };
    const at = Date.now();
    const teamIds = plan.teams.map(() => newId());
    const roomIds: string[] = [];
    const conversation = (kind: RoomKind, directKey: string | null = null) => {
      const id = newId();
      roomIds.push(id);
      return conversationRow(ws.workspaceId, id, kind, directKey, at);
    };
    const idOf = (person: number) => people[person]!.id;
    const tickets = plan.tickets.map(({ requester, team }) => {
      const row = conversation('ticket');
      return { row, ticket: ticketRow(ws.workspaceId, row.id, idOf(requester), teamIds[team]!, 'Printer on fire', at) };
    });
    const chats = [
      ...plan.directs.map((members) => ({ row: conversation('direct', members.map(idOf).sort().join(':')), members })),
      ...plan.groups.map((members) => ({ row: conversation('group'), members })),
    ];
    await db.transaction().execute(async (trx) => {
      await insertRows(
        trx,
        'teams',
        teamIds.map((id) => teamRow(ws.workspaceId, id, at)),
      );
      await insertRows(
        trx,
        'teamMembers',
        plan.teams.flatMap((agents, t) =>
          agents.map((a) => ({ ...ws, teamId: teamIds[t]!, userId: idOf(a), createdAt: at })),
        ),
      );
      await insertRows(trx, 'conversations', [...tickets.map((t) => t.row), ...chats.map((c) => c.row)]);
      await insertRows(
        trx,
        'tickets',
        tickets.map((t) => t.ticket),
      );
      await insertRows(
        trx,
        'conversationMembers',
        chats.flatMap(({ row, members }) =>
          members.map((m) => ({ ...ws, conversationId: row.id, userId: idOf(m), createdAt: at })),
        ),
      );
      // People in a direct chat are each other's contacts: a customer may write only to those (or staff).
      await insertRows(
        trx,
        'contacts',
        plan.directs.flatMap(([a, b]) => [
          { ...ws, userId: idOf(a), contactId: idOf(b), createdAt: at },
          { ...ws, userId: idOf(b), contactId: idOf(a), createdAt: at },
        ]),
      );
    });
    return {
      tokens: people.map((p) => p.token),
      rooms: roomsByPerson(plan).map((rooms) => rooms.map((r) => roomIds[r]!)),
    };
  }

  return { users, rooms, history, reportDesk, town };
}

type Row<T extends keyof Database> = Insertable<Database[T]>;

const MAX_PARAMETERS = 30_000;

/** `rows` in as few INSERT statements as the parameter limit allows. */
async function insertRows<T extends keyof Database>(db: Db, table: T, rows: Row<T>[]): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += perStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + perStatement) as never)
      .execute();
  }
}

function conversationRow(
  workspaceId: string,
  id: string,
  kind: RoomKind,
  directKey: string | null,
  at: number,
): Row<'conversations'> & { id: string } {
  return {
    workspaceId,
    id,
    kind,
    title: kind === 'group' ? 'Bench' : null,
    directKey,
    createdAt: at,
    updatedAt: at,
    publicUpdatedAt: at,
  };
}

function teamRow(workspaceId: string, id: string, at: number): Row<'teams'> {
  return {
    workspaceId,
    id,
    name: `Team ${id}`,
    nameKey: `${workspaceId}/${id.toLowerCase()}`,
    description: null,
    category: null,
    createdAt: at,
    updatedAt: at,
  };
}

function ticketRow(
  workspaceId: string,
  conversationId: string,
  requesterId: string,
  teamId: string,
  subject: string,
  at: number,
): Row<'tickets'> {
  return {
    id: newId(),
    workspaceId,
    subject: `${subject} ${conversationId.slice(-6)}`,
    description: 'It is really on fire.',
    status: 'open',
    priority: 'high',
    priorityRank: 3,
    requesterId,
    assigneeId: null,
    teamId,
    conversationId,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    snoozedUntil: null,
    followUpOf: null,
  };
}
