import { parseMarkdown, plainTextOf, type MdBlock } from '@parley/markdown';
import type { Message } from '@parley/protocol';
import type { TFunction } from 'i18next';

/** A body's words without its markdown, for labels and titles: spoilers stay hidden until revealed. */
export const bodyWords = (blocks: readonly MdBlock[], t: TFunction): string =>
  plainTextOf(blocks, { spoiler: t('chat.spoilerHidden') });

/**
 * What a screen reader says for one message of the timeline when the keyboard lands on it: who,
 * when, and what (with its files, edit mark and reactions), as one sentence, since the row is one
 * focus stop and its parts are not visited one by one.
 */
export function messageRowLabel(
  message: Message,
  {
    name,
    time,
    deleted,
    words,
    t,
  }: {
    name: string;
    time: string;
    deleted: boolean;
    /** The body's words without its markdown (`bodyWords`), from a tree the row has parsed already. */
    words?: string;
    t: TFunction;
  },
): string {
  const parts: string[] = [];
  if (deleted) parts.push(t('chat.deleted'));
  else {
    const text = words ?? bodyWords(parseMarkdown(message.body), t);
    if (text) parts.push(text);
    if (message.attachments.length > 0) {
      parts.push(t('chat.rowAttachments', { names: message.attachments.map((a) => a.fileName).join(', ') }));
    }
    if (message.editedAt) parts.push(t('chat.edited'));
    if (message.reactions.length > 0) {
      const list = message.reactions.map((r) => `${r.emoji} ${r.userIds.length}`).join(', ');
      parts.push(t('chat.rowReactions', { list }));
    }
  }
  const text = parts.join(', ');
  return message.kind === 'note'
    ? t('chat.rowNoteLabel', { name, time, text })
    : t('chat.rowLabel', { name, time, text });
}
