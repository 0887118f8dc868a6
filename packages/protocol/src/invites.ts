import { z } from 'zod';
import { MAX_INVITE_HOURS } from './constants';
import { IdSchema, RoleSchema, TimestampSchema } from './common';

/** An invite's secret: 256 random bits, base64url. Only its hash is stored. */
export const InviteTokenSchema = z
  .string()
  .min(20)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/, 'Expected an invite token');

/** The longest an invite may live: 30 days. */

/** `POST /invites` (people.manage): a link to join this workspace with a role. */
export const CreateInviteBodySchema = z
  .object({
    roleId: IdSchema.optional().describe("A role of this workspace (built-in or the workspace's own)"),
    role: RoleSchema.optional().describe('A built-in role, by name; give `roleId` or `role`'),
    maxUses: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .default(1)
      .describe('1 (the default): single use; null: any number of uses until it expires'),
    expiresInHours: z.number().int().min(1).max(MAX_INVITE_HOURS).describe('At most 30 days (720 hours)'),
  })
  .refine((b) => (b.roleId === undefined) !== (b.role === undefined), 'Give either roleId or role')
  .meta({ id: 'CreateInviteBody' });
export type CreateInviteBody = z.input<typeof CreateInviteBodySchema>;

export const InviteStateSchema = z.enum(['active', 'expired', 'used_up', 'revoked']);
export type InviteState = z.infer<typeof InviteStateSchema>;

/** An invite as its workspace's admins list it: never with its token. */
export const InviteSchema = z
  .object({
    id: IdSchema,
    role: z.object({ id: IdSchema, name: z.string() }),
    maxUses: z.number().int().nullable().describe('null: unlimited until it expires'),
    uses: z.number().int().nonnegative(),
    usesLeft: z.number().int().nonnegative().nullable().describe('null: unlimited'),
    state: InviteStateSchema,
    expiresAt: TimestampSchema,
    createdBy: IdSchema.nullable(),
    createdAt: TimestampSchema,
    revokedAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'Invite' });
export type Invite = z.infer<typeof InviteSchema>;

export const InviteListSchema = z.object({ items: z.array(InviteSchema) }).meta({ id: 'InviteList' });
export type InviteList = z.infer<typeof InviteListSchema>;

/** The answer to `POST /invites`: the only time the token is shown. */
export const CreatedInviteSchema = z
  .object({
    invite: InviteSchema,
    token: InviteTokenSchema,
    path: z.string().describe("`/join/<token>`: the link to share, on the app's origin"),
  })
  .meta({ id: 'CreatedInvite' });
export type CreatedInvite = z.infer<typeof CreatedInviteSchema>;

/** `GET /invites/preview/:token` (public): what the join page shows before anyone signs up. */
export const InvitePreviewSchema = z
  .object({
    workspace: z.object({
      name: z.string(),
      logoUrl: z.string().nullable(),
      accentColor: z.string().nullable(),
    }),
    role: z.object({ name: z.string() }),
  })
  .meta({ id: 'InvitePreview' });
export type InvitePreview = z.infer<typeof InvitePreviewSchema>;

/** `POST /auth/join`: a signed-in person of another workspace joins this one. */
export const JoinBodySchema = z.object({ invite: InviteTokenSchema }).meta({ id: 'JoinBody' });
export type JoinBody = z.infer<typeof JoinBodySchema>;
