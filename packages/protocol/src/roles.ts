import { z } from 'zod';
import { IdSchema, NameTextSchema, RoleSchema } from './common';
import { PermissionSchema } from './workspaces';

/** A role's name: one line, unique per workspace ignoring case. */
export const RoleNameSchema = NameTextSchema.trim().min(1).max(64);

/** What a role may do; a permission named twice counts once. */
export const RolePermissionsSchema = z.array(PermissionSchema).max(PermissionSchema.options.length * 2);

/** A role of a workspace: one of the three built-ins or one the workspace defined. */
export const WorkspaceRoleSchema = z
  .object({
    id: IdSchema.describe('Send it as `roleId` to `PATCH /users/{id}` to give someone this role'),
    name: z.string(),
    builtIn: RoleSchema.nullable().describe(
      'Which built-in role this is (read-only: every workspace relies on them); null for a role of its own',
    ),
    permissions: z.array(PermissionSchema).describe('What its members may do, sorted'),
    memberCount: z
      .number()
      .int()
      .nonnegative()
      .describe('Members with this role, deactivated ones included (a role someone has cannot be deleted)'),
  })
  .meta({ id: 'WorkspaceRole' });
export type WorkspaceRole = z.infer<typeof WorkspaceRoleSchema>;

/** Built-in roles first (admin, agent, customer), then the workspace's own by name. */
export const WorkspaceRoleListSchema = z
  .object({ items: z.array(WorkspaceRoleSchema) })
  .meta({ id: 'WorkspaceRoleList' });
export type WorkspaceRoleList = z.infer<typeof WorkspaceRoleListSchema>;

export const CreateRoleBodySchema = z
  .object({
    name: RoleNameSchema.describe('Unique in the workspace, ignoring case'),
    permissions: RolePermissionsSchema.describe('May be empty: a role like `customer`'),
  })
  .meta({ id: 'CreateRoleBody' });
export type CreateRoleBody = z.infer<typeof CreateRoleBodySchema>;

export const UpdateRoleBodySchema = z
  .object({
    name: RoleNameSchema.optional().describe('Unique in the workspace, ignoring case'),
    permissions: RolePermissionsSchema.optional().describe(
      'The whole new set; members get it at once (their open sockets authenticate again)',
    ),
  })
  .refine((b) => b.name !== undefined || b.permissions !== undefined, 'Give at least one field to change')
  .meta({ id: 'UpdateRoleBody' });
export type UpdateRoleBody = z.infer<typeof UpdateRoleBodySchema>;
