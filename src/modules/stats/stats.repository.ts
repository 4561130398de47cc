import { and, asc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rows } from '../../db/sql';
import { gridUnits } from '../grids/grids.table';
import { orderEvents, workOrders } from '../work-orders/work-orders.table';
import type { OrderFact, StatsEvent } from './order-facts.models';
import { COUNT_KEYS, type CountKey, type Counts, emptyCounts } from './stats.models';
import { splitPeriod, weekStart } from './periods.models';
import { statsDaily, statsMonthly, statsOrderFacts, statsState, statsWeekly } from './stats.table';

const STATE_ID = 1;

/** Column names of the rollup, by count key. */
const COLUMN: Record<CountKey, string> = {
  submitted: 'submitted',
  assignments: 'assignments',
  respInTime: 'resp_in_time',
  respLate: 'resp_late',
  respMissed: 'resp_missed',
  returned: 'returned',
  resolved: 'resolved',
  resolvedOnTime: 'resolved_on_time',
  surveySatisfied: 'survey_satisfied',
  surveyBasic: 'survey_basic',
  surveyUnsatisfied: 'survey_unsatisfied',
  surveyUnanswered: 'survey_unanswered',
  reopened: 'reopened',
  closed: 'closed',
  closedFirstTime: 'closed_first_time',
  escalated: 'escalated',
};

/** `sum(col)::int as "key"` for every count: postgres.js returns bigint sums as strings. */
export const SUM_COUNTS = sql.raw(COUNT_KEYS.map((k) => `coalesce(sum(d.${COLUMN[k]}), 0)::int as "${k}"`).join(', '));

export function countsFromRow(row: Record<string, unknown>): Counts {
  const c = emptyCounts();
  for (const k of COUNT_KEYS) c[k] = Number(row[k] ?? 0);
  return c;
}

// --- the refresh state ---

/**
 * Locks the state row for the rest of the transaction. Without `wait`, returns null when another refresh holds it
 * (a page then serves what is there rather than wait).
 */
export async function lockState(
  tx: Database,
  { wait }: { wait: boolean },
): Promise<{ refreshedAt: Date | null; rebuiltAt: Date | null } | null> {
  await tx.insert(statsState).values({ id: STATE_ID }).onConflictDoNothing();
  const query = tx.select().from(statsState).where(eq(statsState.id, STATE_ID));
  const [row] = wait ? await query.for('update') : await query.for('update', { skipLocked: true });
  return row ? { refreshedAt: row.refreshedAt, rebuiltAt: row.rebuiltAt } : null;
}

export async function readState(db: Database): Promise<{ refreshedAt: Date | null; rebuiltAt: Date | null }> {
  const [row] = await db.select().from(statsState).where(eq(statsState.id, STATE_ID));
  return { refreshedAt: row?.refreshedAt ?? null, rebuiltAt: row?.rebuiltAt ?? null };
}

export async function saveState(tx: Database, patch: { refreshedAt?: Date; rebuiltAt?: Date }): Promise<void> {
  await tx.update(statsState).set(patch).where(eq(statsState.id, STATE_ID));
}

// --- which orders to derive again ---

/**
 * Orders with an event the replay reads at or after `since`. One range scan of `order_events (type, at)` per
 * type (a ScalarArrayOp index scan), so no extra index is needed.
 */
export async function ordersWithEventsSince(db: Database, { since, types }: { since: Date; types: readonly string[] }): Promise<number[]> {
  const found = await db
    .selectDistinct({ orderId: orderEvents.orderId })
    .from(orderEvents)
    .where(and(inArray(orderEvents.type, [...types]), gte(orderEvents.at, since)));
  return found.map((r) => r.orderId);
}

/** Orders with a 签收 limit that was pending and has now passed. */
export async function ordersDueBy(db: Database, now: Date): Promise<number[]> {
  const found = await db
    .select({ orderId: statsOrderFacts.orderId })
    .from(statsOrderFacts)
    .where(and(sql`${statsOrderFacts.nextDueAt} is not null`, lte(statsOrderFacts.nextDueAt, now)));
  return found.map((r) => r.orderId);
}

/** Order ids in id order after `afterId`, for a rebuild in batches. */
export async function orderIdsAfter(db: Database, { afterId, limit }: { afterId: number; limit: number }): Promise<number[]> {
  const found = await db
    .select({ id: workOrders.id })
    .from(workOrders)
    .where(gt(workOrders.id, afterId))
    .orderBy(asc(workOrders.id))
    .limit(limit);
  return found.map((r) => r.id);
}

// --- the orders, their events and their stored facts ---

export type OrderForStats = { id: number; gridId: number; categoryId: number; events: StatsEvent[] };

export async function loadOrdersForStats(db: Database, orderIds: readonly number[]): Promise<OrderForStats[]> {
  if (orderIds.length === 0) return [];
  const orders = await db
    .select({ id: workOrders.id, gridId: workOrders.gridId, categoryId: workOrders.categoryId })
    .from(workOrders)
    .where(inArray(workOrders.id, [...orderIds]));
  const events = await db
    .select({ orderId: orderEvents.orderId, type: orderEvents.type, at: orderEvents.at, data: orderEvents.data })
    .from(orderEvents)
    .where(inArray(orderEvents.orderId, [...orderIds]))
    .orderBy(asc(orderEvents.orderId), asc(orderEvents.at), asc(orderEvents.id));
  const byOrder = new Map<number, StatsEvent[]>();
  for (const e of events) {
    let list = byOrder.get(e.orderId);
    if (!list) byOrder.set(e.orderId, (list = []));
    list.push({ type: e.type, at: e.at, data: (e.data as Record<string, unknown> | null) ?? null });
  }
  return orders.map((o) => ({ ...o, events: byOrder.get(o.id) ?? [] }));
}

type StoredFact = Record<string, unknown> & { kind: string; at: string };

export function toStoredFacts(facts: readonly OrderFact[]): StoredFact[] {
  return facts.map((f) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f)) out[k] = v instanceof Date ? v.toISOString() : v;
    return out as StoredFact;
  });
}

const DATE_FIELDS = new Set(['at', 'signDeadlineAt', 'signedAt', 'deadlineAt']);

export function fromStoredFacts(stored: unknown): OrderFact[] {
  if (!Array.isArray(stored)) return [];
  return stored.map((s: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) out[k] = DATE_FIELDS.has(k) && typeof v === 'string' ? new Date(v) : v;
    return out as unknown as OrderFact;
  });
}

export type StoredOrderFacts = { orderId: number; gridId: number; categoryId: number; facts: OrderFact[] };

export async function loadStoredFacts(db: Database, orderIds: readonly number[]): Promise<StoredOrderFacts[]> {
  if (orderIds.length === 0) return [];
  const found = await db
    .select({ orderId: statsOrderFacts.orderId, gridId: statsOrderFacts.gridId, categoryId: statsOrderFacts.categoryId, facts: statsOrderFacts.facts })
    .from(statsOrderFacts)
    .where(inArray(statsOrderFacts.orderId, [...orderIds]));
  return found.map((r) => ({ ...r, facts: fromStoredFacts(r.facts) }));
}

export async function saveFacts(
  tx: Database,
  list: { orderId: number; gridId: number; categoryId: number; facts: OrderFact[]; nextDueAt: Date | null }[],
  now: Date,
): Promise<void> {
  if (list.length === 0) return;
  await tx
    .insert(statsOrderFacts)
    .values(list.map((f) => ({ orderId: f.orderId, gridId: f.gridId, categoryId: f.categoryId, facts: toStoredFacts(f.facts), nextDueAt: f.nextDueAt, derivedAt: now })))
    .onConflictDoUpdate({
      target: statsOrderFacts.orderId,
      set: {
        gridId: sql`excluded.grid_id`,
        categoryId: sql`excluded.category_id`,
        facts: sql`excluded.facts`,
        nextDueAt: sql`excluded.next_due_at`,
        derivedAt: sql`excluded.derived_at`,
      },
    });
}

// --- the rollups ---

export type DailyDelta = { day: string; gridId: number; categoryId: number; counts: Counts };

const COUNT_COLUMNS = sql.raw(COUNT_KEYS.map((k) => COLUMN[k]).join(', '));

function addSet(table: string) {
  return Object.fromEntries(COUNT_KEYS.map((k) => [k, sql.raw(`"${table}"."${COLUMN[k]}" + excluded."${COLUMN[k]}"`)])) as Record<
    CountKey,
    ReturnType<typeof sql.raw>
  >;
}

function merge<K extends object>(deltas: readonly DailyDelta[], keyOf: (d: DailyDelta) => string, make: (d: DailyDelta) => K) {
  const out = new Map<string, K & { counts: Counts }>();
  for (const d of deltas) {
    const key = keyOf(d);
    let row = out.get(key);
    if (!row) out.set(key, (row = { ...make(d), counts: emptyCounts() }));
    for (const k of COUNT_KEYS) row.counts[k] += d.counts[k];
  }
  return [...out.values()];
}

/**
 * Adds (possibly negative) counts to the three rollups: per day, per month and per week. Each statement touches
 * a key once (the deltas are merged per key first), as ON CONFLICT DO UPDATE requires.
 */
export async function addToRollups(tx: Database, deltas: readonly DailyDelta[]): Promise<void> {
  const CHUNK = 500;
  const monthly = merge(deltas, (d) => `${d.day.slice(0, 7)}|${d.gridId}|${d.categoryId}`, (d) => ({ month: `${d.day.slice(0, 7)}-01`, gridId: d.gridId, categoryId: d.categoryId }));
  const weekly = merge(deltas, (d) => `${weekStart(d.day)}|${d.gridId}`, (d) => ({ week: weekStart(d.day), gridId: d.gridId }));
  for (let i = 0; i < deltas.length; i += CHUNK) {
    await tx
      .insert(statsDaily)
      .values(deltas.slice(i, i + CHUNK).map((d) => ({ day: d.day, gridId: d.gridId, categoryId: d.categoryId, ...d.counts })))
      .onConflictDoUpdate({ target: [statsDaily.day, statsDaily.gridId, statsDaily.categoryId], set: addSet('stats_daily') });
  }
  for (let i = 0; i < monthly.length; i += CHUNK) {
    await tx
      .insert(statsMonthly)
      .values(monthly.slice(i, i + CHUNK).map((d) => ({ month: d.month, gridId: d.gridId, categoryId: d.categoryId, ...d.counts })))
      .onConflictDoUpdate({ target: [statsMonthly.month, statsMonthly.gridId, statsMonthly.categoryId], set: addSet('stats_monthly') });
  }
  for (let i = 0; i < weekly.length; i += CHUNK) {
    await tx
      .insert(statsWeekly)
      .values(weekly.slice(i, i + CHUNK).map((d) => ({ week: d.week, gridId: d.gridId, ...d.counts })))
      .onConflictDoUpdate({ target: [statsWeekly.week, statsWeekly.gridId], set: addSet('stats_weekly') });
  }
}

export async function clearAll(tx: Database): Promise<void> {
  await tx.delete(statsDaily);
  await tx.delete(statsMonthly);
  await tx.delete(statsWeekly);
  await tx.delete(statsOrderFacts);
}

/**
 * The rollup rows covering a period: its whole months from `stats_monthly`, its other days from `stats_daily`
 * (see splitPeriod), each read by its primary key's leading date column.
 */
function periodRows(period: { from: string; to: string }) {
  const { months, days } = splitPeriod(period);
  const parts = [];
  if (months) {
    parts.push(sql`select grid_id, category_id, ${COUNT_COLUMNS} from stats_monthly where month >= ${months.from}::date and month <= ${months.to}::date`);
  }
  for (const d of days) {
    parts.push(sql`select grid_id, category_id, ${COUNT_COLUMNS} from stats_daily where day >= ${d.from}::date and day <= ${d.to}::date`);
  }
  return sql.join(parts, sql` union all `);
}

// --- reading the figures ---

export type ScopeGroupRow = { kind: 'total' | 'child' | 'category' | 'grid'; key: number | null; counts: Counts };

/**
 * The period's rollup rows under a unit (path prefix), summed four ways in one pass (GROUPING SETS): the total,
 * per child unit of the scope, per category, per grid.
 */
export async function sumByScope(
  db: Database,
  { from, to, scopePath }: { from: string; to: string; scopePath: string },
): Promise<ScopeGroupRow[]> {
  // Inlined (an integer we computed), not a parameter: the same expression must appear in SELECT and GROUP BY.
  const child = sql.raw(`nullif(split_part(substr(g.path, ${scopePath.length + 1}), '/', 1), '')::int`);
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select grouping(${child}) as g_child, grouping(d.category_id) as g_category, grouping(d.grid_id) as g_grid,
          ${child} as child_id, d.category_id, d.grid_id, ${SUM_COUNTS}
        from (${periodRows({ from, to })}) d join grid_units g on g.id = d.grid_id
        where g.path like ${`${scopePath}%`}
        group by grouping sets ((), (${child}), (d.category_id), (d.grid_id))`,
  );
  return found.map((r) => {
    const counts = countsFromRow(r);
    if (Number(r.g_child) === 0) return { kind: 'child' as const, key: r.child_id === null ? null : Number(r.child_id), counts };
    if (Number(r.g_category) === 0) return { kind: 'category' as const, key: Number(r.category_id), counts };
    if (Number(r.g_grid) === 0) return { kind: 'grid' as const, key: Number(r.grid_id), counts };
    return { kind: 'total' as const, key: null, counts };
  });
}

/** Counts per week (Monday) under a unit, from the weekly rollup. */
export async function sumByWeek(
  db: Database,
  { fromWeek, toWeek, scopePath }: { fromWeek: string; toWeek: string; scopePath: string },
): Promise<{ week: string; counts: Counts }[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select to_char(d.week, 'YYYY-MM-DD') as week, ${SUM_COUNTS}
        from stats_weekly d join grid_units g on g.id = d.grid_id
        where d.week >= ${fromWeek}::date and d.week <= ${toWeek}::date and g.path like ${`${scopePath}%`}
        group by d.week order by d.week`,
  );
  return found.map((r) => ({ week: String(r.week), counts: countsFromRow(r) }));
}

/** Counts per grid for one month, for the public page. */
export async function sumByGridForMonth(db: Database, month: string): Promise<{ gridId: number; counts: Counts }[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    sql`select d.grid_id, ${SUM_COUNTS} from stats_monthly d where d.month = ${`${month}-01`}::date group by d.grid_id`,
  );
  return found.map((r) => ({ gridId: Number(r.grid_id), counts: countsFromRow(r) }));
}

// --- the grid tree ---

export type UnitRow = { id: number; name: string; code: string; level: 'grid' | 'community' | 'town' | 'district'; parentId: number | null; path: string };

export async function loadUnit(db: Database, id: number): Promise<UnitRow | undefined> {
  const [found] = await db.select(unitColumns).from(gridUnits).where(eq(gridUnits.id, id));
  return found;
}

/** The unit with `path` and everything under it. */
export async function loadSubtree(db: Database, path: string): Promise<UnitRow[]> {
  return treeOrder(await db.select(unitColumns).from(gridUnits).where(sql`${gridUnits.path} like ${`${path}%`}`));
}

export async function loadAllUnits(db: Database): Promise<UnitRow[]> {
  return treeOrder(await db.select(unitColumns).from(gridUnits));
}

/** Depth first, siblings by code ("/1/10/" sorts before "/1/9/" as text, so paths will not do). */
export function treeOrder(units: readonly UnitRow[]): UnitRow[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<number | null, UnitRow[]>();
  for (const u of units) {
    const parent = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: UnitRow[] = [];
  const visit = (parent: number | null) => {
    for (const u of (children.get(parent) ?? []).sort((a, b) => a.code.localeCompare(b.code))) {
      out.push(u);
      visit(u.id);
    }
  };
  visit(null);
  return out;
}

const unitColumns = {
  id: gridUnits.id,
  name: gridUnits.name,
  code: gridUnits.code,
  level: gridUnits.level,
  parentId: gridUnits.parentId,
  path: gridUnits.path,
};
