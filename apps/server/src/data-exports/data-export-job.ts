import { DATA_EXPORT_RETENTION_DAYS, IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import type { EventBus } from '../events/event-bus';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType, GiveUpError, type JobContext } from '../jobs/job-type';
import { getMe } from '../users/user-service';
import { loadActor } from '../workspaces/member-repository';
import {
  deleteExportRows,
  failStalePendingRows,
  findExportById,
  finishExportRow,
  listExpiredRows,
} from './data-export-repository';
import { exportEntries } from './export-contents';
import type { ExportFiles } from './export-files';
import { zipOf } from './export-zip';

const HOUR = 3600_000;
export const RETENTION_MS = DATA_EXPORT_RETENTION_DAYS * 24 * HOUR;

/**
 * Builds one export's zip. Detached: a big one (100,000 messages) takes a while, mostly waiting
 * on the database, and must not hold up this node's timers meanwhile. Safe to run twice: only a
 * pending export is built, and the file appears whole under its key or not at all.
 */
export const buildDataExportJob = defineJobType(
  'data-exports.build',
  z.object({ workspaceId: IdSchema, exportId: IdSchema }),
  { detached: true, maxAttempts: 5, backoffMs: 60_000, leaseMs: 30 * 60_000 },
);

/** Hourly, across workspaces: expired exports (file, then row) and stuck ones. */
const sweepDataExportsJob = defineJobType('data-exports.sweep', z.object({}), { maxAttempts: 5 });
const SWEEP_KEY = 'data-exports.sweep';
const SWEEP_EVERY_MS = HOUR;
const SWEEP_BATCH = 200;
/**
 * Longer than a build's every attempt and backoff together: one still pending then was given up
 * by a runner that never ran it to the end (its node died each time), and would otherwise keep
 * its person from asking again for a week.
 */
const STUCK_AFTER_MS = 24 * HOUR;

export interface DataExportJobDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  files: ExportFiles;
}

export function registerDataExportJobs(jobs: JobRunner, deps: DataExportJobDeps): void {
  jobs.register(buildDataExportJob, (payload, context) => buildExport(deps, payload, context));
  jobs.register(sweepDataExportsJob, async (_payload, { now }) => {
    const more = await sweep(deps, now);
    return { runAgainAt: now + (more ? 1_000 : SWEEP_EVERY_MS) };
  });
  jobs.keepRecurring({ type: sweepDataExportsJob, payload: {}, runAt: deps.clock.now(), dedupeKey: SWEEP_KEY });
}

async function buildExport(
  deps: DataExportJobDeps,
  { workspaceId, exportId }: { workspaceId: string; exportId: string },
  { attempt, now, signal }: JobContext,
): Promise<void> {
  const ws: Scope = { workspaceId };
  const row = await findExportById(deps.db, ws, exportId);
  if (!row || row.status !== 'pending') return; // built by an earlier run, or gone meanwhile
  try {
    const actor = await loadActor(deps.db, ws, row.userId);
    if (!actor) throw new GiveUpError('Its person is no longer an active member of the workspace');
    const profile = await getMe(deps.db, actor);
    const zip = zipOf(exportEntries(deps.db, actor, profile, now, signal), new Date(now));
    const sizeBytes = await deps.files.write(row.storageKey, zip);
    const readyAt = deps.clock.now();
    const ready = { status: 'ready' as const, sizeBytes, readyAt, expiresAt: readyAt + RETENTION_MS };
    if (await finishExportRow(deps.db, ws, exportId, ready)) {
      deps.events.publish({ ...ws, type: 'data_export.ready', userId: row.userId, exportId });
    } else if (!(await findExportById(deps.db, ws, exportId))) {
      // It expired (or its workspace went) while being built: the file must not outlive its row.
      await deps.files.purge(row.storageKey);
    }
  } catch (error) {
    if (attempt >= buildDataExportJob.maxAttempts || error instanceof GiveUpError) {
      const failed = { status: 'failed' as const, sizeBytes: null, readyAt: null, expiresAt: Number(row.expiresAt) };
      await finishExportRow(deps.db, ws, exportId, failed);
    }
    throw error;
  }
}

/**
 * One round of clean-up in every workspace: files first, rows after, so a failure leaves rows
 * its retry finds again, never a file nothing points to. True when more may be left.
 */
async function sweep(deps: DataExportJobDeps, now: number): Promise<boolean> {
  const db = acrossWorkspaces(deps.db);
  await failStalePendingRows(db, now - STUCK_AFTER_MS);
  await deps.files.removeAbandoned(now - STUCK_AFTER_MS);
  const expired = await listExpiredRows(db, now, SWEEP_BATCH);
  for (const row of expired) await deps.files.purge(row.storageKey);
  await deleteExportRows(db, expired);
  return expired.length === SWEEP_BATCH;
}
