import { plainText } from '@parley/markdown';
import type { Message } from '@parley/protocol';
import type { TFunction } from 'i18next';
import { systemLineText } from './system-line';

/**
 * A list row's one line about the last message: deleted ones say so, never their text.
 * `senderName`: who wrote it, for a group's row ("Dan: …").
 */
export function previewOf(
  message: Message | null | undefined,
  selfId: string | undefined,
  t: TFunction,
  senderName?: string,
): string {
  if (!message) return t('conversations.noMessages');
  if (message.deletedAt) return t('conversations.deleted');
  // System lines, and internal ones with an event (a label change), in the reader's language.
  if (message.kind === 'system' || message.system) return systemLineText(message, t);
  // The words without their markdown, and never a spoiler's.
  const words = plainText(message.body, { spoiler: t('chat.spoilerHidden') });
  const text = words || (message.attachments.length > 0 ? `📎 ${t('conversations.attachment')}` : '');
  if (message.senderId && message.senderId === selfId) return t('conversations.you', { text });
  return senderName ? t('conversations.from', { name: senderName, text }) : text;
}
