import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { CursorSchema, LimitSchema, PageQuerySchema, pageOf } from './pagination';
import { PublicUserSchema } from './users';

export const FriendRequestStatusSchema = z.enum(['pending', 'accepted', 'declined', 'cancelled']);
export type FriendRequestStatus = z.infer<typeof FriendRequestStatusSchema>;

/** A request to become contacts; only its two parties ever see it. */
export const FriendRequestSchema = z
  .object({
    id: IdSchema,
    fromUser: PublicUserSchema,
    toUser: PublicUserSchema,
    status: FriendRequestStatusSchema,
    createdAt: TimestampSchema,
    respondedAt: TimestampSchema.nullable().describe('When it was accepted, declined or cancelled'),
  })
  .meta({ id: 'FriendRequest' });
export type FriendRequest = z.infer<typeof FriendRequestSchema>;

/** `POST /friend-requests`. */
export const CreateFriendRequestBodySchema = z
  .object({ userId: IdSchema.describe('Who to ask; not yourself') })
  .meta({ id: 'CreateFriendRequestBody' });
export type CreateFriendRequestBody = z.infer<typeof CreateFriendRequestBodySchema>;

export const FriendRequestDirectionSchema = z.enum(['incoming', 'outgoing']);
export type FriendRequestDirection = z.infer<typeof FriendRequestDirectionSchema>;

export const FriendRequestListQuerySchema = z.object({
  direction: FriendRequestDirectionSchema.default('incoming').describe(
    '`incoming`: sent to you; `outgoing`: sent by you',
  ),
  status: FriendRequestStatusSchema.default('pending'),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type FriendRequestListQuery = z.infer<typeof FriendRequestListQuerySchema>;

export const FriendRequestPageSchema = pageOf(FriendRequestSchema).meta({ id: 'FriendRequestPage' });
export type FriendRequestPage = z.infer<typeof FriendRequestPageSchema>;

/** One of your contacts, and since when. */
export const ContactSchema = z.object({ user: PublicUserSchema, since: TimestampSchema }).meta({ id: 'Contact' });
export type Contact = z.infer<typeof ContactSchema>;

export const ContactListQuerySchema = PageQuerySchema;
export type ContactListQuery = z.infer<typeof ContactListQuerySchema>;

export const ContactPageSchema = pageOf(ContactSchema).meta({ id: 'ContactPage' });
export type ContactPage = z.infer<typeof ContactPageSchema>;

/** A user you blocked, and since when. */
export const BlockedUserSchema = z
  .object({ user: PublicUserSchema, since: TimestampSchema })
  .meta({ id: 'BlockedUser' });
export type BlockedUser = z.infer<typeof BlockedUserSchema>;

export const BlockListQuerySchema = PageQuerySchema;
export type BlockListQuery = z.infer<typeof BlockListQuerySchema>;

export const BlockedUserPageSchema = pageOf(BlockedUserSchema).meta({ id: 'BlockedUserPage' });
export type BlockedUserPage = z.infer<typeof BlockedUserPageSchema>;
