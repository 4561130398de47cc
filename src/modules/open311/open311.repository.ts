import { and, asc, desc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import { categories } from '../categories/categories.table';
import { gridUnits } from '../grids/grids.table';
import { residents } from '../people/residents.table';
import type { OrderStatus } from '../work-orders/work-orders.models';
import type { GridCandidate } from './open311.models';
import { attachments, workOrders } from '../work-orders/work-orders.table';

const unit = alias(gridUnits, 'o311_unit');
const grid = alias(gridUnits, 'o311_grid');
const mergedInto = alias(workOrders, 'o311_merged');

export type RequestRow = {
  id: number;
  no: number;
  status: OrderStatus;
  text: string;
  locationText: string | null;
  lat: number | null;
  lng: number | null;
  createdAt: Date;
  updatedAt: Date;
  deadlineAt: Date | null;
  categoryCode: string;
  categoryName: string;
  limitWorkingDays: number;
  urgentLimitHours: number;
  unitName: string;
  gridCode: string;
  mergedIntoNo: number | null;
  mediaUrl: string | null;
};

export const MAX_REQUESTS = 1000;

/**
 * Orders as service requests: by number, or created in a window (newest first, at most 1000) with optional
 * status sets and category codes. The window reads `work_orders_created_idx`.
 */
export async function findRequests(
  db: Database,
  filter: { nos: number[] } | { from: Date; to: Date; statuses?: OrderStatus[]; categoryCodes?: string[] },
): Promise<RequestRow[]> {
  const where =
    'nos' in filter
      ? inArray(workOrders.no, filter.nos.length ? filter.nos : [-1])
      : and(
          gte(workOrders.createdAt, filter.from),
          lte(workOrders.createdAt, filter.to),
          filter.statuses ? (filter.statuses.length ? inArray(workOrders.status, filter.statuses) : sql`false`) : undefined,
          filter.categoryCodes ? inArray(categories.code, filter.categoryCodes) : undefined,
        );
  const found = await db
    .select({
      id: workOrders.id,
      no: workOrders.no,
      status: workOrders.status,
      text: workOrders.text,
      locationText: workOrders.locationText,
      lat: workOrders.lat,
      lng: workOrders.lng,
      createdAt: workOrders.createdAt,
      updatedAt: workOrders.updatedAt,
      deadlineAt: workOrders.deadlineAt,
      categoryCode: categories.code,
      categoryName: categories.name,
      limitWorkingDays: categories.limitWorkingDays,
      urgentLimitHours: categories.urgentLimitHours,
      unitName: unit.name,
      gridCode: grid.code,
      mergedIntoNo: mergedInto.no,
    })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(unit, eq(unit.id, workOrders.unitId))
    .innerJoin(grid, eq(grid.id, workOrders.gridId))
    .leftJoin(mergedInto, eq(mergedInto.id, workOrders.mergedIntoId))
    .where(where)
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(MAX_REQUESTS);
  const media = await firstMediaUrls(db, found.map((r) => r.id));
  return found.map((r) => ({ ...r, mediaUrl: media.get(r.id) ?? null }));
}

async function firstMediaUrls(db: Database, orderIds: number[]): Promise<Map<number, string>> {
  if (orderIds.length === 0) return new Map();
  const rows = await db
    .select({ orderId: attachments.orderId, url: attachments.url })
    .from(attachments)
    .where(and(inArray(attachments.orderId, orderIds), isNotNull(attachments.url)))
    .orderBy(asc(attachments.id));
  const out = new Map<number, string>();
  for (const r of rows) if (r.url && !out.has(r.orderId)) out.set(r.orderId, r.url);
  return out;
}

/** The order a client's earlier request (same idempotency key) created, if any. */
export async function findOrderNoBySource(db: Database, sourceMessageId: string): Promise<number | undefined> {
  const [found] = await db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.sourceMessageId, sourceMessageId));
  return found?.no;
}

export async function loadGrids(db: Database): Promise<GridCandidate[]> {
  return db
    .select({ id: gridUnits.id, code: gridUnits.code, name: gridUnits.name, boundary: gridUnits.boundary })
    .from(gridUnits)
    .where(eq(gridUnits.level, 'grid'));
}

/**
 * The Open311 resident with this phone number, or a new one. Only residents who came through Open311 are
 * matched: a phone number typed into a form must not attach orders (and their notices) to a chat resident.
 */
export async function findOrCreateOpen311Resident(
  db: Database,
  { phone, name, gridId, now }: { phone: string | null; name: string | null; gridId: number; now: Date },
): Promise<number> {
  if (phone) {
    const [existing] = await db
      .select({ id: residents.id })
      .from(residents)
      .where(and(eq(residents.source, 'open311'), eq(residents.phone, phone)))
      .orderBy(asc(residents.id))
      .limit(1);
    if (existing) {
      await db
        .update(residents)
        .set({ lastSeenAt: now, ...(name ? { name } : {}) })
        .where(eq(residents.id, existing.id));
      return existing.id;
    }
  }
  const [created] = await db
    .insert(residents)
    .values({ name, phone, gridId, source: 'open311', lastSeenAt: now, createdAt: now })
    .returning({ id: residents.id });
  return created!.id;
}

/** A photo the client hosts (media_url) is kept as a link on the order; the file is not fetched. */
export async function addMediaLink(db: Database, { orderId, url, now }: { orderId: number; url: string; now: Date }): Promise<void> {
  const [existing] = await db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.orderId, orderId), eq(attachments.url, url)));
  if (existing) return;
  await db.insert(attachments).values({ orderId, kind: 'link', url, createdAt: now });
}

export async function activeCategories(db: Database) {
  return db
    .select({
      id: categories.id,
      code: categories.code,
      name: categories.name,
      kind: categories.kind,
      keywords: categories.keywords,
      limitWorkingDays: categories.limitWorkingDays,
      urgentLimitHours: categories.urgentLimitHours,
    })
    .from(categories)
    .where(eq(categories.active, true))
    .orderBy(asc(categories.sort), asc(categories.id));
}

