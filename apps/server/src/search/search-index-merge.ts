import { sql, SqliteAdapter } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { SEARCHED } from '../db/migrations/2026-12-08T0900-create-search-indexes';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';

/** How often the SQLite search indexes are merged, and how much work (index pages) a run may do. */
const MERGE_EVERY_MS = 2_000;
const MERGE_PAGES = 200;

export const mergeSearchIndexesJob = defineJobType('search.merge', z.object({}));

/**
 * SQLite only: merges the FTS5 indexes' segments a little at a time, between writes, since
 * they no longer merge inside the writing transaction (migration
 * `2026-12-08T1000-search-merges-off-the-send-path`). FTS5 merges only levels holding enough
 * segments, so a run with nothing to do is a few page reads.
 */
export function registerSearchIndexMerge(jobs: JobRunner, deps: { db: Db; clock: Clock }): void {
  if (!(deps.db.getExecutor().adapter instanceof SqliteAdapter)) return;
  jobs.register(mergeSearchIndexesJob, async (_payload, { now }) => {
    for (const table of Object.keys(SEARCHED)) {
      await sql.raw(`INSERT INTO ${table}_fts(${table}_fts, rank) VALUES ('merge', ${MERGE_PAGES})`).execute(deps.db);
    }
    return { runAgainAt: now + MERGE_EVERY_MS };
  });
  jobs.keepRecurring({ type: mergeSearchIndexesJob, payload: {}, runAt: deps.clock.now(), dedupeKey: 'search.merge' });
}
