import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { CallEndReasonSchema, CallKindSchema } from './calls';
import { TicketPrioritySchema, TicketStatusSchema } from './tickets';

/**
 * Who made a change, with their display name as it was then (the same name the English `body`
 * of the message carries), so a client can render the line without looking anyone up.
 */
const ActorSchema = z.object({
  id: IdSchema.nullable().describe('null: Parley itself (a snooze ending, auto-assignment, an SLA step, a rule)'),
  name: z.string(),
});

/** Someone a line is about, with their display name as it was then. */
const PersonSchema = z.object({ id: IdSchema, name: z.string() });

const eventOf = <Event extends string, Params extends z.ZodRawShape>(event: Event, params: Params) =>
  z.object({ event: z.literal(event), actor: ActorSchema, params: z.object(params) });

/**
 * What a system message in a thread says, as data: clients render it in the reader's language
 * and keep `body` (English) only for events they do not know. To add an event, add a member
 * here, write its English sentence in the server's `system-lines.ts`, and its words in each
 * app language (`apps/app/src/chat/system-line.ts`); see docs/realtime-protocol.md [RT-SYSTEM].
 */
export const SystemEventSchema = z
  .discriminatedUnion('event', [
    eventOf('ticket.status_changed', {
      from: TicketStatusSchema,
      to: TicketStatusSchema,
      until: TimestampSchema.optional().describe('To `snoozed`: when it wakes up'),
    }),
    eventOf('ticket.priority_changed', { from: TicketPrioritySchema, to: TicketPrioritySchema }),
    eventOf('ticket.team_changed', {
      team: z
        .object({
          category: z
            .string()
            .nullable()
            .describe('What customers know the team as; null: one without a category ("another team")'),
        })
        .nullable()
        .describe('null: taken out of its team. Team names are internal, so the line never has one'),
    }),
    eventOf('ticket.assignee_changed', {
      assignee: z
        .object({ id: IdSchema, name: z.string() })
        .nullable()
        .describe('null: unassigned; the actor themself: they took the ticket'),
    }),
    eventOf('ticket.reopened_by_reply', {}).describe("The customer's reply reopened their closed ticket"),
    eventOf('ticket.merged_into', { ticket: z.object({ id: IdSchema, subject: z.string() }) }).describe(
      'This ticket was merged into `ticket` (and closed); its thread continues there',
    ),
    eventOf('ticket.merged_from', {
      ticket: z.object({ id: IdSchema, subject: z.string() }),
      messages: z.number().int().min(0).describe('How many of its messages were added here'),
    }).describe('`ticket` was merged into this one: its messages follow this line, in their time order'),
    eventOf('labels_changed', {
      added: z.array(z.object({ id: IdSchema, name: z.string() })).describe('Labels put on'),
      removed: z.array(z.object({ id: IdSchema, name: z.string() })).describe('Labels taken off'),
    }).describe('Labels of the ticket or conversation changed; an internal line (`kind: note`), staff only'),
    eventOf('ticket.field_changed', {
      field: z.object({ key: z.string(), name: z.string() }).describe('The custom field, as it was named then'),
      value: z.string().nullable().describe('The new value as text; null: cleared'),
    }).describe('A custom field of the ticket changed (a staff-only note when the field is internal)'),
    eventOf('group.created', { title: z.string() }).describe('The actor started the group (its first line)'),
    eventOf('group.renamed', { title: z.string() }).describe('The new name'),
    eventOf('group.topic_changed', { topic: z.string().nullable() }).describe('null: the topic was cleared'),
    eventOf('group.members_added', { users: z.array(PersonSchema).min(1) }),
    eventOf('group.member_removed', { user: PersonSchema }).describe(
      'The actor took `user` out of the group, or left it when `user` is the actor. The removed ' +
        "member's sockets get this line, then `unsubscribed` and `conversation.removed`: nothing after it",
    ),
    eventOf('group.admin_changed', { user: PersonSchema, admin: z.boolean() }).describe(
      '`user` was made an admin (true) or a member again (false); `actor` null: the last admin left',
    ),
    eventOf('message.pinned', {
      message: z.object({ id: IdSchema, seq: z.number().int() }),
      excerpt: z.string(),
    }).describe('A message was pinned (a note when the message is one); `excerpt`: its first line then'),
    eventOf('message.unpinned', { message: z.object({ id: IdSchema, seq: z.number().int() }), excerpt: z.string() }),
    eventOf('call.ended', {
      kind: CallKindSchema,
      outcome: CallEndReasonSchema,
      durationSeconds: z.number().int().min(0).describe('From the first answer to the end; 0 when nobody answered'),
    }).describe('The call log: `actor` started the call'),
  ])
  .meta({ id: 'SystemEvent' });
export type SystemEvent = z.infer<typeof SystemEventSchema>;
export type SystemEventName = SystemEvent['event'];
