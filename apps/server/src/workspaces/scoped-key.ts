import type { Scope } from '../auth/actor';

/**
 * A dedupe key of a table whose unique constraint predates workspaces (team names, the pair of a
 * direct chat, a pending friend request): unique per workspace because it starts with it. See
 * the workspaces migration for why these are keys and not composite constraints.
 */
export const scopedKey = (ws: Scope, key: string): string => `${ws.workspaceId}/${key}`;
