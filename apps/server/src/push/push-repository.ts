import type { Insertable } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { PushDeviceRow, PushDevicesTable } from '../db/schema';

export async function findDeviceByAddress(db: Db, ws: Scope, addressHash: string): Promise<PushDeviceRow | undefined> {
  return db
    .selectFrom('pushDevices')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('addressHash', '=', addressHash)
    .executeTakeFirst();
}

export async function findDevice(db: Db, ws: Scope, id: string): Promise<PushDeviceRow | undefined> {
  return db
    .selectFrom('pushDevices')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A person's devices in a workspace, newest first. */
export async function listDevicesOfUser(db: Db, ws: Scope, userId: string): Promise<PushDeviceRow[]> {
  return db
    .selectFrom('pushDevices')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertDevice(db: Db, row: Insertable<PushDevicesTable>): Promise<void> {
  await db.insertInto('pushDevices').values(row).execute();
}

/** Gives a known endpoint/token to whoever registered it last, with its latest keys. */
export async function reassignDevice(
  db: Db,
  ws: Scope,
  id: string,
  changes: Pick<PushDeviceRow, 'userId' | 'p256dh' | 'auth' | 'vapidKey' | 'label'>,
): Promise<void> {
  await db
    .updateTable('pushDevices')
    .set({ ...changes, failures: 0 })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Deletes a device; `userId` given: only if it is that person's. Answers whether one went. */
export async function deleteDevice(db: Db, ws: Scope, id: string, userId?: string): Promise<boolean> {
  let query = db.deleteFrom('pushDevices').where('workspaceId', '=', ws.workspaceId).where('id', '=', id);
  if (userId !== undefined) query = query.where('userId', '=', userId);
  const { numDeletedRows } = await query.executeTakeFirst();
  return Number(numDeletedRows) > 0;
}

/** Removes every device of a person in a workspace (signed out everywhere, or left it). */
export async function deleteDevicesOfUser(db: Db, ws: Scope, userId: string): Promise<number> {
  const { numDeletedRows } = await db
    .deleteFrom('pushDevices')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return Number(numDeletedRows);
}

/** A push went through: the device works. */
export async function markDeviceUsed(db: Db, ws: Scope, id: string, at: number): Promise<void> {
  await db
    .updateTable('pushDevices')
    .set({ lastUsedAt: at, failures: 0 })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Counts a permanent failure; answers the count now. */
export async function countDeviceFailure(db: Db, ws: Scope, id: string): Promise<number> {
  await db
    .updateTable('pushDevices')
    .set((eb) => ({ failures: eb('failures', '+', 1) }))
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
  const row = await findDevice(db, ws, id);
  return row?.failures ?? 0;
}
