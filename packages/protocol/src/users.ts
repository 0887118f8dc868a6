import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, RoleSchema, TimestampSchema } from './common';
import { USERNAME_MIN_LENGTH } from './constants';
import { CursorSchema, LimitSchema, pageOf } from './pagination';
import { PermissionSchema, WorkspaceSchema } from './workspaces';

export const EmailSchema = z.email().max(254);

/** Letters, digits, `_`, `.` and `-`; never `@`, so a login string is unambiguous. */
export const UsernameSchema = z
  .string()
  .min(USERNAME_MIN_LENGTH)
  .max(32)
  .regex(
    /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/,
    'Use letters, digits, "_", "." or "-", starting and ending with a letter, digit or "_"',
  );

/** The languages Parley speaks: the app's, and the one of a person's mails. */
export const LocaleSchema = z.enum(['en', 'de']).meta({ id: 'Locale' });
export type Locale = z.infer<typeof LocaleSchema>;

export const DisplayNameSchema = NameTextSchema.trim().min(1).max(64);

/** The signed-in user as they see themselves (`GET /me`). */
export const MeSchema = z
  .object({
    id: IdSchema,
    email: EmailSchema,
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema.describe(
      'Their role in the workspace of this session as a built-in one (a role of its own shows as `agent` when it works tickets, else `customer`)',
    ),
    roleId: IdSchema.describe('Their role there'),
    roleName: z.string().describe('Its name, for display (built-in or custom)'),
    permissions: z.array(PermissionSchema).describe('What that role may do'),
    workspace: WorkspaceSchema.describe('The workspace of this session'),
    avatarUrl: z.string().nullable(),
    statusText: z.string().nullable(),
    awaySince: TimestampSchema.nullable().describe(
      'Set themselves away (no auto-assigned tickets) since; null: available',
    ),
    locale: LocaleSchema.describe('The language of their mails'),
    emailVerified: z.boolean().describe('Whether they opened the verification link mailed to `email`'),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof MeSchema>;

/** Another user as anyone allowed to see them sees them: no email. */
export const PublicUserSchema = z
  .object({
    id: IdSchema,
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema.describe(
      "Their role as a built-in one: a role of the workspace's own shows as `agent` when it works tickets, else `customer`",
    ),
    roleId: IdSchema.describe('Their role in the workspace'),
    roleName: z.string().describe('Its name, for display'),
    avatarUrl: z.string().nullable(),
    statusText: z.string().nullable(),
    bot: z.boolean().describe("A workspace's bot: it acts through API tokens, and apps mark it as a bot"),
  })
  .meta({ id: 'PublicUser' });
export type PublicUser = z.infer<typeof PublicUserSchema>;

export const StatusTextSchema = NameTextSchema.trim().max(140);

/** `PATCH /me`: only these fields; anything else (a `role`, say) is dropped, never applied. */
export const UpdateMeBodySchema = z
  .object({
    displayName: DisplayNameSchema.optional(),
    statusText: StatusTextSchema.nullable().optional().describe('null or "" clears it'),
    locale: LocaleSchema.optional().describe('The language of your mails (the app sends its own when you switch)'),
  })
  .refine(
    (b) => b.displayName !== undefined || b.statusText !== undefined || b.locale !== undefined,
    'Give at least one field to change',
  )
  .meta({ id: 'UpdateMeBody' });
export type UpdateMeBody = z.infer<typeof UpdateMeBodySchema>;

export const UserSearchQuerySchema = z.object({
  q: PlainTextSchema.trim()
    .min(1)
    .max(64)
    .optional()
    .describe('Staff: text in the username or display name (case-insensitive). Customers: an exact username'),
  role: RoleSchema.optional().describe(
    'Staff: only people whose role shows as this built-in one (e.g. `agent`: everyone who works tickets, to add to a team)',
  ),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type UserSearchQuery = z.infer<typeof UserSearchQuerySchema>;

/** A member as whoever manages people sees them: whether their membership of the workspace is deactivated shows. */
export const AdminUserSchema = PublicUserSchema.extend({
  deactivatedAt: TimestampSchema.nullable(),
  awaySince: TimestampSchema.nullable().describe(
    'Set themselves away (no auto-assigned tickets) since; null: available',
  ),
}).meta({
  id: 'AdminUser',
});
export type AdminUser = z.infer<typeof AdminUserSchema>;

/** Whoever manages people gets every item in the `AdminUser` form (deactivated members included). */
export const UserPageSchema = pageOf(z.union([AdminUserSchema, PublicUserSchema])).meta({ id: 'UserPage' });
export type UserPage = z.infer<typeof UserPageSchema>;

export const UpdateUserBodySchema = z
  .object({
    role: RoleSchema.optional().describe('Give them a built-in role'),
    roleId: IdSchema.optional().describe('Give them any role of the workspace, built-in or its own (`GET /roles`)'),
    deactivated: z
      .boolean()
      .optional()
      .describe('true signs them out of this workspace and keeps them out of it (their other workspaces go on)'),
  })
  .refine(
    (b) => b.role !== undefined || b.roleId !== undefined || b.deactivated !== undefined,
    'Give at least one field to change',
  )
  .refine((b) => b.role === undefined || b.roleId === undefined, 'Give either role or roleId, not both')
  .meta({ id: 'UpdateUserBody' });
export type UpdateUserBody = z.infer<typeof UpdateUserBodySchema>;
