import { z } from 'zod';
import { IdSchema, NameTextSchema, TimestampSchema } from './common';
import { FieldKeySchema, FieldValuesPatchSchema, FieldValuesSchema } from './custom-field-values';
import { TicketStatusSchema } from './tickets';

/**
 * Custom fields: admin-defined (`settings.manage`), typed fields of tickets and of customers.
 * See docs/decisions/0009-custom-fields.md for how definitions change without corrupting values.
 */

export const CustomFieldEntitySchema = z.enum(['ticket', 'customer']).describe('What the field describes');
export type CustomFieldEntity = z.infer<typeof CustomFieldEntitySchema>;

export const CustomFieldTypeSchema = z.enum(['text', 'number', 'select', 'multi_select', 'date', 'checkbox']);
export type CustomFieldType = z.infer<typeof CustomFieldTypeSchema>;

/** The longest text value, in characters. */
export const MAX_FIELD_TEXT = 500;
/** Numbers a field takes: what every database's double and JavaScript hold exactly enough to compare. */
export const MAX_FIELD_NUMBER = 1e12;

const FieldName = NameTextSchema.trim().min(1).max(100);
const OptionSchema = NameTextSchema.trim().min(1).max(100);
const Options = z
  .array(OptionSchema)
  .max(100)
  .refine((o) => new Set(o).size === o.length, 'Each option once')
  .describe('The choices of a select or multi-select, in order');
const RequiredFor = z
  .array(TicketStatusSchema)
  .max(5)
  .describe('Ticket fields: the statuses a ticket may take only with a value (e.g. `closed`: required to close)');

export const CustomFieldSchema = z
  .object({
    id: IdSchema,
    entity: CustomFieldEntitySchema,
    key: FieldKeySchema,
    name: z.string(),
    type: CustomFieldTypeSchema,
    options: z.array(z.string()),
    requiredFor: z.array(TicketStatusSchema),
    visibleToCustomers: z
      .boolean()
      .describe('Customers see it (and, for ticket fields, may fill it when they open a ticket); else internal'),
    position: z.number().int().describe('Fields show in ascending position'),
    archived: z.boolean().describe('Hidden from forms and answers; its values are kept'),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'CustomField' });
export type CustomField = z.infer<typeof CustomFieldSchema>;

export const CustomFieldListSchema = z
  .object({ items: z.array(CustomFieldSchema).describe('In position order') })
  .meta({ id: 'CustomFieldList' });
export type CustomFieldList = z.infer<typeof CustomFieldListSchema>;

export const CustomFieldListQuerySchema = z.object({
  entity: CustomFieldEntitySchema.optional().describe("Only this entity's fields"),
  archived: z.enum(['true', 'false']).optional().describe('`true`: with the archived ones (staff)'),
});
export type CustomFieldListQuery = z.infer<typeof CustomFieldListQuerySchema>;

export const CreateCustomFieldBodySchema = z
  .object({
    entity: CustomFieldEntitySchema,
    key: FieldKeySchema.describe('Unique per workspace and entity; cannot be changed later'),
    name: FieldName,
    type: CustomFieldTypeSchema,
    options: Options.default([]),
    requiredFor: RequiredFor.default([]),
    visibleToCustomers: z.boolean().default(false),
  })
  .refine((b) => (b.type === 'select' || b.type === 'multi_select') === b.options.length > 0, {
    message: 'Selects need options, and only selects have them',
    path: ['options'],
  })
  .refine((b) => b.entity === 'ticket' || b.requiredFor.length === 0, {
    message: 'Only ticket fields are required for a status',
    path: ['requiredFor'],
  })
  .meta({ id: 'CreateCustomFieldBody' });
export type CreateCustomFieldBody = z.input<typeof CreateCustomFieldBodySchema>;

export const UpdateCustomFieldBodySchema = z
  .object({
    name: FieldName.optional(),
    type: CustomFieldTypeSchema.optional().describe('Refused (409) while any value of the field exists'),
    options: Options.optional().describe(
      'Values of a removed option stay, shown as orphaned; new writes may not use it',
    ),
    requiredFor: RequiredFor.optional(),
    visibleToCustomers: z.boolean().optional(),
    archived: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .meta({ id: 'UpdateCustomFieldBody' });
export type UpdateCustomFieldBody = z.infer<typeof UpdateCustomFieldBodySchema>;

export const ReorderCustomFieldsBodySchema = z
  .object({
    entity: CustomFieldEntitySchema,
    ids: z.array(IdSchema).max(500).describe('Every field of the entity (archived too), once each, in the new order'),
  })
  .meta({ id: 'ReorderCustomFieldsBody' });
export type ReorderCustomFieldsBody = z.infer<typeof ReorderCustomFieldsBodySchema>;

export const SetFieldValuesBodySchema = z.object({ fields: FieldValuesPatchSchema }).meta({ id: 'SetFieldValuesBody' });
export type SetFieldValuesBody = z.infer<typeof SetFieldValuesBodySchema>;

export const EntityFieldValuesSchema = z
  .object({
    fields: FieldValuesSchema,
    orphaned: z
      .array(z.string())
      .describe('Keys whose value holds an option the field no longer offers (kept, not valid for new writes)'),
  })
  .meta({ id: 'EntityFieldValues' });
export type EntityFieldValues = z.infer<typeof EntityFieldValuesSchema>;
