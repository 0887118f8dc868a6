import type { AccountSessionList } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { revokeRefreshTokenFamily } from '../auth/refresh-token-repository';
import { findSessionOf, liveSessionsOf, revokeSessionsOfUser } from '../auth/session-repository';
import { toIso } from '../clock';
import { notFound } from '../http/app-error';
import { closeSockets, type AccountDeps } from './password-service';

type Deps = Pick<AccountDeps, 'db' | 'clock' | 'events'>;

/** The person's signed-in devices, in every workspace (a password is the account's, not a workspace's). */
export async function listSessions(deps: Deps, actor: Actor): Promise<AccountSessionList> {
  const sessions = await liveSessionsOf(deps.db, actor.id, deps.clock.now());
  return {
    items: sessions.map((s) => ({
      id: s.id,
      createdAt: toIso(s.createdAt),
      lastUsedAt: toIso(s.lastUsedAt),
      userAgent: s.userAgent,
      current: s.id === actor.sessionId,
      workspace: { id: s.workspaceId, slug: s.workspaceSlug, name: s.workspaceName },
    })),
  };
}

/** Signs one device out (this one too, if asked). Someone else's session does not exist here. */
export async function endSession(deps: Deps, actor: Actor, id: string): Promise<void> {
  const session = await findSessionOf(deps.db, actor.id, id);
  if (!session) throw notFound('Session');
  await revokeRefreshTokenFamily(deps.db, session.id, deps.clock.now());
  closeSockets(deps, actor.id, [session.workspaceId]);
}

/** Signs out every other device; this one stays, so the person can go on (and sign out here as usual). */
export async function endOtherSessions(deps: Deps, actor: Actor): Promise<void> {
  closeSockets(deps, actor.id, await revokeSessionsOfUser(deps.db, actor.id, deps.clock.now(), actor.sessionId));
}
