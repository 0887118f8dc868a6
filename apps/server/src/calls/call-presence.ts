import { z } from 'zod';
import type { ServiceDeps } from '../deps';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import type { PresenceTracker } from '../realtime/presence-tracker';
import { listLiveCallIds } from './call-repository';
import { leaveCallsOfAbsent } from './call-service';

/** Someone in a call went offline a while ago: if they are still gone, they have left it. */
export const dropAbsentJob = defineJobType(
  'call.drop_absent',
  z.object({ workspaceId: z.string(), userId: z.string() }),
  { backoffMs: 1_000, maxAttempts: 10 },
);

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
