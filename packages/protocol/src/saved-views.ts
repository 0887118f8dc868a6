import { z } from 'zod';
import { IdSchema, NameTextSchema, TimestampSchema } from './common';
import { FieldSortSchema } from './custom-field-values';
import { TicketCountsQuerySchema, TicketSortSchema } from './tickets';

/**
 * Saved views: a named ticket filter with a sort, `personal` (its owner's only) or `shared`
 * (every staff member's; made and changed with `settings.manage`). The filter is the ticket
 * list's own (`GET /tickets` takes the same fields), so every filter the list learns can be
 * saved. See docs/architecture.md "Saved views".
 */

export const SavedViewScopeSchema = z.enum(['personal', 'shared']);
export type SavedViewScope = z.infer<typeof SavedViewScopeSchema>;

/** The filter a view stores: the fields of `GET /tickets/counts`. */
export const SavedViewFilterSchema = TicketCountsQuerySchema;
export type SavedViewFilter = z.infer<typeof SavedViewFilterSchema>;

const ViewName = NameTextSchema.trim().min(1).max(80);

export const SavedViewSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    scope: SavedViewScopeSchema,
    ownerId: IdSchema.describe("Who made it (a shared view is everyone's; only `settings.manage` changes it)"),
    position: z.number().int().describe('Views are listed in ascending position'),
    filter: z
      .record(z.string(), z.unknown())
      .describe('The filter as stored: the fields of `GET /tickets`; when `needsAttention`, it no longer parses'),
    sort: z.string().describe('A sort of `GET /tickets`'),
    sortField: z
      .string()
      .nullable()
      .describe('A custom field sorted by first (`sortField` of `GET /tickets`); null: none'),
    count: z
      .number()
      .int()
      .min(0)
      .nullable()
      .describe('How many tickets it lists for you now; null when it needs attention'),
    needsAttention: z
      .boolean()
      .describe('Its filter no longer applies (a field or label it names was deleted): edit or delete it'),
    problem: z.string().nullable().describe('What is wrong with it, when it needs attention'),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'SavedView' });
export type SavedView = z.infer<typeof SavedViewSchema>;

export const SavedViewListSchema = z
  .object({ items: z.array(SavedViewSchema).describe('Shared and your personal views, by position') })
  .meta({ id: 'SavedViewList' });
export type SavedViewList = z.infer<typeof SavedViewListSchema>;

export const CreateSavedViewBodySchema = z
  .object({
    name: ViewName,
    scope: SavedViewScopeSchema.default('personal').describe('`shared` needs `settings.manage`'),
    filter: SavedViewFilterSchema.default({}).describe('What `GET /tickets` would be asked (no cursor, limit or sort)'),
    sort: TicketSortSchema.default('updated'),
    sortField: FieldSortSchema.optional(),
  })
  .meta({ id: 'CreateSavedViewBody' });
export type CreateSavedViewBody = z.input<typeof CreateSavedViewBodySchema>;

export const UpdateSavedViewBodySchema = z
  .object({
    name: ViewName.optional(),
    scope: SavedViewScopeSchema.optional().describe(
      'Sharing a view, or taking a shared one back as your own, needs `settings.manage`',
    ),
    filter: SavedViewFilterSchema.optional().describe('Replaces the whole filter'),
    sort: TicketSortSchema.optional(),
    sortField: FieldSortSchema.nullable().optional().describe('null: sort by no field'),
    position: z.number().int().min(0).max(1_000_000).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateSavedViewBody' });
export type UpdateSavedViewBody = z.infer<typeof UpdateSavedViewBodySchema>;
