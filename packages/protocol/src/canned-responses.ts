import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';

/**
 * Canned responses: replies staff keep ready, with placeholders Parley fills for a ticket.
 * `personal` ones are their owner's alone; `team` ones are for the team's members; `workspace`
 * ones for all staff. Team and workspace ones are kept with `settings.manage`.
 */

export const CannedScopeSchema = z
  .enum(['personal', 'team', 'workspace'])
  .describe("`personal`: only its owner sees and keeps it; `team`: the team's members use it; `workspace`: all staff")
  .meta({ id: 'CannedScope' });
export type CannedScope = z.infer<typeof CannedScopeSchema>;

/** What follows the `/` in the composer: lower-case letters, digits, `-` and `_`. */
export const CannedShortcutSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'Lower-case letters, digits, - and _, up to 40, e.g. `refund`')
  .describe(
    'Typed after `/` in the composer; unique among the responses of one owner (a person, a team, the workspace)',
  );

const Title = NameTextSchema.trim().min(1).max(100);
const Body = PlainTextSchema.trim()
  .min(1)
  .max(10_000)
  .describe(
    'The reply, with placeholders: `{{customer.name}}`, `{{customer.firstName}}`, `{{customer.email}}`, ' +
      '`{{ticket.id}}` (the short number the app shows, without `#`), `{{ticket.subject}}`, `{{agent.name}}`, ' +
      '`{{agent.firstName}}`, `{{workspace.name}}`, `{{ticket.fields.KEY}}`, `{{customer.fields.KEY}}`',
  );

export const CannedResponseSchema = z
  .object({
    id: IdSchema,
    scope: CannedScopeSchema,
    ownerId: IdSchema.nullable().describe('`personal`: its owner; else null'),
    teamId: IdSchema.nullable().describe('`team`: the team; else null'),
    shortcut: z.string(),
    title: z.string(),
    body: z.string().describe('With its placeholders, as written'),
    usageCount: z.number().int().min(0).describe('How often staff inserted it'),
    canEdit: z.boolean().describe('Whether you may change or delete it'),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'CannedResponse' });
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

export const CannedResponseListSchema = z
  .object({ items: z.array(CannedResponseSchema).describe('Most used first, then by title') })
  .meta({ id: 'CannedResponseList' });
export type CannedResponseList = z.infer<typeof CannedResponseListSchema>;

export const CannedResponseListQuerySchema = z.object({
  q: PlainTextSchema.trim()
    .max(100)
    .optional()
    .describe('Text in the shortcut, title or body (ignoring case); a leading `/` is ignored'),
  purpose: z
    .enum(['use', 'manage'])
    .default('use')
    .describe(
      "`use`: what you may insert (your own, your teams', the workspace's); `manage`: what you may change " +
        "(your own, and with `settings.manage` every team's and the workspace's)",
    ),
});
export type CannedResponseListQuery = z.input<typeof CannedResponseListQuerySchema>;

export const CreateCannedResponseBodySchema = z
  .object({
    scope: CannedScopeSchema,
    teamId: IdSchema.optional().describe('With `team` (and only then): a team of the workspace'),
    shortcut: CannedShortcutSchema,
    title: Title,
    body: Body,
  })
  .refine((b) => (b.scope === 'team') === (b.teamId !== undefined), {
    path: ['teamId'],
    message: 'A team response names its team; other scopes name none',
  })
  .meta({ id: 'CreateCannedResponseBody' });
export type CreateCannedResponseBody = z.input<typeof CreateCannedResponseBodySchema>;

export const UpdateCannedResponseBodySchema = z
  .object({ shortcut: CannedShortcutSchema.optional(), title: Title.optional(), body: Body.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateCannedResponseBody' });
export type UpdateCannedResponseBody = z.input<typeof UpdateCannedResponseBodySchema>;

export const RenderCannedResponseBodySchema = z
  .object({ ticketId: IdSchema.describe('A ticket you may work') })
  .meta({ id: 'RenderCannedResponseBody' });
export type RenderCannedResponseBody = z.infer<typeof RenderCannedResponseBodySchema>;

export const RenderedCannedResponseSchema = z
  .object({
    body: z.string().describe('Placeholders filled with plain text; one Parley cannot fill stays as written (`{{…}}`)'),
    unfilled: z.array(z.string()).describe('The placeholders left as written, e.g. `ticket.fields.plan`'),
  })
  .meta({ id: 'RenderedCannedResponse' });
export type RenderedCannedResponse = z.infer<typeof RenderedCannedResponseSchema>;
