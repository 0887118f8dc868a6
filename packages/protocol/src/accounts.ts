import { z } from 'zod';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';
import { PasswordSchema } from './auth';
import { WorkspaceSlugSchema } from './workspaces';

/** What a mailed link carries: 256 random bits, base64url. */
export const AccountTokenSchema = z.string().min(20).max(200);

export const ChangePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1).max(256),
    newPassword: PasswordSchema,
  })
  .meta({ id: 'ChangePasswordBody' });
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

export const PasswordResetBodySchema = z
  .object({
    login: PlainTextSchema.trim().min(1).max(254).describe('Email or username'),
    workspace: WorkspaceSlugSchema.optional().describe(
      "The workspace the person signs in to (the mail's branding and link); absent: the one they signed in to last",
    ),
  })
  .meta({ id: 'PasswordResetBody' });
export type PasswordResetBody = z.infer<typeof PasswordResetBodySchema>;

export const PasswordResetConfirmBodySchema = z
  .object({ token: AccountTokenSchema, newPassword: PasswordSchema })
  .meta({ id: 'PasswordResetConfirmBody' });
export type PasswordResetConfirmBody = z.infer<typeof PasswordResetConfirmBodySchema>;

export const VerifyEmailBodySchema = z.object({ token: AccountTokenSchema }).meta({ id: 'VerifyEmailBody' });
export type VerifyEmailBody = z.infer<typeof VerifyEmailBodySchema>;

/** One signed-in device: a refresh-token family. */
export const AccountSessionSchema = z
  .object({
    id: IdSchema,
    createdAt: TimestampSchema.describe('When it signed in'),
    lastUsedAt: TimestampSchema.describe('When it last got fresh tokens (a working app does every 15 minutes)'),
    userAgent: z.string().nullable().describe('The browser or app it signed in with, as it said'),
    current: z.boolean().describe('The session of this request'),
    workspace: z.object({ id: IdSchema, slug: z.string(), name: z.string() }).describe('Where it is signed in'),
  })
  .meta({ id: 'AccountSession' });
export type AccountSession = z.infer<typeof AccountSessionSchema>;

export const AccountSessionListSchema = z
  .object({ items: z.array(AccountSessionSchema).describe('Most recently used first, across your workspaces') })
  .meta({ id: 'AccountSessionList' });
export type AccountSessionList = z.infer<typeof AccountSessionListSchema>;
