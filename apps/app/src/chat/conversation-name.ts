import type { Conversation, Message } from '@parley/protocol';
import type { TFunction } from 'i18next';
import { personName } from '../people/person-name';

/**
 * What a conversation is called in the list and over the chat: a group's name, else the names
 * of the others in it (a direct chat: the other person; a bot marked as one).
 */
export function conversationName(
  conversation: Pick<Conversation, 'title' | 'members'>,
  selfId: string | undefined,
  t: TFunction,
): string {
  if (conversation.title) return conversation.title;
  const others = conversation.members.filter((m) => m.id !== selfId);
  return others.map((m) => personName(m, t)).join(', ') || t('conversations.untitled');
}

/**
 * Who wrote the last message, where the list should say so: in a group, someone other than the
 * reader (whose own show as "You: …"). A direct chat's are from the one person it is with.
 */
export function lastSenderName(
  conversation: Pick<Conversation, 'kind' | 'members'>,
  message: Pick<Message, 'senderId' | 'kind'> | null | undefined,
  selfId: string | undefined,
  t: TFunction,
): string | undefined {
  if (conversation.kind !== 'group' || !message?.senderId || message.senderId === selfId) return undefined;
  if (message.kind === 'system') return undefined;
  const sender = conversation.members.find((m) => m.id === message.senderId);
  return sender && personName(sender, t);
}
