import { z } from 'zod';
import { PlainTextSchema } from './common';
import { PASSWORD_MIN_LENGTH } from './constants';
import { DisplayNameSchema, EmailSchema, MeSchema, UsernameSchema } from './users';
import { InviteTokenSchema } from './invites';
import { WorkspaceSlugSchema } from './workspaces';

/** Long enough to resist guessing, short enough that hashing it is no denial of service. */
export const PasswordSchema = z.string().min(PASSWORD_MIN_LENGTH).max(256);

export const RegisterBodySchema = z
  .object({
    email: EmailSchema,
    username: UsernameSchema,
    password: PasswordSchema,
    displayName: DisplayNameSchema.optional(),
    workspace: WorkspaceSlugSchema.optional().describe(
      "The workspace to join (one that allows sign-up); absent: the installation's default workspace",
    ),
    invite: InviteTokenSchema.optional().describe(
      "An invite's token: join its workspace with its role (also where sign-up is by invite only); wins over `workspace`",
    ),
  })
  .meta({ id: 'RegisterBody' });
export type RegisterBody = z.infer<typeof RegisterBodySchema>;

export const LoginBodySchema = z
  .object({
    login: PlainTextSchema.trim().min(1).max(254).describe('Email or username'),
    password: z.string().min(1).max(256),
    workspace: WorkspaceSlugSchema.optional().describe(
      'The workspace to sign in to; absent: the one signed in to last (or the only one)',
    ),
  })
  .meta({ id: 'LoginBody' });
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const RefreshTokenSchema = z.string().min(20).max(200);

export const RefreshBodySchema = z.object({ refreshToken: RefreshTokenSchema }).meta({ id: 'RefreshBody' });
export type RefreshBody = z.infer<typeof RefreshBodySchema>;

export const TokenPairSchema = z
  .object({
    accessToken: z.string().describe('JWT (HS256) for `Authorization: Bearer`; lives 15 minutes'),
    refreshToken: z.string().describe('Opaque; single use: every refresh returns a new one'),
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof TokenPairSchema>;

export const SessionSchema = z.object({ user: MeSchema, ...TokenPairSchema.shape }).meta({ id: 'Session' });
export type Session = z.infer<typeof SessionSchema>;
