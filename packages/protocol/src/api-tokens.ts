import { z } from 'zod';
import { IdSchema, NameTextSchema, TimestampSchema } from './common';

/**
 * API tokens: a person's (or a bot's) long-lived credential for scripts and integrations, sent as
 * `Authorization: Bearer pat_…` (or in the socket's `auth` frame). A token acts as its owner, with
 * the owner's role, but only within its scopes; it never reaches sign-in, sessions, settings,
 * webhooks or other tokens. Stored hashed; its secret is shown once.
 */
export const API_TOKEN_SCOPES = [
  'tickets:read',
  'tickets:write',
  'messages:read',
  'messages:write',
  'people:read',
  'realtime',
] as const;

export const ApiTokenScopeSchema = z.enum(API_TOKEN_SCOPES).meta({
  id: 'ApiTokenScope',
  description: [
    '`tickets:read` / `tickets:write`: tickets, customers, views, labels, canned responses and custom fields',
    '(reading / also changing them); `messages:read` / `messages:write`: conversations, their messages,',
    'files and search (reading / also sending, editing, reacting, marking read); `people:read`: users, teams',
    'and contacts; `realtime`: the WebSocket (its frames follow the `messages:` scopes). A `:write` scope',
    'includes its `:read`. Whatever the scopes, a token does no more than its owner may.',
  ].join(' '),
});
export type ApiTokenScope = z.infer<typeof ApiTokenScopeSchema>;

export const ApiTokenSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    scopes: z.array(ApiTokenScopeSchema).describe('Sorted'),
    prefix: z.string().describe('The start of the secret (`pat_AbC1…`), to tell tokens apart'),
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable().describe('To the minute; null: never used'),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const ApiTokenListSchema = z
  .object({ items: z.array(ApiTokenSchema).describe('Newest first; revoked and expired ones are gone') })
  .meta({ id: 'ApiTokenList' });
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>;

export const CreateApiTokenBodySchema = z
  .object({
    name: NameTextSchema.trim().min(1).max(100).describe('What it is for ("CRM sync")'),
    scopes: z
      .array(ApiTokenScopeSchema)
      .min(1)
      .max(API_TOKEN_SCOPES.length * 2),
    expiresInDays: z.number().int().min(1).max(366).default(90),
  })
  .meta({ id: 'CreateApiTokenBody' });
export type CreateApiTokenBody = z.input<typeof CreateApiTokenBodySchema>;

export const CreatedApiTokenSchema = z
  .object({
    token: ApiTokenSchema,
    secret: z.string().describe('Shown this once: send it as `Authorization: Bearer <secret>`'),
  })
  .meta({ id: 'CreatedApiToken' });
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;
