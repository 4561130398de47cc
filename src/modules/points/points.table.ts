import { index, integer, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { residents } from '../people/residents.table';

/** Points a resident earns for taking part (a report, a survey answer); the sum is cached on residents.points. */
export const pointsLedger = pgTable(
  'points_ledger',
  {
    id: serial('id').primaryKey(),
    residentId: integer('resident_id')
      .notNull()
      .references(() => residents.id),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(),
    orderId: integer('order_id'),
    at: tstz('at').notNull(),
  },
  (t) => [
    index('points_ledger_resident_idx').on(t.residentId),
    // A reason is paid once per order (a repeated survey answer earns nothing twice).
    uniqueIndex('points_ledger_once_idx').on(t.residentId, t.reason, t.orderId),
  ],
);
