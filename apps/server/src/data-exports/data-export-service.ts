import type { ReadStream } from 'node:fs';
import { MAX_DATA_EXPORTS_PER_DAY, type DataExport, type DataExportList } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso, type Clock } from '../clock';
import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { enqueueJob } from '../jobs/job-queue';
import { buildDataExportJob, RETENTION_MS } from './data-export-job';
import { findExportRow, insertExportRow, listExportRows, type DataExportRow } from './data-export-repository';
import { lockMembership } from '../workspaces/member-repository';
import type { ExportFiles } from './export-files';

export interface DataExportDeps {
  db: Db;
  clock: Clock;
  files: ExportFiles;
}

const DAY = 24 * 3600_000;

export const presentDataExport = (row: DataExportRow): DataExport => ({
  id: row.id,
  status: row.status,
  createdAt: toIso(Number(row.createdAt)),
  readyAt: row.readyAt === null ? null : toIso(Number(row.readyAt)),
  expiresAt: toIso(Number(row.expiresAt)),
  sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
});

export async function listDataExports(deps: DataExportDeps, actor: Actor): Promise<DataExportList> {
  return { items: (await listExportRows(deps.db, actor, actor.id, deps.clock.now())).map(presentDataExport) };
}

/**
 * The actor asks for a copy of their data in this workspace; it is built by a job, which tells
 * them when it is ready. One at a time: while one is pending, asking again answers that one
 * (a second click is not a second export). At most MAX_DATA_EXPORTS_PER_DAY in 24 hours, failed
 * ones aside: each reads everything they ever wrote.
 */
export async function requestDataExport(deps: DataExportDeps, actor: Actor): Promise<DataExport> {
  const at = deps.clock.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    // A double click: the second request waits, then finds the first one's pending export.
    await lockMembership(trx, actor, actor.id);
    const theirs = await listExportRows(trx, actor, actor.id, at);
    const pending = theirs.find((r) => r.status === 'pending');
    if (pending) return pending;
    const today = theirs.filter((r) => r.status !== 'failed' && Number(r.createdAt) > at - DAY);
    if (today.length >= MAX_DATA_EXPORTS_PER_DAY) throw tooMany(today, at);
    const made: DataExportRow = {
      workspaceId: actor.workspaceId,
      id: newId(),
      userId: actor.id,
      status: 'pending',
      storageKey: deps.files.newKey(),
      sizeBytes: null,
      createdAt: at,
      readyAt: null,
      expiresAt: at + RETENTION_MS,
    };
    await insertExportRow(trx, made);
    await enqueueJob(trx, {
      type: buildDataExportJob,
      payload: { workspaceId: actor.workspaceId, exportId: made.id },
      runAt: at,
    });
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'data_export.requested',
      entityType: 'data_export',
      entityId: made.id,
    });
    return made;
  });
  return presentDataExport(row);
}

/** The oldest of the day's exports leaves the window first: that is when one more may be asked for. */
function tooMany(today: readonly DataExportRow[], at: number): AppError {
  const oldest = Math.min(...today.map((r) => Number(r.createdAt)));
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest + DAY - at) / 1000));
  return new AppError(
    'rate_limited',
    `At most ${MAX_DATA_EXPORTS_PER_DAY} data exports in 24 hours: the next one may be asked for at ${toIso(oldest + DAY)}`,
    { retryAfterSeconds },
  );
}

export interface DataExportDownload {
  stream: ReadStream;
  size: number;
  fileName: string;
}

/**
 * The zip of one of the actor's own exports in this workspace. Anyone else's, and one that
 * expired, is `not_found`; one still being built (or that failed) is `conflict`.
 */
export async function openDataExport(deps: DataExportDeps, actor: Actor, id: string): Promise<DataExportDownload> {
  const at = deps.clock.now();
  const row = await findExportRow(deps.db, actor, actor.id, id);
  if (!row || Number(row.expiresAt) <= at) throw notFound('Data export');
  if (row.status !== 'ready') throw new AppError('conflict', 'This data export is not ready to download');
  const file = await deps.files.read(row.storageKey);
  // Its row says ready but the file is gone (the sweep is deleting it right now): gone for the reader too.
  if (!file) throw notFound('Data export');
  try {
    // Who took a copy of everything someone wrote is worth knowing afterwards (a stolen session).
    await recordAudit(deps.db, actor, at, {
      actorId: actor.id,
      action: 'data_export.downloaded',
      entityType: 'data_export',
      entityId: row.id,
    });
  } catch (error) {
    file.stream.destroy();
    throw error;
  }
  return { ...file, fileName: `parley-data-${toIso(Number(row.readyAt ?? row.createdAt)).slice(0, 10)}.zip` };
}
