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

/**
 * The daily rollup the pages read: the sum of the facts of every order per China date, grid and category.
 * A year of a district is at most days × grids × categories rows, whatever the number of orders.
 */
export const statsDaily = pgTable(
  'stats_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    gridId: integer('grid_id').notNull(),
    categoryId: integer('category_id').notNull(),
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
    reopened: count('reopened'),
    closed: count('closed'),
    closedFirstTime: count('closed_first_time'),
    escalated: count('escalated'),
  },
  (t) => [primaryKey({ columns: [t.day, t.gridId, t.categoryId] })],
);

/** One row (id 1): how far the rollup has been brought up to date; its row lock serialises refreshes. */
export const statsState = pgTable('stats_state', {
  id: integer('id').primaryKey(),
  /** The clock time the last refresh began; events from a little before it are looked at again. */
  refreshedAt: tstz('refreshed_at'),
  rebuiltAt: tstz('rebuilt_at'),
});
