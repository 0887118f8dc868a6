import { z } from 'zod';
import { PERMISSIONS } from './constants';
import { IdSchema, RoleSchema } from './common';

/**
 * What a role may do, by name. Every route and frame checks one of these, never a role's name;
 * the built-in roles are sets of them (admin: all; agent: `tickets.work`, `tickets.priority`,
 * `notes.write`; customer: none) and a workspace may define its own.
 */
export const PermissionSchema = z.enum(PERMISSIONS).meta({
  id: 'Permission',
  description: [
    '`tickets.work`: staff; works the tickets of their teams and those assigned to them (sees them and',
    'their internal notes, replies, changes status, takes them), sees everyone in the workspace and may',
    'write to anyone. `tickets.all`: sees and works every ticket, also those of no team, and moves',
    'tickets into any team. `tickets.assign`: assigns tickets to any staff member (without it: to',
    "themself or to a teammate on the ticket's team). `tickets.priority`: changes priority.",
    '`notes.write`: writes internal notes. `teams.manage`, `people.manage` (roles, deactivation),',
    '`reports.view` (the audit log), `settings.manage` (desk settings), `messages.moderate` (deletes',
    "others' messages).",
  ].join(' '),
});
export type Permission = z.infer<typeof PermissionSchema>;

/** A workspace slug: how people name it when they sign in (`acme`, `support-eu`). */
export const WorkspaceSlugSchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'Use lower-case letters, digits and "-"');

/** A workspace as its members see it. */
export const WorkspaceSchema = z
  .object({
    id: IdSchema,
    slug: z.string(),
    name: z.string(),
    accentColor: z.string().nullable().describe("`#rrggbb`, or null for the app's own"),
    logoUrl: z.string().nullable(),
  })
  .meta({ id: 'Workspace' });
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** `GET /me/workspaces`: every workspace the signed-in person belongs to, for the switcher. */
export const MyWorkspaceSchema = z
  .object({
    workspace: WorkspaceSchema,
    role: RoleSchema,
    current: z.boolean().describe('The workspace of the token that asked'),
    unreadCount: z.number().int().nonnegative().describe('Unread notification entries there'),
  })
  .meta({ id: 'MyWorkspace' });
export type MyWorkspace = z.infer<typeof MyWorkspaceSchema>;

export const MyWorkspacesSchema = z.object({ items: z.array(MyWorkspaceSchema) }).meta({ id: 'MyWorkspaces' });
export type MyWorkspaces = z.infer<typeof MyWorkspacesSchema>;

/** `POST /auth/switch`: a new session in another workspace of the same person. */
export const SwitchWorkspaceBodySchema = z.object({ workspaceId: IdSchema }).meta({ id: 'SwitchWorkspaceBody' });
export type SwitchWorkspaceBody = z.infer<typeof SwitchWorkspaceBodySchema>;
