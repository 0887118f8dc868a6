import { z } from 'zod';
import { MessageSchema } from './conversations';
import { LabelChipSchema } from './labels';
import { pageOf } from './pagination';
import { TicketSchema } from './tickets';
import { PublicUserSchema } from './users';

// Apart from tickets.ts: messages' system events refer to ticket fields, so tickets.ts must not
// import the messages in turn.

/**
 * A ticket as the queue shows it: who asked, who has it, the thread's last message and unread
 * count as the reader sees them (a customer's never come from an internal note).
 */
export const TicketListItemSchema = TicketSchema.extend({
  requester: PublicUserSchema,
  assignee: PublicUserSchema.nullable(),
  lastMessage: MessageSchema.nullable().describe('The newest message of the thread you may see (null: none yet)'),
  lastSeq: z.number().int().describe('Highest seq of the thread you can see so far'),
  lastReadSeq: z.number().int().describe('How far you have read the thread (0: never opened)'),
  unreadCount: z.number().int().describe("Messages you may see after `lastReadSeq`, others' only"),
  labels: z.array(LabelChipSchema).optional().describe('Staff only: its labels, by name (absent for customers)'),
}).meta({ id: 'TicketListItem' });
export type TicketListItem = z.infer<typeof TicketListItemSchema>;

export const TicketPageSchema = pageOf(TicketListItemSchema).meta({ id: 'TicketPage' });
export type TicketPage = z.infer<typeof TicketPageSchema>;
