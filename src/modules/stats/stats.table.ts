import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { workOrders } from '../work-orders/work-orders.table';

/**
 * The facts each order contributes to the figures, as last derived from its event log (see order-facts.models).
 * Kept so a re-derivation can take back exactly what the order counted before; any row can be recomputed from
 * `order_events` at any time (the rebuild does all of them).
 */
export const statsOrderFacts = pgTable(
  'stats_order_facts',
  {
    orderId: integer('order_id')
      .primaryKey()
      .references(() => workOrders.id),
    /** The grid and category the facts were counted under (the order's own at derivation time). */
    gridId: integer('grid_id').notNull(),
    categoryId: integer('category_id').notNull(),
    /** OrderFact[] with ISO timestamps. */
    facts: jsonb('facts').notNull(),
    /** The earliest pending 签收 limit: once past, the order is derived again though no event came. */
    nextDueAt: tstz('next_due_at'),
    derivedAt: tstz('derived_at').notNull(),
  },
  (t) => [index('stats_order_facts_due_idx').on(t.nextDueAt).where(sql`${t.nextDueAt} is not null`)],
);

const count = (name: string) => integer(name).notNull().default(0);

/** The counts every rollup carries (see COUNT_KEYS in stats.models). */
const counts = () => ({
  submitted: count('submitted'),
  assignments: count('assignments'),
  respInTime: count('resp_in_time'),
  respLate: count('resp_late'),
  respMissed: count('resp_missed'),
  returned: count('returned'),
  resolved: count('resolved'),
  resolvedOnTime: count('resolved_on_time'),
  surveySatisfied: count('survey_satisfied'),
  surveyBasic: count('survey_basic'),
  surveyUnsatisfied: count('survey_unsatisfied'),
  surveyUnanswered: count('survey_unanswered'),
  surveyUnrated: count('survey_unrated'),
  surveySolved: count('survey_solved'),
  surveyUnsolved: count('survey_unsolved'),
  reopened: count('reopened'),
  closed: count('closed'),
  closedFirstTime: count('closed_first_time'),
  escalated: count('escalated'),
});

/**
 * The sum of the facts of every order per China date, grid and category: exact to the day, for the ends of a
 * period that are not whole months. A district's year here is up to days × grids × categories rows (about a
 * million for 600 grids), too many to read for a year, hence the coarser rollups below.
 */
export const statsDaily = pgTable(
  'stats_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    gridId: integer('grid_id').notNull(),
    categoryId: integer('category_id').notNull(),
    ...counts(),
  },
  (t) => [primaryKey({ columns: [t.day, t.gridId, t.categoryId] })],
);

/** The same per calendar month (`month` is its first day): the whole months of a period are read here. */
export const statsMonthly = pgTable(
  'stats_monthly',
  {
    month: date('month', { mode: 'string' }).notNull(),
    gridId: integer('grid_id').notNull(),
    categoryId: integer('category_id').notNull(),
    ...counts(),
  },
  (t) => [primaryKey({ columns: [t.month, t.gridId, t.categoryId] })],
);

/** Per week (`week` is its Monday) and grid, all categories together: the weekly trend reads only this. */
export const statsWeekly = pgTable(
  'stats_weekly',
  {
    week: date('week', { mode: 'string' }).notNull(),
    gridId: integer('grid_id').notNull(),
    ...counts(),
  },
  (t) => [primaryKey({ columns: [t.week, t.gridId] })],
);

/** One row (id 1): how far the rollup has been brought up to date; its row lock serialises refreshes. */
export const statsState = pgTable('stats_state', {
  id: integer('id').primaryKey(),
  /** The clock time the last refresh began; events from a little before it are looked at again. */
  refreshedAt: tstz('refreshed_at'),
  rebuiltAt: tstz('rebuilt_at'),
});
