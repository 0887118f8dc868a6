import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { MessageSchema } from './conversations';
import { CursorSchema, LimitSchema, pageOf } from './pagination';

/** Most messages one conversation keeps pinned: a pin board, not a second history. */

export const PinnedMessageSchema = z
  .object({
    message: MessageSchema,
    pinnedBy: IdSchema.describe('Who pinned it'),
    pinnedAt: TimestampSchema,
  })
  .meta({ id: 'PinnedMessage' });
export type PinnedMessage = z.infer<typeof PinnedMessageSchema>;

export const PinListSchema = z
  .object({
    items: z
      .array(PinnedMessageSchema)
      .describe('Newest pin first; internal notes for staff only, deleted messages left out'),
  })
  .meta({ id: 'PinList' });
export type PinList = z.infer<typeof PinListSchema>;

export const SavedMessageSchema = z
  .object({ message: MessageSchema, savedAt: TimestampSchema })
  .meta({ id: 'SavedMessage' });
export type SavedMessage = z.infer<typeof SavedMessageSchema>;

export const SavedMessagePageSchema = pageOf(SavedMessageSchema).meta({ id: 'SavedMessagePage' });
export type SavedMessagePage = z.infer<typeof SavedMessagePageSchema>;

export const SavedMessageQuerySchema = z.object({ cursor: CursorSchema.optional(), limit: LimitSchema });
export type SavedMessageQuery = z.infer<typeof SavedMessageQuerySchema>;
