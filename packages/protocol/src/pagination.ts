import { z } from 'zod';

/** Opaque keyset cursor from a previous page's `nextCursor`; stable under inserts. */
export const CursorSchema = z.string().min(1).max(500).describe('`nextCursor` of the previous page');

export const LimitSchema = z.coerce.number().int().min(1).max(100).default(25);

export const PageQuerySchema = z.object({ cursor: CursorSchema.optional(), limit: LimitSchema });

/** A page of items; `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
