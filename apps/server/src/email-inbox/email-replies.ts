import { IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import { findMessage } from '../conversations/message-repository';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { Reaction } from '../events/reactions';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { brandingOf } from '../mail/mail-queue';
import type { Mailer } from '../mail/mailer';
import { mailContext } from '../mail/templates/context';
import { renderTemplate } from '../mail/templates';
import { findTicketByConversation, findTicketById } from '../tickets/ticket-repository';
import type { FileStore } from '../uploads/file-store';
import { findUserById } from '../users/user-repository';
import { findChannelRow, insertEmailMessage, listMessageFiles, listThreadMails } from './email-repository';
import { headerHash, outboundMessageId, splitAddress, type ReplyTokens } from './mail-ids';

/**
 * A staff member's public reply in a ticket that came by mail goes to the requester by mail:
 * from the support address it came to, threaded under the customer's mails, with a Reply-To that
 * carries the reply token, and with the message's files. Internal notes never go out, and
 * neither does anything the requester wrote themself.
 */

const EmailReplySchema = z.object({ workspaceId: IdSchema, conversationId: IdSchema, messageId: IdSchema });

/** Retried like every mail: 30 s doubling up to an hour, 8 runs; then the dead letter. */
export const emailReplyJob = defineJobType('email.reply', EmailReplySchema, {
  maxAttempts: 8,
  backoffMs: 30_000,
  maxBackoffMs: 60 * 60_000,
  leaseMs: 3 * 60_000,
});

/**
 * Queues the mail. Decided from the event alone, so a chat message or an app ticket's reply adds
 * no job; the mail is its own job, retried like every mail (a reaction gives up within minutes).
 */
export const emailReplyReaction = (deps: { db: Db }): Reaction<'message.created'> => ({
  name: 'email-reply',
  on: ['message.created'],
  wants: (event) =>
    event.context?.ticket?.channel === 'email' &&
    event.message.kind === 'text' &&
    event.message.senderId !== event.context.ticket.requesterId &&
    !event.resent,
  async handle(event, { now }) {
    const { id, conversationId } = event.message;
    await enqueueJob(deps.db, {
      type: emailReplyJob,
      payload: { workspaceId: event.workspaceId, conversationId, messageId: id },
      runAt: now,
      dedupeKey: `email-reply:${id}`,
    });
  },
});

export interface EmailReplyDeps {
  db: Db;
  mailer: Mailer;
  files: FileStore;
  replyTokens: ReplyTokens;
  publicUrl: string;
}

/** Files up to this much in all go into the mail; the rest are named (receivers refuse big mail). */
const MAX_ATTACHED_BYTES = 15 * 1024 * 1024;
/** Ids in a reply's References: the thread's newest (RFC 5322 allows trimming the middle). */
const MAX_REFERENCES = 20;

export function registerEmailReplies(jobs: JobRunner, deps: EmailReplyDeps): void {
  jobs.register(emailReplyJob, async ({ workspaceId, conversationId, messageId }, { attempt, now }) => {
    const ws: Scope = { workspaceId };
    const message = await findMessage(deps.db, ws, conversationId, messageId);
    // Deleted before the mail went, or turned into something that is not a reply: nothing to send.
    if (!message || message.deletedAt !== null || message.kind !== 'text') return;
    const ticket = await findTicketByConversation(deps.db, ws, conversationId);
    if (!ticket || ticket.requesterId === message.senderId) return;
    const thread = await threadOf(deps.db, ws, ticket.conversationId, ticket.followUpOf);
    const channel = thread[0] && (await findChannelRow(deps.db, ws, thread[0].channelId));
    const [requester, author] = await Promise.all([
      findUserById(deps.db, ticket.requesterId),
      message.senderId ? findUserById(deps.db, message.senderId) : undefined,
    ]);
    // No mail thread (or its address is gone), or nobody to write to: the reply stays in the app.
    if (!channel || !requester || requester.deactivatedAt !== null) return;

    const domain = splitAddress(channel.address)[1];
    const headerId = outboundMessageId(message.id, domain);
    const recorded = await recordOutbound(deps.db, {
      id: message.id,
      workspaceId,
      channelId: channel.id,
      conversationId,
      messageId: message.id,
      direction: 'out',
      headerHash: headerHash(headerId),
      headerId,
      fromAddress: null,
      authResults: null,
      createdAt: now,
    });
    // Recorded by an earlier job of the same message (a reaction runs at least once): sent already.
    if (!recorded && attempt === 1) return;

    const branding = await brandingOf(deps, workspaceId);
    const files = await listMessageFiles(deps.db, ws, message.id);
    let room = MAX_ATTACHED_BYTES;
    const attached = files.filter((f) => (room -= f.sizeBytes) >= 0);
    const omitted = files.filter((f) => !attached.includes(f)).map((f) => f.fileName);
    const rendered = renderTemplate(
      'ticket_reply',
      {
        subject: ticket.subject,
        authorName: author?.displayName ?? branding.name,
        body: message.body,
        omittedFiles: omitted,
        answer: 'mail',
      },
      mailContext(requester.locale, branding, deps.publicUrl),
    );
    const earlier = thread.filter((mail) => mail.headerId !== headerId);
    await deps.mailer.send({
      ...rendered,
      template: 'ticket_reply',
      to: { email: requester.email, name: requester.displayName },
      from: {
        email: channel.address,
        name: author ? `${author.displayName} (${channel.name ?? branding.name})` : (channel.name ?? branding.name),
      },
      replyTo: deps.replyTokens.replyAddress(channel.address, ticket.conversationId),
      messageId: headerId,
      ...(earlier.length > 0 && {
        inReplyTo: (earlier.find((mail) => mail.direction === 'in') ?? earlier[0]!).headerId,
        references: earlier
          .slice(0, MAX_REFERENCES)
          .map((mail) => mail.headerId)
          .reverse(),
      }),
      headers: {},
      attachments: attached.map((f) => ({
        filename: f.fileName,
        path: deps.files.pathOf('attachments', f.storageKey),
        contentType: f.contentType,
      })),
    });
  });
}

/**
 * The mails of this ticket's thread, newest first; a follow-up ticket with none of its own yet
 * (opened in the app by a reply to a mailed ticket) continues the thread of the ticket it follows.
 */
async function threadOf(db: Db, ws: Scope, conversationId: string, followUpOf: string | null) {
  const own = await listThreadMails(db, ws, conversationId, MAX_REFERENCES + 1);
  if (own.length > 0 || !followUpOf) return own;
  const earlier = await findTicketById(db, ws, followUpOf);
  return earlier ? listThreadMails(db, ws, earlier.conversationId, MAX_REFERENCES + 1) : [];
}

/** Records the mail about to go; false when it was recorded already. */
async function recordOutbound(db: Db, row: Parameters<typeof insertEmailMessage>[1]): Promise<boolean> {
  try {
    await insertEmailMessage(db, row);
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
