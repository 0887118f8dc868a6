import type { Availability } from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';

/**
 * An agent says they are away (or back) in this workspace. Away, auto-assignment gives them
 * nothing new (what they have stays theirs); back, their teams' waiting tickets may come to them.
 * Kept on the membership: it outlasts sign-outs and devices, unlike live presence.
 */
export async function setAvailability(deps: ServiceDeps, actor: Actor, away: boolean): Promise<Availability> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Only staff take tickets');
  const at = deps.clock.now();
  const ws = { workspaceId: actor.workspaceId };
  return deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('workspaceMembers')
      .set({ awaySince: away ? at : null })
      .where('workspaceId', '=', ws.workspaceId)
      .where('userId', '=', actor.id)
      .where('awaySince', away ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) {
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: away ? 'user.away' : 'user.available',
        entityType: 'user',
        entityId: actor.id,
      });
      if (!away)
        await deps.reactions.record(trx, { ...ws, type: 'staff.available', userId: actor.id, teamId: null }, at);
    }
    const row = await trx
      .selectFrom('workspaceMembers')
      .select('awaySince')
      .where('workspaceId', '=', ws.workspaceId)
      .where('userId', '=', actor.id)
      .executeTakeFirstOrThrow();
    return { away: row.awaySince !== null, awaySince: row.awaySince === null ? null : toIso(row.awaySince) };
  });
}
