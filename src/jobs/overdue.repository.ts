import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { departmentMembers, departments } from '../modules/departments/departments.table';
import { orderDispatches } from '../modules/departments/order-dispatches.table';
import { gridUnits } from '../modules/grids/grids.table';
import { staff } from '../modules/people/staff.table';
import { intArray } from '../modules/stats/sql-params';
import type { DepartmentSide } from './overdue.models';

export type LoadedDepartmentSide = DepartmentSide & { departmentName: string; dispatcherUnitPath: string | null; dispatcherUnitName: string | null };

/**
 * The department side of the batch's orders a department holds, read once: the open 主办 dispatch's unit (on
 * order_dispatches_one_open_lead) and the department's active heads. Orders no department holds cost no query.
 */
export async function loadDepartmentSides(
  tx: Database,
  orders: readonly { id: number; departmentId: number | null }[],
): Promise<Map<number, LoadedDepartmentSide>> {
  const held = orders.filter((o): o is { id: number; departmentId: number } => o.departmentId !== null);
  if (held.length === 0) return new Map();
  const departmentIds = [...new Set(held.map((o) => o.departmentId))];
  const dispatches = await tx
    .select({ orderId: orderDispatches.orderId, unitId: orderDispatches.dispatcherUnitId, path: gridUnits.path, name: gridUnits.name })
    .from(orderDispatches)
    .innerJoin(gridUnits, eq(gridUnits.id, orderDispatches.dispatcherUnitId))
    .where(
      and(
        sql`${orderDispatches.orderId} = any(${intArray(held.map((o) => o.id))}::int[])`,
        eq(orderDispatches.role, 'lead'),
        inArray(orderDispatches.status, ['dispatched', 'signed']),
      ),
    );
  const heads = await tx
    .select({ departmentId: departmentMembers.departmentId, staffId: departmentMembers.staffId })
    .from(departmentMembers)
    .innerJoin(staff, eq(staff.id, departmentMembers.staffId))
    .where(and(sql`${departmentMembers.departmentId} = any(${intArray(departmentIds)}::int[])`, eq(departmentMembers.role, 'head'), eq(staff.active, true)));
  const names = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(sql`${departments.id} = any(${intArray(departmentIds)}::int[])`);
  const dispatchOf = new Map(dispatches.map((d) => [d.orderId, d]));
  const nameOf = new Map(names.map((d) => [d.id, d.name]));
  return new Map(
    held.map((o) => {
      const dispatch = dispatchOf.get(o.id);
      const headIds = heads.filter((h) => h.departmentId === o.departmentId).map((h) => h.staffId).sort((a, b) => a - b);
      return [
        o.id,
        {
          departmentId: o.departmentId,
          departmentName: nameOf.get(o.departmentId) ?? '',
          headIds,
          dispatcherUnitId: dispatch?.unitId ?? null,
          dispatcherUnitPath: dispatch?.path ?? null,
          dispatcherUnitName: dispatch?.name ?? null,
        },
      ];
    }),
  );
}
