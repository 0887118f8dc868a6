import { z } from 'zod';
import { NameTextSchema } from './common';
import { WorkspaceSchema } from './workspaces';

/** A workspace's display name: one line, like a team's. */
export const WorkspaceNameSchema = NameTextSchema.trim().min(1).max(64);

/** `#rrggbb`, lower or upper case; stored lower-cased. */
export const AccentColorSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour as #rrggbb')
  .transform((c) => c.toLowerCase());

/** `GET /workspace`: the workspace of the session, as its members see it, and whether anyone may sign up. */
export const WorkspaceSettingsSchema = WorkspaceSchema.extend({
  openSignup: z.boolean().describe('Anyone may register into it as a customer; otherwise by invite only'),
}).meta({ id: 'WorkspaceSettings' });
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

/** `PATCH /workspace` (settings.manage): what changes; absent fields stay. */
export const UpdateWorkspaceBodySchema = z
  .object({
    name: WorkspaceNameSchema.optional(),
    accentColor: AccentColorSchema.nullable().optional().describe("null: the app's own accent"),
    openSignup: z.boolean().optional(),
  })
  .refine(
    (b) => b.name !== undefined || b.accentColor !== undefined || b.openSignup !== undefined,
    'Give at least one field to change',
  )
  .meta({ id: 'UpdateWorkspaceBody' });
export type UpdateWorkspaceBody = z.input<typeof UpdateWorkspaceBodySchema>;

/** Random key of a stored logo: 32 lowercase hex digits. */
export const WorkspaceLogoKeySchema = z.string().regex(/^[0-9a-f]{32}$/, 'Expected a logo key');

export const WORKSPACE_LOGO_SIZES = [256, 64] as const;
export type WorkspaceLogoSize = (typeof WORKSPACE_LOGO_SIZES)[number];

/** `GET /workspace-logos/:key?size=`: WebP, fitted inside a square of 256 px (default) or 64 px. */
export const WorkspaceLogoQuerySchema = z.object({
  size: z
    .enum(['256', '64'])
    .default('256')
    .transform((s) => Number(s) as WorkspaceLogoSize)
    .describe('The longer edge of the image in pixels (the logo keeps its proportions)'),
});

export const WorkspaceLogoResponseSchema = z
  .object({ logoUrl: z.string().describe('Public URL of the new logo, e.g. `/workspace-logos/<key>`') })
  .meta({ id: 'WorkspaceLogoResponse' });
export type WorkspaceLogoResponse = z.infer<typeof WorkspaceLogoResponseSchema>;
