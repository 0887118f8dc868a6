import { excerpt } from '@parley/markdown';
import { MAX_PINS, type PinList, type SystemEvent } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import { accessConversation } from '../conversations/conversation-access';
import { presentMessages } from '../conversations/message-presenter';
import { findMessage, insertMessage } from '../conversations/message-repository';
import { newSystemMessage } from '../conversations/system-lines';
import { isUniqueViolation } from '../db/constraint-errors';
import { MESSAGE_COLUMNS } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { findUserById } from '../users/user-repository';

/**
 * A conversation's pin board: any member who may write there pins a message they can see (an
 * internal note only staff, and the line saying so is a note too). Pinning and unpinning are
 * system lines, so every member sees them live and clients reload the board when one arrives.
 */
export async function listPins(deps: ServiceDeps, actor: Actor, conversationId: string): Promise<PinList> {
  const access = await accessConversation(deps, actor, conversationId);
  const pins = await deps.db
    .selectFrom('pinnedMessages')
    .select(['messageId', 'pinnedBy', 'pinnedAt'])
    .where('workspaceId', '=', actor.workspaceId)
    .where('conversationId', '=', conversationId)
    .orderBy('pinnedAt', 'desc')
    .orderBy('messageId', 'desc')
    .execute();
  if (pins.length === 0) return { items: [] };
  const rows = await deps.db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('workspaceId', '=', actor.workspaceId)
    .where('conversationId', '=', conversationId)
    .where(
      'id',
      'in',
      pins.map((p) => p.messageId),
    )
    .where('deletedAt', 'is', null)
    .$if(!access.seesNotes, (q) => q.where('kind', '!=', 'note'))
    .execute();
  const byId = new Map((await presentMessages(deps.db, actor, rows)).map((m) => [m.id, m]));
  return {
    items: pins.flatMap((pin) => {
      const message = byId.get(pin.messageId);
      return message ? [{ message, pinnedBy: pin.pinnedBy, pinnedAt: toIso(pin.pinnedAt) }] : [];
    }),
  };
}

export async function setPinned(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  messageId: string,
  pinned: boolean,
): Promise<PinList> {
  const { db } = deps;
  const access = await accessConversation(deps, actor, conversationId, { write: true });
  const message = await findMessage(db, actor, conversationId, messageId);
  if (!message || (message.kind === 'note' && !access.seesNotes)) throw notFound('Message');
  if (pinned && message.deletedAt !== null) throw new AppError('conflict', 'A deleted message cannot be pinned');
  if (pinned && message.kind === 'system') throw new AppError('conflict', 'System lines cannot be pinned');
  const at = deps.clock.now();
  const by = { id: actor.id, name: (await findUserById(db, actor.id))!.displayName };
  const event: SystemEvent = {
    event: pinned ? 'message.pinned' : 'message.unpinned',
    actor: by,
    params: { message: { id: message.id, seq: message.seq }, excerpt: excerpt(message.body) },
  };
  const write = db.transaction().execute(async (trx) => {
    if (pinned) {
      const { count } = await trx
        .selectFrom('pinnedMessages')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('workspaceId', '=', actor.workspaceId)
        .where('conversationId', '=', conversationId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= MAX_PINS)
        throw new AppError('conflict', `At most ${MAX_PINS} pinned messages: unpin one first`);
      const already = await trx
        .selectFrom('pinnedMessages')
        .select('messageId')
        .where('workspaceId', '=', actor.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('messageId', '=', messageId)
        .executeTakeFirst();
      if (already) return null; // pinned already: nothing to say
      await trx
        .insertInto('pinnedMessages')
        .values({ workspaceId: actor.workspaceId, conversationId, messageId, pinnedBy: actor.id, pinnedAt: at })
        .execute();
    } else {
      const { numDeletedRows } = await trx
        .deleteFrom('pinnedMessages')
        .where('workspaceId', '=', actor.workspaceId)
        .where('conversationId', '=', conversationId)
        .where('messageId', '=', messageId)
        .executeTakeFirst();
      if (numDeletedRows === 0n) return null;
    }
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: pinned ? 'message.pinned' : 'message.unpinned',
      entityType: 'conversation',
      entityId: conversationId,
      data: { messageId },
    });
    const systemLine = newSystemMessage(conversationId, event, at);
    return insertMessage(trx, actor, message.kind === 'note' ? { ...systemLine, kind: 'note' } : systemLine);
  });
  // Two people pinning the same message at once: the second finds it pinned.
  const line = await write.catch((error: unknown) => {
    if (isUniqueViolation(error)) return null;
    throw error;
  });
  if (line) {
    for (const presented of await presentMessages(db, actor, [line])) {
      deps.events.publish({ workspaceId: actor.workspaceId, type: 'message.created', message: presented });
    }
  }
  return listPins(deps, actor, conversationId);
}
