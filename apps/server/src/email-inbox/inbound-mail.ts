import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AddressObject, Attachment as MailAttachment, ParsedMail } from 'mailparser';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import { sendMessage } from '../conversations/message-service';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { EmailChannelRow, EmailMessageRow } from '../db/schema';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import { unusablePasswordHash, resolveRequester } from '../tickets/ticket-on-behalf';
import { findTicketByConversation } from '../tickets/ticket-repository';
import { createTicket } from '../tickets/ticket-service';
import { uploadAttachment, type AttachmentDeps } from '../uploads/attachment-service';
import { findUserByEmail } from '../users/user-repository';
import { loadActor } from '../workspaces/member-repository';
import {
  countMailsFrom,
  findChannelByAddress,
  findEmailMessage,
  findNewestByHeaders,
  insertEmailMessage,
} from './email-repository';
import { baseAddress, headerHash, referencedIds, type ReplyTokens } from './mail-ids';
import { automaticReason, replyText } from './mail-text';

/**
 * One inbound mail to one support address, as the SMTP listener hands it over: a new ticket for
 * its sender, a reply in the ticket it answers, or nothing (a duplicate, or a machine's mail).
 * Everything is committed before this resolves; only then does the sender get its 250.
 */

export interface InboundDeps extends AttachmentDeps {
  replyTokens: ReplyTokens;
  /** The largest file kept from a mail (ATTACHMENT_LIMIT_BYTES, as in the app). */
  attachmentLimitBytes: number;
  /** Mails one address may send one workspace per hour; past it the sender is told to wait (450). */
  mailsPerSenderPerHour: number;
}

export interface InboundMail {
  /** The envelope recipient (plus part and all) the mail came to. */
  recipient: string;
  /** The envelope's MAIL FROM; `''` for a bounce (`MAIL FROM:<>`). */
  envelopeFrom: string;
  parsed: ParsedMail;
  /** SHA-256 of the raw mail: the stand-in for a Message-ID the mail lacks. */
  rawHash: string;
}

export type Delivery =
  | { outcome: 'opened'; ticketId: string; conversationId: string }
  | { outcome: 'replied'; conversationId: string; messageId: string }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'refused'; code: 450 | 550; message: string };

/** What a mail's text may hold: a message's limit, with room for the note that it was cut. */
const MAX_TEXT = 9_800;
/** Attachments one message carries (the protocol's limit). */
const MAX_FILES = 10;

export async function receiveMail(deps: InboundDeps, channel: EmailChannelRow, mail: InboundMail): Promise<Delivery> {
  const ws: Scope = { workspaceId: channel.workspaceId };
  const { parsed } = mail;
  const from = senderOf(parsed.from);
  if (!from) return { outcome: 'ignored', reason: 'no sender address' };

  const automatic = automaticReason(parsed.headers, mail.envelopeFrom);
  if (automatic) return { outcome: 'ignored', reason: automatic };
  // A mail from a support address (ours, come back) would start a conversation with ourselves.
  if (await findChannelByAddress(deps.db, baseAddress(from.address))) {
    return { outcome: 'ignored', reason: 'sent from a support address' };
  }

  const headerId = messageIdOf(parsed, mail.rawHash);
  const hash = headerHash(headerId);
  if (await findEmailMessage(deps.db, ws, hash)) return { outcome: 'duplicate' };

  const at = deps.clock.now();
  if ((await countMailsFrom(deps.db, ws, from.address, at - 60 * 60_000)) >= deps.mailsPerSenderPerHour) {
    return { outcome: 'refused', code: 450, message: '4.7.1 Too many mails from this address; try again later' };
  }
  const sender = await customerFor(deps, ws, from);
  if ('outcome' in sender) return sender;

  const row = (conversationId: string, messageId: string | null): EmailMessageRow => ({
    id: newId(),
    workspaceId: ws.workspaceId,
    channelId: channel.id,
    conversationId,
    messageId,
    direction: 'in',
    headerHash: hash,
    headerId: headerId.slice(0, 500),
    fromAddress: from.address,
    authResults: authResultsOf(parsed),
    createdAt: at,
  });
  const text = bodyOf(parsed);
  const clientMsgId = `mail-${hash.slice(0, 40)}`;

  const answered = await answeredConversation(deps, ws, mail, sender);
  if (answered) {
    const attachments = await storeAttachments(deps, sender, answered, parsed.attachments);
    const { message } = await sendMessage(deps, sender, answered, {
      clientMsgId,
      body: withNotes(text || filesLine(parsed.attachments), attachments.notes),
      internal: false,
      attachmentIds: attachments.ids,
    });
    await insertIgnoringRepeat(deps.db, row(message.conversationId, message.id));
    return { outcome: 'replied', conversationId: message.conversationId, messageId: message.id };
  }

  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || firstLine(text);
  let ticket;
  try {
    ticket = await createTicket(
      deps,
      sender,
      { subject, description: text || subject, priority: 'medium' },
      {
        channel: 'email',
        teamId: channel.teamId,
        record: async (trx, t) => {
          await insertEmailMessage(trx, row(t.conversationId, null));
        },
      },
    );
  } catch (error) {
    // The same mail, delivered twice at once: the other delivery opened the ticket.
    if (isUniqueViolation(error)) return { outcome: 'duplicate' };
    throw error;
  }
  if (parsed.attachments.length > 0) {
    const attachments = await storeAttachments(deps, sender, ticket.conversationId, parsed.attachments);
    await sendMessage(deps, sender, ticket.conversationId, {
      clientMsgId,
      body: withNotes(filesLine(parsed.attachments), attachments.notes),
      internal: false,
      attachmentIds: attachments.ids,
    });
  }
  return { outcome: 'opened', ticketId: ticket.id, conversationId: ticket.conversationId };
}

interface Sender {
  address: string;
  name: string;
}

function senderOf(from: AddressObject | undefined): Sender | null {
  const first = from?.value[0];
  const address = first?.address?.trim().toLowerCase();
  if (!address || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) || address.length > 200) return null;
  // A display name as the app shows names: one line, no control or direction characters.
  const name = (first?.name ?? '')
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 64);
  return { address, name: name || address.split('@')[0]!.slice(0, 64) };
}

/**
 * The sender as a customer of the workspace: the one already here, or a new contact (an account
 * with no usable password, like a ticket staff open for someone by email). Staff and closed
 * accounts are refused: a mail's From is easily forged, and a forged staff address must not
 * speak as staff.
 */
async function customerFor(deps: InboundDeps, ws: Scope, from: Sender): Promise<Actor | Delivery> {
  const refused = (message: string): Delivery => ({ outcome: 'refused', code: 550, message });
  const user = await findUserByEmail(deps.db, from.address);
  if (user && user.deactivatedAt !== null) return refused('5.7.1 This account is closed');
  let member = user && (await loadActor(deps.db, ws, user.id));
  if (!member) {
    const passwordHash = user ? undefined : await unusablePasswordHash();
    const open = () =>
      deps.db
        .transaction()
        .execute((trx) =>
          resolveRequester(
            trx,
            ws,
            { requester: { email: from.address, name: from.name } },
            passwordHash,
            deps.clock.now(),
          ),
        );
    let resolved;
    try {
      resolved = await open();
    } catch (error) {
      if (isUniqueViolation(error))
        resolved = await open(); // the same new sender's two mails at once
      else if (error instanceof AppError) return refused(`5.7.1 ${error.message}`);
      else throw error;
    }
    member = await loadActor(deps.db, ws, resolved.id);
    if (!member) throw new Error('The customer just made is not a member');
  }
  if (isStaff(member)) return refused('5.7.1 Staff answer tickets in Parley, not by mail to the support address');
  return member;
}

/**
 * The ticket thread this mail answers: through In-Reply-To and References (any mail of the
 * thread, ours or theirs), then through the reply token in the address it came to. Only the
 * ticket's requester replies into it; anyone else's mail opens a ticket of their own.
 */
async function answeredConversation(
  deps: InboundDeps,
  ws: Scope,
  mail: InboundMail,
  sender: Actor,
): Promise<string | null> {
  const { parsed } = mail;
  const hashes = referencedIds(parsed.inReplyTo, parsed.references).map(headerHash);
  const known = await findNewestByHeaders(deps.db, ws, hashes);
  const conversationId = known?.conversationId ?? deps.replyTokens.conversationOf(mail.recipient);
  if (!conversationId) return null;
  const ticket = await findTicketByConversation(deps.db, ws, conversationId);
  return ticket && ticket.requesterId === sender.id ? conversationId : null;
}

const messageIdOf = (parsed: ParsedMail, rawHash: string): string =>
  parsed.messageId?.match(/^<[^<>\s]+>$/) ? parsed.messageId : `<${rawHash}@parley.no-message-id>`;

/** The person's own words: text (mailparser makes it from the HTML when there is none), quotes cut. */
function bodyOf(parsed: ParsedMail): string {
  const text = replyText((parsed.text ?? '').replaceAll('\u0000', ''));
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}\n\n[…] (The mail was longer; the rest was cut.)` : text;
}

const firstLine = (text: string) => text.split('\n')[0]!.trim().slice(0, 200) || '(no subject)';

const filesLine = (files: MailAttachment[]) =>
  files.length > 0 ? `📎 ${files.map((f) => f.filename ?? 'attachment').join(', ')}`.slice(0, 2_000) : '(empty mail)';

const withNotes = (body: string, notes: string[]) => (notes.length > 0 ? `${body}\n\n${notes.join('\n')}` : body);

/**
 * The mail's files (inline images too) as attachments of the sender's message: sniffed, sized
 * and counted against their quota like an upload in the app. A file that cannot be kept is named
 * in a note under the text instead of failing the whole mail.
 */
async function storeAttachments(
  deps: InboundDeps,
  sender: Actor,
  conversationId: string,
  files: MailAttachment[],
): Promise<{ ids: string[]; notes: string[] }> {
  const ids: string[] = [];
  const notes: string[] = [];
  const limitBytes = deps.attachmentLimitBytes;
  for (const [index, file] of files.entries()) {
    const name = file.filename ?? `attachment-${index + 1}`;
    if (index >= MAX_FILES) {
      notes.push(`(${name} was not kept: a message carries at most ${MAX_FILES} files)`);
      continue;
    }
    try {
      const attachment = await uploadAttachment(deps, sender, conversationId, async () => ({
        stream: Readable.from(file.content.subarray(0, limitBytes + 1)),
        fileName: name,
        truncated: () => file.content.length > limitBytes,
        limitBytes,
      }));
      ids.push(attachment.id);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      notes.push(`(${name} was not kept: ${error.message})`);
    }
  }
  return { ids, notes };
}

/** The verdicts a relay in front recorded (`Authentication-Results`, RFC 8601), e.g. `spf=pass dkim=pass`. */
function authResultsOf(parsed: ParsedMail): string | null {
  const header = parsed.headers.get('authentication-results');
  const text = Array.isArray(header) ? header.join(' ') : typeof header === 'string' ? header : '';
  const verdicts = [...text.matchAll(/\b(spf|dkim|dmarc|arc)=([a-z]+)/gi)].map(
    (m) => `${m[1]!.toLowerCase()}=${m[2]!.toLowerCase()}`,
  );
  return verdicts.length > 0 ? [...new Set(verdicts)].join(' ').slice(0, 200) : null;
}

async function insertIgnoringRepeat(db: Db, row: EmailMessageRow): Promise<void> {
  try {
    await insertEmailMessage(db, row);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error; // the same mail, delivered again after its message
  }
}

/** SHA-256 of a raw mail. */
export const rawHashOf = (raw: Buffer): string => createHash('sha256').update(raw).digest('hex');
