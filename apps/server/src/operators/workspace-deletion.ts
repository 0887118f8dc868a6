import { IdSchema } from '@parley/protocol';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import type { ExportFiles } from '../data-exports/export-files';
import type { FileStore } from '../uploads/file-store';
import { allLogoFiles } from '../workspaces/workspace-settings-service';

/**
 * Deleting a workspace: every row it owns and every file it uploaded, by a durable job, in small
 * batches so no statement holds a big table for long. The workspace is suspended before the job
 * is queued, so nobody works in it meanwhile; the job may run any number of times (each batch
 * deletes what is still there) and removes the `workspaces` row last, so a job cut short is
 * picked up by its retry where it stopped.
 */
export const deleteWorkspaceJob = defineJobType('workspaces.delete', z.object({ workspaceId: IdSchema }), {
  backoffMs: 10_000,
  maxAttempts: 20,
});

export const deletionKey = (workspaceId: string) => `workspaces.delete:${workspaceId}`;

/**
 * Child tables before their parents, each with a column to batch by (a key of few rows). Every
 * table of WORKSPACE_TABLES must be here (a test checks), plus `refresh_tokens` and `sessions`,
 * which carry the workspace of their session without being looked up by it.
 */
export const DELETION_ORDER: ReadonlyArray<readonly [table: string, batchColumn: string]> = [
  ['attachments', 'id'],
  ['customer_notes', 'id'],
  ['ticket_merges', 'source_ticket_id'],
  ['saved_views', 'id'],
  ['conversation_labels', 'label_id'],
  ['labels', 'id'],
  ['custom_field_values', 'entity_id'],
  ['custom_fields', 'id'],
  ['rule_runs', 'event_key'],
  ['automation_rules', 'id'],
  ['canned_responses', 'id'],
  ['reactions', 'message_id'],
  ['message_edits', 'id'],
  ['pinned_messages', 'message_id'],
  ['saved_messages', 'message_id'],
  ['notifications', 'id'],
  ['notification_settings', 'user_id'],
  ['audit_log', 'id'],
  ['webhook_deliveries', 'id'],
  ['api_tokens', 'id'],
  ['data_exports', 'id'],
  ['webhooks', 'id'],
  ['desk_settings', 'key'],
  ['contacts', 'user_id'],
  ['blocks', 'blocker_id'],
  ['friend_requests', 'id'],
  ['invites', 'id'],
  ['sla_policies', 'workspace_id'],
  ['sla_escalations', 'ticket_id'],
  ['csat_surveys', 'id'],
  ['push_devices', 'id'],
  ['email_messages', 'id'],
  ['email_channels', 'id'],
  ['widget_guests', 'user_id'],
  ['chat_widgets', 'id'],
  ['team_members', 'team_id'],
  ['call_participants', 'call_id'],
  ['calls', 'id'],
  ['tickets', 'id'],
  ['messages', 'id'],
  ['conversation_members', 'conversation_id'],
  ['conversations', 'id'],
  ['teams', 'id'],
  ['account_tokens', 'id'],
  ['sessions', 'id'],
  ['refresh_tokens', 'id'],
  ['workspace_members', 'user_id'],
  ['role_permissions', 'role_id'],
  ['roles', 'id'],
];

const BATCH = 200;
/** Batches per run; when more remain, the job comes back a moment later (other jobs get a turn). */
const BATCHES_PER_RUN = 100;

export interface WorkspaceDeletionDeps {
  db: Db;
  clock: Clock;
  files: FileStore;
  /** Where data exports' zips are. */
  exports: ExportFiles;
}

/** Queues the deletion in the caller's transaction (the one that suspends the workspace). */
export async function scheduleWorkspaceDeletion(trx: Db, workspaceId: string, now: number): Promise<void> {
  await enqueueJob(trx, {
    type: deleteWorkspaceJob,
    payload: { workspaceId },
    runAt: now,
    dedupeKey: deletionKey(workspaceId),
  });
}

/** Ids of the workspaces whose deletion is queued: they are gone for everyone but the job. */
export async function workspacesBeingDeleted(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('jobs').select('payload').where('kind', '=', deleteWorkspaceJob.kind).execute();
  return new Set(rows.map((row) => deleteWorkspaceJob.payload.parse(JSON.parse(row.payload)).workspaceId));
}

export function registerWorkspaceDeletion(jobs: JobRunner, deps: WorkspaceDeletionDeps): void {
  jobs.register(deleteWorkspaceJob, async ({ workspaceId }, { now }) => {
    const done = await deleteSomeOfWorkspace(deps, workspaceId, BATCHES_PER_RUN);
    return done ? undefined : { runAgainAt: now + 1 };
  });
}

/** Deletes up to `batches` batches of the workspace; true when nothing of it is left. */
export async function deleteSomeOfWorkspace(
  { db, files, exports }: WorkspaceDeletionDeps,
  workspaceId: string,
  batches: number,
): Promise<boolean> {
  let spent = 0;
  for (const [table, column] of DELETION_ORDER) {
    for (;;) {
      if (spent >= batches) return false;
      spent += 1;
      const removed =
        table === 'attachments'
          ? await deleteBatchWithFiles(db, 'attachments', workspaceId, (key) =>
              files.purge(files.pathOf('attachments', key), files.pathOf('attachments', key, '.thumb.webp')),
            )
          : table === 'data_exports'
            ? await deleteBatchWithFiles(db, 'dataExports', workspaceId, (key) => exports.purge(key))
            : await deleteBatch(db, table, column, workspaceId);
      if (removed < BATCH) break;
    }
  }
  const workspace = await db
    .selectFrom('workspaces')
    .select('logoKey')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (workspace?.logoKey) await files.purge(...allLogoFiles(files, workspace.logoKey));
  await db.deleteFrom('workspaces').where('id', '=', workspaceId).execute();
  return true;
}

/** One batch: the rows of up to BATCH keys (a handful of rows each), by a read then a delete. */
async function deleteBatch(db: Db, table: string, column: string, workspaceId: string): Promise<number> {
  const { rows } = await sql<{ k: string }>`SELECT DISTINCT ${sql.ref(column)} AS k FROM ${sql.table(table)}
    WHERE workspace_id = ${workspaceId} LIMIT ${BATCH}`.execute(db);
  if (rows.length === 0) return 0;
  const keys = rows.map((row) => row.k);
  await sql`DELETE FROM ${sql.table(table)}
    WHERE workspace_id = ${workspaceId} AND ${sql.ref(column)} IN (${sql.join(keys)})`.execute(db);
  return rows.length;
}

/**
 * Rows that name files (attachments, data exports): the files first, the rows after, so a
 * failure leaves rows its retry finds again, never an orphaned file.
 */
async function deleteBatchWithFiles(
  db: Db,
  table: 'attachments' | 'dataExports',
  workspaceId: string,
  purge: (storageKey: string) => Promise<void>,
): Promise<number> {
  const rows = await db
    .selectFrom(table)
    .select(['id', 'storageKey'])
    .where('workspaceId', '=', workspaceId)
    .limit(BATCH)
    .execute();
  if (rows.length === 0) return 0;
  for (const row of rows) await purge(row.storageKey);
  await db
    .deleteFrom(table)
    .where('workspaceId', '=', workspaceId)
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
  return rows.length;
}
