import type { Locale } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { NewNotification } from '../notifications/notification-content';
import { readSettings } from '../notification-settings/settings-repository';
import { enqueuePush } from '../push/push-queue';
import type { PresenceTracker } from '../realtime/presence-tracker';
import { planChannels } from './channel-plan';
import { scheduleDigests } from './email-digest';
import { appPathOf, pushTextOf } from './notification-text';

export type ChannelDispatcher = (ws: Scope, made: NewNotification[], at: number) => Promise<void>;

/**
 * From the notifications an event made to the channels outside the app: for each person, by
 * their settings, their presence and the time of day, a push to their devices now and a digest
 * mail later, as durable jobs (`push.send`, `notifications.email_digest`) in one transaction.
 * The in-app entry is the notifier's; who hears of what was decided there (one place).
 */
export function createChannelDispatcher(deps: {
  db: Db;
  /** The cluster's presence: someone `online` (an active app somewhere) gets no push. */
  presence: Pick<PresenceTracker, 'statusOf'>;
  emailDelayMs: number;
  /** Told when pushes were queued: they go out now, not at the next poll. */
  wake: () => void;
}): ChannelDispatcher {
  return async (ws, made, at) => {
    const userIds = [...new Set(made.map((n) => n.userId))];
    const ticketIds = [...new Set(made.flatMap((n) => (n.ticketId ? [n.ticketId] : [])))];
    const [settings, statuses, people, outside] = await Promise.all([
      readSettings(deps.db, ws, userIds),
      deps.presence.statusOf(ws, userIds),
      deps.db.selectFrom('users').select(['id', 'locale', 'email']).where('id', 'in', userIds).execute(),
      ticketIds.length === 0
        ? []
        : deps.db
            .selectFrom('tickets')
            .select(['id', 'requesterId'])
            .where('workspaceId', '=', ws.workspaceId)
            .where('id', 'in', ticketIds)
            .where('channel', '!=', 'app')
            .execute(),
    ]);
    const localeOf = new Map(people.map((p) => [p.id, p.locale as Locale]));
    // Who reaches Parley by mail or the website's chat hears of their ticket there (email-inbox/,
    // widget/), not from app notifications; a widget guest's address is no address (`.invalid`).
    const requesterOutside = new Set(outside.map((t) => `${t.id}:${t.requesterId}`));
    const unmailable = new Set(people.filter((p) => p.email.endsWith('.invalid')).map((p) => p.id));
    const inAppOnly = (n: NewNotification) =>
      unmailable.has(n.userId) || (n.ticketId !== undefined && requesterOutside.has(`${n.ticketId}:${n.userId}`));
    const plans = made.map((n) => ({
      n,
      plan: planChannels(n.kind, settings.get(n.userId)!, {
        at,
        online: statuses.get(n.userId) === 'online',
        emailDelayMs: deps.emailDelayMs,
      }),
    }));
    const toPush = plans.filter(({ plan }) => plan.push).map(({ n }) => n);
    const digests = plans.flatMap(({ n, plan }) =>
      plan.emailAt !== null && !inAppOnly(n) ? [{ userId: n.userId, at: plan.emailAt }] : [],
    );
    // Mostly no push (the people are online): then the digests are one statement, no transaction.
    if (toPush.length === 0) return scheduleDigests(deps.db, ws, digests);
    let pushes = 0;
    await deps.db.transaction().execute(async (trx) => {
      for (const n of toPush) {
        const text = pushTextOf(n, localeOf.get(n.userId) ?? 'en');
        const payload = {
          ...text,
          url: appPathOf(n),
          tag: n.conversationId ?? n.kind,
          workspaceId: ws.workspaceId,
          kind: n.kind,
        };
        const dedupeKey = `${n.userId}:${n.conversationId ?? n.kind}:${n.seq ?? at}`;
        pushes += (await enqueuePush(trx, { workspaceId: ws.workspaceId, userId: n.userId, payload, dedupeKey }, at))
          .length;
      }
      await scheduleDigests(trx, ws, digests);
    });
    if (pushes > 0) deps.wake();
  };
}
