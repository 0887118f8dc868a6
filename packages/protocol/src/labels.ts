import { z } from 'zod';
import { IdSchema, NameTextSchema, PlainTextSchema, TimestampSchema } from './common';

/**
 * Labels: the workspace's own coloured tags for tickets and conversations. They are internal:
 * staff (`tickets.work`) see and set them, `settings.manage` keeps the list; customers never see
 * one, by any route or frame.
 */

export const LabelColourSchema = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour as #rrggbb')
  .transform((c) => c.toLowerCase())
  .describe('A colour as `#rrggbb`');

const LabelName = NameTextSchema.trim().min(1).max(50).describe('Unique in the workspace, ignoring case');
const LabelDescription = PlainTextSchema.trim().max(200);

export const LabelSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    colour: z.string().describe('`#rrggbb`'),
    description: z.string().nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Label' });
export type Label = z.infer<typeof LabelSchema>;

/** What a ticket, queue row or conversation shows of each of its labels. */
export const LabelChipSchema = z
  .object({ id: IdSchema, name: z.string(), colour: z.string().describe('`#rrggbb`') })
  .meta({ id: 'LabelChip' });
export type LabelChip = z.infer<typeof LabelChipSchema>;

export const LabelListSchema = z.object({ items: z.array(LabelSchema).describe('By name') }).meta({ id: 'LabelList' });
export type LabelList = z.infer<typeof LabelListSchema>;

export const CreateLabelBodySchema = z
  .object({
    name: LabelName,
    colour: LabelColourSchema,
    description: LabelDescription.nullable().optional(),
  })
  .meta({ id: 'CreateLabelBody' });
export type CreateLabelBody = z.input<typeof CreateLabelBodySchema>;

export const UpdateLabelBodySchema = z
  .object({
    name: LabelName.optional(),
    colour: LabelColourSchema.optional(),
    description: LabelDescription.nullable().optional().describe('null removes it'),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateLabelBody' });
export type UpdateLabelBody = z.input<typeof UpdateLabelBodySchema>;

/** The most labels one ticket or conversation carries. */
export const MAX_LABELS_PER_ITEM = 20;

export const SetLabelsBodySchema = z
  .object({
    labelIds: z
      .array(IdSchema)
      .max(MAX_LABELS_PER_ITEM)
      .describe('Every label it should have from now on (labels of the workspace; none: take them all off)'),
  })
  .meta({ id: 'SetLabelsBody' });
export type SetLabelsBody = z.infer<typeof SetLabelsBodySchema>;

export const ItemLabelsSchema = z
  .object({ labels: z.array(LabelChipSchema).describe('By name') })
  .meta({ id: 'ItemLabels' });
export type ItemLabels = z.infer<typeof ItemLabelsSchema>;

/**
 * Label ids in a query: comma-separated (`labelIds=a,b`), or already a list (how a saved view
 * stores the filter it was given, and how it reads it back).
 */
export const LabelIdsQuerySchema = z
  .union([z.array(z.string()), z.string().transform((s) => s.split(',').filter((id) => id !== ''))])
  .pipe(z.array(IdSchema).min(1).max(MAX_LABELS_PER_ITEM))
  .describe('Comma-separated label ids: only what has ALL of them (staff only)');
