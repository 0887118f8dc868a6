import type { Kysely } from 'kysely';
import { TIME } from '../portable-ddl';

/**
 * Tickets can be `pending` (waiting on the customer) and `snoozed` until a time; `status` is a
 * varchar(16), so the new values need no change there. A snoozed ticket's wake-up is a durable
 * job; the column is what the job checks (a re-snooze moves it, a manual reopen clears it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('snoozed_until', TIME).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db
    .updateTable('tickets' as never)
    .set({ status: 'open' } as never)
    .where('status' as never, 'in', ['pending', 'snoozed'] as never)
    .execute();
  await db.schema.alterTable('tickets').dropColumn('snoozed_until').execute();
}
