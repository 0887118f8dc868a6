import type { Me, Permission } from '@parley/protocol';

/**
 * What the signed-in person may do in this workspace, from their session's permissions: the app
 * decides by permission, never by a role's name (a workspace may define roles of its own). The
 * server checks again; this only keeps the app from offering what would be refused.
 */
export const can = (user: Pick<Me, 'permissions'> | null | undefined, permission: Permission): boolean =>
  user?.permissions?.includes(permission) ?? false;

/** The admin area's sections, each shown to whoever holds its permission. */
export const ADMIN_SECTIONS = {
  people: 'people.manage',
  invites: 'people.manage',
  teams: 'teams.manage',
  roles: 'settings.manage',
  rules: 'settings.manage',
  workspace: 'settings.manage',
  settings: 'settings.manage',
  sla: 'settings.manage',
  labels: 'settings.manage',
  canned: 'settings.manage',
  fields: 'settings.manage',
  email: 'settings.manage',
  widgets: 'settings.manage',
  webhooks: 'settings.manage',
} as const satisfies Record<string, Permission>;

export type AdminSection = keyof typeof ADMIN_SECTIONS;

/** The admin sections this person may use, in the order the admin area shows them. */
export const adminSectionsOf = (user: Pick<Me, 'permissions'> | null | undefined): AdminSection[] =>
  (Object.keys(ADMIN_SECTIONS) as AdminSection[]).filter((section) => can(user, ADMIN_SECTIONS[section]));
