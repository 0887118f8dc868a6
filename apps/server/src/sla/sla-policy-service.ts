import type { SlaPolicy, SlaPolicySetting } from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { findTeam } from '../teams/team-service';
import { findLabels } from '../labels/label-service';
import { loadActor } from '../workspaces/member-repository';
import { isKnownTimeZone } from './business-hours';
import { deleteSlaPolicyRow, findSlaPolicy, saveSlaPolicy } from './sla-repository';

/** The workspace's SLA policy (null: none, tickets get no due times). */
export async function getSlaPolicy(deps: ServiceDeps, actor: Actor): Promise<SlaPolicySetting> {
  return { policy: (await findSlaPolicy(deps.db, actor)) ?? null };
}

/**
 * Sets the workspace's policy. New tickets follow it; tickets already running keep their due
 * times until their priority changes or they leave `pending`, when they are counted anew.
 */
export async function putSlaPolicy(deps: ServiceDeps, actor: Actor, policy: SlaPolicy): Promise<SlaPolicySetting> {
  await checkPolicy(deps, actor, policy);
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await saveSlaPolicy(trx, actor, policy, actor.id, at);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'desk.sla_policy_changed',
      entityType: 'desk',
      entityId: actor.workspaceId,
      data: { policy },
    });
  });
  return { policy };
}

/** Turns SLA off for new tickets; running clocks keep going (their jobs need no policy). */
export async function deleteSlaPolicy(deps: ServiceDeps, actor: Actor): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteSlaPolicyRow(trx, actor))) return;
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'desk.sla_policy_removed',
      entityType: 'desk',
      entityId: actor.workspaceId,
    });
  });
}

/** What zod cannot know: the zone exists, every named team and person is of this workspace. */
async function checkPolicy(deps: ServiceDeps, actor: Actor, policy: SlaPolicy): Promise<void> {
  const invalid = (path: string, message: string) =>
    new AppError('validation_failed', message, { fields: [{ in: 'body', path, message }] });
  if (policy.businessHours && !isKnownTimeZone(policy.businessHours.timeZone)) {
    throw invalid('businessHours.timeZone', 'Not a time zone Parley knows (e.g. Europe/Berlin)');
  }
  for (const [i, { action }] of policy.escalation.entries()) {
    const userIds = action.type === 'notify' ? action.userIds : action.type === 'reassign' ? [action.assigneeId] : [];
    for (const userId of userIds) {
      const member = userId === null ? null : await loadActor(deps.db, actor, userId);
      if (member === undefined || (member && !isStaff(member))) {
        throw invalid(`escalation.${i}.action`, 'Name agents or admins of this workspace');
      }
    }
    if (action.type === 'reassign' && action.teamId && !(await findTeam(deps.db, actor, action.teamId))) {
      throw invalid(`escalation.${i}.action.teamId`, 'No such team');
    }
    if (action.type === 'add_label' && (await findLabels(deps, actor, [action.labelId])).length === 0) {
      throw invalid(`escalation.${i}.action.labelId`, 'No such label');
    }
  }
}
