import type { Kysely } from 'kysely';
import { ID } from '../portable-ddl';

/**
 * `push_devices.session_id`: the session (refresh-token family) that registered the device. A
 * device gets pushes only while that session is signed in, so signing out, "sign out everywhere",
 * a password change (other sessions) or reset (all) also stops the pushes to those devices.
 * Devices registered before this column stay without one and keep getting pushes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('push_devices').addColumn('session_id', ID).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('push_devices').dropColumn('session_id').execute();
}
