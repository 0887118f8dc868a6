import {
  DEFAULT_DESK_SETTINGS,
  DeskSettingsSchema,
  type DeskSettings,
  type UpdateDeskSettingsBody,
} from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { findTeam } from '../teams/team-service';

/**
 * The settings of the workspace's desk: its stored rows over the defaults. A row that no longer
 * parses (a setting renamed or retyped by a later release) falls back to its default instead of
 * failing every read.
 */
export async function readDeskSettings(db: Db, ws: Scope): Promise<DeskSettings> {
  const rows = await db
    .selectFrom('deskSettings')
    .select(['key', 'value'])
    .where('workspaceId', '=', ws.workspaceId)
    .execute();
  const settings: Record<string, unknown> = { ...DEFAULT_DESK_SETTINGS };
  for (const { key, value } of rows) {
    if (!(key in DEFAULT_DESK_SETTINGS)) continue;
    const parsed = DeskSettingsSchema.shape[key as keyof DeskSettings].safeParse(JSON.parse(value));
    if (parsed.success) settings[key] = parsed.data;
  }
  return settings as DeskSettings;
}

export const getDeskSettings = (deps: ServiceDeps, actor: Actor): Promise<DeskSettings> =>
  readDeskSettings(deps.db, actor);

/**
 * For holders of `settings.manage` (the route checks it): writes each given setting of the
 * actor's workspace and records the change. Each workspace is one desk, so the audit entry's
 * desk id is the workspace id.
 */
export async function updateDeskSettings(
  deps: ServiceDeps,
  actor: Actor,
  body: UpdateDeskSettingsBody,
): Promise<DeskSettings> {
  const at = deps.clock.now();
  // The default queue must be a team of this workspace (its deletion later leaves no default).
  if (body.defaultTeamId && !(await findTeam(deps.db, actor, body.defaultTeamId))) {
    throw new AppError('validation_failed', 'The default queue must be a team of this workspace', {
      fields: [{ in: 'body', path: 'defaultTeamId', message: 'No such team' }],
    });
  }
  const changes = Object.entries(body).filter(([, value]) => value !== undefined);
  const write = () =>
    deps.db.transaction().execute(async (trx) => {
      const before = await readDeskSettings(trx, actor);
      for (const [key, value] of changes) {
        const row = { value: JSON.stringify(value), updatedBy: actor.id, updatedAt: at };
        // Update first, insert if there was nothing: portable, and there is one admin form.
        const updated = await trx
          .updateTable('deskSettings')
          .set(row)
          .where('workspaceId', '=', actor.workspaceId)
          .where('key', '=', key)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0)
          await trx
            .insertInto('deskSettings')
            .values({ workspaceId: actor.workspaceId, key, ...row })
            .execute();
      }
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'desk.settings_changed',
        entityType: 'desk',
        entityId: actor.workspaceId,
        data: {
          from: Object.fromEntries(changes.map(([key]) => [key, before[key as keyof DeskSettings]])),
          to: Object.fromEntries(changes),
        },
      });
      return readDeskSettings(trx, actor);
    });
  try {
    return await write();
  } catch (error) {
    // Two first-ever changes of one key in one workspace at once: both found no row; the loser
    // updates the winner's.
    if (isUniqueViolation(error)) return write();
    throw error;
  }
}
