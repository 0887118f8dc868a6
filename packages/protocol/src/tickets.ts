import { z } from 'zod';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';
import { CursorSchema, LimitSchema, pageOf } from './pagination';

export const TicketStatusSchema = z.enum(['open', 'in_progress', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatusSchema>;

export const TicketPrioritySchema = z.enum(['low', 'medium', 'high', 'urgent']);
export type TicketPriority = z.infer<typeof TicketPrioritySchema>;

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
    followUpOf: IdSchema.nullable().describe(
      'The closed ticket this one follows up: the requester replied there after the reopen window',
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
    teamId: IdSchema.optional().describe('Customers: the `id` of a ticket category (`GET /ticket-categories`)'),
  })
  .meta({ id: 'CreateTicketBody' });
export type CreateTicketBody = z.input<typeof CreateTicketBodySchema>;

export const UpdateTicketBodySchema = z
  .object({
    status: TicketStatusSchema.optional(),
    priority: TicketPrioritySchema.optional(),
    assigneeId: IdSchema.nullable().optional().describe('null unassigns'),
    teamId: IdSchema.nullable().optional().describe('null removes the team'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateTicketBody' });
export type UpdateTicketBody = z.infer<typeof UpdateTicketBodySchema>;

export const TicketSortSchema = z.enum(['updated', 'created', 'priority']);

export const TicketListQuerySchema = z.object({
  status: TicketStatusSchema.optional(),
  priority: TicketPrioritySchema.optional(),
  assigneeId: z
    .union([IdSchema, z.literal('none')])
    .optional()
    .describe('An id, or `none` for unassigned'),
  teamId: IdSchema.optional(),
  requesterId: IdSchema.optional(),
  q: PlainTextSchema.trim().min(1).max(200).optional().describe('Text in the subject (case-insensitive)'),
  sort: TicketSortSchema.default('updated').describe('Newest first; `priority` is most urgent first'),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type TicketListQuery = z.infer<typeof TicketListQuerySchema>;

export const TicketPageSchema = pageOf(TicketSchema).meta({ id: 'TicketPage' });
export type TicketPage = z.infer<typeof TicketPageSchema>;
