import { z } from 'zod';
import { EMAIL_CATEGORIES } from './constants';

/**
 * How much of a workspace a person hears of outside the app (push, email), or in one
 * conversation: everything, only what is addressed to them (`mentions`: mentions of them, and
 * tickets given to them), or nothing.
 */
export const NotifyLevelSchema = z.enum(['all', 'mentions', 'none']).meta({ id: 'NotifyLevel' });
export type NotifyLevel = z.infer<typeof NotifyLevelSchema>;

/** What an email is about; each has its own unsubscribe link. */
export const EmailCategorySchema = z
  .enum(EMAIL_CATEGORIES)
  .describe(
    '`messages`: chats and friend requests; `tickets`: your tickets’ replies and changes; `assignments`: work given to you or your team',
  )
  .meta({ id: 'EmailCategory' });
export type EmailCategory = z.infer<typeof EmailCategorySchema>;

const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59')
  .describe('HH:MM');

/** An IANA time zone the server's Intl knows (`Europe/Berlin`, `UTC`). */
export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, e.g. Europe/Berlin');

export const QuietHoursSchema = z
  .object({
    from: TimeOfDaySchema,
    to: TimeOfDaySchema.describe('HH:MM; before `from`: the quiet hours run past midnight'),
    timeZone: TimeZoneSchema,
  })
  .strict()
  .refine((q) => q.from !== q.to, { message: 'from and to must differ', path: ['to'] })
  .meta({ id: 'QuietHours' });
export type QuietHours = z.infer<typeof QuietHoursSchema>;

export const NotificationSettingsSchema = z
  .object({
    push: NotifyLevelSchema.describe('Push to your devices (web and Android)'),
    email: NotifyLevelSchema.describe('Email: a digest of what is still unread some minutes later'),
    emailOff: z.array(EmailCategorySchema).describe('Email categories you unsubscribed from'),
    quietHours: QuietHoursSchema.nullable().describe('No push in these hours; mail waits until they end. Null: none'),
  })
  .meta({ id: 'NotificationSettings' });
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

export const UpdateNotificationSettingsBodySchema = z
  .object({
    push: NotifyLevelSchema,
    email: NotifyLevelSchema,
    emailOff: z.array(EmailCategorySchema).max(EMAIL_CATEGORIES.length),
    quietHours: QuietHoursSchema.nullable(),
  })
  .partial()
  .strict()
  .meta({ id: 'UpdateNotificationSettingsBody' });
export type UpdateNotificationSettingsBody = z.infer<typeof UpdateNotificationSettingsBodySchema>;

export const ConversationNotifyBodySchema = z
  .object({ level: NotifyLevelSchema })
  .strict()
  .meta({ id: 'ConversationNotifyBody' });
export type ConversationNotifyBody = z.infer<typeof ConversationNotifyBodySchema>;

/** The token of an unsubscribe link, as the link carries it. */
export const UnsubscribeQuerySchema = z.object({ token: z.string().min(1).max(400) }).strict();
export type UnsubscribeQuery = z.infer<typeof UnsubscribeQuerySchema>;

export const UnsubscribedSchema = z
  .object({ category: EmailCategorySchema, workspaceName: z.string() })
  .meta({ id: 'Unsubscribed' });
export type Unsubscribed = z.infer<typeof UnsubscribedSchema>;
