import { type SQL, and, eq, inArray, like, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { categories } from '../modules/categories/categories.table';
import { gridUnits } from '../modules/grids/grids.table';
import { routeUp } from '../modules/grids/grids.models';
import { jobRuns } from '../modules/notifications/job-runs.table';
import type { StaffRole } from '../modules/people/people.models';
import { staff, staffRoles } from '../modules/people/staff.table';
import type { OrderEventDraft, OrderStatus } from '../modules/work-orders/work-orders.models';
import { loadChain, loadStaffAtUnits } from '../modules/work-orders/work-orders.repository';
import { workOrders } from '../modules/work-orders/work-orders.table';

const orderGrid = alias(gridUnits, 'sweep_grid');
const orderUnit = alias(gridUnits, 'sweep_unit');

/** The statuses in which someone is handling an order (the partial indexes cover exactly these). */
export const HANDLING: OrderStatus[] = ['assigned', 'accepted'];

/** An order as the sweeps read it: the rule columns plus what the notices say. */
export async function selectSweepRows(db: Database, where: SQL | undefined, { limit, orderBy }: { limit: number; orderBy: SQL }) {
  return db
    .select({
      id: workOrders.id,
      no: workOrders.no,
      residentId: workOrders.residentId,
      chatGroupId: workOrders.chatGroupId,
      assigneeId: workOrders.assigneeId,
      unitId: workOrders.unitId,
      unitPath: orderUnit.path,
      gridName: orderGrid.name,
      unitName: orderUnit.name,
      categoryName: categories.name,
      text: workOrders.text,
      status: workOrders.status,
      urgency: workOrders.urgency,
      level: workOrders.level,
      createdAt: workOrders.createdAt,
      assignedAt: workOrders.assignedAt,
      resolvedAt: workOrders.resolvedAt,
      reopenCount: workOrders.reopenCount,
      signDeadlineAt: workOrders.signDeadlineAt,
      deadlineAt: workOrders.deadlineAt,
      pausedAt: workOrders.pausedAt,
      signRemindedAt: workOrders.signRemindedAt,
      reminded75At: workOrders.reminded75At,
      remindedLastDayAt: workOrders.remindedLastDayAt,
      urgentRemindedAt: workOrders.urgentRemindedAt,
      overdueNoticeAt: workOrders.overdueNoticeAt,
      overdueEscalatedAt: workOrders.overdueEscalatedAt,
      surveyRemindedAt: workOrders.surveyRemindedAt,
    })
    .from(workOrders)
    .innerJoin(orderGrid, eq(orderGrid.id, workOrders.gridId))
    .innerJoin(orderUnit, eq(orderUnit.id, workOrders.unitId))
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(where)
    .orderBy(orderBy)
    .limit(limit);
}

export type SweepRow = Awaited<ReturnType<typeof selectSweepRows>>[number];

/**
 * Rows in id order: every transaction that claims several orders locks them in the same order, so two
 * instances (or two rules) claiming overlapping sets wait for each other instead of deadlocking.
 */
export function byId<T extends { id: number }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => a.id - b.id);
}

/** "柳岸社区第一网格", or "柳岸社区第一网格（现由柳岸社区办理）" once the order moved up. */
export function placeOf(row: Pick<SweepRow, 'gridName' | 'unitName'>): string {
  return row.unitName === row.gridName ? row.gridName : `${row.gridName}（现由${row.unitName}办理）`;
}

/** A timeline entry for something the system did to an order without changing it (a reminder, a 督办). */
export function systemEvent(row: Pick<SweepRow, 'status' | 'assigneeId' | 'unitId'>, type: string, at: Date, data: Record<string, unknown>): OrderEventDraft {
  return {
    type,
    actorKind: 'system',
    actorStaffId: null,
    actorResidentId: null,
    note: null,
    fromStatus: row.status,
    toStatus: row.status,
    fromAssigneeId: row.assigneeId,
    toAssigneeId: row.assigneeId,
    fromUnitId: row.unitId,
    toUnitId: row.unitId,
    data,
    at,
  };
}

/**
 * The supervisor one level above the order's unit (who approves its extensions), or, at the top of the tree,
 * the admins there (热线中心).
 */
export async function supervisorsAbove(db: Database, unitPath: string): Promise<number[]> {
  const chain = await loadChain(db, unitPath);
  const above = chain.slice(1);
  if (above.length > 0) {
    const found = routeUp({ chain: above, staff: await loadStaffAtUnits(db, above.map((u) => u.id)) });
    if (found) return [found.staffId];
  }
  const top = chain[chain.length - 1];
  if (!top) return [];
  return staffWithRole(db, { unitIds: [top.id], roles: ['admin'] });
}

/** Active staff holding one of `roles` at one of `unitIds`. */
export async function staffWithRole(db: Database, { unitIds, roles }: { unitIds: number[]; roles: StaffRole[] }): Promise<number[]> {
  if (unitIds.length === 0) return [];
  const found = await db
    .selectDistinct({ id: staffRoles.staffId })
    .from(staffRoles)
    .innerJoin(staff, eq(staff.id, staffRoles.staffId))
    .where(and(inArray(staffRoles.unitId, unitIds), inArray(staffRoles.role, roles), eq(staff.active, true)));
  return found.map((r) => r.id).sort((a, b) => a - b);
}

/** Active staff holding one of `roles` at a unit of `level` (any level when omitted) in the subtree of `rootPath`. */
export async function staffInSubtree(
  db: Database,
  { rootPath, roles, level }: { rootPath: string; roles: StaffRole[]; level?: 'grid' | 'community' | 'town' | 'district' },
): Promise<number[]> {
  const found = await db
    .selectDistinct({ id: staffRoles.staffId })
    .from(staffRoles)
    .innerJoin(staff, eq(staff.id, staffRoles.staffId))
    .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .where(
      and(
        like(gridUnits.path, `${rootPath}%`),
        inArray(staffRoles.role, roles),
        eq(staff.active, true),
        level ? eq(gridUnits.level, level) : undefined,
      ),
    );
  return found.map((r) => r.id).sort((a, b) => a - b);
}

export async function unitsAtLevel(db: Database, level: 'town' | 'district') {
  return db
    .select({ id: gridUnits.id, name: gridUnits.name, path: gridUnits.path })
    .from(gridUnits)
    .where(eq(gridUnits.level, level))
    .orderBy(gridUnits.id);
}

export async function staffNames(db: Database, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const found = await db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, ids));
  return new Map(found.map((r) => [r.id, r.name]));
}

/**
 * Claims a run key ('weekly:2026-W47'): true for the one caller that inserted it. Another instance inserting the
 * same key waits on the unique index until this transaction ends, then finds it taken; if this transaction
 * rolls back (a crash mid-report), the key is free again and the next run makes the report.
 */
export async function claimRunKey(db: Database, { key, now, instance }: { key: string; now: Date; instance: string }): Promise<boolean> {
  const inserted = await db
    .insert(jobRuns)
    .values({ key, startedAt: now, instance })
    .onConflictDoNothing({ target: jobRuns.key })
    .returning({ key: jobRuns.key });
  return inserted.length === 1;
}

export async function finishRunKey(db: Database, { key, now }: { key: string; now: Date }): Promise<void> {
  await db.update(jobRuns).set({ finishedAt: now }).where(eq(jobRuns.key, key));
}

/** A timestamp parameter for raw SQL that both drivers read the same way. */
export function at(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}
