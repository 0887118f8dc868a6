import {
  CallSchema,
  ConversationSchema,
  CsatSurveySchema,
  CustomerNoteSchema,
  EntityFieldValuesSchema,
  GroupInfoSchema,
  IdSchema,
  LabelChipSchema,
  LabelSchema,
  MarkedUnreadSchema,
  MessageSchema,
  NotificationItemSchema,
  NotificationsReadFrameSchema,
  NotifyLevelSchema,
  PresenceStatusSchema,
  TicketChannelSchema,
  TicketPrioritySchema,
  TicketSchema,
  TicketStatusSchema,
  WorkspaceSchema,
} from '@parley/protocol';
import { z } from 'zod';

/**
 * What happened, after it was committed: the one vocabulary between the domain services and the
 * realtime gateway, on one node or across nodes through Redis (where it is validated on arrival).
 * Typing, presence and call signals are ephemeral: they are never stored.
 */
/** Every event happened in one workspace; only that workspace's sockets and subscribers hear it. */
const inWorkspace = { workspaceId: IdSchema };

/** What deciding who may see a ticket takes (ticket-policy.ts), without the whole ticket. */
const TicketPartiesSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  requesterId: IdSchema,
  assigneeId: IdSchema.nullable(),
  teamId: IdSchema.nullable(),
});

export const DomainEventSchema = z.discriminatedUnion('type', [
  /** `resent`: published again for a resend; whoever has the message already drops it by seq. */
  z.object({
    ...inWorkspace,
    type: z.literal('message.created'),
    message: MessageSchema,
    resent: z.literal(true).optional(),
    /**
     * What the sender's access check had read anyway: its ticket (null: not a ticket thread) and
     * when the conversation was last active before this message (null: it is the first). With it,
     * the notifier needs no query for the common message that notifies nobody; without it, it reads.
     */
    context: z
      .object({
        ticket: z
          .object({
            id: IdSchema,
            subject: z.string(),
            requesterId: IdSchema,
            assigneeId: IdSchema.nullable(),
            /** Absent in events recorded before channels existed: `app`. */
            channel: TicketChannelSchema.optional(),
          })
          .nullable(),
        previousAt: z.number().nullable(),
      })
      .optional(),
  }),
  z.object({ ...inWorkspace, type: z.literal('message.updated'), message: MessageSchema }),
  z.object({
    ...inWorkspace,
    type: z.literal('read'),
    conversationId: IdSchema,
    userId: IdSchema,
    seq: z.number().int(),
    /**
     * The receipt as readers who may not see notes get it (absent: the same as `seq`): the last
     * message they can see at or before `seq`, or null when that did not move (they hear nothing).
     */
    publicSeq: z.number().int().nullable().optional(),
    /** A block stands between the reader and the other member: only the reader's own sockets hear it. */
    readerOnly: z.boolean().optional(),
    /** The reader moved their cursor back ("mark unread"): their sockets set it, with these counts. */
    markedUnread: MarkedUnreadSchema.optional(),
  }),
  z.object({
    ...inWorkspace,
    type: z.literal('typing'),
    conversationId: IdSchema,
    userId: IdSchema,
    internal: z.boolean(),
  }),
  z.object({
    ...inWorkspace,
    type: z.literal('ticket.updated'),
    ticket: TicketSchema,
    /**
     * Who changed it and what it was before (`from: null`: they opened it), for the subscribers
     * that react to a change (notifications); sockets get the ticket only.
     */
    change: z
      .object({
        byUserId: IdSchema.nullable().describe('null: Parley itself'),
        from: z
          .object({
            status: TicketStatusSchema,
            assigneeId: IdSchema.nullable(),
            priority: TicketPrioritySchema,
            teamId: IdSchema.nullable(),
          })
          .nullable(),
        /** An automation rule made this change, at this depth of a chain of rules (loop guard). */
        cause: z.object({ ruleId: IdSchema, depth: z.number().int().min(1) }).optional(),
        /** The keys of the custom fields this change set or cleared (docs/decisions/0009-custom-fields.md). */
        fields: z.array(z.string()).optional(),
      })
      .optional(),
  }),
  /**
   * A ticket's SLA target is near (`at_risk`: the policy's warning share of it has passed) or
   * missed (`breached`). Recorded for durable reactions (escalation, automation rules); the
   * ticket's own SLA fields reach sockets in `ticket.updated`.
   */
  z.object({
    ...inWorkspace,
    type: z.literal('ticket.sla'),
    ticketId: IdSchema,
    target: z.enum(['first_response', 'resolution']),
    state: z.enum(['at_risk', 'breached']),
  }),
  /**
   * An automation rule's "notify": these staff are to look at the ticket (`message`: the rule's
   * words). For notifications only, which take it in the ticket thread's order: after the
   * changes and notes the same rule made just before.
   */
  z.object({
    ...inWorkspace,
    type: z.literal('ticket.rule_notify'),
    ticketId: IdSchema,
    conversationId: IdSchema,
    subject: z.string(),
    userIds: z.array(IdSchema),
    message: z.string().optional(),
  }),
  /**
   * Someone stopped working a team's tickets: removed from team `teamId`, or (null) from every
   * team by being deactivated or losing a staff role. Recorded for auto-assignment, which hands
   * their open tickets there on; never published.
   */
  z.object({ ...inWorkspace, type: z.literal('staff.left'), userId: IdSchema, teamId: IdSchema.nullable() }),
  /**
   * Someone may take (more) tickets: joined a team, came back from away or was reactivated
   * (`userId`, `teamId` null: all their teams), or a team's auto-assignment was changed
   * (`userId` null). Recorded for auto-assignment, which gives out waiting tickets; never published.
   */
  z.object({
    ...inWorkspace,
    type: z.literal('staff.available'),
    userId: IdSchema.nullable(),
    teamId: IdSchema.nullable(),
  }),
  z.object({ ...inWorkspace, type: z.literal('notification'), userId: IdSchema, notification: NotificationItemSchema }),
  /** Notifications of the user were read: their other sockets update their lists and badges. */
  z.object({
    ...inWorkspace,
    type: z.literal('notifications.read'),
    userId: IdSchema,
    ...NotificationsReadFrameSchema.omit({ type: true }).shape,
  }),
  /** A conversation the user was made a member of, presented for that user. */
  z.object({
    ...inWorkspace,
    type: z.literal('conversation.created'),
    userId: IdSchema,
    conversation: ConversationSchema,
  }),
  /** A group changed (name, topic, members, admins): the members `userIds` hear it. */
  z.object({
    ...inWorkspace,
    type: z.literal('conversation.updated'),
    userIds: z.array(IdSchema),
    conversation: GroupInfoSchema,
  }),
  /** `userId` is no longer in the group (removed, or left): their sockets drop it. */
  z.object({ ...inWorkspace, type: z.literal('conversation.removed'), userId: IdSchema, conversationId: IdSchema }),
  /** `userId` saved a message or took it off their list: their other devices hear it. */
  z.object({
    ...inWorkspace,
    type: z.literal('message.saved'),
    userId: IdSchema,
    messageId: IdSchema,
    saved: z.boolean(),
  }),
  /** `userId` muted or unmuted the conversation: their other devices hear it. */
  z.object({
    ...inWorkspace,
    type: z.literal('conversation.muted'),
    userId: IdSchema,
    conversationId: IdSchema,
    muted: z.boolean(),
    notify: NotifyLevelSchema,
  }),
  z.object({ ...inWorkspace, type: z.literal('presence'), userId: IdSchema, status: PresenceStatusSchema }),
  /** A WebRTC signal between two people joined in the call `callId` (calls/call-signal.ts). */
  z.object({
    ...inWorkspace,
    type: z.literal('call.signal'),
    callId: IdSchema,
    fromUserId: IdSchema,
    toUserId: IdSchema,
    payload: z.unknown(),
  }),
  /** Two users became contacts (`linked`) or stopped being contacts: presence follows. */
  z.object({
    ...inWorkspace,
    type: z.literal('contacts.changed'),
    userIds: z.tuple([IdSchema, IdSchema]),
    linked: z.boolean(),
  }),
  /** The user's role, teams or active flag changed: their sockets must authenticate again. */
  z.object({ ...inWorkspace, type: z.literal('access.changed'), userId: IdSchema }),
  /** A call changed: every device of everyone in it or rung for it hears (calls/call-service.ts). */
  z.object({ ...inWorkspace, type: z.literal('call.updated'), call: CallSchema }),
  /** Its name, accent colour or logo changed: every socket of the workspace shows the new ones. */
  z.object({ ...inWorkspace, type: z.literal('workspace.updated'), workspace: WorkspaceSchema }),
  /** The workspace's automation rules changed: every node forgets what it knew of them. */
  z.object({ ...inWorkspace, type: z.literal('automation.rules_changed') }),
  /** The workspace's webhooks changed: every node forgets which events they listen for. */
  z.object({ ...inWorkspace, type: z.literal('webhooks.changed') }),
  /**
   * Parley turned a webhook off: its deliveries kept failing. For notifications only (the
   * workspace's admins hear of it).
   */
  z.object({
    ...inWorkspace,
    type: z.literal('webhook.disabled'),
    webhookId: IdSchema,
    url: z.string(),
  }),
  /** A person's data export is ready to download. For notifications only (that person hears of it). */
  z.object({ ...inWorkspace, type: z.literal('data_export.ready'), userId: IdSchema, exportId: IdSchema }),
  /** A customer rated a ticket: whoever may see the ticket shows the rating without a reload. */
  z.object({
    ...inWorkspace,
    type: z.literal('ticket.csat_answered'),
    ticket: TicketPartiesSchema,
    survey: CsatSurveySchema,
  }),
  /**
   * A ticket got or lost labels (`labels`: its whole set now). Staff sockets that may see the
   * ticket hear it (the parties say who may); recorded for automation rules.
   */
  z.object({
    ...inWorkspace,
    type: z.literal('ticket.labels_changed'),
    ticket: TicketPartiesSchema,
    labels: z.array(LabelChipSchema),
    change: z.object({
      byUserId: IdSchema.nullable().describe('null: Parley itself'),
      added: z.array(IdSchema),
      removed: z.array(IdSchema),
      cause: z.object({ ruleId: IdSchema, depth: z.number().int().min(1) }).optional(),
    }),
  }),
  /** A conversation's labels changed: its staff members (`staffIds`) hear the whole set. */
  z.object({
    ...inWorkspace,
    type: z.literal('conversation.labels_changed'),
    conversationId: IdSchema,
    staffIds: z.array(IdSchema),
    labels: z.array(LabelChipSchema),
  }),
  /** A label was created or changed: staff sockets show its chips as they are now. */
  z.object({ ...inWorkspace, type: z.literal('label.updated'), label: LabelSchema }),
  z.object({ ...inWorkspace, type: z.literal('label.deleted'), labelId: IdSchema }),
  /** A customer's field values changed (`values`: all of them now): staff sockets show them. */
  z.object({
    ...inWorkspace,
    type: z.literal('customer.fields_changed'),
    userId: IdSchema,
    values: EntityFieldValuesSchema,
  }),
  /** Notes about a customer changed (`notes`: all of them now): staff sockets show them. */
  z.object({
    ...inWorkspace,
    type: z.literal('customer.notes_changed'),
    customerId: IdSchema,
    notes: z.array(CustomerNoteSchema),
  }),
  /** Suspended or being deleted: every socket of the workspace closes (and cannot sign in again). */
  z.object({ ...inWorkspace, type: z.literal('workspace.closed') }),
  /**
   * The staff who have a conversation open changed (someone opened or left it): its staff
   * subscribers show who else is looking (collision). Ephemeral, like typing.
   */
  z.object({ ...inWorkspace, type: z.literal('viewers'), conversationId: IdSchema, userIds: z.array(IdSchema) }),
]);
export type DomainEvent = z.infer<typeof DomainEventSchema>;
