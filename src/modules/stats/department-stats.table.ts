import { date, index, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { departmentCounts } from './department-facts.models';
import { countsColumns } from './stats.table';

/**
 * Each order's department counts per China date (see department-facts.models), derived with the order's facts at
 * every refresh: re-deriving an order replaces its rows. Only dispatched orders have rows (a tenth of a district's
 * orders or so), so a period's department figures are one range read of `day` summed per department, without a
 * coarser rollup. `grid_id` is the order's grid then, so a town's dashboard counts its own orders only.
 */
export const statsDepartmentFacts = pgTable(
  'stats_department_facts',
  {
    orderId: integer('order_id').notNull(),
    departmentId: integer('department_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    gridId: integer('grid_id').notNull(),
    ...countsColumns(departmentCounts),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.departmentId, t.day] }),
    index('stats_department_facts_day_idx').on(t.day, t.departmentId),
  ],
);
