import type { CreateRoleBody, Permission, UpdateRoleBody, WorkspaceRole, WorkspaceRoleList } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { isForeignKeyViolation, isUniqueViolation } from '../db/constraint-errors';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import {
  deleteRoleRow,
  findRole,
  insertRole,
  listRoles,
  memberIdsOfRole,
  removeRoleMembersFromTeams,
  renameRole,
  setRolePermissions,
  type RoleRecord,
} from './role-repository';

/**
 * Roles are named sets of permissions. The three built-in ones (admin, agent, customer) are
 * listed but cannot be changed: the installation relies on an admin role holding every
 * permission (sign-up, the first admin, invites give these), so a workspace cannot lock itself
 * out. A workspace defines its own roles beside them. Changing what a role may do takes effect
 * at once: every member's open sockets authenticate again, and REST reads the role per request.
 */

const nameTaken = () => fieldConflict([{ in: 'body', path: 'name', message: 'A role with this name exists' }]);

const builtInIsReadOnly = (role: RoleRecord) =>
  new AppError(
    'conflict',
    `"${role.name}" is a built-in role and cannot be changed or deleted: every workspace relies on its built-in admin, agent and customer roles (the admin one holds every permission). Define a role of your own instead.`,
  );

/** A permission named twice counts once; stored and shown sorted. */
const normalized = (permissions: Permission[]): Permission[] => [...new Set(permissions)].sort();

export async function listWorkspaceRoles(deps: ServiceDeps, ws: Scope): Promise<WorkspaceRoleList> {
  return { items: await listRoles(deps.db, ws) };
}

/** The role as the list shows it. */
async function presentRole(deps: ServiceDeps, ws: Scope, id: string): Promise<WorkspaceRole> {
  return (await listRoles(deps.db, ws)).find((role) => role.id === id)!;
}

export async function createRole(deps: ServiceDeps, actor: Actor, body: CreateRoleBody): Promise<WorkspaceRole> {
  const at = deps.clock.now();
  const role = { id: newId(), name: body.name, permissions: normalized(body.permissions) };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertRole(trx, actor, role, at);
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'role.created',
        entityType: 'role',
        entityId: role.id,
        data: { name: role.name, permissions: role.permissions },
      });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
  return { id: role.id, name: role.name, builtIn: null, permissions: role.permissions, memberCount: 0 };
}

/**
 * Renames a role of the workspace's own or gives it a new set of permissions. A new set reaches
 * its members at once: their sockets close (4401) and come back with the new rights; without
 * `tickets.work` they also leave their teams.
 */
export async function updateRole(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateRoleBody,
): Promise<WorkspaceRole> {
  const at = deps.clock.now();
  let affected: string[] = [];
  try {
    await deps.db.transaction().execute(async (trx) => {
      const before = await findRole(trx, actor, id);
      if (!before) throw notFound('Role');
      if (before.builtIn) throw builtInIsReadOnly(before);
      const permissions = body.permissions && normalized(body.permissions);
      const permissionsChanged = permissions !== undefined && permissions.join() !== before.permissions.join();
      if (body.name !== undefined && body.name !== before.name) await renameRole(trx, actor, id, body.name, at);
      if (permissionsChanged) {
        await setRolePermissions(trx, actor, id, permissions, at);
        affected = await memberIdsOfRole(trx, actor, id);
        // Only staff are on teams, as when one person's role changes (user-service.ts).
        if (!permissions.includes('tickets.work')) await removeRoleMembersFromTeams(trx, actor, id);
      }
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'role.updated',
        entityType: 'role',
        entityId: id,
        data: { from: { name: before.name, permissions: before.permissions }, to: { ...body, permissions } },
      });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
  for (const userId of affected) {
    deps.events.publish({ type: 'access.changed', workspaceId: actor.workspaceId, userId });
  }
  return presentRole(deps, actor, id);
}

/** Only a role of the workspace's own that nobody has (deactivated members count: they may come back). */
export async function deleteRole(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const at = deps.clock.now();
  const inUse = () =>
    new AppError('conflict', 'Someone still has this role: give them another one first (deactivated members count)');
  try {
    await deps.db.transaction().execute(async (trx) => {
      const role = await findRole(trx, actor, id);
      if (!role) throw notFound('Role');
      if (role.builtIn) throw builtInIsReadOnly(role);
      if ((await memberIdsOfRole(trx, actor, id)).length > 0) throw inUse();
      await deleteRoleRow(trx, actor, id);
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'role.deleted',
        entityType: 'role',
        entityId: id,
        data: { name: role.name, permissions: role.permissions },
      });
    });
  } catch (error) {
    // Someone was given the role between the check and the delete.
    throw isForeignKeyViolation(error) ? inUse() : error;
  }
}
