import { z } from 'zod';
import { CursorSchema, LimitSchema, pageOf } from './pagination';
import { NotificationFrameItemSchema } from './realtime';

/** A notification as REST lists it: the same item the realtime `notification` frame carries. */
export const NotificationItemSchema = NotificationFrameItemSchema.meta({ id: 'NotificationItem' });
export type NotificationItem = z.infer<typeof NotificationItemSchema>;

export const NotificationListQuerySchema = z.object({
  unread: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('`true`: unread ones only; `false`: read ones only'),
  cursor: CursorSchema.optional(),
  limit: LimitSchema,
});
export type NotificationListQuery = z.infer<typeof NotificationListQuerySchema>;

export const NotificationPageSchema = pageOf(NotificationItemSchema)
  .extend({ unreadCount: z.number().int().min(0).describe('All your unread notifications, not just this page') })
  .meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPageSchema>;
