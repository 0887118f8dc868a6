import type { CannedScope } from '@parley/protocol';
import { sql } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { CannedResponseRow, CannedResponsesTable } from '../db/schema';

/** SQL only: canned responses of one workspace. */

export type CannedRecord = Omit<CannedResponseRow, 'usageCount'> & { usageCount: number };

const fromRow = (row: CannedResponseRow): CannedRecord => ({
  ...row,
  usageCount: Number(row.usageCount),
  createdAt: Number(row.createdAt),
  updatedAt: Number(row.updatedAt),
});

/** Who a response belongs to, as one key: shortcuts are unique per owner. */
export const ownerKeyOf = (scope: CannedScope, ownerId: string | null, teamId: string | null): string =>
  scope === 'personal' ? `u:${ownerId}` : scope === 'team' ? `t:${teamId}` : 'w';

/**
 * The responses of these owners: a person's own (`ownerId`), those of these teams, and (with
 * `workspace`) the workspace's. `allTeams`: every team's, whoever's member.
 */
export async function listCannedFor(
  db: Db,
  ws: Scope,
  owners: { ownerId: string; teamIds: readonly string[]; allTeams: boolean; workspace: boolean },
): Promise<CannedRecord[]> {
  const rows = await db
    .selectFrom('cannedResponses')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where((eb) =>
      eb.or([
        eb('ownerKey', '=', ownerKeyOf('personal', owners.ownerId, null)),
        ...(owners.allTeams
          ? [eb('scope', '=', 'team')]
          : owners.teamIds.length > 0
            ? [eb('teamId', 'in', owners.teamIds)]
            : []),
        ...(owners.workspace ? [eb('ownerKey', '=', 'w')] : []),
      ]),
    )
    .orderBy('usageCount', 'desc')
    .orderBy('title')
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

export async function findCanned(db: Db, ws: Scope, id: string): Promise<CannedRecord | undefined> {
  const row = await db
    .selectFrom('cannedResponses')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function insertCanned(db: Db, row: Omit<CannedResponsesTable, 'usageCount'>): Promise<void> {
  await db.insertInto('cannedResponses').values(row).execute();
}

export async function updateCannedRow(
  db: Db,
  ws: Scope,
  id: string,
  change: { shortcut: string; title: string; body: string; updatedAt: number },
): Promise<void> {
  await db
    .updateTable('cannedResponses')
    .set(change)
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

export async function deleteCannedRow(db: Db, ws: Scope, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('cannedResponses')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** One more use, counted in the database (two agents at once both count). */
export async function countCannedUse(db: Db, ws: Scope, id: string): Promise<void> {
  await db
    .updateTable('cannedResponses')
    .set({ usageCount: sql`usage_count + 1` })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}
