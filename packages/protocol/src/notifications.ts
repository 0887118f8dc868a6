import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { CursorSchema, LimitSchema, pageOf } from './pagination';

export const NotificationKindSchema = z.enum([
  'ticket.created',
  'ticket.assigned',
  'ticket.message',
  'ticket.closed',
  'ticket.reopened',
  'ticket.follow_up',
  'ticket.opened_for_you',
  'ticket.sla',
  'direct.message',
  'friend_request.received',
  'friend_request.accepted',
  'ticket.rule',
  'ticket.csat',
  'message.mention',
  'webhook.disabled',
  'data_export.ready',
]);
export type NotificationKind = z.infer<typeof NotificationKindSchema>;

/** A preview is the start of the message (or ticket description), at most this many characters. */
export const NOTIFICATION_PREVIEW_CHARS = 140;

/**
 * One entry of someone's notifications. Everything about a conversation (a ticket's thread, a
 * direct chat) is one entry: a new event there updates it (`kind`, `sender`, `preview`,
 * `updatedAt`) and raises `count` until it is read. Clients build the sentence in the reader's
 * language from these fields; the server stores no prose.
 */
export const NotificationItemSchema = z
  .object({
    id: IdSchema,
    kind: NotificationKindSchema.describe('What happened last'),
    conversationId: IdSchema.nullable().describe('The conversation it is about (tickets and direct chats)'),
    ticketId: IdSchema.nullable(),
    subject: z.string().nullable().describe("The ticket's subject"),
    sender: z
      .object({ id: IdSchema, displayName: z.string(), bot: z.boolean().describe('A bot: apps mark it as one') })
      .nullable()
      .describe('Who wrote, opened, assigned, closed or asked'),
    preview: z
      .string()
      .max(NOTIFICATION_PREVIEW_CHARS + 1)
      .nullable()
      .describe('The start of the message or ticket description; never an internal note for a customer'),
    count: z.number().int().min(1).describe('Events gathered in this entry since it was last read'),
    data: z
      .record(z.string(), z.unknown())
      .describe(
        'Ids of what happened last: ticketId, conversationId, messageId, seq, requestId, fromUserId, byUserId, exportId',
      ),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema.describe('When the latest event arrived: the list is ordered by it'),
    readAt: TimestampSchema.nullable(),
  })
  .meta({ id: 'NotificationItem' });
export type NotificationItem = z.infer<typeof NotificationItemSchema>;

export const NotificationListQuerySchema = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('`true`: unread ones only; `false`: read ones only'),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>;

export const NotificationPageSchema = pageOf(NotificationItemSchema)
  .extend({
    unreadCount: z
      .number()
      .int()
      .min(0)
      .describe('Your unread entries (one per conversation at most), not just on this page'),
  })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPageSchema>;
