import { NOTIFICATION_PREVIEW_CHARS, type NotificationItem, type NotificationKind } from '@parley/protocol';
import { toIso } from '../clock';
import type { NotificationRow } from './notification-repository';

export interface NotificationSender {
  id: string;
  displayName: string;
  bot: boolean;
}

/**
 * A notification about to be stored: who hears of what, with what the client needs to say it
 * in the reader's language (the ticket's subject, who did it, the start of what they wrote).
 */
export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  /** The conversation it belongs to: one entry per user and conversation. Null: friend requests. */
  conversationId: string | null;
  /** The message it is about, if any: a read up to it answers the entry. */
  seq: number | null;
  ticketId?: string | undefined;
  subject?: string | undefined;
  sender?: NotificationSender | undefined;
  preview?: string | undefined;
  /** Ids a client may follow (messageId, requestId, ...). */
  ids: Record<string, string | number>;
}

/** The start of a text, on one line, cut at a word where it can be: enough to recognise it. */
export function previewOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= NOTIFICATION_PREVIEW_CHARS) return line;
  const cut = line.slice(0, NOTIFICATION_PREVIEW_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${space > NOTIFICATION_PREVIEW_CHARS * 0.6 ? cut.slice(0, space) : cut}…`;
}

interface StoredContent {
  subject?: string;
  /** Without `bot` when stored before senders said whether they were bots. */
  sender?: Omit<NotificationSender, 'bot'> & { bot?: boolean };
  preview?: string;
  [id: string]: unknown;
}

/** The `data` column: the ids flat (as rows before grouping had them), with the content beside. */
export function storedContentOf(n: NewNotification): string {
  const content: StoredContent = {
    ...(n.ticketId && { ticketId: n.ticketId }),
    ...(n.conversationId && { conversationId: n.conversationId }),
    ...n.ids,
    ...(n.subject !== undefined && { subject: n.subject }),
    ...(n.sender && { sender: n.sender }),
    ...(n.preview !== undefined && { preview: n.preview }),
  };
  return JSON.stringify(content);
}

export function presentNotification(row: NotificationRow): NotificationItem {
  const { subject, sender, preview, ...data } = JSON.parse(row.data) as StoredContent;
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    conversationId: row.conversationId,
    ticketId: typeof data.ticketId === 'string' ? data.ticketId : null,
    subject: subject ?? null,
    sender: sender ? { ...sender, bot: sender.bot ?? false } : null,
    preview: preview ?? null,
    count: row.count,
    data,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
    readAt: row.readAt === null ? null : toIso(row.readAt),
  };
}
