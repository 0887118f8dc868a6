import type { SocketSession } from './socket-session';

/** One key's sockets (a user's, a conversation's subscribers). */
export type IndexMap = Map<string, Set<SocketSession>>;

export function joinIndex(map: IndexMap, key: string, session: SocketSession): void {
  map.set(key, (map.get(key) ?? new Set()).add(session));
}

/** Removes the key with its last socket: users and conversations come and go by the million. */
export function leaveIndex(map: IndexMap, key: string, session: SocketSession): void {
  const sessions = map.get(key);
  if (sessions?.delete(session) && sessions.size === 0) map.delete(key);
}

/** The key of a person's sockets in `byUser`: the same person in another workspace is someone else there. */
export const memberKey = (ws: { workspaceId: string }, userId: string): string => `${ws.workspaceId}:${userId}`;
