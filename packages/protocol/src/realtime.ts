import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import {
  ClientMsgIdSchema,
  ConversationSchema,
  GroupInfoSchema,
  EmojiSchema,
  MessageBodySchema,
  MessageSchema,
  ReplyToIdSchema,
  SeqSchema,
} from './conversations';
import { CallSchema } from './calls';
import { ErrorCodeSchema } from './errors';
import { MAX_SUBSCRIBE_BATCH, PROTOCOL_VERSION } from './constants';
import { NotificationItemSchema } from './notifications';
import { TicketSchema } from './tickets';
import { CsatSurveySchema } from './csat';
import { EntityFieldValuesSchema } from './custom-fields';
import { CustomerNoteSchema } from './desk';
import { LabelChipSchema, LabelSchema } from './labels';
import { NotifyLevelSchema } from './notification-settings';
import { WorkspaceSchema } from './workspaces';

/** Optional correlation id: echoed in the `error` (and `pong`) caused by this frame. */
const ref = { ref: z.string().max(64).optional() };

// Client -> server
export const AuthFrameSchema = z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096), ...ref });
const afterSeq = SeqSchema.optional().describe('Replay every message after this seq, then go live');
export const SubscribeTargetSchema = z.object({ conversationId: IdSchema, afterSeq });
/** One conversation (`conversationId`, `afterSeq`), or up to 100 at once (`conversations`). */
export const SubscribeFrameSchema = z
  .object({
    type: z.literal('subscribe'),
    conversationId: IdSchema.optional(),
    afterSeq,
    conversations: z
      .array(SubscribeTargetSchema)
      .min(1)
      .max(MAX_SUBSCRIBE_BATCH)
      .optional()
      .describe('Each is answered by its own `subscribed`, or an `error` naming its conversationId'),
    ...ref,
  })
  .refine(
    (f) =>
      f.conversations === undefined
        ? f.conversationId !== undefined
        : f.conversationId === undefined && f.afterSeq === undefined,
    'Name either conversationId (with afterSeq) or conversations',
  );
export const UnsubscribeFrameSchema = z.object({ type: z.literal('unsubscribe'), conversationId: IdSchema, ...ref });
export const MessageSendFrameSchema = z.object({
  type: z.literal('message.send'),
  conversationId: IdSchema,
  clientMsgId: ClientMsgIdSchema,
  body: MessageBodySchema,
  internal: z.boolean().default(false),
  attachmentIds: z.array(IdSchema).max(10).default([]),
  replyToId: ReplyToIdSchema.optional(),
  ...ref,
});
export const MessageEditFrameSchema = z.object({
  type: z.literal('message.edit'),
  conversationId: IdSchema,
  messageId: IdSchema,
  body: MessageBodySchema,
  ...ref,
});
export const MessageDeleteFrameSchema = z.object({
  type: z.literal('message.delete'),
  conversationId: IdSchema,
  messageId: IdSchema,
  ...ref,
});
export const ReactionFrameSchema = z.object({
  type: z.literal('reaction'),
  conversationId: IdSchema,
  messageId: IdSchema,
  emoji: EmojiSchema,
  ...ref,
});
export const TypingFrameSchema = z.object({
  type: z.literal('typing'),
  conversationId: IdSchema,
  internal: z.boolean().default(false).describe('Typing an internal note: shown to staff only'),
  ...ref,
});
export const ReadFrameSchema = z.object({
  type: z.literal('read'),
  conversationId: IdSchema,
  seq: SeqSchema,
  ...ref,
});
export const PresenceStatusSchema = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;
export const PresenceFrameSchema = z.object({
  type: z.literal('presence'),
  status: z.enum(['online', 'away']).describe('Set by the client, e.g. away when the app is idle'),
  ...ref,
});
/** WebRTC offer/answer/ICE, relayed as is; capped so the relay cannot carry bulk data. */
export const CallPayloadSchema = z
  .unknown()
  .refine((p) => p !== undefined && jsonLength(p) <= 16_384, 'At most 16 KiB of JSON');

/**
 * Never throws: a value nested deeper than JSON.stringify's stack allows (a few KiB of `[[[`
 * parse fine) counts as too long, instead of an exception escaping validation.
 */
function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value).length;
  } catch {
    return Infinity;
  }
}
/** To another person joined in the same call (`callId`): both must be `joined` in it. */
export const CallSignalFrameSchema = z.object({
  type: z.literal('call.signal'),
  callId: IdSchema,
  toUserId: IdSchema,
  payload: CallPayloadSchema,
  ...ref,
});
export const PingFrameSchema = z.object({ type: z.literal('ping'), ...ref });
/**
 * What this socket shows the user now: a conversation open in a visible window, or nothing
 * (another screen, a hidden tab, the app in the background). Messages there notify nobody who
 * is looking, and opening it marks its notifications read.
 */
export const ViewingFrameSchema = z.object({
  type: z.literal('viewing'),
  conversationId: IdSchema.nullable(),
  ...ref,
});

export const ClientFrameSchema = z.discriminatedUnion('type', [
  AuthFrameSchema,
  SubscribeFrameSchema,
  UnsubscribeFrameSchema,
  MessageSendFrameSchema,
  MessageEditFrameSchema,
  MessageDeleteFrameSchema,
  ReactionFrameSchema,
  TypingFrameSchema,
  ReadFrameSchema,
  PresenceFrameSchema,
  CallSignalFrameSchema,
  PingFrameSchema,
  ViewingFrameSchema,
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;
export type ClientFrameInput = z.input<typeof ClientFrameSchema>;

// Server -> client
/** Notifications of yours that were read (on any of your devices); `all`: every one of them. */
export const NotificationsReadFrameSchema = z.object({
  type: z.literal('notifications.read'),
  ids: z.array(IdSchema),
  all: z.literal(true).optional(),
  readAt: TimestampSchema,
});

/**
 * Staff only: the staff who have this conversation open right now (on any device, any node),
 * sent when that changes [RT-VIEWERS]. Customers never receive it.
 */
export const ViewersFrameSchema = z.object({
  type: z.literal('viewers'),
  conversationId: IdSchema,
  userIds: z.array(IdSchema).describe('Everyone looking, you included when you are; sorted'),
});

/** Your counts for a conversation after you marked it unread from a message on. */
export const MarkedUnreadSchema = z.object({ unreadCount: z.number().int(), mentionCount: z.number().int() });
export type MarkedUnread = z.infer<typeof MarkedUnreadSchema>;

export const ServerFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ready'),
    userId: IdSchema,
    protocol: z.literal(PROTOCOL_VERSION),
    heartbeatMs: z.number(),
  }),
  z.object({
    type: z.literal('ack'),
    clientMsgId: z.string(),
    conversationId: IdSchema.describe("Where the message is: the follow-up ticket's thread when it moved there"),
    messageId: IdSchema,
    seq: z.number().int(),
    movedToTicketId: IdSchema.optional().describe(
      'Set when the ticket written to was closed longer ago than the reopen window: the message opened ' +
        '(or joined) this follow-up ticket instead, and `conversationId` is its thread',
    ),
  }),
  z.object({
    type: z.literal('subscribed'),
    conversationId: IdSchema,
    lastSeq: z.number().int().describe('Replay is done: everything up to here was sent; live from now on'),
  }),
  z.object({ type: z.literal('unsubscribed'), conversationId: IdSchema }),
  z.object({ type: z.literal('message'), message: MessageSchema }),
  z.object({ type: z.literal('message.updated'), message: MessageSchema }),
  z.object({ type: z.literal('typing'), conversationId: IdSchema, userId: IdSchema, expiresInMs: z.number() }),
  z.object({
    type: z.literal('read'),
    conversationId: IdSchema,
    userId: IdSchema,
    seq: z.number().int(),
    markedUnread: MarkedUnreadSchema.optional().describe(
      'Your own cursor went back to `seq` ("mark unread", on another device): set it, do not take the maximum',
    ),
  }),
  z.object({ type: z.literal('presence'), userId: IdSchema, status: PresenceStatusSchema }),
  z.object({ type: z.literal('ticket.updated'), ticket: TicketSchema }),
  /** A ticket you may see was rated by its requester (staff, and the requester's other devices). */
  z.object({ type: z.literal('ticket.csat'), ticketId: IdSchema, survey: CsatSurveySchema }),
  /** Staff only: a ticket you may see got or lost labels; `labels` is its whole set now. */
  z.object({ type: z.literal('ticket.labels'), ticketId: IdSchema, labels: z.array(LabelChipSchema) }),
  /** Staff members of a conversation: its labels changed; `labels` is its whole set now. */
  z.object({ type: z.literal('conversation.labels'), conversationId: IdSchema, labels: z.array(LabelChipSchema) }),
  /** Staff only: a label of the workspace was created or changed (name, colour); chips show it as it is now. */
  z.object({ type: z.literal('label.updated'), label: LabelSchema }),
  /** Staff only: a label was deleted and is off every ticket and conversation. */
  z.object({ type: z.literal('label.deleted'), labelId: IdSchema }),
  /** Staff only: a customer's field values changed (`fields`: all of them now, as `GET /customers/:id/fields`). */
  z.object({ type: z.literal('customer.fields'), userId: IdSchema, ...EntityFieldValuesSchema.shape }),
  /** Staff only: notes about a customer were added, edited or deleted (`notes`: all of them now, newest first). */
  z.object({ type: z.literal('customer.notes'), customerId: IdSchema, notes: z.array(CustomerNoteSchema) }),
  /** A conversation you were made a member of, as `GET /conversations` lists it for you. */
  z.object({ type: z.literal('conversation.created'), conversation: ConversationSchema }),
  /** A group you are in was renamed, got a new topic, or gained or lost members or admins. */
  z.object({ type: z.literal('conversation.updated'), conversation: GroupInfoSchema }),
  /**
   * You are no longer in this group (removed, or you left on another device): drop it. Its
   * subscription ends with `unsubscribed` right after the line saying so; nothing later arrives.
   */
  z.object({ type: z.literal('conversation.removed'), conversationId: IdSchema }),
  /** You saved a message, or took it off your saved list (on this device or another). */
  z.object({ type: z.literal('message.saved'), messageId: IdSchema, saved: z.boolean() }),
  /** You muted or unmuted a conversation (on this device or another). */
  z.object({
    type: z.literal('conversation.muted'),
    conversationId: IdSchema,
    muted: z.boolean(),
    notify: NotifyLevelSchema,
  }),
  /** A new entry, or an entry of a conversation that changed (same id: replace it, move it to the top). */
  z.object({ type: z.literal('notification'), notification: NotificationItemSchema }),
  NotificationsReadFrameSchema,
  /** The workspace of this socket was renamed or rebranded (name, logo, accent colour). */
  z.object({ type: z.literal('workspace.updated'), workspace: WorkspaceSchema }),
  z.object({ type: z.literal('call.signal'), callId: IdSchema, fromUserId: IdSchema, payload: z.unknown() }),
  /** A call you are in or rung for changed (it rings, someone answered, declined or left, it ended): on every device. */
  z.object({ type: z.literal('call.updated'), call: CallSchema }),
  ViewersFrameSchema,
  z.object({ type: z.literal('pong'), ref: z.string().optional() }),
  z.object({
    type: z.literal('error'),
    code: ErrorCodeSchema,
    message: z.string(),
    ref: z.string().optional(),
    /** Which conversation of a many-conversation `subscribe` this error is about. */
    conversationId: IdSchema.optional(),
  }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
