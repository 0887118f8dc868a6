import { z } from 'zod';
import { TimestampSchema } from './common';
import { CreatedInviteSchema } from './invites';
import { WorkspaceNameSchema } from './workspace-settings';
import { WorkspaceSchema, WorkspaceSlugSchema } from './workspaces';

/**
 * Installation operators (an account the operator CLI marked; nothing over HTTP can) create,
 * suspend and delete workspaces. Everyone else gets 403 from these routes, whatever their role.
 */
export const OperatorWorkspaceSchema = z
  .object({
    workspace: WorkspaceSchema,
    openSignup: z.boolean(),
    suspended: z.boolean().describe('Nobody can sign in there; open sockets were closed'),
    createdAt: TimestampSchema,
    memberCount: z.number().int().nonnegative().describe('Active members'),
    ticketCount: z.number().int().nonnegative(),
  })
  .meta({ id: 'OperatorWorkspace' });
export type OperatorWorkspace = z.infer<typeof OperatorWorkspaceSchema>;

export const OperatorWorkspaceListSchema = z
  .object({ items: z.array(OperatorWorkspaceSchema) })
  .meta({ id: 'OperatorWorkspaceList' });
export type OperatorWorkspaceList = z.infer<typeof OperatorWorkspaceListSchema>;

export const CreateWorkspaceBodySchema = z
  .object({
    slug: WorkspaceSlugSchema.describe('Unique in the installation'),
    name: WorkspaceNameSchema,
    openSignup: z.boolean().default(false),
  })
  .meta({ id: 'CreateWorkspaceBody' });
export type CreateWorkspaceBody = z.input<typeof CreateWorkspaceBodySchema>;

/** A new workspace has nobody in it yet: the invite makes its first admin (single use, 7 days). */
export const CreatedWorkspaceSchema = z
  .object({ workspace: OperatorWorkspaceSchema, adminInvite: CreatedInviteSchema })
  .meta({ id: 'CreatedWorkspace' });
export type CreatedWorkspace = z.infer<typeof CreatedWorkspaceSchema>;

export const OperatorUpdateWorkspaceBodySchema = z
  .object({
    name: WorkspaceNameSchema.optional(),
    suspended: z.boolean().optional().describe('true: nobody can sign in or refresh there; open sockets close'),
  })
  .refine((b) => b.name !== undefined || b.suspended !== undefined, 'Give at least one field to change')
  .meta({ id: 'OperatorUpdateWorkspaceBody' });
export type OperatorUpdateWorkspaceBody = z.infer<typeof OperatorUpdateWorkspaceBodySchema>;
