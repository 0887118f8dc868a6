import { IdSchema, type EmailCategory, type Locale, type NotificationKind } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { enqueueOrMoveEarlier } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { enqueueMail } from '../mail/mail-queue';
import { presentNotification } from '../notifications/notification-content';
import { markEmailedUpTo, readSettings } from '../notification-settings/settings-repository';
import type { UnsubscribeTokens } from '../notification-settings/unsubscribe-token';
import { EMAIL_CATEGORY, isQuiet, passesLevel, quietEnds } from './channel-plan';
import { appPathOf, sentenceOf } from './notification-text';

/**
 * One person's pending digest: it runs when the oldest notification it waits for has been
 * unread for the delay, and mails what is still unread then (one mail per category).
 */
export const emailDigestJob = defineJobType(
  'notifications.email_digest',
  z.object({ workspaceId: IdSchema, userId: IdSchema }),
  { maxAttempts: 8, backoffMs: 30_000, maxBackoffMs: 30 * 60_000, leaseMs: 2 * 60_000 },
);

const digestKey = (ws: Scope, userId: string) => `email-digest:${ws.workspaceId}:${userId}`;

/** Entries older than this are never mailed (a first digest does not dig up last month). */
const LOOKBACK_MS = 24 * 60 * 60_000;
/** Entries one mail lists; the rest are counted ("…and 12 more"). */
const MAX_ITEMS = 20;

/**
 * Makes sure a digest for each person runs by their `at`: a new one, or the pending one moved
 * earlier. In the caller's transaction, if it has one.
 */
export async function scheduleDigests(db: Db, ws: Scope, due: readonly { userId: string; at: number }[]) {
  await enqueueOrMoveEarlier(
    db,
    due.map(({ userId, at }) => ({
      type: emailDigestJob,
      payload: { ...ws, userId },
      runAt: at,
      dedupeKey: digestKey(ws, userId),
    })),
  );
}

export interface DigestDeps {
  db: Db;
  publicUrl: string;
  emailDelayMs: number;
  unsubscribeTokens: UnsubscribeTokens;
}

export function registerEmailDigests(jobs: JobRunner, deps: DigestDeps): void {
  jobs.register(emailDigestJob, async ({ workspaceId, userId }, { now }) => {
    const ws = { workspaceId };
    const person = await deps.db
      .selectFrom('users')
      .innerJoin('workspaceMembers as wm', (join) =>
        join.onRef('wm.userId', '=', 'users.id').on('wm.workspaceId', '=', workspaceId),
      )
      .select(['users.email', 'users.displayName', 'users.locale', 'users.deactivatedAt', 'wm.deactivatedAt as left'])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!person || person.deactivatedAt !== null || person.left !== null) return;
    const settings = (await readSettings(deps.db, ws, [userId])).get(userId)!;
    if (settings.quiet && isQuiet(settings.quiet, now)) return { runAgainAt: quietEnds(settings.quiet, now) };

    const since = Math.max(settings.emailedUpTo, now - LOOKBACK_MS);
    const unread = await deps.db
      .selectFrom('notifications')
      .selectAll()
      .where('workspaceId', '=', workspaceId)
      .where('userId', '=', userId)
      .where('readAt', 'is', null)
      .where('updatedAt', '>', since)
      .orderBy('updatedAt', 'desc')
      .execute();
    const dueBy = now - deps.emailDelayMs;
    const due = unread.filter((row) => Number(row.updatedAt) <= dueBy);
    // Read last, after the mail is queued: what came while this ran (its scheduling found this
    // job running and could not move it) makes the job come back for it.
    const next = async () => {
      const { first } = await deps.db
        .selectFrom('notifications')
        .select((eb) => eb.fn.min('updatedAt').as('first'))
        .where('workspaceId', '=', workspaceId)
        .where('userId', '=', userId)
        .where('readAt', 'is', null)
        .where('updatedAt', '>', dueBy)
        .executeTakeFirstOrThrow();
      return first === null ? undefined : { runAgainAt: Number(first) + deps.emailDelayMs };
    };
    if (due.length === 0) return next();

    const locale = person.locale as Locale;
    const byCategory = new Map<EmailCategory, typeof due>();
    for (const row of due) {
      const kind = row.kind as NotificationKind;
      const category = EMAIL_CATEGORY[kind];
      if (!passesLevel(settings.email, kind) || settings.emailOff.includes(category)) continue;
      byCategory.set(category, [...(byCategory.get(category) ?? []), row]);
    }
    const upTo = Math.max(...due.map((row) => Number(row.updatedAt)));
    await deps.db.transaction().execute(async (trx) => {
      for (const [category, rows] of byCategory) {
        const items = rows.slice(0, MAX_ITEMS).map((row) => {
          const entry = presentNotification(row);
          return {
            sentence: sentenceOf({ kind: entry.kind, sender: entry.sender ?? undefined }, locale),
            subject: entry.subject,
            preview: entry.preview,
            count: entry.count,
            url: `${deps.publicUrl}${appPathOf({ kind: entry.kind, ticketId: entry.ticketId ?? undefined, conversationId: entry.conversationId, seq: row.seq === null ? null : Number(row.seq) })}`,
          };
        });
        const token = deps.unsubscribeTokens.sign({ workspaceId, userId, category });
        await enqueueMail(
          trx,
          {
            workspaceId,
            to: { email: person.email, name: person.displayName },
            locale,
            template: 'notification_digest',
            data: { name: person.displayName, category, items, more: rows.length - items.length },
            unsubscribe: { url: `${deps.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}` },
            // A digest retried after its mail was queued does not queue it twice.
            dedupeKey: `digest:${workspaceId}:${userId}:${category}:${upTo}`,
          },
          now,
        );
      }
      await markEmailedUpTo(trx, ws, userId, upTo, now);
    });
    return next();
  });
}
