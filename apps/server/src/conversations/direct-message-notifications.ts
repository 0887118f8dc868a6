import type { Db } from '../db/connect';
import type { MessageRow } from '../db/schema';
import type { NewNotification } from '../notifications/notification-service';

/**
 * A message in a direct (or group) chat notifies each other member who had read everything
 * before it: one notification per conversation until they read it, as chat apps do, not one
 * per message. Call inside the transaction that inserted `message`.
 */
export async function directMessageNotifications(db: Db, message: MessageRow): Promise<NewNotification[]> {
  if (message.senderId === null) return [];
  const recipients = await db
    .selectFrom('conversationMembers as member')
    .select('member.userId')
    .where('member.conversationId', '=', message.conversationId)
    .where('member.userId', '!=', message.senderId)
    .where(({ exists, not, selectFrom }) =>
      not(
        exists(
          // Something from someone else this member has not read yet: they were told already.
          selectFrom('messages')
            .select('messages.id')
            .where('messages.conversationId', '=', message.conversationId)
            .whereRef('messages.seq', '>', 'member.lastReadSeq')
            .where('messages.seq', '<', message.seq)
            .where('messages.deletedAt', 'is', null)
            .whereRef('messages.senderId', '!=', 'member.userId'),
        ),
      ),
    )
    .execute();
  const data = {
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    fromUserId: message.senderId,
  };
  return recipients.map(({ userId }) => ({ userId, kind: 'direct.message' as const, data }));
}
