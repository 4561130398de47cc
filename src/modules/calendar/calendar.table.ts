import { date, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';

/**
 * The exceptions to "Monday–Friday work": weekday holidays and weekend make-up working days (调休).
 * Seeded from chinese-days; extended by an admin when the State Council publishes the next year.
 */
export const calendarDays = pgTable('calendar_days', {
  date: date('date', { mode: 'string' }).primaryKey(),
  kind: text('kind', { enum: ['holiday', 'workday'] }).notNull(),
  name: text('name'),
});

/** Years whose schedule is known; a date in any other year is "not covered" and raises a warning. */
export const calendarYears = pgTable('calendar_years', {
  year: integer('year').primaryKey(),
  source: text('source').notNull(),
  importedAt: tstz('imported_at').notNull().defaultNow(),
});
