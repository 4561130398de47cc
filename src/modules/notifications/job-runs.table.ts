import { pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';

/**
 * Run keys for scheduled jobs ('weekly:2026-W48'): inserting the key claims the run, so with several instances
 * a report goes out once, and a run missed during downtime is made up once.
 */
export const jobRuns = pgTable('job_runs', {
  key: text('key').primaryKey(),
  startedAt: tstz('started_at').notNull(),
  finishedAt: tstz('finished_at'),
  instance: text('instance'),
});
