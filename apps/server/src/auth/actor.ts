import type { Permission, Role } from '@parley/protocol';
import type { ApiTokenGrant } from './access-tokens';

/** What a repository needs to know to stay inside one workspace; every actor is one. */
export interface Scope {
  workspaceId: string;
}

/** Who is acting, as read fresh from the database for this request (or socket frame). */
export interface Actor extends Scope {
  id: string;
  roleId: string;
  /** The built-in role this one is, for display; decisions use `permissions`. */
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** The session (refresh-token family) of the request's access token, when it names one. */
  sessionId?: string;
  /**
   * The teams read with the actor (`loadSignedIn`), so a request or a socket's frames do not read
   * them again. A socket keeps them only where they decide what it sees (an agent who sees their
   * teams' tickets; empty otherwise), and a change of them closes it
   * (realtime/access-revalidation.ts). Absent: read them when needed.
   */
  teamIds?: readonly string[];
  /** A chat widget's visitor (the widget's id): reaches only their own chats (widget/guest-scope.ts). */
  guestOf?: string;
  /** Acting through an API token: only within its scopes (api-tokens/api-token-scope.ts). */
  apiToken?: ApiTokenGrant;
}

export const can = (actor: Actor, permission: Permission): boolean => actor.permissions.has(permission);

/** Staff work tickets; everyone else is a customer of the workspace. */
export const isStaff = (actor: Actor): boolean => can(actor, 'tickets.work');
