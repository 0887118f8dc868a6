import { sql, type Kysely } from 'kysely';
import { dropIndex, ID, TIME } from '../portable-ddl';

/**
 * One notification entry per user and conversation: a new event there updates the entry
 * (`count`, `updated_at`, `seq`) instead of adding a row, so the list and the badge count
 * conversations, and reading a conversation answers its entry. Rows about no conversation
 * (friend requests) have `conversation_id` NULL, which every dialect lets repeat in a unique key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('conversation_id', ID).execute();
  await db.schema
    .alterTable('notifications')
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('notifications')
    .addColumn('updated_at', TIME, (c) => c.notNull().defaultTo(0))
    .execute();
  // The newest message the entry covers: a read up to it answers the entry.
  await db.schema.alterTable('notifications').addColumn('seq', 'integer').execute();
  await sql`UPDATE notifications SET updated_at = created_at`.execute(db);
  await groupExistingRows(db);
  await db.schema
    .createIndex('notifications_user_conversation_key')
    .on('notifications')
    .columns(['user_id', 'conversation_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('notifications_user_updated_idx')
    .on('notifications')
    .columns(['user_id', 'updated_at'])
    .execute();
  await dropIndex(db, 'notifications_user_id_idx', 'notifications').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // MariaDB needs an index on user_id for its foreign key at every step.
  await db.schema
    .createIndex('notifications_user_id_idx')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .execute();
  await dropIndex(db, 'notifications_user_updated_idx', 'notifications').execute();
  await dropIndex(db, 'notifications_user_conversation_key', 'notifications').execute();
  for (const column of ['seq', 'updated_at', 'count', 'conversation_id']) {
    await db.schema.alterTable('notifications').dropColumn(column).execute();
  }
}

interface OldRow {
  id: string;
  user_id: string;
  kind: string;
  data: string;
  read_at: number | string | null;
}

/**
 * Rows written before grouping name their conversation inside `data` (or only their ticket):
 * each user keeps the newest row per conversation, counting the unread ones it stands for.
 */
async function groupExistingRows(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<OldRow>`
    SELECT id, user_id, kind, data, read_at FROM notifications
    WHERE kind IN ('ticket.message', 'ticket.assigned', 'direct.message')
    ORDER BY created_at DESC, id DESC
  `.execute(db);
  if (rows.length === 0) return;
  const { rows: tickets } = await sql<{ id: string; conversation_id: string }>`
    SELECT id, conversation_id FROM tickets
  `.execute(db);
  const conversationOfTicket = new Map(tickets.map((t) => [t.id, t.conversation_id]));
  const kept = new Map<string, { id: string; unread: number; conversationId: string }>();
  const dropped: string[] = [];
  for (const row of rows) {
    const data = JSON.parse(row.data) as { conversationId?: string; ticketId?: string };
    const conversationId = data.conversationId ?? conversationOfTicket.get(data.ticketId ?? '');
    if (!conversationId) continue;
    const key = `${row.user_id} ${conversationId}`;
    const entry = kept.get(key);
    const unread = row.read_at === null ? 1 : 0;
    if (entry) {
      entry.unread += unread;
      dropped.push(row.id);
    } else {
      kept.set(key, { id: row.id, unread, conversationId });
    }
  }
  for (const { id, unread, conversationId } of kept.values()) {
    await sql`UPDATE notifications SET conversation_id = ${conversationId}, count = ${Math.max(1, unread)}
      WHERE id = ${id}`.execute(db);
  }
  for (let i = 0; i < dropped.length; i += 500) {
    const ids = dropped.slice(i, i + 500);
    await sql`DELETE FROM notifications WHERE id IN (${sql.join(ids)})`.execute(db);
  }
}
