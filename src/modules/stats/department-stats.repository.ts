import { asc, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rows } from '../../db/sql';
import { departments } from '../departments/departments.table';
import { orderDispatches } from '../departments/order-dispatches.table';
import { countColumns } from './counts.models';
import { type DepartmentCounts, type DepartmentDayCounts, type DispatchForStats, departmentCounts } from './department-facts.models';
import type { Period } from './stats.models';
import { intArray } from './sql-params';

const COUNTS = countColumns(departmentCounts);

/** The dispatches of the orders, by order (through `order_dispatches (order_id, dispatched_at)`). */
export async function loadDispatchesForStats(db: Database, orderIds: readonly number[]): Promise<Map<number, DispatchForStats[]>> {
  const byOrder = new Map<number, DispatchForStats[]>();
  if (orderIds.length === 0) return byOrder;
  const found = await db
    .select({
      orderId: orderDispatches.orderId,
      departmentId: orderDispatches.departmentId,
      role: orderDispatches.role,
      status: orderDispatches.status,
      dispatchedAt: orderDispatches.dispatchedAt,
      signDeadlineAt: orderDispatches.signDeadlineAt,
      signedAt: orderDispatches.signedAt,
      deadlineAt: orderDispatches.deadlineAt,
      returnedAt: orderDispatches.returnedAt,
      resolvedAt: orderDispatches.resolvedAt,
    })
    .from(orderDispatches)
    .where(sql`${orderDispatches.orderId} = any(${intArray(orderIds)}::int[])`)
    .orderBy(asc(orderDispatches.orderId), asc(orderDispatches.dispatchedAt), asc(orderDispatches.id));
  for (const { orderId, ...d } of found) {
    let list = byOrder.get(orderId);
    if (!list) byOrder.set(orderId, (list = []));
    list.push(d);
  }
  return byOrder;
}

/** Replaces the department rows of the orders with freshly derived ones (one delete, one insert). */
export async function replaceDepartmentFacts(
  tx: Database,
  orderIds: readonly number[],
  list: (DepartmentDayCounts & { orderId: number; gridId: number })[],
): Promise<void> {
  if (orderIds.length === 0) return;
  await tx.execute(sql`delete from stats_department_facts where order_id = any(${intArray(orderIds)}::int[])`);
  if (list.length === 0) return;
  const json = JSON.stringify(
    list.map((r) => ({
      order_id: r.orderId,
      department_id: r.departmentId,
      day: r.day,
      grid_id: r.gridId,
      ...COUNTS.toRow(r.counts),
    })),
  );
  await tx.execute(sql`
    insert into stats_department_facts (order_id, department_id, day, grid_id, ${sql.raw(COUNTS.list)})
    select order_id, department_id, day, grid_id, ${sql.raw(COUNTS.list)}
    from jsonb_to_recordset(${json}::jsonb) as x(order_id int, department_id int, day date, grid_id int, ${sql.raw(COUNTS.types)})`);
}

export async function clearDepartmentFacts(tx: Database): Promise<void> {
  await tx.execute(sql`delete from stats_department_facts`);
}

const SUMS = sql.raw(COUNTS.sums());

/**
 * Each department's counts over a period (China dates, both ends included), for the orders of the given grids
 * (null = the whole district): one range read of `stats_department_facts (day, department_id)`.
 */
export async function sumDepartmentsForPeriod(
  db: Database,
  { period, gridIds }: { period: Period; gridIds: readonly number[] | null },
): Promise<Map<number, DepartmentCounts>> {
  const found = await rows<Record<string, unknown> & { department_id: number }>(
    db,
    sql`select department_id, ${SUMS} from stats_department_facts
        where day between ${period.from}::date and ${period.to}::date
        ${gridIds === null ? sql`` : sql`and grid_id = any(${intArray(gridIds)}::int[])`}
        group by department_id`,
  );
  const out = new Map<number, DepartmentCounts>();
  for (const r of found) out.set(Number(r.department_id), COUNTS.fromRow(r));
  return out;
}

export type DepartmentForStats = { id: number; code: string; name: string; kind: 'department' | 'company' | 'property'; active: boolean };

export async function loadDepartmentsForStats(db: Database): Promise<DepartmentForStats[]> {
  return db
    .select({ id: departments.id, code: departments.code, name: departments.name, kind: departments.kind, active: departments.active })
    .from(departments)
    .orderBy(asc(departments.code));
}
