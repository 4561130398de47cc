/**
 * The console's reads of orders: the filtered list (keyset-paged, newest first), the count, the CSV export
 * batches and the order page. Plain functions of ({ db, scope, filters, page }) so the bench can EXPLAIN them
 * at a million orders. Every read is limited to the user's scope in SQL, not after the fact.
 */
import { type SQL, and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import { rows } from '../../db/sql';
import type { Tokenize } from '../../shared/text/tokenizer';
import type { Scope } from '../auth/auth.models';
import { categories } from '../categories/categories.table';
import type { UnitLevel } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import { residents } from '../people/residents.table';
import { staff } from '../people/staff.table';
import { surveyAnswers } from '../surveys/surveys.table';
import type { OrderStatus, Urgency } from './work-orders.models';
import { attachments, orderEvents, orderSupporters, workOrders } from './work-orders.table';

export type OrderFilters = {
  status?: OrderStatus[];
  categoryId?: number;
  /** Orders whose grid lies in this unit's subtree (a town, a community, a grid). */
  unitId?: number;
  /** The level the order sits at now (after 上报/退回). */
  level?: UnitLevel;
  assigneeId?: number;
  /** Open, past the deadline and not paused. */
  overdue?: boolean;
  urgency?: Urgency;
  /** Created at or after / before (instants; the console turns China dates into them). */
  from?: Date;
  to?: Date;
  /** Free text: an order number, or words (jieba tokens, full-text) with a substring fallback. */
  q?: string;
};

/**
 * Keyset position: the id of the last row of the previous page. Ids follow creation (as numbers do), and an id
 * is exact where a timestamp would lose microseconds in a JS Date.
 */
export type OrderCursor = { id: number };
export type OrderPageRequest = { after?: OrderCursor; limit?: number };

export type OrderListRow = {
  id: number;
  no: number;
  status: OrderStatus;
  urgency: Urgency;
  text: string;
  createdAt: Date;
  deadlineAt: Date | null;
  pausedAt: Date | null;
  level: UnitLevel;
  supporters: number;
  categoryName: string;
  gridName: string;
  unitName: string;
  assigneeName: string | null;
  residentName: string | null;
};

const gridOf = alias(gridUnits, 'g');
const unitOf = alias(gridUnits, 'u');

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A path prefix match on grid_units (index grid_units_path_idx, text_pattern_ops). */
function gridsUnder(paths: string[]): SQL {
  const conditions = paths.map((p) => sql`${gridUnits.path} like ${`${escapeLike(p)}%`}`);
  return sql`${workOrders.gridId} in (select ${gridUnits.id} from ${gridUnits} where ${sql.join(conditions, sql` or `)})`;
}

/** The scope in SQL: the user's grids, plus orders assigned to them personally. */
export function scopeCondition(scope: Scope, staffId: number): SQL | undefined {
  if (scope.all) return undefined;
  if (scope.paths.length === 0) return sql`${workOrders.assigneeId} = ${staffId}`;
  return sql`(${gridsUnder(scope.paths)} or ${workOrders.assigneeId} = ${staffId})`;
}

/** The search part: an order number, or full-text over jieba tokens OR'd with a trigram substring match. */
export function searchCondition(q: string | undefined, tokenize: Tokenize): SQL | undefined {
  const query = q?.trim();
  if (!query) return undefined;
  const number = /^#?(\d{1,9})$/.exec(query);
  if (number) return eq(workOrders.no, Number(number[1]));
  const substring = sql`${workOrders.text} ilike ${`%${escapeLike(query)}%`}`;
  const tokens = tokenize(query).filter((tk) => /[\p{L}\p{N}]/u.test(tk));
  // One or two characters: jieba rarely agrees with how the text was cut, so match the substring only.
  if (tokens.length === 0 || [...query].length <= 2) return substring;
  const tsquery = sql`plainto_tsquery('simple', ${tokens.join(' ')})`;
  return sql`(to_tsvector('simple', ${workOrders.searchTokens}) @@ ${tsquery} or ${substring})`;
}

export function filterConditions({
  filters,
  now,
  tokenize,
  unitPath,
}: {
  filters: OrderFilters;
  now: Date;
  tokenize: Tokenize;
  /** The path of filters.unitId, looked up by the caller. */
  unitPath?: string;
}): (SQL | undefined)[] {
  return [
    filters.status?.length ? inArray(workOrders.status, filters.status) : undefined,
    filters.categoryId ? eq(workOrders.categoryId, filters.categoryId) : undefined,
    unitPath ? gridsUnder([unitPath]) : undefined,
    filters.level ? eq(workOrders.level, filters.level) : undefined,
    filters.assigneeId ? eq(workOrders.assigneeId, filters.assigneeId) : undefined,
    filters.urgency ? eq(workOrders.urgency, filters.urgency) : undefined,
    filters.overdue
      ? and(inArray(workOrders.status, ['assigned', 'accepted']), lt(workOrders.deadlineAt, now), isNull(workOrders.pausedAt))
      : undefined,
    // Column-bound comparisons, so the Date is encoded by the column (a raw Date parameter is not, on postgres.js).
    filters.from ? gte(workOrders.createdAt, filters.from) : undefined,
    filters.to ? lt(workOrders.createdAt, filters.to) : undefined,
    searchCondition(filters.q, tokenize),
  ];
}

type ListArgs = {
  db: Database;
  scope: Scope;
  staffId: number;
  filters: OrderFilters;
  now: Date;
  tokenize: Tokenize;
};

async function unitPathOf(db: Database, unitId: number | undefined): Promise<string | undefined> {
  if (!unitId) return undefined;
  const [row] = await db.select({ path: gridUnits.path }).from(gridUnits).where(eq(gridUnits.id, unitId));
  // An unknown unit matches nothing rather than everything.
  return row?.path ?? '/none/';
}

async function whereFor(args: ListArgs): Promise<SQL | undefined> {
  const unitPath = await unitPathOf(args.db, args.filters.unitId);
  return and(scopeCondition(args.scope, args.staffId), ...filterConditions({ ...args, unitPath }));
}

/**
 * One page of the list, newest first, and the cursor of the next page (null at the end). Keyset paging on the
 * id: page 10 000 costs what page 1 costs.
 */
export async function listOrders(
  args: ListArgs & { page?: OrderPageRequest },
): Promise<{ rows: OrderListRow[]; next: OrderCursor | null }> {
  const limit = Math.min(Math.max(args.page?.limit ?? 50, 1), 500);
  const after = args.page?.after;
  const where = and(
    await whereFor(args),
    after ? sql`${workOrders.id} < ${after.id}` : undefined,
  );
  const found = await args.db
    .select({
      id: workOrders.id,
      no: workOrders.no,
      status: workOrders.status,
      urgency: workOrders.urgency,
      text: workOrders.text,
      createdAt: workOrders.createdAt,
      deadlineAt: workOrders.deadlineAt,
      pausedAt: workOrders.pausedAt,
      level: workOrders.level,
      supporters: workOrders.supporters,
      categoryName: categories.name,
      gridName: gridOf.name,
      unitName: unitOf.name,
      assigneeName: staff.name,
      residentName: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})`,
    })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(gridOf, eq(gridOf.id, workOrders.gridId))
    .innerJoin(unitOf, eq(unitOf.id, workOrders.unitId))
    .leftJoin(staff, eq(staff.id, workOrders.assigneeId))
    .leftJoin(residents, eq(residents.id, workOrders.residentId))
    .where(where)
    .orderBy(desc(workOrders.id))
    .limit(limit + 1);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page as OrderListRow[],
    next: found.length > limit && last ? { id: last.id } : null,
  };
}

/** How many orders match, counted up to `cap` (an exact count of a million rows is not worth its cost). */
export async function countOrders(args: ListArgs & { cap?: number }): Promise<{ count: number; capped: boolean }> {
  const cap = args.cap ?? 10_000;
  const inner = args.db.select({ one: sql`1` }).from(workOrders).where(await whereFor(args)).limit(cap + 1);
  const [row] = await rows<{ n: number }>(args.db, sql`select count(*)::int as n from (${inner}) as matched`);
  const n = Number(row?.n ?? 0);
  return { count: Math.min(n, cap), capped: n > cap };
}

export type OrderExportRow = OrderListRow & { locationText: string | null; closure: string | null; resolvedAt: Date | null; closedAt: Date | null };

/**
 * The whole filtered set for CSV, in batches (keyset, so memory stays flat and no snapshot is held), newest first.
 */
export async function* exportOrders(args: ListArgs & { batch?: number; max?: number }): AsyncGenerator<OrderExportRow[]> {
  const batch = args.batch ?? 1000;
  const max = args.max ?? 200_000;
  const where = await whereFor(args);
  let after: OrderCursor | undefined;
  let sent = 0;
  while (sent < max) {
    const found = await args.db
      .select({
        id: workOrders.id,
        no: workOrders.no,
        status: workOrders.status,
        urgency: workOrders.urgency,
        text: workOrders.text,
        createdAt: workOrders.createdAt,
        deadlineAt: workOrders.deadlineAt,
        pausedAt: workOrders.pausedAt,
        level: workOrders.level,
        supporters: workOrders.supporters,
        categoryName: categories.name,
        gridName: gridOf.name,
        unitName: unitOf.name,
        assigneeName: staff.name,
        residentName: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})`,
        locationText: workOrders.locationText,
        closure: workOrders.closure,
        resolvedAt: workOrders.resolvedAt,
        closedAt: workOrders.closedAt,
      })
      .from(workOrders)
      .innerJoin(categories, eq(categories.id, workOrders.categoryId))
      .innerJoin(gridOf, eq(gridOf.id, workOrders.gridId))
      .innerJoin(unitOf, eq(unitOf.id, workOrders.unitId))
      .leftJoin(staff, eq(staff.id, workOrders.assigneeId))
      .leftJoin(residents, eq(residents.id, workOrders.residentId))
      .where(and(where, after ? sql`${workOrders.id} < ${after.id}` : undefined))
      .orderBy(desc(workOrders.id))
      .limit(Math.min(batch, max - sent));
    if (found.length === 0) return;
    yield found as OrderExportRow[];
    sent += found.length;
    const last = found[found.length - 1]!;
    after = { id: last.id };
    if (found.length < batch) return;
  }
}

// --- the order page ----------------------------------------------------------------------------------------

const actorStaff = alias(staff, 'actor');
const toStaff = alias(staff, 'to_staff');

/**
 * Everything the order page shows, or undefined when the order does not exist or is outside the scope (the
 * caller answers 404 for both).
 */
export async function getOrderPage({
  db,
  scope,
  staffId,
  no,
}: {
  db: Database;
  scope: Scope;
  staffId: number;
  no: number;
}) {
  const [order] = await db
    .select({
      row: workOrders,
      gridName: gridOf.name,
      gridPath: gridOf.path,
      unitName: unitOf.name,
      unitPath: unitOf.path,
      categoryName: categories.name,
      assigneeName: staff.name,
      assigneePhone: staff.phone,
      residentName: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})`,
      residentPhone: residents.phone,
    })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(gridOf, eq(gridOf.id, workOrders.gridId))
    .innerJoin(unitOf, eq(unitOf.id, workOrders.unitId))
    .leftJoin(staff, eq(staff.id, workOrders.assigneeId))
    .leftJoin(residents, eq(residents.id, workOrders.residentId))
    .where(and(eq(workOrders.no, no), scopeCondition(scope, staffId)));
  if (!order) return undefined;
  const id = order.row.id;

  const [events, files, surveys, supporters, duplicates, mergedInto] = await Promise.all([
    db
      .select({
        event: orderEvents,
        actorName: actorStaff.name,
        toName: toStaff.name,
        residentName: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})`,
      })
      .from(orderEvents)
      .leftJoin(actorStaff, eq(actorStaff.id, orderEvents.actorStaffId))
      .leftJoin(toStaff, eq(toStaff.id, orderEvents.toAssigneeId))
      .leftJoin(residents, eq(residents.id, orderEvents.actorResidentId))
      .where(eq(orderEvents.orderId, id))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
    db.select().from(attachments).where(eq(attachments.orderId, id)).orderBy(asc(attachments.id)),
    db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, id)).orderBy(asc(surveyAnswers.round)),
    db
      .select({ residentId: orderSupporters.residentId, at: orderSupporters.at, name: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})` })
      .from(orderSupporters)
      .leftJoin(residents, eq(residents.id, orderSupporters.residentId))
      .where(eq(orderSupporters.orderId, id)),
    relatedDuplicates({ db, orderId: id, gridId: order.row.gridId, text: order.row.text }),
    order.row.mergedIntoId
      ? db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.id, order.row.mergedIntoId))
      : Promise.resolve([]),
  ]);
  return { ...order, events, attachments: files, surveys, supporters, duplicates, mergedIntoNo: mergedInto[0]?.no ?? null };
}

export type OrderPageData = NonNullable<Awaited<ReturnType<typeof getOrderPage>>>;

/**
 * Orders in the same grid whose text is similar (pg_trgm), most similar first: candidates for 并单. Chinese
 * trigrams score low ("3号楼下面的路灯坏了好几天了" / "3号楼路灯不亮了" is 0.14), hence the low threshold.
 */
export async function relatedDuplicates({
  db,
  orderId,
  gridId,
  text,
  limit = 5,
  threshold = 0.1,
}: {
  db: Database;
  orderId: number;
  gridId: number;
  text: string;
  limit?: number;
  threshold?: number;
}) {
  return rows<{ id: number; no: number; status: OrderStatus; text: string; created_at: Date | string; score: number }>(
    db,
    sql`select ${workOrders.id} as id, ${workOrders.no} as no, ${workOrders.status} as status, ${workOrders.text} as text,
          ${workOrders.createdAt} as created_at, similarity(${workOrders.text}, ${text})::float8 as score
        from ${workOrders}
        where ${workOrders.gridId} = ${gridId} and ${workOrders.id} <> ${orderId}
          and similarity(${workOrders.text}, ${text}) >= ${threshold}
        order by score desc, ${workOrders.id} desc
        limit ${limit}`,
  );
}
