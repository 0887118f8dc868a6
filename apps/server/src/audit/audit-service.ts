import type { Db } from '../db/connect';
import { newId } from '../ids';

export type AuditEntityType = 'ticket' | 'user' | 'team';

export interface AuditEntry {
  actorId: string | null;
  /** `<entity>.<verb>`, e.g. `ticket.status_changed`, `user.deactivated`. */
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  data?: Record<string, unknown>;
}

/** Appends to the audit trail; call inside the transaction of the change it records. */
export async function recordAudit(db: Db, at: number, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({ id: newId(), ...entry, data: JSON.stringify(entry.data ?? {}), createdAt: at })
    .execute();
}
