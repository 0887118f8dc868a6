import { MysqlAdapter, sql, type Kysely } from 'kysely';
import { dropIndex } from '../portable-ddl';

const CREATED = [
  'workspace_id',
  'created_at',
  'sla_first_responded_at',
  'sla_first_response_due_at',
  'sla_first_response_state',
  'sla_resolution_state',
  'team_id',
  'assignee_id',
  'priority',
];
const CLOSED = ['workspace_id', 'closed_at', 'created_at', 'team_id', 'assignee_id', 'priority'];

/** At most 20 labels (MAX_LABELS_PER_ITEM) of 26 characters, quoted and comma-separated, in brackets. */
const LABEL_IDS_LENGTH = 600;

/**
 * Each ticket carries a copy of its thread's label ids (`label_ids`, a sorted JSON array; null
 * without labels), written in the same transaction as `conversation_labels`. Reports by label read
 * it from their covering indexes instead of a key lookup per ticket into `conversation_labels`
 * (decision 0011): on SQLite at 100,000 tickets that lookup alone was ~150 ms a read. The ids
 * take the place of `conversation_id` in those indexes, which only that join needed.
 *
 * On MariaDB the column is ASCII (ULIDs are), so the index stays under InnoDB's 3,072-byte key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema
    .alterTable('tickets')
    .addColumn('label_ids', `varchar(${LABEL_IDS_LENGTH})`, (c) =>
      mysql ? c.modifyFront(sql`CHARACTER SET ascii COLLATE ascii_bin`) : c,
    )
    .execute();
  await backfill(db);
  await replace(db, 'tickets_created_report_idx', 'tickets_created_labels_report_idx', [...CREATED, 'label_ids']);
  await replace(db, 'tickets_closed_report_idx', 'tickets_closed_labels_report_idx', [...CLOSED, 'label_ids']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await replace(db, 'tickets_created_labels_report_idx', 'tickets_created_report_idx', [...CREATED, 'conversation_id']);
  await replace(db, 'tickets_closed_labels_report_idx', 'tickets_closed_report_idx', [...CLOSED, 'conversation_id']);
  await db.schema.alterTable('tickets').dropColumn('label_ids').execute();
}

/** The labels tickets have now, one UPDATE per distinct set (there are few). */
async function backfill(db: Kysely<unknown>) {
  const rows = await sql<{ c: string; l: string }>`
    SELECT cl.conversation_id AS c, cl.label_id AS l FROM conversation_labels cl
    JOIN tickets t ON t.conversation_id = cl.conversation_id`.execute(db);
  const labelsOf = new Map<string, string[]>();
  for (const { c, l } of rows.rows) {
    const labels = labelsOf.get(c);
    if (labels) labels.push(l);
    else labelsOf.set(c, [l]);
  }
  const conversationsOf = new Map<string, string[]>();
  for (const [conversation, labels] of labelsOf) {
    const ids = JSON.stringify(labels.sort());
    const conversations = conversationsOf.get(ids);
    if (conversations) conversations.push(conversation);
    else conversationsOf.set(ids, [conversation]);
  }
  for (const [ids, conversations] of conversationsOf) {
    for (let i = 0; i < conversations.length; i += 1000) {
      const chunk = conversations.slice(i, i + 1000);
      await sql`UPDATE tickets SET label_ids = ${ids} WHERE conversation_id IN (${sql.join(chunk)})`.execute(db);
    }
  }
}

async function replace(db: Kysely<unknown>, old: string, name: string, columns: string[]) {
  await db.schema.createIndex(name).on('tickets').columns(columns).execute();
  await dropIndex(db, old, 'tickets').execute();
}
