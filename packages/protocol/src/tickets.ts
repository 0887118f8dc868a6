import { z } from 'zod';
import { TICKET_PRIORITIES, TICKET_SORTS, TICKET_STATUSES } from './constants';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';
import { CursorSchema, LimitSchema } from './pagination';
import { DisplayNameSchema, EmailSchema } from './users';
import { SlaStateSchema, TicketSlaSchema } from './sla';
import { LabelIdsQuerySchema } from './labels';
import { FieldFiltersSchema, FieldSortSchema, FieldValuesPatchSchema, FieldValuesSchema } from './custom-field-values';

/**
 * `pending`: waiting on the customer (SLA clocks pause; the customer's reply makes it open again).
 * `snoozed`: put away until `snoozedUntil`, when it wakes by itself as open.
 */
export const TicketStatusSchema = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

export const TicketPrioritySchema = z.enum(TICKET_PRIORITIES);
export type TicketPriority = z.infer<typeof TicketPrioritySchema>;

/** Where a ticket came from: the app, a mail to a support address, or the website chat widget. */
export const TicketChannelSchema = z.enum(['app', 'email', 'widget']);
export type TicketChannel = z.infer<typeof TicketChannelSchema>;

export const TicketSchema = z
  .object({
    id: IdSchema,
    subject: z.string(),
    description: z.string(),
    status: TicketStatusSchema,
    priority: TicketPrioritySchema,
    requesterId: IdSchema,
    assigneeId: IdSchema.nullable(),
    teamId: IdSchema.nullable(),
    conversationId: IdSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    closedAt: TimestampSchema.nullable(),
    snoozedUntil: TimestampSchema.nullable().describe('Set while `snoozed`: when it wakes up as open'),
    followUpOf: IdSchema.nullable().describe(
      'The closed ticket this one follows up: the requester replied there after the reopen window',
    ),
    channel: TicketChannelSchema.describe("`email`: public replies also go to the requester's email"),
    sla: TicketSlaSchema.nullable().describe('Its SLA clocks; null: no policy applies to it'),
    fields: FieldValuesSchema.optional().describe(
      'Its custom field values (customers: only the fields they see). In REST answers; live frames leave it ' +
        'out (fetch `GET /tickets/:id` when a `ticket.updated` says fields changed)',
    ),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof TicketSchema>;

export const CreateTicketBodySchema = z
  .object({
    subject: PlainTextSchema.trim().min(1).max(200),
    description: PlainTextSchema.trim().min(1).max(10_000),
    priority: TicketPrioritySchema.default('medium').describe(
      'Customers may choose `urgent` only when the desk setting `customersMayChooseUrgent` is on',
    ),
    teamId: IdSchema.optional().describe(
      'Customers: the `id` of a ticket category (`GET /ticket-categories`). Without one the ticket goes to ' +
        "the desk's default queue (`defaultTeamId`, or no team: every agent's queue)",
    ),
    requesterId: IdSchema.optional().describe(
      'Staff only: open it on behalf of this active customer of the workspace (find them with `GET /users?q=`)',
    ),
    requester: z
      .strictObject({
        email: EmailSchema,
        name: DisplayNameSchema,
      })
      .optional()
      .describe(
        'Staff only: open it on behalf of a new contact; makes them a customer of the workspace (an account ' +
          'with no password yet when the email is new). They are the requester and are notified',
      ),
    fields: FieldValuesPatchSchema.optional().describe(
      'Custom field values (customers: only fields visible to them). Fields required for `open` must be given',
    ),
  })
  .refine((b) => !(b.requesterId && b.requester), {
    message: 'Give `requesterId` or `requester`, not both',
    path: ['requester'],
  })
  .meta({ id: 'CreateTicketBody' });
export type CreateTicketBody = z.input<typeof CreateTicketBodySchema>;

export const UpdateTicketBodySchema = z
  .object({
    status: TicketStatusSchema.optional(),
    snoozedUntil: TimestampSchema.optional().describe(
      'With `status: snoozed` (and only then): when the ticket wakes up; in the future, within a year',
    ),
    priority: TicketPrioritySchema.optional(),
    assigneeId: IdSchema.nullable().optional().describe('null unassigns'),
    teamId: IdSchema.nullable().optional().describe('null removes the team'),
    fields: FieldValuesPatchSchema.optional().describe(
      'Staff: custom field values to set (`null` clears); checked with the new status, so closing and filling ' +
        'a field required to close is one request',
    ),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .refine((b) => (b.status === 'snoozed') === (b.snoozedUntil !== undefined), {
    message: 'Snoozing takes `snoozedUntil`, and only snoozing does',
    path: ['snoozedUntil'],
  })
  .meta({ id: 'UpdateTicketBody' });
export type UpdateTicketBody = z.infer<typeof UpdateTicketBodySchema>;

/**
 * The queues every agent has: `unassigned` (no assignee, in one of my teams or in no team),
 * `mine` (assigned to me), `my_teams` (my teams' tickets, and those of no team), `all`
 * (everything; needs `tickets.all`). Each is a subset of what the reader may see. Staff only.
 */
export const TicketViewSchema = z.enum(['unassigned', 'mine', 'my_teams', 'all']);
export type TicketView = z.infer<typeof TicketViewSchema>;

export const TicketSortSchema = z.enum(TICKET_SORTS);
export type TicketSort = z.infer<typeof TicketSortSchema>;

/** What narrows a list of tickets; `GET /tickets/counts` takes the same. */
const ticketFilters = {
  view: TicketViewSchema.optional().describe(
    'Staff: one of the queues (`all` needs `tickets.all`; customers are refused). Omitted: every ticket you may see',
  ),
  status: TicketStatusSchema.optional(),
  priority: TicketPrioritySchema.optional(),
  assigneeId: z
    .union([IdSchema, z.literal('none')])
    .optional()
    .describe('An id, or `none` for unassigned'),
  teamId: IdSchema.optional(),
  requesterId: IdSchema.optional(),
  q: PlainTextSchema.trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Text in the subject or the description (the first message), case-insensitive'),
  sla: SlaStateSchema.optional().describe(
    "Staff: the ticket's SLA state, the worse of its two targets: `breached` (either is), `at_risk` (either is, " +
      'none breached), `ok` (running, on time), `met` (both met). Tickets without an SLA match none',
  ),
  labelIds: LabelIdsQuerySchema.optional(),
  fields: FieldFiltersSchema.optional(),
};

export const TicketListQuerySchema = z.object({
  ...ticketFilters,
  viewId: IdSchema.optional().describe(
    "Staff: a saved view's tickets (`GET /views`): its filter and sort apply instead of any given here",
  ),
  sort: TicketSortSchema.default('updated').describe(
    '`updated`: newest activity first; `created`: newest first; `priority`: most urgent first, ' +
      'and within a priority the one waiting longest (oldest) first',
  ),
  sortField: FieldSortSchema.optional(),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

export const TicketCountsQuerySchema = z.object(ticketFilters);
export type TicketCountsQuery = z.infer<typeof TicketCountsQuerySchema>;

const count = z.number().int().min(0);

/**
 * How many tickets each filter value would list, for the reader (the same tickets `GET /tickets`
 * may show them). Each group applies the other groups' filters but not its own, so a count is
 * what choosing that value next would list; `all` is the group's total.
 */
export const TicketCountsSchema = z
  .object({
    status: z.object({ all: count, open: count, in_progress: count, pending: count, snoozed: count, closed: count }),
    priority: z.object({ all: count, low: count, medium: count, high: count, urgent: count }),
    assignee: z.object({ all: count, me: count, unassigned: count }),
    view: z
      .object({
        unassigned: count,
        mine: count,
        my_teams: count,
        all: count.nullable().describe('null: no `tickets.all`'),
      })
      .nullable()
      .describe('Staff: how many each queue lists with the other filters (not `view`); null for customers'),
    label: z
      .record(z.string(), count)
      .nullable()
      .describe(
        'Staff: per label id of the workspace, how many tickets the filters (`labelIds` included) list that ' +
          'also have that label, i.e. what adding it to `labelIds` would list; null for customers',
      ),
    defaultView: TicketViewSchema.nullable().describe(
      'The queue to show first: `unassigned` for members of a team, else `all` or `mine`; null for customers',
    ),
  })
  .meta({ id: 'TicketCounts' });
export type TicketCounts = z.infer<typeof TicketCountsSchema>;
