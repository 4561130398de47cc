import { and, asc, eq, gt, gte, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rows } from '../../db/sql';
import { orderEvents, workOrders } from '../work-orders/work-orders.table';
import type { OrderFact, StatsEvent } from './order-facts.models';
import { intArray } from './sql-params';
import { statsOrderFacts, statsState } from './stats.table';

// The rollup writer lives in rollups.repository; re-exported for callers that import it from here (the bench).
export { type DailyDelta, addToRollups } from './rollups.repository';

const STATE_ID = 1;

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
    .where(sql`${workOrders.id} = any(${intArray(orderIds)}::int[])`);
  const events = await db
    .select({ orderId: orderEvents.orderId, type: orderEvents.type, at: orderEvents.at, data: orderEvents.data })
    .from(orderEvents)
    .where(sql`${orderEvents.orderId} = any(${intArray(orderIds)}::int[])`)
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
    .where(sql`${statsOrderFacts.orderId} = any(${intArray(orderIds)}::int[])`);
  return found.map((r) => ({ ...r, facts: fromStoredFacts(r.facts) }));
}

/** Upserts the orders' facts in one statement (a JSON array unpacked by the server, not thousands of parameters). */
export async function saveFacts(
  tx: Database,
  list: { orderId: number; gridId: number; categoryId: number; facts: OrderFact[]; nextDueAt: Date | null }[],
  now: Date,
): Promise<void> {
  if (list.length === 0) return;
  const json = JSON.stringify(
    list.map((f) => ({ order_id: f.orderId, grid_id: f.gridId, category_id: f.categoryId, facts: toStoredFacts(f.facts), next_due_at: f.nextDueAt?.toISOString() ?? null })),
  );
  await tx.execute(sql`
    insert into stats_order_facts (order_id, grid_id, category_id, facts, next_due_at, derived_at)
    select x.order_id, x.grid_id, x.category_id, x.facts, x.next_due_at, ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${json}::jsonb) as x(order_id int, grid_id int, category_id int, facts jsonb, next_due_at timestamptz)
    on conflict (order_id) do update set grid_id = excluded.grid_id, category_id = excluded.category_id, facts = excluded.facts,
      next_due_at = excluded.next_due_at, derived_at = excluded.derived_at`);
}

export async function clearFacts(tx: Database): Promise<void> {
  await tx.delete(statsOrderFacts);
}
