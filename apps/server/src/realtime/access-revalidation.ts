import { CLOSE_CODES } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { ticketReach } from '../tickets/ticket-policy';
import type { Db } from '../db/connect';
import type { EventBus } from '../events/event-bus';
import { teamIdsOf } from '../teams/team-service';
import { currentAccessOf, permissionKey, type CurrentAccess } from '../users/access-repository';
import type { SocketSession } from './socket-session';

/**
 * A socket keeps the role and teams its user had at sign-in ([RT-AUTH]). They are dropped
 * (close 4401, the client signs in again with fresh rights) when an `access.changed` event says
 * so, and also where that event may never have arrived: after the event bus was cut off, and at
 * each in-band token renewal (an operator may have changed the database by hand).
 */
export const ACCESS_CHANGED = 'Your access changed: authenticate again';

/** Users per pair of queries: far below every database's limit on bound parameters. */
const USERS_PER_BATCH = 500;
/** After a failed check (the database did not answer), the next try. */
const RETRY_MS = 5_000;

/** Sockets whose teams were read at sign-in: before that there is nothing stale to compare. */
const settled = new WeakSet<SocketSession>();

/** Call once the socket's role and teams are set up. */
export function accessSettled(session: SocketSession): void {
  settled.add(session);
}

/** Closes every socket whose user is gone, deactivated, or has another role or other teams. */
export async function revalidateAccess(db: Db, sessions: Iterable<SocketSession>): Promise<number> {
  // Workspace -> user -> that user's sockets there.
  const byWorkspace = new Map<string, Map<string, SocketSession[]>>();
  for (const session of sessions) {
    if (!session.actor || !session.isOpen || !settled.has(session)) continue;
    const { workspaceId, id } = session.actor;
    const byUser = byWorkspace.get(workspaceId) ?? new Map<string, SocketSession[]>();
    byUser.set(id, [...(byUser.get(id) ?? []), session]);
    byWorkspace.set(workspaceId, byUser);
  }
  let closed = 0;
  for (const [workspaceId, byUser] of byWorkspace) {
    const userIds = [...byUser.keys()];
    for (let i = 0; i < userIds.length; i += USERS_PER_BATCH) {
      const batch = userIds.slice(i, i + USERS_PER_BATCH);
      const access = await currentAccessOf(db, { workspaceId }, batch);
      for (const userId of batch) {
        for (const session of byUser.get(userId)!) {
          if (stillHolds(session, access.get(userId))) continue;
          session.close(CLOSE_CODES.unauthorized, ACCESS_CHANGED);
          closed += 1;
        }
      }
    }
  }
  return closed;
}

/**
 * Whether a renewed token (`renewed` was just read from the database) leaves the socket's rights
 * as they were. Teams matter to agents only: they decide which tickets an agent sees.
 */
export async function renewalKeepsAccess(db: Db, session: SocketSession, renewed: Actor): Promise<boolean> {
  const before = session.actor;
  if (!before || renewed.roleId !== before.roleId) return false;
  if (permissionKey(renewed.permissions) !== permissionKey(before.permissions)) return false;
  if (ticketReach(renewed) !== 'teams' || !settled.has(session)) return true;
  return sameSet(await teamIdsOf(db, renewed), session.teamIds);
}

/**
 * Re-checks this node's sockets each time the bus reports that events went by unheard (an
 * `access.changed` among them would otherwise be lost for good), then lets the caller catch the
 * survivors up: a socket that lost its rights is closed with 4401, not sent what it may no
 * longer read. A check the database cannot answer is tried again until it succeeds (the
 * catch-up does not wait for that). Returns the stop function.
 */
export function revalidateAfterMissedEvents(options: {
  events: EventBus;
  db: Db;
  sessions: Iterable<SocketSession>;
  onError(error: unknown): void;
  thenCatchUp(): void;
}): () => void {
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let chain = Promise.resolve();
  const check = (catchUp: boolean) => {
    clearTimeout(retry);
    if (stopped) return;
    // One check at a time; a report during a check queues another (the first may have read too early).
    chain = chain.then(async () => {
      if (stopped) return;
      try {
        await revalidateAccess(options.db, options.sessions);
      } catch (error) {
        options.onError(error);
        if (!stopped) retry = setTimeout(() => check(false), RETRY_MS);
      }
      if (catchUp && !stopped) options.thenCatchUp();
    });
  };
  const unsubscribe = options.events.onMissedEvents(() => check(true));
  return () => {
    stopped = true;
    clearTimeout(retry);
    unsubscribe();
  };
}

function stillHolds(session: SocketSession, now: CurrentAccess | undefined): boolean {
  const actor = session.actor!;
  if (!now?.active || now.roleId !== actor.roleId || now.permissions !== permissionKey(actor.permissions)) return false;
  return sameSet(ticketReach(actor) === 'teams' ? now.teamIds : [], session.teamIds);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((id) => set.has(id));
}
