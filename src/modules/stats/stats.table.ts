import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { workOrders } from '../work-orders/work-orders.table';
import { type CountFamily, countColumn } from './counts.models';
import { gridCounts } from './stats.models';

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

/**
 * One integer column per count of a family (0 by default), named by countColumn: the table's columns come from the
 * family's keys, as its reads and writes do (see counts.models).
 */
export function countsColumns<K extends string>(family: CountFamily<K>) {
  const column = (key: K) => integer(countColumn(key)).notNull().default(0);
  return Object.fromEntries(family.keys.map((k) => [k, column(k)])) as Record<K, ReturnType<typeof column>>;
}

/** The counts every rollup carries: COUNT_KEYS in stats.models. */
const counts = () => countsColumns(gridCounts);

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
