import { z } from 'zod';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import type { ServiceDeps } from '../deps';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import type { PresenceTracker } from '../realtime/presence-tracker';
import { listJoinedEverywhere, listLiveCallIds } from './call-repository';
import { leaveCallsOfAbsent } from './call-service';

/** Someone in a call went offline a while ago: if they are still gone, they have left it. */
export const dropAbsentJob = defineJobType(
  'call.drop_absent',
  z.object({ workspaceId: z.string(), userId: z.string() }),
  { backoffMs: 1_000, maxAttempts: 10 },
);

/**
 * Every three call graces (a minute by default): people joined in a call with no socket on any
 * node, whose `offline` never came because the node that had their sockets died. Each gets the
 * same check as above, a grace later.
 */
export const sweepAbsentJob = defineJobType('call.sweep_absent', z.object({}), { maxAttempts: 5 });
const SWEEP_KEY = 'call.sweep_absent';

/**
 * A person joined in a call whose every socket, on every node, stays gone (decision 0016) has
 * left it: the presence tracker's `offline` event, heard on the node that announced it (once in
 * the cluster), schedules a durable check `dropGraceMs` later, which leaves their calls only if
 * they are offline still. A phone that changes networks, or a server restart, is back by then.
 * Returns the stop, which waits for checks being scheduled.
 */
export function leaveCallsWhenOffline(
  deps: ServiceDeps,
  infra: { jobs: JobRunner; presence: PresenceTracker; dropGraceMs: number },
  onError: (error: unknown) => void,
): () => Promise<void> {
  infra.jobs.register(dropAbsentJob, async ({ workspaceId, userId }) => {
    const status = (await infra.presence.statusOf({ workspaceId }, [userId])).get(userId);
    if (status === 'offline') await leaveCallsOfAbsent(deps, { workspaceId }, userId);
  });
  const sweepEveryMs = infra.dropGraceMs * 3;
  infra.jobs.register(sweepAbsentJob, async (_payload, { now }) => {
    for (const [workspaceId, userIds] of await listJoinedEverywhere(acrossWorkspaces(deps.db))) {
      const statuses = await infra.presence.statusOf({ workspaceId }, userIds);
      for (const userId of userIds.filter((id) => statuses.get(id) === 'offline')) {
        await enqueueJob(deps.db, {
          type: dropAbsentJob,
          payload: { workspaceId, userId },
          runAt: now + infra.dropGraceMs,
          dedupeKey: `call.drop_absent:${workspaceId}:${userId}`,
        });
      }
    }
    return { runAgainAt: now + sweepEveryMs };
  });
  // Not at once: after a restart, everyone's devices need a moment to come back.
  infra.jobs.keepRecurring({
    type: sweepAbsentJob,
    payload: {},
    runAt: deps.clock.now() + sweepEveryMs,
    dedupeKey: SWEEP_KEY,
  });
  const pending = new Set<Promise<void>>();
  const unsubscribe = deps.events.subscribeLocal((event) => {
    if (event.type !== 'presence' || event.status !== 'offline') return;
    const ws = { workspaceId: event.workspaceId };
    const scheduled = (async () => {
      // Most people going offline are in no call: no job for them.
      if ((await listLiveCallIds(deps.db, ws, event.userId, ['joined'])).length === 0) return;
      await enqueueJob(deps.db, {
        type: dropAbsentJob,
        payload: { workspaceId: event.workspaceId, userId: event.userId },
        runAt: deps.clock.now() + infra.dropGraceMs,
      });
    })().catch(onError);
    pending.add(scheduled);
    void scheduled.finally(() => pending.delete(scheduled));
  });
  return async () => {
    unsubscribe();
    await Promise.allSettled(pending);
  };
}
