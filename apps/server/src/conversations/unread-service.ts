import type { NotifyLevel } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import { accessConversation } from './conversation-access';
import { markMemberRead, moveCursorBack } from './message-repository';
import { countUnread, countUnreadMentions } from './thread-summaries';

/**
 * "Mark unread from here": the actor's own cursor goes back to just before `seq`, so the
 * conversation counts as unread from that message on, on every device of theirs (a `read` frame
 * with the lower seq, to their sockets only). What the others were shown ("seen") stays.
 */
export async function markUnread(deps: ServiceDeps, actor: Actor, conversationId: string, seq: number): Promise<void> {
  const access = await accessConversation(deps, actor, conversationId);
  const cursor = await deps.db
    .transaction()
    .execute((trx) => moveCursorBack(trx, actor, conversationId, actor.id, seq));
  // Not a member (an agent who never opened the ticket): everything is unread for them already.
  if (cursor === null) return;
  const hideNotes = !access.seesNotes;
  const [unread, mentions] = await Promise.all([
    countUnread(deps.db, actor, [conversationId], hideNotes),
    countUnreadMentions(deps.db, actor, [conversationId], hideNotes),
  ]);
  const markedUnread = {
    unreadCount: unread.get(conversationId) ?? 0,
    mentionCount: mentions.get(conversationId) ?? 0,
  };
  deps.events.publish({
    workspaceId: actor.workspaceId,
    type: 'read',
    conversationId,
    userId: actor.id,
    seq: cursor,
    readerOnly: true,
    markedUnread,
  });
}

/** `conversation_members.muted`: 0 everything notifies, 1 mentions only, 2 nothing. */
const MUTED_VALUE: Record<NotifyLevel, number> = { all: 0, mentions: 1, none: 2 };

export const notifyLevelOf = (muted: number | string): NotifyLevel =>
  Number(muted) === 2 ? 'none' : Number(muted) === 1 ? 'mentions' : 'all';

/**
 * What of a conversation notifies the actor: everything, mentions of them only, or nothing
 * (muting is `mentions`). A muted one's unread messages stay out of their badge (the app's).
 * Their other devices hear it.
 */
export async function setNotifyLevel(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  level: NotifyLevel,
): Promise<void> {
  await accessConversation(deps, actor, conversationId);
  await deps.db.transaction().execute(async (trx) => {
    // Staff who never opened a ticket's thread are not members yet: muting makes them one.
    await markMemberRead(trx, actor, conversationId, actor.id, 0, deps.clock.now());
    await trx
      .updateTable('conversationMembers')
      .set({ muted: MUTED_VALUE[level] })
      .where('workspaceId', '=', actor.workspaceId)
      .where('conversationId', '=', conversationId)
      .where('userId', '=', actor.id)
      .execute();
  });
  deps.events.publish({
    workspaceId: actor.workspaceId,
    type: 'conversation.muted',
    userId: actor.id,
    conversationId,
    muted: level !== 'all',
    notify: level,
  });
}
