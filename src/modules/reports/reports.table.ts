import { index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { gridUnits } from '../grids/grids.table';

/**
 * Reports the scheduled jobs generate, kept so the console can show them after the chat message is gone:
 * the weekly report (每周一排), the 民情沟通日 agendas (town level on the 10th, district level on the 20th) and
 * the monthly 民情分析. One row per kind, period and unit: `(kind, period_key, unit_id)` is unique, so a report
 * is generated once however many instances run.
 */
export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    /** 'weekly' | 'agenda_town' | 'agenda_district' | 'monthly'. */
    kind: text('kind').notNull(),
    /** The period covered: '2026-W47' (ISO week), '2026-12' (month of an agenda), '2026-11' (analysed month). */
    periodKey: text('period_key').notNull(),
    /** The unit the report is about: the district for weekly and monthly reports, the town or district for an agenda. */
    unitId: integer('unit_id')
      .notNull()
      .references(() => gridUnits.id),
    title: text('title').notNull(),
    /** The text as it was sent. */
    body: text('body').notNull(),
    /** The figures or the agenda items behind the text, for the console to render. */
    data: jsonb('data').notNull(),
    /** Business time of generation (the job's clock), not the insert time. */
    generatedAt: tstz('generated_at').notNull(),
  },
  (t) => [
    uniqueIndex('reports_kind_period_unit_idx').on(t.kind, t.periodKey, t.unitId),
    index('reports_kind_generated_idx').on(t.kind, t.generatedAt.desc().nullsFirst()),
    index('reports_unit_generated_idx').on(t.unitId, t.generatedAt.desc().nullsFirst()),
  ],
);

export type ReportRow = typeof reports.$inferSelect;
