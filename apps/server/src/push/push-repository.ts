import type { ExpressionBuilder, Insertable } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { Database, PushDeviceRow, PushDevicesTable } from '../db/schema';

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

/**
 * The session that registered the device is still signed in (or it is older than sessions).
 * Signing out, "sign out everywhere" and a password change or reset end sessions, and with them
 * the pushes to their devices, whichever way the session ended.
 */
const sessionIsLive = (eb: ExpressionBuilder<Database, 'pushDevices'>) =>
  eb.or([
    eb('pushDevices.sessionId', 'is', null),
    eb.exists(
      eb
        .selectFrom('refreshTokens')
        .select('refreshTokens.id')
        .whereRef('refreshTokens.familyId', '=', 'pushDevices.sessionId')
        .where('refreshTokens.revokedAt', 'is', null),
    ),
  ]);

/** A person's devices in a workspace that may be pushed to, newest first. */
export async function listDevicesOfUser(db: Db, ws: Scope, userId: string): Promise<PushDeviceRow[]> {
  return db
    .selectFrom('pushDevices')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where(sessionIsLive)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Forgets the person's devices whose session has ended: nothing will be pushed to them again. */
export async function deleteDevicesOfEndedSessions(db: Db, ws: Scope, userId: string): Promise<void> {
  await db
    .deleteFrom('pushDevices')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where((eb) => eb.not(sessionIsLive(eb)))
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
  changes: Pick<PushDeviceRow, 'userId' | 'sessionId' | 'p256dh' | 'auth' | 'vapidKey' | 'label'>,
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
