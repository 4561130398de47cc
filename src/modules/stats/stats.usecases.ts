import type { Database } from '../../db/client';
import type { Clock } from '../../shared/clock';
import type { CalendarProvider } from '../calendar/calendar.repository';
import type { CategoryProvider } from '../categories/categories.repository';
import { deriveDepartmentCounts } from './department-facts.models';
import { clearDepartmentFacts, loadDispatchesForStats, replaceDepartmentFacts } from './department-stats.repository';
import { FACT_EVENT_TYPES, type ReplayContext, deriveOrderFacts, nextDueAt } from './order-facts.models';
import { type DailyDelta, addToRollups, clearRollups, compactRollups } from './rollups.repository';
import {
  clearFacts,
  loadOrdersForStats,
  loadStoredFacts,
  lockState,
  orderIdsAfter,
  ordersDueBy,
  ordersWithEventsSince,
  readState,
  saveFacts,
  saveState,
} from './stats.repository';
import { addCounts, countsByDay, emptyCounts, isZero, sumCounts } from './stats.models';

export type StatsDeps = { db: Database; clock: Clock; calendar: CalendarProvider; categories: CategoryProvider };

/**
 * Events are stamped with the time their use case began, and a transaction may commit a little after a refresh
 * looked: each refresh looks again at the last ten minutes, so a late commit is never missed. Deriving an order
 * twice changes nothing.
 */
export const REFRESH_OVERLAP_MS = 10 * 60_000;
const BATCH = 500;

async function replayContext(deps: StatsDeps): Promise<ReplayContext> {
  const calendar = await deps.calendar.get();
  const limits = new Map((await deps.categories.all()).map((c) => [c.id, { limitWorkingDays: c.limitWorkingDays, urgentLimitHours: c.urgentLimitHours }]));
  return { calendar, categoryLimits: (id) => limits.get(id) };
}

/**
 * Derives the orders' facts again from their events and moves the rollup by the difference from what they
 * counted before (the stored facts), so the rollup always equals the sum of the stored facts.
 */
async function rederive(tx: Database, orderIds: readonly number[], ctx: ReplayContext, now: Date): Promise<void> {
  for (let i = 0; i < orderIds.length; i += BATCH) {
    const ids = orderIds.slice(i, i + BATCH);
    const [orders, stored] = [await loadOrdersForStats(tx, ids), await loadStoredFacts(tx, ids)];
    const deltas = new Map<string, DailyDelta>();
    const add = (gridId: number, categoryId: number, byDay: Map<string, ReturnType<typeof emptyCounts>>, sign: 1 | -1) => {
      for (const [day, counts] of byDay) {
        const key = `${day}|${gridId}|${categoryId}`;
        let delta = deltas.get(key);
        if (!delta) deltas.set(key, (delta = { day, gridId, categoryId, counts: emptyCounts() }));
        addCounts(delta.counts, counts, sign);
      }
    };
    for (const old of stored) add(old.gridId, old.categoryId, countsByDay(old.facts), -1);
    const fresh = orders.map((o) => {
      const facts = deriveOrderFacts({ events: o.events, ctx, now });
      add(o.gridId, o.categoryId, countsByDay(facts), 1);
      return { orderId: o.id, gridId: o.gridId, categoryId: o.categoryId, facts, nextDueAt: nextDueAt(facts) };
    });
    await saveFacts(tx, fresh, now);
    await addToRollups(tx, [...deltas.values()].filter((d) => !isZero(d.counts)));
    // The departments' rows: replaced, not moved by a difference (only dispatched orders have any).
    const dispatches = await loadDispatchesForStats(tx, ids);
    const departmentRows = fresh.flatMap((f) =>
      deriveDepartmentCounts({ dispatches: dispatches.get(f.orderId) ?? [], facts: f.facts, now }).map((r) => ({ ...r, orderId: f.orderId, gridId: f.gridId })),
    );
    await replaceDepartmentFacts(tx, ids, departmentRows);
  }
}

export type RefreshResult = { status: 'refreshed' | 'busy' | 'rebuilt'; orders: number };

/**
 * Brings the rollup up to date: orders with events since the last refresh (less the overlap), and orders whose
 * pending 签收 limit has passed since. The first refresh rebuilds everything. When another refresh is running,
 * returns 'busy' at once.
 */
export async function refreshStats({ deps }: { deps: StatsDeps }): Promise<RefreshResult> {
  const now = deps.clock.now();
  const ctx = await replayContext(deps);
  const outcome = await deps.db.transaction(async (tx) => {
    const state = await lockState(tx, { wait: false });
    if (!state) return { status: 'busy' as const, orders: 0 };
    if (!state.refreshedAt) return null;
    const since = new Date(state.refreshedAt.getTime() - REFRESH_OVERLAP_MS);
    const ids = [
      ...new Set([...(await ordersWithEventsSince(tx, { since, types: FACT_EVENT_TYPES })), ...(await ordersDueBy(tx, now))]),
    ].sort((a, b) => a - b);
    await rederive(tx, ids, ctx, now);
    await saveState(tx, { refreshedAt: now });
    return { status: 'refreshed' as const, orders: ids.length };
  });
  return outcome ?? rebuildStats({ deps });
}

/** Refreshes only when the last refresh is older than `maxAgeMs` (the pages call it; the job refreshes anyway). */
export async function refreshIfStale({ deps, maxAgeMs }: { deps: StatsDeps; maxAgeMs: number }): Promise<RefreshResult | null> {
  const { refreshedAt } = await readState(deps.db);
  if (refreshedAt && deps.clock.now().getTime() - refreshedAt.getTime() <= maxAgeMs) return null;
  return refreshStats({ deps });
}

/**
 * Throws the rollup away and derives every order again from its events, in batches (each its own transaction,
 * so a district's history does not need one huge one). Refreshes that run meanwhile stay correct: each batch
 * moves the rollup by the difference from what is stored.
 */
export async function rebuildStats({ deps, batchSize = 2000 }: { deps: StatsDeps; batchSize?: number }): Promise<RefreshResult> {
  const now = deps.clock.now();
  const ctx = await replayContext(deps);
  const started = await deps.db.transaction(async (tx) => {
    if (!(await lockState(tx, { wait: true }))) return false;
    await clearRollups(tx);
    await clearFacts(tx);
    await clearDepartmentFacts(tx);
    await saveState(tx, { refreshedAt: now, rebuiltAt: now });
    return true;
  });
  if (!started) return { status: 'busy', orders: 0 };
  let afterId = 0;
  let total = 0;
  for (;;) {
    const done = await deps.db.transaction(async (tx) => {
      await lockState(tx, { wait: true });
      const ids = await orderIdsAfter(tx, { afterId, limit: batchSize });
      await rederive(tx, ids, ctx, now);
      return ids;
    });
    if (done.length === 0) break;
    total += done.length;
    afterId = done[done.length - 1]!;
  }
  await compactRollups(deps.db);
  return { status: 'rebuilt', orders: total };
}

export { readState as readStatsState };

/** The sum of every stored fact, for checking that the rollup equals its source (tests and the rebuild check). */
export function sumFacts(stored: { facts: Parameters<typeof countsByDay>[0] }[]) {
  return sumCounts(stored.flatMap((s) => [...countsByDay(s.facts).values()]));
}
