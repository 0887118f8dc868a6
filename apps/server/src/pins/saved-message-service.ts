import type { SavedMessagePage, SavedMessageQuery } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso } from '../clock';
import { accessConversation } from '../conversations/conversation-access';
import { presentMessages } from '../conversations/message-presenter';
import { MESSAGE_COLUMNS } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { isUniqueViolation } from '../db/constraint-errors';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';

/**
 * Saved messages: a person's own list of messages to come back to, newest saved first. Saving
 * needs what reading the message needs; listing checks it again, so a message of a conversation
 * they can no longer read (removed from a group, a ticket moved away) is left out, and so is a
 * deleted one. Their other devices hear of each change (`message.saved`).
 */
export async function setSaved(deps: ServiceDeps, actor: Actor, messageId: string, saved: boolean): Promise<void> {
  const { db } = deps;
  const message = await db
    .selectFrom('messages')
    .select(['conversationId', 'kind', 'deletedAt'])
    .where('workspaceId', '=', actor.workspaceId)
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!message) throw notFound('Message');
  const access = await accessConversation(deps, actor, message.conversationId).catch(() => null);
  if (!access || (message.kind === 'note' && !access.seesNotes)) throw notFound('Message');
  if (saved) {
    if (message.deletedAt !== null) throw new AppError('conflict', 'A deleted message cannot be saved');
    await db
      .insertInto('savedMessages')
      .values({ workspaceId: actor.workspaceId, userId: actor.id, messageId, savedAt: deps.clock.now() })
      .execute()
      .catch(ignoreDuplicate);
  } else {
    await db
      .deleteFrom('savedMessages')
      .where('workspaceId', '=', actor.workspaceId)
      .where('userId', '=', actor.id)
      .where('messageId', '=', messageId)
      .execute();
  }
  deps.events.publish({ workspaceId: actor.workspaceId, type: 'message.saved', userId: actor.id, messageId, saved });
}

export async function listSaved(deps: ServiceDeps, actor: Actor, query: SavedMessageQuery): Promise<SavedMessagePage> {
  const { db } = deps;
  const after = query.cursor ? (decodeCursor(query.cursor, ['number', 'string']) as [number, string]) : null;
  const rows = await db
    .selectFrom('savedMessages')
    .select(['messageId', 'savedAt'])
    .where('workspaceId', '=', actor.workspaceId)
    .where('userId', '=', actor.id)
    .$if(after !== null, (q) =>
      q.where((eb) =>
        eb.or([
          eb('savedAt', '<', after![0]),
          eb.and([eb('savedAt', '=', after![0]), eb('messageId', '<', after![1])]),
        ]),
      ),
    )
    .orderBy('savedAt', 'desc')
    .orderBy('messageId', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const messages =
    page.length === 0
      ? []
      : await db
          .selectFrom('messages')
          .select(MESSAGE_COLUMNS)
          .where('workspaceId', '=', actor.workspaceId)
          .where(
            'id',
            'in',
            page.map((r) => r.messageId),
          )
          .where('deletedAt', 'is', null)
          .execute();
  // Each conversation's access once per page: a page is at most 100 saved messages.
  const readable = new Map<string, { seesNotes: boolean } | null>();
  for (const conversationId of new Set(messages.map((m) => m.conversationId))) {
    readable.set(conversationId, await accessConversation(deps, actor, conversationId).catch(() => null));
  }
  const visible = messages.filter((m) => {
    const access = readable.get(m.conversationId);
    return access && (m.kind !== 'note' || access.seesNotes);
  });
  const byId = new Map((await presentMessages(db, actor, visible)).map((m) => [m.id, m]));
  const items = page.flatMap((row) => {
    const message = byId.get(row.messageId);
    return message ? [{ message, savedAt: toIso(row.savedAt) }] : [];
  });
  const { nextCursor } = toPage(
    rows,
    query.limit,
    (row) => row,
    (row) => [row.savedAt, row.messageId],
  );
  return { items, nextCursor };
}

/** Saved already (or twice at once): it is saved, which is what was asked. */
const ignoreDuplicate = (error: unknown) => {
  if (!isUniqueViolation(error)) throw error;
};
