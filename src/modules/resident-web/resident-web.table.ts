import { index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../../db/columns';
import { gridUnits } from '../grids/grids.table';
import { residents } from '../people/residents.table';
import { workOrders } from '../work-orders/work-orders.table';
import type { WebReportPayload } from './resident-web.models';

/**
 * Every report sent through the resident page (扫码报事), kept as received before anything else happens, so nothing
 * a resident sent is lost even when filing fails. The rows also bound abuse: reports per address per hour and day
 * are counted here (`address` is an HMAC of the client address, never the address itself), and so are photos added
 * on tracking pages, each upload a row with outcome 'photos' (its order, resident and photos), counted apart. `key` is random: the
 * duplicate question's form carries it back, and `web:<key>` is the order's source id (a resubmission files once).
 */
export const webReports = pgTable(
  'web_reports',
  {
    id: serial('id').primaryKey(),
    key: text('key').notNull().unique(),
    address: text('address').notNull(),
    gridId: integer('grid_id')
      .notNull()
      .references(() => gridUnits.id),
    residentId: integer('resident_id').references(() => residents.id),
    payload: jsonb('payload').$type<WebReportPayload>().notNull(),
    /** received → filed (an order) | supported (joined an offered duplicate) | duplicates (waiting for the choice) | failed; photos: a tracking-page upload */
    outcome: text('outcome').notNull().default('received'),
    orderId: integer('order_id').references(() => workOrders.id),
    createdAt: createdAt(),
  },
  (t) => [index('web_reports_address_idx').on(t.address, t.createdAt)],
);

/**
 * A resident's private tracking link to one order (their own, or one they joined). The link's token is its id
 * and an HMAC over the id and `nonce`; the nonce never leaves the server, so a token cannot be forged, and
 * revoking (`revokedAt`) kills exactly this link.
 */
export const webTrackingLinks = pgTable(
  'web_tracking_links',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    residentId: integer('resident_id')
      .notNull()
      .references(() => residents.id),
    nonce: text('nonce').notNull(),
    createdAt: createdAt(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('web_tracking_links_order_resident_idx').on(t.orderId, t.residentId)],
);

