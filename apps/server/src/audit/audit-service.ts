import type { AuditEntityType, AuditPage, AuditQuery } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';

export interface AuditEntry {
  actorId: string | null;
  /** `<entity>.<verb>`, e.g. `ticket.status_changed`, `user.deactivated`. */
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  data?: Record<string, unknown>;
}

/**
 * Appends to the audit trail of the workspace `ws` (pass the actor: it is their workspace);
 * call inside the transaction of the change it records.
 */
export async function recordAudit(db: Db, ws: Scope, at: number, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      id: newId(),
      workspaceId: ws.workspaceId,
      ...entry,
      data: JSON.stringify(entry.data ?? {}),
      createdAt: at,
    })
    .execute();
}

/** The workspace's trail, newest first (ids are time-ordered ULIDs), filtered and cursor-paginated. */
export async function listAudit(db: Db, ws: Scope, query: AuditQuery): Promise<AuditPage> {
  let select = db.selectFrom('auditLog').selectAll().where('workspaceId', '=', ws.workspaceId);
  if (query.entityType) select = select.where('entityType', '=', query.entityType);
  if (query.entityId) select = select.where('entityId', '=', query.entityId);
  if (query.actorId) select = select.where('actorId', '=', query.actorId);
  if (query.action) select = select.where('action', '=', query.action);
  if (query.cursor) select = select.where('id', '<', String(decodeCursor(query.cursor, ['string'])[0]));
  const rows = await select
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(
    rows,
    query.limit,
    (row) => ({
      id: row.id,
      actorId: row.actorId,
      action: row.action,
      entityType: row.entityType as AuditEntityType,
      entityId: row.entityId,
      data: JSON.parse(row.data) as Record<string, unknown>,
      createdAt: toIso(row.createdAt),
    }),
    (row) => [row.id],
  );
}
