import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { MessageKindSchema } from './conversations';

/**
 * A person's copy of their own data in one workspace (the right of access): asked for with
 * `POST /me/data-exports`, built in the background into a zip of JSON files, announced by a
 * `data_export.ready` notification, downloadable by that person only until it expires.
 */
export const DataExportStatusSchema = z
  .enum(['pending', 'ready', 'failed'])
  .meta({ id: 'DataExportStatus', description: '`pending`: being built; `ready`: to download; `failed`: ask again' });
export type DataExportStatus = z.infer<typeof DataExportStatusSchema>;

export const DataExportSchema = z
  .object({
    id: IdSchema,
    status: DataExportStatusSchema,
    createdAt: TimestampSchema.describe('When it was asked for'),
    readyAt: TimestampSchema.nullable().describe('When its zip was ready; null until then'),
    expiresAt: TimestampSchema.describe(
      'When it and its file are deleted: 7 days after it was ready (or asked for, while it is not)',
    ),
    sizeBytes: z.number().int().min(0).nullable().describe("The zip's size; null until it is ready"),
  })
  .meta({ id: 'DataExport' });
export type DataExport = z.infer<typeof DataExportSchema>;

export const DataExportListSchema = z
  .object({ items: z.array(DataExportSchema).describe('Newest first; expired ones are gone') })
  .meta({ id: 'DataExportList' });
export type DataExportList = z.infer<typeof DataExportListSchema>;

/**
 * One line of the zip's `messages.json`: a message the person sent (deleted ones are gone). Not
 * on the wire of any route; declared here so the export's format is written down once.
 */
export const DataExportMessageSchema = z.object({
  id: IdSchema,
  conversationId: IdSchema,
  ticketId: IdSchema.nullable().describe("The ticket whose thread it is in; null: a chat's"),
  kind: MessageKindSchema,
  body: z.string(),
  replyToId: IdSchema.nullable(),
  files: z.array(z.object({ fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int() })),
  createdAt: TimestampSchema,
  editedAt: TimestampSchema.nullable(),
});
export type DataExportMessage = z.infer<typeof DataExportMessageSchema>;
