import { PermissionSchema, type Permission, type Role } from '@parley/protocol';
import { MysqlAdapter, PostgresAdapter, sql } from 'kysely';
import type { Actor, Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { compiledStatement } from '../db/compiled-statement';
import type { UserRow } from '../db/schema';

/** A person as a workspace knows them: the account, their role there, and whether they are active there. */
export interface MemberRow extends UserRow {
  /** The built-in role theirs shows as (see `roleShownSql`). */
  role: Role;
  roleId: string;
  roleName: string;
  /** Set themselves away in this workspace (auto-assignment passes them by); null: available. */
  awaySince: number | null;
}

/**
 * The built-in role a role shows as where the wire has only those three (`PublicUser.role`,
 * the switcher): itself for a built-in one; for a workspace's own, `agent` when it works tickets,
 * else `customer`. SQL over the `roles` table of the surrounding query; decisions never use it.
 */
export const roleShownSql = () =>
  sql<Role>`coalesce(roles.built_in, case when exists (select 1 from role_permissions rp_shown
    where rp_shown.role_id = roles.id and rp_shown.workspace_id = roles.workspace_id
      and rp_shown.permission = 'tickets.work') then 'agent' else 'customer' end)`;

/** `roleShownSql` for a role whose permissions are at hand. */
export const roleShown = (builtIn: Role | null, permissions: ReadonlySet<Permission>): Role =>
  builtIn ?? (permissions.has('tickets.work') ? 'agent' : 'customer');

/**
 * People of one workspace with their role. `deactivatedAt` is the membership's (or the
 * account's, when the whole account is closed), so a person closed in one workspace stays
 * active in the others.
 */
export function selectMembers(db: Db, ws: Scope) {
  return db
    .selectFrom('users')
    .innerJoin('workspaceMembers as wm', 'wm.userId', 'users.id')
    .innerJoin('roles', 'roles.id', 'wm.roleId')
    .where('wm.workspaceId', '=', ws.workspaceId)
    .where('roles.workspaceId', '=', ws.workspaceId)
    .select([
      'users.id',
      'users.email',
      'users.username',
      'users.usernameKey',
      'users.displayName',
      'users.passwordHash',
      'users.avatarKey',
      'users.statusText',
      'users.createdAt',
      'users.updatedAt',
      'users.locale',
      'users.emailVerifiedAt',
      'users.bot',
      'wm.roleId',
      'roles.name as roleName',
      'wm.awaySince',
    ])
    .select((eb) => [
      roleShownSql().as('role'),
      eb.fn.coalesce('wm.deactivatedAt', 'users.deactivatedAt').as('deactivatedAt'),
    ]);
}

export const findMember = (db: Db, ws: Scope, userId: string): Promise<MemberRow | undefined> =>
  selectMembers(db, ws).where('users.id', '=', userId).executeTakeFirst();

/**
 * The actor `userId` is in the workspace, with the permissions of their role, in one query;
 * undefined when they are not an active member, their account is closed or the workspace suspended.
 */
export async function loadActor(db: Db, ws: Scope, userId: string): Promise<Actor | undefined> {
  const { rows } = await actorRows(db, { workspaceId: ws.workspaceId, userId });
  const first = rows[0] as { roleId: string; builtIn: Role | null; permission: string | null } | undefined;
  if (!first) return undefined;
  const permissions = new Set(rows.flatMap((r) => permissionOf(r.permission as string | null)));
  return {
    id: userId,
    workspaceId: ws.workspaceId,
    roleId: first.roleId,
    role: roleShown(first.builtIn, permissions),
    permissions,
  };
}

// Compiled once: services read other people's actors often (automation, inbound mail, rules).
const actorRows = compiledStatement((db, v: { workspaceId: string; userId: string }) =>
  actorQuery(db, v).select(['wm.roleId', 'roles.builtIn', 'rp.permission']),
);

/** An active member's role and its permissions (a row each), in a workspace that is not suspended. */
const actorQuery = (db: Db, v: { workspaceId: string; userId: string }) =>
  db
    .selectFrom('workspaceMembers as wm')
    .innerJoin('users', 'users.id', 'wm.userId')
    .innerJoin('roles', 'roles.id', 'wm.roleId')
    .innerJoin('workspaces', 'workspaces.id', 'wm.workspaceId')
    .leftJoin('rolePermissions as rp', (join) =>
      join.onRef('rp.roleId', '=', 'roles.id').on('rp.workspaceId', '=', v.workspaceId),
    )
    .where('wm.workspaceId', '=', v.workspaceId)
    .where('roles.workspaceId', '=', v.workspaceId)
    .where('wm.userId', '=', v.userId)
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .where('workspaces.suspendedAt', 'is', null);

/**
 * What every request and socket sign-in needs of its token's person, in one statement: the
 * actor with their permissions (undefined when not an active member, as `loadActor`), their
 * teams, and whether the token's session (refresh-token family) is still live. Three queries
 * before: on PostgreSQL each woke a backend, for a history request 3 of its 8.
 */
export async function loadSignedIn(
  db: Db,
  claims: Scope & { userId: string; sessionId?: string | undefined },
): Promise<{ actor: Actor | undefined; sessionLive: boolean }> {
  const values = { workspaceId: claims.workspaceId, userId: claims.userId, familyId: claims.sessionId ?? '' };
  const { rows } = await signedInRows(db, values, claims.sessionId === undefined ? 'no-session' : 'session');
  let first: { roleId: string; builtIn: Role | null } | undefined;
  const permissions = new Set<Permission>();
  const teamIds: string[] = [];
  let sessionLive = claims.sessionId === undefined;
  for (const row of rows as { kind: string; value: string | null; roleId: string | null; builtIn: Role | null }[]) {
    if (row.kind === 'p') {
      first ??= { roleId: row.roleId!, builtIn: row.builtIn };
      for (const permission of permissionOf(row.value)) permissions.add(permission);
    } else if (row.kind === 't') teamIds.push(row.value!);
    else sessionLive = true;
  }
  const actor: Actor | undefined = first && {
    id: claims.userId,
    workspaceId: claims.workspaceId,
    roleId: first.roleId,
    role: roleShown(first.builtIn, permissions),
    permissions,
    teamIds,
  };
  return { actor, sessionLive };
}

// Kinds of row: 'p' a permission of the role (null for a role without any), 't' a team, 's' the live session.
const signedInRows = compiledStatement(
  (db, v: { workspaceId: string; userId: string; familyId: string }, shape: 'session' | 'no-session') => {
    const row = (kind: string) => sql<string>`${sql.lit(kind)}`.as('kind');
    const none = sql<never>`null`;
    const query = actorQuery(db, v)
      .select([row('p'), 'rp.permission as value', 'wm.roleId', 'roles.builtIn'])
      .unionAll(
        db
          .selectFrom('teamMembers')
          .select([row('t'), 'teamId as value', none.as('roleId'), none.as('builtIn')])
          .where('workspaceId', '=', v.workspaceId)
          .where('userId', '=', v.userId),
      );
    if (shape === 'no-session') return query;
    return query.unionAll(
      db
        .selectFrom('refreshTokens')
        .select([row('s'), 'id as value', none.as('roleId'), none.as('builtIn')])
        .where('familyId', '=', v.familyId)
        .where('revokedAt', 'is', null),
    );
  },
);

const KNOWN_PERMISSIONS: ReadonlySet<string> = new Set(PermissionSchema.options);

/** A permission a newer release wrote and this one does not know grants nothing. */
const permissionOf = (name: string | null): Permission[] =>
  name !== null && KNOWN_PERMISSIONS.has(name) ? [name as Permission] : [];

/** The role every workspace has under this built-in name. */
export async function builtInRoleId(db: Db, ws: Scope, role: Role): Promise<string> {
  const row = await db
    .selectFrom('roles')
    .select('id')
    .where('workspaceId', '=', ws.workspaceId)
    .where('builtIn', '=', role)
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * SQL: whether the person in `userIdColumn` has `permission` in the workspace (through their
 * membership's role), for conditions inside bigger queries.
 */
export const hasPermissionSql = (ws: Scope, userIdColumn: string, permission: Permission) =>
  sql<boolean>`exists (select 1 from workspace_members wm_p
    join role_permissions rp_p on rp_p.role_id = wm_p.role_id and rp_p.workspace_id = ${ws.workspaceId}
    where wm_p.workspace_id = ${ws.workspaceId} and wm_p.user_id = ${sql.ref(userIdColumn)}
      and wm_p.deactivated_at is null and rp_p.permission = ${permission})`;

/**
 * Locks the member's row until the transaction ends, so two writers deciding about the same
 * person wait for each other (two teams giving an agent a ticket; a double-clicked data export).
 * SQLite has one writer anyway, and no `FOR UPDATE`.
 */
export async function lockMembership(trx: Db, ws: Scope, userId: string): Promise<void> {
  const adapter = trx.getExecutor().adapter;
  if (!(adapter instanceof PostgresAdapter || adapter instanceof MysqlAdapter)) return;
  await trx
    .selectFrom('workspaceMembers')
    .select('userId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .forUpdate()
    .execute();
}
