import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';
import { CursorSchema, LimitSchema, pageOf } from './pagination';
import { SystemEventSchema } from './system-events';
import { LabelChipSchema } from './labels';
import { NotifyLevelSchema } from './notification-settings';
import { PublicUserSchema } from './users';

export const MessageKindSchema = z.enum(['text', 'system', 'note']).describe('`note`: internal, agents only');

export const ReactionSchema = z.object({ emoji: z.string(), userIds: z.array(IdSchema) });

export const AttachmentSchema = z
  .object({
    id: IdSchema,
    conversationId: IdSchema,
    messageId: IdSchema.nullable(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    url: z.string(),
    thumbnailUrl: z.string().nullable(),
    createdAt: TimestampSchema,
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof AttachmentSchema>;

export const ReplyPreviewSchema = z
  .object({
    id: IdSchema,
    seq: z.number().int().describe('Where to jump to: open the conversation at this seq'),
    senderId: IdSchema.nullable(),
    excerpt: z
      .string()
      .describe(
        'The first line of its text as plain text (markdown removed), at most 140 characters; empty once deleted',
      ),
    deleted: z.boolean(),
  })
  .meta({ id: 'ReplyPreview', description: 'The message a reply answers, as the reply shows it' });
export type ReplyPreview = z.infer<typeof ReplyPreviewSchema>;

export const MessageSchema = z
  .object({
    id: IdSchema,
    conversationId: IdSchema,
    seq: z
      .number()
      .int()
      .describe(
        '1, 2, 3... per conversation: the order and the resume cursor. Customers do not see internal ' +
          'notes, so their view of a ticket thread can skip numbers; a gap is not a lost message.',
      ),
    senderId: IdSchema.nullable().describe('null for system messages'),
    clientMsgId: z.string().nullable(),
    body: z.string().describe("The source text, in Parley's markdown dialect (docs/markdown.md); empty once deleted"),
    kind: MessageKindSchema,
    system: SystemEventSchema.nullable().describe(
      "For system messages: what happened, as data to render in the reader's language (`body` says it " +
        'in English). null for other kinds, for system messages written before it existed, and for ' +
        'events this server version does not know',
    ),
    createdAt: TimestampSchema,
    editedAt: TimestampSchema.nullable(),
    deletedAt: TimestampSchema.nullable(),
    reactions: z.array(ReactionSchema),
    attachments: z.array(AttachmentSchema),
    replyTo: ReplyPreviewSchema.nullable().describe('The message this one answers, in the same conversation'),
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof MessageSchema>;

export const MessageBodySchema = PlainTextSchema.min(1)
  .max(10_000)
  .refine((s) => s.trim().length > 0, 'Must not be blank');

export const ClientMsgIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Letters, digits, "_" and "-" only')
  .describe('Chosen by the client (a UUID or ULID); a resend with the same id returns the original');

export const ReplyToIdSchema = IdSchema.describe(
  'Answers this message of the same conversation (not deleted). A reply to an internal note is a note.',
);

export const SendMessageBodySchema = z
  .object({
    clientMsgId: ClientMsgIdSchema,
    body: MessageBodySchema,
    internal: z.boolean().default(false).describe('An internal note on a ticket (agents and admins only)'),
    attachmentIds: z.array(IdSchema).max(10).default([]).describe('Attachments uploaded to this conversation'),
    replyToId: ReplyToIdSchema.optional(),
  })
  .meta({ id: 'SendMessageBody' });
export type SendMessageBody = z.input<typeof SendMessageBodySchema>;

export const EditMessageBodySchema = z.object({ body: MessageBodySchema }).meta({ id: 'EditMessageBody' });

export const MessageEditSchema = z
  .object({
    body: z.string().describe('The text as it was before this edit'),
    editorId: IdSchema.nullable().describe('Who made the edit; null once that account is gone'),
    editedAt: TimestampSchema,
  })
  .meta({ id: 'MessageEdit' });
export type MessageEdit = z.infer<typeof MessageEditSchema>;

export const MessageEditHistorySchema = z
  .object({
    items: z
      .array(MessageEditSchema)
      .describe(
        'Every edit, oldest first: the first item holds the text as it was sent; the message holds the current one',
      ),
  })
  .meta({ id: 'MessageEditHistory' });
export type MessageEditHistory = z.infer<typeof MessageEditHistorySchema>;

export const EmojiSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200d|\ufe0f)+$/u,
    'Must be an emoji',
  );

export const ReactionBodySchema = z.object({ emoji: EmojiSchema }).meta({ id: 'ReactionBody' });

/** Seqs live in 32-bit INTEGER columns on every database; a larger one cannot even be compared. */
export const MAX_SEQ = 2_147_483_647;

/** A position in a conversation's sequence of messages (0: before the first). */
export const SeqSchema = z.number().int().min(0).max(MAX_SEQ);

export const MessageListQuerySchema = z
  .object({
    afterSeq: z.coerce.number().int().min(0).max(MAX_SEQ).optional().describe('Messages after this seq, oldest first'),
    beforeSeq: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_SEQ)
      .optional()
      .describe('Messages before this seq (older history)'),
    limit: LimitSchema,
  })
  .refine((q) => q.afterSeq === undefined || q.beforeSeq === undefined, 'Give afterSeq or beforeSeq, not both');
export type MessageListQuery = z.infer<typeof MessageListQuerySchema>;

export const MessagePageSchema = z
  .object({
    items: z.array(MessageSchema).describe('Always in ascending seq order'),
    hasMore: z.boolean().describe('More messages exist in the direction asked'),
    lastSeq: z.number().int().describe('Highest seq of the conversation so far that you can see'),
  })
  .meta({ id: 'MessagePage' });
export type MessagePage = z.infer<typeof MessagePageSchema>;

export const ConversationKindSchema = z.enum(['ticket', 'direct', 'group']);

export const ConversationSchema = z
  .object({
    id: IdSchema,
    kind: ConversationKindSchema,
    ticketId: IdSchema.nullable(),
    title: z.string().nullable().describe("A group's name; a ticket thread's or direct chat's is null"),
    topic: z.string().nullable().describe("A group's topic line (null: none, and always for other kinds)"),
    members: z.array(PublicUserSchema),
    adminIds: z
      .array(IdSchema)
      .describe('Members who administer a group (add, remove, grant admin, `@all`); empty for other kinds'),
    readSeqs: z
      .record(IdSchema, z.number().int())
      .describe(
        'How far each member has read (user id -> seq), for "seen" marks; yours is `lastReadSeq`. ' +
          'A member a block stands between (either way) is left out. Customers see a staff ' +
          'cursor at the last message they can see at or before it.',
      ),
    lastMessage: MessageSchema.nullable(),
    lastSeq: z
      .number()
      .int()
      .describe('Highest seq you can see so far (an internal note after it does not move it for customers)'),
    lastReadSeq: z
      .number()
      .int()
      .describe('Your own read cursor: the unread divider goes after it ("mark unread" moves it back)'),
    unreadCount: z.number().int(),
    mentionCount: z
      .number()
      .int()
      .describe('Of the unread messages, those that mention you (`@you`, or `@all` from an admin of a group)'),
    muted: z.boolean().describe('You muted it (`notify` is not `all`): it stays out of your badge'),
    notify: NotifyLevelSchema.describe(
      'What of it notifies you: everything, mentions of you only (muted), or nothing (muted, no mentions either)',
    ),
    updatedAt: TimestampSchema.describe('When the last message you can see came (or the conversation was created)'),
    labels: z.array(LabelChipSchema).optional().describe('Staff only: its labels, by name (absent for customers)'),
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationPageSchema = pageOf(ConversationSchema).meta({ id: 'ConversationPage' });
export type ConversationPage = z.infer<typeof ConversationPageSchema>;

export const ConversationListQuerySchema = z.object({
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
  labelId: IdSchema.optional().describe('Staff only: just the conversations (and ticket threads) with this label'),
});
export type ConversationListQuery = z.infer<typeof ConversationListQuerySchema>;

/** Most members a group holds, its creator included: a group is a room of people, not a broadcast. */
export const MAX_GROUP_MEMBERS = 100;

export const GroupTitleSchema = NameTextSchema.trim().min(1).max(100);
export const GroupTopicSchema = NameTextSchema.trim().max(250);
const GroupMemberIdsSchema = z
  .array(IdSchema)
  .min(1)
  .max(MAX_GROUP_MEMBERS - 1);

export const CreateGroupBodySchema = z
  .object({
    title: GroupTitleSchema,
    topic: GroupTopicSchema.optional().describe('A line under the name; empty or absent: none'),
    memberIds: GroupMemberIdsSchema.describe(
      'Who joins with you (you are its first admin): staff may add anyone of the workspace, customers their contacts',
    ),
  })
  .meta({ id: 'CreateGroupBody' });
export type CreateGroupBody = z.infer<typeof CreateGroupBodySchema>;

export const UpdateGroupBodySchema = z
  .object({
    title: GroupTitleSchema.optional(),
    topic: GroupTopicSchema.nullable().optional().describe('Empty or null: no topic'),
  })
  .refine((b) => b.title !== undefined || b.topic !== undefined, 'Give a title, a topic or both')
  .meta({ id: 'UpdateGroupBody' });
export type UpdateGroupBody = z.infer<typeof UpdateGroupBodySchema>;

export const AddGroupMembersBodySchema = z
  .object({ userIds: GroupMemberIdsSchema.describe('Staff may add anyone of the workspace, customers their contacts') })
  .meta({ id: 'AddGroupMembersBody' });
export type AddGroupMembersBody = z.infer<typeof AddGroupMembersBodySchema>;

export const GroupMemberRoleBodySchema = z
  .object({ admin: z.boolean().describe('true: make them an admin of the group; false: a member again') })
  .meta({ id: 'GroupMemberRoleBody' });
export type GroupMemberRoleBody = z.infer<typeof GroupMemberRoleBodySchema>;

/**
 * What changed about a group for every member alike (the frame `conversation.updated`): its
 * name, topic, members and admins. Per-reader parts (unread counts, read marks) stay as they were.
 */
export const GroupInfoSchema = ConversationSchema.pick({
  id: true,
  title: true,
  topic: true,
  members: true,
  adminIds: true,
}).meta({ id: 'GroupInfo' });
export type GroupInfo = z.infer<typeof GroupInfoSchema>;

export const DirectConversationBodySchema = z.object({ userId: IdSchema }).meta({ id: 'DirectConversationBody' });

export const ReadBodySchema = z.object({ seq: SeqSchema }).meta({ id: 'ReadBody' });

export const MuteBodySchema = z.object({ muted: z.boolean() }).meta({ id: 'MuteBody' });
export type MuteBody = z.infer<typeof MuteBodySchema>;
