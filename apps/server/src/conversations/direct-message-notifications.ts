import type { Db } from '../db/connect';
import type { MessageRow } from '../db/schema';
import type { NewNotification } from '../notifications/notification-service';

/** A direct chat that stayed silent this long notifies again when someone writes in it. */
export const DIRECT_QUIET_MS = 10 * 60_000;

/**
 * A message in a direct (or group) chat notifies the other members when it starts the chat or
 * breaks a silence of DIRECT_QUIET_MS; the messages of a lively exchange do not (the Messages
 * list's unread badges show those), so a conversation in full flow costs no notification per
 * message. `lastActivityAt` is the conversation's time before this message. Call inside the
 * transaction that inserted `message`.
 */
export async function directMessageNotifications(
  db: Db,
  message: MessageRow,
  lastActivityAt: number,
): Promise<NewNotification[]> {
  if (message.senderId === null) return [];
  if (message.seq !== 1 && message.createdAt - lastActivityAt < DIRECT_QUIET_MS) return [];
  const recipients = await db
    .selectFrom('conversationMembers')
    .select('userId')
    .where('conversationId', '=', message.conversationId)
    .where('userId', '!=', message.senderId)
    .execute();
  const data = {
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    fromUserId: message.senderId,
  };
  return recipients.map(({ userId }) => ({ userId, kind: 'direct.message' as const, data }));
}
