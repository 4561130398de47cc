/**
 * The console's reads of orders: the filtered list (keyset-paged, newest first), the count, the CSV export
 * batches and the order page. Plain functions of ({ db, scope, filters, page }) so the bench can EXPLAIN them
 * at a million orders. Every read is limited to the user's scope in SQL, not after the fact.
 */
import { type SQL, and, asc, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { alias, unionAll } from 'drizzle-orm/pg-core';
import type { Database } from '../../../db/client';
import { rows } from '../../../db/sql';
import type { Tokenize } from '../../../shared/text/tokenizer';
import type { Scope } from '../../auth/auth.models';
import { categories } from '../../categories/categories.table';
import type { UnitLevel } from '../../grids/grids.models';
import { gridUnits } from '../../grids/grids.table';
import { residents } from '../../people/residents.table';
import { staff } from '../../people/staff.table';
import { surveyAnswers } from '../../surveys/surveys.table';
import type { OrderStatus, Urgency } from '../work-orders.models';
import { attachments, orderEvents, orderSupporters, workOrders } from '../work-orders.table';

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
 * Keyset position: the id of the last row of the previous page (its creation time is read back in SQL, exact to
 * the microsecond where a JS Date is not).
 */
export type OrderCursor = { id: number };
/**
 * 'newest' (the default, index-bound, see NEWEST_FIRST) or 'due': urgent open orders first, then the other open
 * orders, then the rest, each by deadline (none last), then id. 'due' has no index: it sorts every matching row.
 */
export type OrderSort = 'newest' | 'due';
export type OrderPageRequest = { after?: OrderCursor; limit?: number; sort?: OrderSort };

export type OrderListRow = {
  id: number;
  no: number;
  status: OrderStatus;
  urgency: Urgency;
  text: string;
  createdAt: Date;
  deadlineAt: Date | null;
  pausedAt: Date | null;
  /** With reopenCount, where the time limit is counted from (the list's time left). */
  assignedAt: Date | null;
  reopenCount: number;
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

/**
 * The ids of the units under these paths (path prefix, index grid_units_path_idx): a few hundred at most. Orders
 * are then filtered by `grid_id in (…)` with the ids as constants, which the planner estimates from grid_id's
 * statistics; a join to the path prefix instead is estimated blindly (one row) and planned as a walk of the
 * whole table.
 */
export async function unitIdsUnder(db: Database, paths: readonly string[]): Promise<number[]> {
  if (paths.length === 0) return [];
  const conditions = paths.map((p) => sql`${gridUnits.path} like ${`${escapeLike(p)}%`}`);
  const found = await db.select({ id: gridUnits.id }).from(gridUnits).where(sql.join(conditions, sql` or `));
  return found.map((u) => u.id);
}

/** The user's grids, resolved to ids (see unitIdsUnder); null for a scope over everything. */
export type ScopeGrids = { all: true } | { all: false; gridIds: number[] };

export async function resolveScope(db: Database, scope: Scope): Promise<ScopeGrids> {
  return scope.all ? { all: true } : { all: false, gridIds: await unitIdsUnder(db, scope.paths) };
}

function gridIn(gridIds: readonly number[]): SQL {
  // No grid at all matches nothing (an empty IN list is not valid SQL).
  return gridIds.length ? inArray(workOrders.gridId, [...gridIds]) : sql`false`;
}

/** A path prefix match on grid_units (index grid_units_path_idx, text_pattern_ops). */
function gridsUnder(paths: string[]): SQL {
  const conditions = paths.map((p) => sql`${gridUnits.path} like ${`${escapeLike(p)}%`}`);
  return sql`${workOrders.gridId} in (select ${gridUnits.id} from ${gridUnits} where ${sql.join(conditions, sql` or `)})`;
}

/**
 * The scope in SQL for one order found by its key (the order page, an action): the user's grids, plus orders
 * assigned to them personally. Lists use scopeParts.
 */
export function scopeCondition(scope: Scope, staffId: number): SQL | undefined {
  if (scope.all) return undefined;
  if (scope.paths.length === 0) return sql`${workOrders.assigneeId} = ${staffId}`;
  return sql`(${gridsUnder(scope.paths)} or ${workOrders.assigneeId} = ${staffId})`;
}

/**
 * The same scope over many orders, with its grids resolved to ids beforehand (see unitIdsUnder): one condition,
 * or two disjoint parts to read one by one, the scope's grids and the orders assigned to the user elsewhere.
 *
 * Parts, when counting (the grids alone count from the grid index without the table) and when listing a single
 * grid (a grid leader: the grid's index walked in order, where the OR walked the newest orders past 26 000 others
 * at a million orders). Not when listing a wider scope: its orders are dense among the newest, so the OR walk is
 * short, while the second part reads every order ever assigned to the user to find the few outside the scope
 * (6 000 rows, 30 to 140 ms, for a town officer).
 */
export type ScopePart = SQL | undefined;

export function scopeParts(scope: ScopeGrids, staffId: number, use: 'count' | 'list'): [ScopePart] | [ScopePart, ScopePart] {
  if (scope.all) return [undefined];
  if (scope.gridIds.length === 0) return [eq(workOrders.assigneeId, staffId)];
  if (use === 'list' && scope.gridIds.length > 1) return [sql`(${gridIn(scope.gridIds)} or ${workOrders.assigneeId} = ${staffId})`];
  return [gridIn(scope.gridIds), and(eq(workOrders.assigneeId, staffId), sql`not ${gridIn(scope.gridIds)}`)];
}

/**
 * Case-insensitive substring match (what ILIKE '%q%' does: both sides lowered), bound to the bigram index from two
 * characters up: every two-character piece of the query must be among the text's (text_bigrams, a GIN index; for
 * a two-character query that alone is the match). Written `strpos(…) <> 0` rather than ILIKE on purpose: the
 * planner would estimate ILIKE's selectivity on its own and multiply it with the bigram condition's, which it
 * implies, so a common word ("路灯", one order in 40) looked rare and got a bitmap scan and sort of every match
 * instead of a walk of the newest orders. `<> 0` is estimated as nearly always true, leaving the estimate to the
 * bigrams' statistics; the cheap strpos is evaluated first while walking.
 */
function substringCondition(query: string): SQL {
  const contains = sql`strpos(lower(${workOrders.text}), lower(${query})) <> 0`;
  if ([...query].length < 2) return contains;
  return sql`(${contains} and text_bigrams(${workOrders.text}) @> text_bigrams(${query}))`;
}

/** The search part: an order number, or full-text over jieba tokens OR'd with a substring match. */
export function searchCondition(q: string | undefined, tokenize: Tokenize): SQL | undefined {
  const query = q?.trim();
  if (!query) return undefined;
  const number = /^#?(\d{1,9})$/.exec(query);
  if (number) return eq(workOrders.no, Number(number[1]));
  const substring = substringCondition(query);
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
  unitIds,
}: {
  filters: OrderFilters;
  now: Date;
  tokenize: Tokenize;
  /** The units under filters.unitId, looked up by the caller. */
  unitIds?: readonly number[];
}): (SQL | undefined)[] {
  return [
    filters.status?.length ? inArray(workOrders.status, filters.status) : undefined,
    filters.categoryId ? eq(workOrders.categoryId, filters.categoryId) : undefined,
    unitIds ? gridIn(unitIds) : undefined,
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

async function unitIdsOf(db: Database, unitId: number | undefined): Promise<number[] | undefined> {
  if (!unitId) return undefined;
  const [row] = await db.select({ path: gridUnits.path }).from(gridUnits).where(eq(gridUnits.id, unitId));
  // An unknown unit matches nothing rather than everything.
  return row ? unitIdsUnder(db, [row.path]) : [];
}

/** The scope's grids and the filters' conditions, with the ids they need looked up. */
async function resolveArgs(args: ListArgs): Promise<{ scope: ScopeGrids; filters: (SQL | undefined)[] }> {
  const [scope, unitIds] = await Promise.all([resolveScope(args.db, args.scope), unitIdsOf(args.db, args.filters.unitId)]);
  return { scope, filters: filterConditions({ ...args, unitIds }) };
}

/** The conditions of the scope's parts (see scopeParts), each with the filters. */
async function partsFor(args: ListArgs, use: 'count' | 'list'): Promise<ScopePart[]> {
  const { scope, filters } = await resolveArgs(args);
  return scopeParts(scope, args.staffId, use).map((part) => and(part, ...filters));
}

/**
 * Newest first: by creation time, then id (ids follow creation only roughly: an order's time is its transaction's
 * start). Every list index ends with (created_at desc, id desc), so a filtered page is a walk of one index.
 */
const NEWEST_FIRST = [desc(workOrders.createdAt), desc(workOrders.id)];

/** The 'due' sort's key of a row: 0 urgent and open, 1 open, 2 the rest; then the deadline, none last. */
function dueRank(t: { urgency: unknown; status: unknown }): SQL<number> {
  return sql<number>`(case when ${t.status} in ('assigned', 'accepted') then (case when ${t.urgency} = 'urgent' then 0 else 1 end) else 2 end)`;
}
function dueDeadline(t: { deadlineAt: unknown }): SQL<Date> {
  return sql<Date>`coalesce(${t.deadlineAt}, 'infinity'::timestamptz)`;
}

/**
 * Rows after the cursor's order in the sort: a row comparison with the cursor's own key, read from the table so
 * no precision is lost on the way through a JS Date.
 */
function afterCursor(after: OrderCursor | undefined, sort: OrderSort = 'newest'): SQL | undefined {
  if (!after) return undefined;
  if (sort === 'due') {
    const c = { urgency: sql`c.urgency`, status: sql`c.status`, deadlineAt: sql`c.deadline_at` };
    return sql`(${dueRank(workOrders)}, ${dueDeadline(workOrders)}, ${workOrders.id}) > (select ${dueRank(c)}, ${dueDeadline(c)}, c.id from ${workOrders} c where c.id = ${after.id})`;
  }
  return sql`(${workOrders.createdAt}, ${workOrders.id}) < (select c.created_at, c.id from ${workOrders} c where c.id = ${after.id})`;
}

/**
 * One page of the list, newest first, and the cursor of the next page (null at the end). Keyset paging on
 * (created_at, id): page 10 000 costs what page 1 costs.
 */
export async function listOrders(
  args: ListArgs & { page?: OrderPageRequest },
): Promise<{ rows: OrderListRow[]; next: OrderCursor | null }> {
  const limit = Math.min(Math.max(args.page?.limit ?? 50, 1), 500);
  const sort = args.page?.sort ?? 'newest';
  const after = afterCursor(args.page?.after, sort);
  const found = await newestOrders(args.db, (await partsFor(args, 'list')).map((where) => and(where, after)), limit + 1, sort);
  const page = found.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    next: found.length > limit && last ? { id: last.id } : null,
  };
}

/**
 * The newest `limit` orders matching any of the disjoint `parts` (one or two, see scopeParts), with the names the
 * list shows. The rows are chosen on work_orders alone, the newest `limit` of each part then of all (an index walk,
 * or a bitmap scan and a top-N sort each), and only they are joined: with the joins inside, the planner may hash
 * the whole residents table before sorting (30 of a grid leader's 31 ms at 100k orders).
 */
async function newestOrders(db: Database, parts: ScopePart[], limit: number, sort: OrderSort = 'newest'): Promise<OrderExportRow[]> {
  const due = sort === 'due';
  const part = (where: SQL | undefined) =>
    db
      .select({
        id: workOrders.id,
        no: workOrders.no,
        status: workOrders.status,
        urgency: workOrders.urgency,
        text: workOrders.text,
        createdAt: workOrders.createdAt,
        deadlineAt: workOrders.deadlineAt,
        pausedAt: workOrders.pausedAt,
        assignedAt: workOrders.assignedAt,
        reopenCount: workOrders.reopenCount,
        level: workOrders.level,
        supporters: workOrders.supporters,
        locationText: workOrders.locationText,
        closure: workOrders.closure,
        resolvedAt: workOrders.resolvedAt,
        closedAt: workOrders.closedAt,
        categoryId: workOrders.categoryId,
        gridId: workOrders.gridId,
        unitId: workOrders.unitId,
        assigneeId: workOrders.assigneeId,
        residentId: workOrders.residentId,
        dueRank: dueRank(workOrders).as('due_rank'),
        dueDeadline: dueDeadline(workOrders).as('due_deadline'),
      })
      .from(workOrders)
      .where(where)
      .orderBy(...(due ? [sql`due_rank`, sql`due_deadline`, asc(workOrders.id)] : NEWEST_FIRST))
      .limit(limit);
  const [first, second] = parts.map(part);
  // A set operation is ordered by its output columns' names.
  const byOutput = due ? sql`due_rank, due_deadline, id` : sql`created_at desc, id desc`;
  const o = (second ? unionAll(first!, second).orderBy(byOutput).limit(limit) : first!).as('o');
  return db
    .select({
      id: o.id,
      no: o.no,
      status: o.status,
      urgency: o.urgency,
      text: o.text,
      createdAt: o.createdAt,
      deadlineAt: o.deadlineAt,
      pausedAt: o.pausedAt,
      assignedAt: o.assignedAt,
      reopenCount: o.reopenCount,
      level: o.level,
      supporters: o.supporters,
      categoryName: categories.name,
      gridName: gridOf.name,
      unitName: unitOf.name,
      assigneeName: staff.name,
      residentName: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})`,
      locationText: o.locationText,
      closure: o.closure,
      resolvedAt: o.resolvedAt,
      closedAt: o.closedAt,
    })
    .from(o)
    .innerJoin(categories, eq(categories.id, o.categoryId))
    .innerJoin(gridOf, eq(gridOf.id, o.gridId))
    .innerJoin(unitOf, eq(unitOf.id, o.unitId))
    .leftJoin(staff, eq(staff.id, o.assigneeId))
    .leftJoin(residents, eq(residents.id, o.residentId))
    .orderBy(...(due ? [asc(o.dueRank), asc(o.dueDeadline), asc(o.id)] : [desc(o.createdAt), desc(o.id)]));
}

/**
 * How many orders match, counted up to `cap` (an exact count of a million rows is not worth its cost; the page
 * says "超过 10000 条"). A scope is counted part by part (see scopeParts): the OR of both takes a bitmap scan that
 * reads every counted row from the table, while the grids alone, with no other filter, are counted from the grid
 * index (index-only, a tenth of the pages).
 */
export async function countOrders(args: ListArgs & { cap?: number }): Promise<{ count: number; capped: boolean }> {
  const cap = args.cap ?? 10_000;
  const counts = (await partsFor(args, 'count')).map((where) => sql`(select count(*) from (select from ${workOrders} where ${where ?? sql`true`} limit ${cap + 1}) as matched)`);
  const [row] = await rows<{ n: number }>(args.db, sql`select (${sql.join(counts, sql` + `)})::int as n`);
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
  const parts = await partsFor(args, 'list');
  let after: OrderCursor | undefined;
  let sent = 0;
  while (sent < max) {
    const cursor = afterCursor(after);
    const found = await newestOrders(args.db, parts.map((where) => and(where, cursor)), Math.min(batch, max - sent));
    if (found.length === 0) return;
    yield found;
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
    relatedDuplicates({ db, orderId: id, gridId: order.row.gridId, text: order.row.text, createdAt: order.row.createdAt }),
    order.row.mergedIntoId
      ? db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.id, order.row.mergedIntoId))
      : Promise.resolve([]),
  ]);
  return { ...order, events, attachments: files, surveys, supporters, duplicates, mergedIntoNo: mergedInto[0]?.no ?? null };
}

export type OrderPageData = NonNullable<Awaited<ReturnType<typeof getOrderPage>>>;

/**
 * Orders in the same grid, created within `days` of this one, whose text is similar (pg_trgm), most similar first:
 * candidates for 并单. Chinese trigrams score low ("3号楼下面的路灯坏了好几天了" / "3号楼路灯不亮了" is 0.14), hence the
 * low threshold. The window bounds the work (similarity is computed row by row, not from an index): over a busy
 * grid's whole history it was 6 000 rows and 120 ms at a million orders; duplicates of a report come within days.
 */
export async function relatedDuplicates({
  db,
  orderId,
  gridId,
  text,
  createdAt,
  days = 30,
  limit = 5,
  threshold = 0.1,
}: {
  db: Database;
  orderId: number;
  gridId: number;
  text: string;
  createdAt: Date;
  days?: number;
  limit?: number;
  threshold?: number;
}) {
  const window = days * 86_400_000;
  return rows<{ id: number; no: number; status: OrderStatus; text: string; created_at: Date | string; score: number }>(
    db,
    sql`select ${workOrders.id} as id, ${workOrders.no} as no, ${workOrders.status} as status, ${workOrders.text} as text,
          ${workOrders.createdAt} as created_at, similarity(${workOrders.text}, ${text})::float8 as score
        from ${workOrders}
        where ${workOrders.gridId} = ${gridId} and ${workOrders.id} <> ${orderId}
          and ${gte(workOrders.createdAt, new Date(createdAt.getTime() - window))}
          and ${lt(workOrders.createdAt, new Date(createdAt.getTime() + window))}
          and similarity(${workOrders.text}, ${text}) >= ${threshold}
        order by score desc, ${workOrders.id} desc
        limit ${limit}`,
  );
}
