import type { Role } from '@parley/protocol';

/** Who is acting, as read fresh from the database for this request (or socket frame). */
export interface Actor {
  id: string;
  role: Role;
}

export const isStaff = (actor: Actor): boolean => actor.role === 'agent' || actor.role === 'admin';
