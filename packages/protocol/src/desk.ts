import { z } from 'zod';
import { ErrorCodeSchema } from './errors';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';
import { TicketPrioritySchema, TicketSchema, TicketStatusSchema } from './tickets';
import { MAX_LABELS_PER_ITEM } from './labels';

/**
 * The agent's desk around one ticket: who the customer is (their other tickets, staff notes about
 * them), merging two tickets, changing many at once. Staff only: customers are refused (403).
 * See docs/architecture.md "Customer context, merge and bulk actions".
 */

export const CustomerNoteBodySchema = z
  .object({ body: PlainTextSchema.trim().min(1).max(4000).describe('What staff should know about this customer') })
  .meta({ id: 'CustomerNoteBody' })
  .describe('A note about a customer: staff only, never shown to the customer');
export type CustomerNoteBody = z.infer<typeof CustomerNoteBodySchema>;

export const CustomerNoteSchema = z
  .object({
    id: IdSchema,
    customerId: IdSchema,
    body: z.string(),
    author: z.object({ id: IdSchema, name: z.string() }).nullable().describe('null: the author left the workspace'),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'CustomerNote' })
  .describe('A staff note about a customer; its author edits or deletes it');
export type CustomerNote = z.infer<typeof CustomerNoteSchema>;

export const CustomerNoteListSchema = z
  .object({ items: z.array(CustomerNoteSchema).describe('Newest first') })
  .meta({ id: 'CustomerNoteList' });
export type CustomerNoteList = z.infer<typeof CustomerNoteListSchema>;

/** One of the customer's tickets as the context lists it: enough for a line with a link. */
export const CustomerTicketSchema = z
  .object({
    id: IdSchema,
    subject: z.string(),
    status: TicketStatusSchema,
    priority: TicketPrioritySchema,
    conversationId: IdSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'CustomerTicket' });
export type CustomerTicket = z.infer<typeof CustomerTicketSchema>;

export const CustomerContextQuerySchema = z.object({
  excludeTicketId: IdSchema.optional().describe('Leave this ticket out (the one on screen)'),
});
export type CustomerContextQuery = z.infer<typeof CustomerContextQuerySchema>;

export const CustomerContextSchema = z
  .object({
    customer: z.object({
      id: IdSchema,
      displayName: z.string(),
      email: z.string().nullable().describe("Only for `people.manage`: nobody else sees another person's email (null)"),
      since: TimestampSchema.describe('When they joined this workspace'),
      guest: z
        .object({ contactEmail: z.string().nullable().describe('What they gave in the pre-chat form') })
        .nullable()
        .describe('A website visitor of the chat widget (no account): staff may merge them into a customer'),
    }),
    tickets: z
      .array(CustomerTicketSchema)
      .describe('Their tickets, most recently active first, at most 20, only those you may see'),
    notes: z.array(CustomerNoteSchema).describe('Staff notes about them, newest first'),
  })
  .meta({ id: 'CustomerContext' })
  .describe('What an agent sees beside a ticket about its requester (staff only)');
export type CustomerContext = z.infer<typeof CustomerContextSchema>;

export const MergeTicketBodySchema = z
  .object({ intoTicketId: IdSchema.describe('The ticket that stays open and receives the thread') })
  .meta({ id: 'MergeTicketBody' })
  .describe('Merge this ticket into another of the same requester');
export type MergeTicketBody = z.infer<typeof MergeTicketBodySchema>;

export const MergeTicketResultSchema = z
  .object({
    source: TicketSchema.describe('The merged ticket, now closed'),
    target: TicketSchema,
    copiedMessages: z.number().int().min(0).describe('Messages of the source added to the target thread'),
  })
  .meta({ id: 'MergeTicketResult' });
export type MergeTicketResult = z.infer<typeof MergeTicketResultSchema>;

/**
 * What a bulk action changes on every ticket; each field as in `PATCH /tickets/:id`. An object,
 * so further changes (labels) join as fields.
 */
export const BulkTicketChangeSchema = z
  .object({
    status: TicketStatusSchema.exclude(['snoozed']).optional(),
    priority: TicketPrioritySchema.optional(),
    assigneeId: IdSchema.nullable().optional().describe('null unassigns'),
    teamId: IdSchema.nullable().optional().describe('null removes the team'),
    addLabelIds: z.array(IdSchema).min(1).max(MAX_LABELS_PER_ITEM).optional().describe('Labels to put on each'),
    removeLabelIds: z.array(IdSchema).min(1).max(MAX_LABELS_PER_ITEM).optional().describe('Labels to take off each'),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'BulkTicketChange' });
export type BulkTicketChange = z.infer<typeof BulkTicketChangeSchema>;

export const MAX_BULK_TICKETS = 100;

export const BulkTicketBodySchema = z
  .object({
    ticketIds: z.array(IdSchema).min(1).max(MAX_BULK_TICKETS).describe('Up to 100; duplicates count once'),
    change: BulkTicketChangeSchema,
  })
  .meta({ id: 'BulkTicketBody' })
  .describe('Apply one change to many tickets, each as its own `PATCH /tickets/:id`');
export type BulkTicketBody = z.infer<typeof BulkTicketBodySchema>;

export const BulkTicketResultSchema = z
  .object({
    results: z.array(
      z.object({
        id: IdSchema,
        ok: z.boolean(),
        error: z
          .object({ code: ErrorCodeSchema, message: z.string() })
          .optional()
          .describe('Why this ticket was not changed (as `PATCH /tickets/:id` would answer)'),
      }),
    ),
  })
  .meta({ id: 'BulkTicketResult' })
  .describe('One entry per ticket, in the order asked');
export type BulkTicketResult = z.infer<typeof BulkTicketResultSchema>;
