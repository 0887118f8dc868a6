import type { Role } from '@parley/protocol';
import type { Db } from '../db/connect';

export interface CurrentAccess {
  role: Role;
  active: boolean;
  teamIds: string[];
}

/**
 * Role, active flag and teams of many users in two queries: what the sockets of these users
 * were granted must still hold. A user missing from the map does not exist any more.
 */
export async function currentAccessOf(db: Db, userIds: string[]): Promise<Map<string, CurrentAccess>> {
  if (userIds.length === 0) return new Map();
  const [users, memberships] = await Promise.all([
    db.selectFrom('users').select(['id', 'role', 'deactivatedAt']).where('id', 'in', userIds).execute(),
    db.selectFrom('teamMembers').select(['userId', 'teamId']).where('userId', 'in', userIds).execute(),
  ]);
  const access = new Map<string, CurrentAccess>(
    users.map((u) => [u.id, { role: u.role, active: u.deactivatedAt === null, teamIds: [] }]),
  );
  for (const { userId, teamId } of memberships) access.get(userId)?.teamIds.push(teamId);
  return access;
}
