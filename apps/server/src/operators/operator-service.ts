import {
  CreateWorkspaceBodySchema,
  RegisterBodySchema,
  type CreateWorkspaceBody,
  type CreatedWorkspace,
  type OperatorUpdateWorkspaceBody,
  type OperatorWorkspace,
} from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { WorkspaceRow } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import type { EventBus } from '../events/event-bus';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { createInvite } from '../invites/invite-service';
import {
  claimFirstAdmin,
  findUserByEmail,
  findUserByUsernameKey,
  hasAnyUser,
  insertUser,
} from '../users/user-repository';
import { builtInRoleId } from '../workspaces/member-repository';
import {
  findDefaultWorkspace,
  findWorkspace,
  insertMember,
  insertWorkspace,
  presentWorkspace,
  updateWorkspace,
} from '../workspaces/workspace-repository';
import { grantOperator } from './operator-repository';
import { scheduleWorkspaceDeletion, workspacesBeingDeleted } from './workspace-deletion';

/**
 * What installation operators do: list, create, suspend and delete workspaces. These span the
 * installation by nature, so the counts read across workspaces (`acrossWorkspaces`).
 */
export interface OperatorDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
}

/** The first admin's invite of a new workspace: single use, a week. */
const ADMIN_INVITE = { role: 'admin' as const, maxUses: 1, expiresInHours: 7 * 24 };

const iso = (ms: number) => new Date(ms).toISOString();

function present(row: WorkspaceRow, counts: { members: number; tickets: number }): OperatorWorkspace {
  return {
    workspace: presentWorkspace(row),
    openSignup: row.openSignup === 1,
    suspended: row.suspendedAt !== null,
    createdAt: iso(row.createdAt),
    memberCount: counts.members,
    ticketCount: counts.tickets,
  };
}

/** Counts per workspace of one table, as numbers (PostgreSQL and MariaDB answer bigints as strings). */
async function countsBy(db: Db, table: 'workspaceMembers' | 'tickets'): Promise<Map<string, number>> {
  let query = acrossWorkspaces(db)
    .selectFrom(table)
    .select((eb) => ['workspaceId', eb.fn.countAll().as('n')])
    .groupBy('workspaceId');
  if (table === 'workspaceMembers') query = query.where('deactivatedAt', 'is', null);
  const rows = await query.execute();
  return new Map(rows.map((row) => [row.workspaceId, Number(row.n)]));
}

export async function listWorkspaces(deps: OperatorDeps): Promise<OperatorWorkspace[]> {
  const [rows, members, tickets, deleting] = await Promise.all([
    deps.db.selectFrom('workspaces').selectAll().orderBy('createdAt').orderBy('id').execute(),
    countsBy(deps.db, 'workspaceMembers'),
    countsBy(deps.db, 'tickets'),
    workspacesBeingDeleted(deps.db),
  ]);
  return rows
    .filter((row) => !deleting.has(row.id))
    .map((row) => present(row, { members: members.get(row.id) ?? 0, tickets: tickets.get(row.id) ?? 0 }));
}

async function presentOne(deps: OperatorDeps, row: WorkspaceRow): Promise<OperatorWorkspace> {
  const [members, tickets] = await Promise.all([countsBy(deps.db, 'workspaceMembers'), countsBy(deps.db, 'tickets')]);
  return present(row, { members: members.get(row.id) ?? 0, tickets: tickets.get(row.id) ?? 0 });
}

/** A new workspace with its built-in roles, and the invite that makes its first admin. */
export async function createWorkspace(
  deps: OperatorDeps,
  operator: Actor,
  input: CreateWorkspaceBody,
): Promise<CreatedWorkspace> {
  const body = CreateWorkspaceBodySchema.parse(input);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const row = await insertWorkspace(trx, body, now);
      const adminInvite = await createInvite(
        { db: trx, clock: deps.clock },
        { workspaceId: row.id },
        operator.id,
        ADMIN_INVITE,
      );
      return { workspace: present(row, { members: 0, tickets: 0 }), adminInvite };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw fieldConflict([{ in: 'body', path: 'slug', message: 'A workspace by this slug exists' }]);
  }
}

/** A workspace the operator may change: not one being deleted (that is gone already). */
async function liveWorkspace(deps: OperatorDeps, id: string): Promise<WorkspaceRow> {
  const row = await findWorkspace(deps.db, id);
  if (!row || (await workspacesBeingDeleted(deps.db)).has(id)) throw notFound('Workspace');
  return row;
}

/**
 * Renames, suspends or resumes a workspace. Suspending closes its open sockets at once; signing
 * in and refreshing there fail from then on (`loadActor` refuses suspended workspaces).
 */
export async function updateWorkspaceByOperator(
  deps: OperatorDeps,
  id: string,
  body: OperatorUpdateWorkspaceBody,
): Promise<OperatorWorkspace> {
  const before = await liveWorkspace(deps, id);
  if (body.suspended && (await isDefaultWorkspace(deps.db, id))) throw defaultWorkspaceStays();
  const now = deps.clock.now();
  const row = (await updateWorkspace(
    deps.db,
    id,
    {
      ...(body.name !== undefined && { name: body.name }),
      ...(body.suspended !== undefined && {
        suspendedAt: body.suspended ? (before.suspendedAt ?? now) : null,
      }),
    },
    now,
  ))!;
  if (body.suspended && before.suspendedAt === null) deps.events.publish({ type: 'workspace.closed', workspaceId: id });
  if (row.name !== before.name) {
    deps.events.publish({ type: 'workspace.updated', workspaceId: id, workspace: presentWorkspace(row) });
  }
  return presentOne(deps, row);
}

/** Suspends the workspace now and queues the job that deletes all of it. */
export async function deleteWorkspace(deps: OperatorDeps, id: string): Promise<void> {
  const row = await liveWorkspace(deps, id);
  if (await isDefaultWorkspace(deps.db, id)) throw defaultWorkspaceStays();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (row.suspendedAt === null) await updateWorkspace(trx, id, { suspendedAt: now }, now);
    await scheduleWorkspaceDeletion(trx, id, now);
  });
  deps.events.publish({ type: 'workspace.closed', workspaceId: id });
}

const isDefaultWorkspace = async (db: Db, id: string) => (await findDefaultWorkspace(db))?.id === id;

/** Where people land without naming a workspace, and where the operators' own accounts live. */
const defaultWorkspaceStays = () => new AppError('conflict', 'The default workspace cannot be suspended or deleted');

/**
 * An operator's account, made by the CLI: a member of the default workspace (its admin when it is
 * the installation's first account, a customer otherwise: operating is not a role there).
 */
export async function createOperatorAccount(
  deps: { db: Db; clock: Clock },
  input: { email: string; username: string; password: string },
): Promise<{ id: string; username: string }> {
  const body = RegisterBodySchema.parse(input);
  const email = body.email.trim().toLowerCase();
  const usernameKey = body.username.toLowerCase();
  if ((await findUserByEmail(deps.db, email)) || (await findUserByUsernameKey(deps.db, usernameKey))) {
    throw fieldConflict([{ in: 'body', path: 'email', message: 'That email or username is taken' }]);
  }
  const workspace = await findDefaultWorkspace(deps.db);
  if (!workspace) throw new Error('The installation has no default workspace: run the migrations');
  const passwordHash = await hashPassword(body.password);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const id = newId();
    const first = !(await hasAnyUser(trx));
    if (first) await claimFirstAdmin(trx, id, now);
    await insertUser(trx, {
      id,
      email,
      username: body.username,
      usernameKey,
      displayName: body.username,
      passwordHash,
      createdAt: now,
      updatedAt: now,
    });
    const ws = { workspaceId: workspace.id };
    await insertMember(trx, ws, id, await builtInRoleId(trx, ws, first ? 'admin' : 'customer'), now);
    await grantOperator(trx, id, now);
    return { id, username: body.username };
  });
}
