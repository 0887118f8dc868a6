import { IdSchema } from '@parley/protocol';
import { z } from 'zod';
import { findMembership } from '../conversations/message-repository';
import type { Db } from '../db/connect';
import type { Reaction } from '../events/reactions';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { enqueueMail } from '../mail/mail-queue';
import { findTicketByConversation } from '../tickets/ticket-repository';
import { findGuest } from './widget-repository';

/**
 * A widget visitor who gave an email and left: staff's answers they have not read after a while
 * go to that address, in one mail (a later answer in the meantime joins the same mail).
 */

/** How long an answer waits to be read in the widget before it is mailed. */
export const AWAY_AFTER_MS = 2 * 60_000;

const AwayMailSchema = z.object({ workspaceId: IdSchema, conversationId: IdSchema });
export const widgetAwayMailJob = defineJobType('widget.away_mail', AwayMailSchema, { maxAttempts: 5 });

export const widgetAwayMailReaction = (deps: { db: Db }): Reaction<'message.created'> => ({
  name: 'widget-away-mail',
  on: ['message.created'],
  wants: (event) =>
    event.context?.ticket?.channel === 'widget' &&
    event.message.kind === 'text' &&
    event.message.senderId !== event.context.ticket.requesterId &&
    !event.resent,
  async handle(event, { now }) {
    const guest = await findGuest(deps.db, event, event.context!.ticket!.requesterId);
    if (!guest?.contactEmail) return;
    await enqueueJob(deps.db, {
      type: widgetAwayMailJob,
      payload: { workspaceId: event.workspaceId, conversationId: event.message.conversationId },
      runAt: now + AWAY_AFTER_MS,
      dedupeKey: `widget-away:${event.message.conversationId}`,
    });
  },
});

export function registerWidgetAwayMail(jobs: JobRunner, deps: { db: Db }): void {
  jobs.register(widgetAwayMailJob, async ({ workspaceId, conversationId }, { now }) => {
    const ws = { workspaceId };
    const ticket = await findTicketByConversation(deps.db, ws, conversationId);
    const guest = ticket && (await findGuest(deps.db, ws, ticket.requesterId));
    if (!ticket || !guest?.contactEmail) return;
    const readUpTo = (await findMembership(deps.db, ws, conversationId, guest.userId))?.lastReadSeq ?? 0;
    const unread = await deps.db
      .selectFrom('messages')
      .innerJoin('users', 'users.id', 'messages.senderId')
      .select(['messages.body', 'users.displayName'])
      .where('messages.workspaceId', '=', workspaceId)
      .where('messages.conversationId', '=', conversationId)
      .where('messages.seq', '>', readUpTo)
      .where('messages.kind', '=', 'text')
      .where('messages.deletedAt', 'is', null)
      .where('messages.senderId', '!=', guest.userId)
      .orderBy('messages.seq')
      .limit(20)
      .execute();
    // Read in the widget meanwhile: they were there after all.
    if (unread.length === 0) return;
    await enqueueMail(
      deps.db,
      {
        workspaceId,
        to: { email: guest.contactEmail },
        locale: 'en',
        template: 'ticket_reply',
        data: {
          subject: ticket.subject,
          authorName: unread[unread.length - 1]!.displayName,
          body: unread.map((m) => m.body).join('\n\n'),
          omittedFiles: [],
          answer: 'chat',
        },
      },
      now,
    );
  });
}
