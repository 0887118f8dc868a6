import type { EmailCategory, NotificationSettings, NotifyLevel } from '@parley/protocol';
import { MysqlAdapter } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';

/** A person's settings as the channels use them (quiet hours in minutes of the day). */
export interface StoredSettings {
  push: NotifyLevel;
  email: NotifyLevel;
  emailOff: EmailCategory[];
  quiet: { from: number; to: number; timeZone: string } | null;
  emailedUpTo: number;
}

/** Everything on, no quiet hours: what someone who never opened the settings gets. */
export const DEFAULT_SETTINGS: StoredSettings = {
  push: 'all',
  email: 'all',
  emailOff: [],
  quiet: null,
  emailedUpTo: 0,
};

/** The settings of these people of the workspace, the defaults for those without a row. */
export async function readSettings(
  db: Db,
  ws: Scope,
  userIds: readonly string[],
): Promise<Map<string, StoredSettings>> {
  const found = new Map<string, StoredSettings>(userIds.map((id) => [id, DEFAULT_SETTINGS]));
  if (userIds.length === 0) return found;
  const rows = await db
    .selectFrom('notificationSettings')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', 'in', [...new Set(userIds)])
    .execute();
  for (const row of rows) {
    found.set(row.userId, {
      push: row.pushLevel as NotifyLevel,
      email: row.emailLevel as NotifyLevel,
      emailOff: JSON.parse(row.emailOff) as EmailCategory[],
      quiet:
        row.quietFrom === null || row.quietTo === null || row.timeZone === null
          ? null
          : { from: Number(row.quietFrom), to: Number(row.quietTo), timeZone: row.timeZone },
      emailedUpTo: Number(row.emailedUpTo),
    });
  }
  return found;
}

/**
 * Writes what a person chose (their row made on the first change). How far they were mailed is
 * the digest's to move (`markEmailedUpTo`), never written back from a read here.
 */
export async function writeSettings(
  db: Db,
  ws: Scope,
  userId: string,
  settings: Omit<StoredSettings, 'emailedUpTo'>,
  at: number,
): Promise<void> {
  const values = {
    pushLevel: settings.push,
    emailLevel: settings.email,
    emailOff: JSON.stringify([...settings.emailOff].sort()),
    quietFrom: settings.quiet?.from ?? null,
    quietTo: settings.quiet?.to ?? null,
    timeZone: settings.quiet?.timeZone ?? null,
    updatedAt: at,
  };
  const insert = db
    .insertInto('notificationSettings')
    .values({ workspaceId: ws.workspaceId, userId, ...values, emailedUpTo: 0 });
  await (
    db.getExecutor().adapter instanceof MysqlAdapter
      ? insert.onDuplicateKeyUpdate(values)
      : insert.onConflict((oc) => oc.columns(['workspaceId', 'userId']).doUpdateSet(values))
  ).execute();
}

/** Moves how far a person's notifications have been mailed, never back (a retried digest keeps the later mark). */
export async function markEmailedUpTo(db: Db, ws: Scope, userId: string, upTo: number, at: number): Promise<void> {
  const moved = await db
    .updateTable('notificationSettings')
    .set({ emailedUpTo: upTo })
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('emailedUpTo', '<', upTo)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) > 0) return;
  const insert = db.insertInto('notificationSettings').values({
    workspaceId: ws.workspaceId,
    userId,
    pushLevel: DEFAULT_SETTINGS.push,
    emailLevel: DEFAULT_SETTINGS.email,
    emailOff: '[]',
    quietFrom: null,
    quietTo: null,
    timeZone: null,
    emailedUpTo: upTo,
    updatedAt: at,
  });
  // A row that is there already is at or past `upTo` (the update above would have moved it).
  await (
    db.getExecutor().adapter instanceof MysqlAdapter
      ? insert.onDuplicateKeyUpdate((eb) => ({ userId: eb.ref('notificationSettings.userId') }))
      : insert.onConflict((oc) => oc.columns(['workspaceId', 'userId']).doNothing())
  ).execute();
}

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function presentSettings(settings: StoredSettings): NotificationSettings {
  return {
    push: settings.push,
    email: settings.email,
    emailOff: settings.emailOff,
    quietHours: settings.quiet && {
      from: hhmm(settings.quiet.from),
      to: hhmm(settings.quiet.to),
      timeZone: settings.quiet.timeZone,
    },
  };
}
