import { z } from 'zod';
import { IdSchema, NameTextSchema, TimestampSchema } from './common';

/**
 * Email channels: the support addresses a workspace receives mail at. A mail to one opens a
 * ticket for its sender (or lands in the ticket it answers); a staff member's public reply goes
 * back by email. `settings.manage` keeps them.
 */

const Address = z
  .email()
  .max(200)
  .transform((a) => a.trim().toLowerCase())
  .refine((a) => !a.split('@')[0]!.includes('+'), 'Without "+": replies come to address+token@…')
  .describe('Unique across the installation; mail to it, and to its plus-addresses, arrives here');

export const EmailChannelSchema = z
  .object({
    id: IdSchema,
    address: z.string(),
    name: z.string().nullable().describe('Shown as the sender of replies; null: the workspace name'),
    teamId: IdSchema.nullable().describe("New tickets go to this team; null: the desk's default queue"),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'EmailChannel' });
export type EmailChannel = z.infer<typeof EmailChannelSchema>;

export const EmailChannelListSchema = z
  .object({ items: z.array(EmailChannelSchema).describe('By address') })
  .meta({ id: 'EmailChannelList' });
export type EmailChannelList = z.infer<typeof EmailChannelListSchema>;

const ChannelName = NameTextSchema.trim().min(1).max(100);

export const CreateEmailChannelBodySchema = z
  .object({
    address: Address,
    name: ChannelName.nullable().optional(),
    teamId: IdSchema.nullable().optional(),
  })
  .meta({ id: 'CreateEmailChannelBody' });
export type CreateEmailChannelBody = z.input<typeof CreateEmailChannelBodySchema>;

export const UpdateEmailChannelBodySchema = z
  .object({
    name: ChannelName.nullable().optional().describe('null: the workspace name'),
    teamId: IdSchema.nullable().optional().describe("null: the desk's default queue"),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateEmailChannelBody' });
export type UpdateEmailChannelBody = z.input<typeof UpdateEmailChannelBodySchema>;
