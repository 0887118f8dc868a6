import type { Message } from '@parley/protocol';

/** A direct chat that stayed silent this long notifies again when someone writes in it. */
export const DIRECT_QUIET_MS = 10 * 60_000;

/**
 * A message in a direct (or group) chat notifies the other members when it starts the chat or
 * breaks a silence of DIRECT_QUIET_MS; the messages of a lively exchange do not (the Messages
 * list's unread badges show those), so a conversation in full flow costs no notification per
 * message. `previousAt` is when the message before it was written (undefined: it is the first).
 */
export function isDirectMessageWorthNotifying(message: Message, previousAt: number | undefined): boolean {
  if (message.senderId === null || message.kind !== 'text') return false;
  return previousAt === undefined || Date.parse(message.createdAt) - previousAt >= DIRECT_QUIET_MS;
}
