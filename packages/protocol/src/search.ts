import { z } from 'zod';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';
import { ConversationKindSchema, MessageKindSchema } from './conversations';
import { CursorSchema } from './pagination';
import { TicketPrioritySchema, TicketStatusSchema } from './tickets';
import { PublicUserSchema } from './users';

/**
 * `GET /search`: tickets, messages and people the searcher may read, ranked by relevance then
 * recency, with highlighted snippets. The query language is in `search-query.ts`; see
 * docs/architecture.md "Search" for the engines and their limits.
 */

export const SearchKindSchema = z.enum(['messages', 'tickets', 'people']);
export type SearchKind = z.infer<typeof SearchKindSchema>;

export const SearchQuerySchema = z
  .object({
    q: PlainTextSchema.max(200).describe(
      'Words, "quoted phrases" and operators: in:, from:, is:ticket|dm|group, status:, priority:, label:, ' +
        'has:attachment, before:/after:YYYY-MM-DD. The last word matches as a prefix unless the query ends with a space',
    ),
    kind: SearchKindSchema.optional().describe('One kind, to page through it; without it, the first page of each'),
    cursor: CursorSchema.optional().describe('`nextCursor` of the same kind and query (needs `kind`)'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(50)
      .optional()
      .describe('Per kind; by default 20 messages, 10 tickets, 5 people'),
  })
  .refine((query) => query.cursor === undefined || query.kind !== undefined, {
    message: 'A cursor pages through one kind: give `kind` too',
    path: ['kind'],
  });
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

/** Text with the parts that matched: `[start, end)` offsets in UTF-16 code units, ascending. */
export const HighlightedSchema = z
  .object({
    text: z.string(),
    highlights: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  })
  .meta({ id: 'Highlighted' });
export type Highlighted = z.infer<typeof HighlightedSchema>;

export const MessageHitSchema = z
  .object({
    messageId: IdSchema,
    conversationId: IdSchema,
    conversationKind: ConversationKindSchema,
    conversationTitle: z.string().nullable().describe('A group title, or a ticket subject; null for a direct chat'),
    ticketId: IdSchema.nullable(),
    seq: z.number().int().describe('Open the conversation around it: `GET /conversations/:id/messages?around=`'),
    kind: MessageKindSchema,
    sender: PublicUserSchema.pick({ id: true, username: true, displayName: true, bot: true }).nullable(),
    createdAt: TimestampSchema,
    snippet: HighlightedSchema.describe('Part of the body around the first match (or an attachment name that matched)'),
  })
  .meta({ id: 'MessageHit' });
export type MessageHit = z.infer<typeof MessageHitSchema>;

export const TicketHitSchema = z
  .object({
    ticketId: IdSchema,
    conversationId: IdSchema,
    status: TicketStatusSchema,
    priority: TicketPrioritySchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
    subject: HighlightedSchema,
    snippet: HighlightedSchema.nullable().describe(
      'Part of the description around the first match; null when only the subject matched',
    ),
  })
  .meta({ id: 'TicketHit' });
export type TicketHit = z.infer<typeof TicketHitSchema>;

export const PersonHitSchema = z
  .object({
    user: PublicUserSchema,
    displayName: HighlightedSchema,
    username: HighlightedSchema,
  })
  .meta({ id: 'PersonHit' });
export type PersonHit = z.infer<typeof PersonHitSchema>;

const group = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('The next page of this kind, or null at the end'),
  });

export const SearchResultsSchema = z
  .object({
    messages: group(MessageHitSchema).optional(),
    tickets: group(TicketHitSchema).optional(),
    people: group(PersonHitSchema).optional(),
  })
  .describe('The kinds searched: all three, or the one asked for. Kinds an operator rules out come back empty')
  .meta({ id: 'SearchResults' });
export type SearchResults = z.infer<typeof SearchResultsSchema>;
