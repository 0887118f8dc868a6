import { excerpt } from '@parley/markdown';
import {
  SystemEventSchema,
  type Attachment,
  type Message,
  type ReplyPreview,
  type SystemEvent,
} from '@parley/protocol';
import { toIso } from '../clock';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { MessageRow } from '../db/schema';
import { listAttachmentsByMessage } from '../uploads/attachment-service';
import { listReactions, listReplyTargets, type ReplyTargetRow } from './message-repository';

/**
 * Messages as clients see them, with their reactions and attachments, in two queries (three
 * when some of them are replies).
 */
export async function presentMessages(db: Db, ws: Scope, rows: readonly MessageRow[]): Promise<Message[]> {
  const live = rows.filter((r) => r.deletedAt === null);
  const liveIds = live.map((r) => r.id);
  const answered = [...new Set(live.flatMap((r) => (r.replyToId ? [r.replyToId] : [])))];
  const [reactionRows, attachments, targets] = await Promise.all([
    listReactions(db, ws, liveIds),
    listAttachmentsByMessage(db, ws, liveIds),
    answered.length > 0 ? listReplyTargets(db, ws, answered) : [],
  ]);
  const targetsById = new Map(targets.map((t) => [t.id, t]));
  const reactions = new Map<string, Map<string, string[]>>();
  for (const { messageId, emoji, userId } of reactionRows) {
    const byEmoji = reactions.get(messageId) ?? new Map<string, string[]>();
    byEmoji.set(emoji, [...(byEmoji.get(emoji) ?? []), userId]);
    reactions.set(messageId, byEmoji);
  }
  return rows.map((row) =>
    presentMessage(row, {
      reactions: reactions.get(row.id),
      attachments: attachments.get(row.id),
      replyTo: row.replyToId ? targetsById.get(row.replyToId) : undefined,
    }),
  );
}

function presentMessage(
  row: MessageRow,
  {
    reactions,
    attachments = [],
    replyTo,
  }: {
    reactions?: Map<string, string[]> | undefined;
    attachments?: Attachment[] | undefined;
    replyTo?: ReplyTargetRow | undefined;
  } = {},
): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    clientMsgId: row.clientMsgId,
    body: row.body,
    kind: row.kind,
    system: systemEventOf(row.systemEvent),
    createdAt: toIso(row.createdAt),
    editedAt: row.editedAt === null ? null : toIso(row.editedAt),
    deletedAt: row.deletedAt === null ? null : toIso(row.deletedAt),
    reactions: [...(reactions ?? [])].map(([emoji, userIds]) => ({ emoji, userIds })),
    attachments,
    replyTo: row.deletedAt === null && replyTo ? replyPreview(replyTo) : null,
  };
}

function replyPreview(target: ReplyTargetRow): ReplyPreview {
  const deleted = target.deletedAt !== null;
  return {
    id: target.id,
    seq: target.seq,
    senderId: target.senderId,
    excerpt: deleted ? '' : excerpt(target.body),
    deleted,
  };
}

/**
 * Checked on the way out: in a cluster being upgraded, a newer node may have written an event
 * this one does not know. Its clients then get null and show the English body instead.
 */
function systemEventOf(json: string | null): SystemEvent | null {
  if (json === null) return null;
  try {
    return SystemEventSchema.safeParse(JSON.parse(json)).data ?? null;
  } catch {
    return null;
  }
}

export async function presentOne(db: Db, ws: Scope, row: MessageRow): Promise<Message> {
  return (await presentMessages(db, ws, [row]))[0]!;
}

/**
 * A message just inserted: it has no reactions yet, and attachments only if it was sent with
 * some; what it answers was read before. Runs inside the send's transaction, so it must not ask
 * the database for nothing.
 */
export async function presentNewMessage(
  db: Db,
  ws: Scope,
  row: MessageRow,
  { withAttachments, replyTo }: { withAttachments: boolean; replyTo: ReplyTargetRow | null },
): Promise<Message> {
  const attachments = withAttachments ? (await listAttachmentsByMessage(db, ws, [row.id])).get(row.id) : undefined;
  return presentMessage(row, { attachments, replyTo: replyTo ?? undefined });
}
