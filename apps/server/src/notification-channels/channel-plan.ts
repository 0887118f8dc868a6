import type { EmailCategory, NotificationKind, NotifyLevel } from '@parley/protocol';
import type { StoredSettings } from '../notification-settings/settings-repository';

/** Which email (and unsubscribe link) a notification belongs to. */
export const EMAIL_CATEGORY: Record<NotificationKind, EmailCategory> = {
  'direct.message': 'messages',
  'message.mention': 'messages',
  'friend_request.received': 'messages',
  'friend_request.accepted': 'messages',
  'ticket.message': 'tickets',
  'ticket.closed': 'tickets',
  'ticket.reopened': 'tickets',
  'ticket.follow_up': 'tickets',
  'ticket.opened_for_you': 'tickets',
  'ticket.csat': 'tickets',
  'ticket.created': 'assignments',
  'ticket.assigned': 'assignments',
  'ticket.sla': 'assignments',
  'ticket.rule': 'assignments',
  'webhook.disabled': 'assignments',
  // The nearest: what the person asked of the workspace themselves.
  'data_export.ready': 'tickets',
};

/** What `mentions` lets through: what is addressed to the person themselves. */
const ADDRESSED: ReadonlySet<NotificationKind> = new Set([
  'message.mention',
  'ticket.assigned',
  'ticket.opened_for_you',
  'data_export.ready',
]);

export const passesLevel = (level: NotifyLevel, kind: NotificationKind) =>
  level === 'all' || (level === 'mentions' && ADDRESSED.has(kind));

type Quiet = NonNullable<StoredSettings['quiet']>;

/** Minutes after midnight at `at` in the time zone. */
function minuteOfDay(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, p) => ({ ...all, [p.type]: p.value }), {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/** Whether `at` is in the quiet hours (which may run past midnight: 22:00 to 07:00). */
export function isQuiet(quiet: Quiet, at: number): boolean {
  const now = minuteOfDay(at, quiet.timeZone);
  return quiet.from < quiet.to ? now >= quiet.from && now < quiet.to : now >= quiet.from || now < quiet.to;
}

/** When the quiet hours around `at` end (`at` itself when it is not quiet), to the minute. */
export function quietEnds(quiet: Quiet, at: number): number {
  if (!isQuiet(quiet, at)) return at;
  const now = minuteOfDay(at, quiet.timeZone);
  const minutesLeft = (quiet.to - now + 24 * 60) % (24 * 60);
  // Whole minutes from the start of this minute; a DST change inside is off by its hour at most once.
  return at - (at % 60_000) + minutesLeft * 60_000;
}

export interface ChannelPlan {
  push: boolean;
  /** When the digest should look at it (null: no mail). */
  emailAt: number | null;
}

/**
 * Which channels beyond the app a notification takes, by the person's settings (the
 * conversation's own level was applied when its recipients were chosen):
 * - push, unless their level leaves the kind out, they are active in the app right now
 *   (online on some device: the app shows it there), or it is their quiet time;
 * - email, unless their level or an unsubscribe leaves it out, `emailDelayMs` later (what is
 *   still unread then goes in one mail), and not before their quiet hours end.
 */
export function planChannels(
  kind: NotificationKind,
  settings: StoredSettings,
  context: { at: number; online: boolean; emailDelayMs: number },
): ChannelPlan {
  const quietNow = settings.quiet !== null && isQuiet(settings.quiet, context.at);
  const push = passesLevel(settings.push, kind) && !context.online && !quietNow;
  const mailable = passesLevel(settings.email, kind) && !settings.emailOff.includes(EMAIL_CATEGORY[kind]);
  if (!mailable) return { push, emailAt: null };
  const due = context.at + context.emailDelayMs;
  return { push, emailAt: settings.quiet ? quietEnds(settings.quiet, due) : due };
}
