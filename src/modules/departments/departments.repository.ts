import { createCachedProvider } from '../../db/cached-provider';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { gridUnits } from '../grids/grids.table';
import { staff } from '../people/staff.table';
import type { CatalogueEntry, Department, DepartmentMember } from './departments.models';
import { departmentMembers, departments, dispatchCatalogue } from './departments.table';
import { type OrderDispatchRow, orderDispatches } from './order-dispatches.table';

/** Every department with its area's path, its members and the 派单目录: small, read whole and kept in memory. */
export type DispatchDirectory = {
  departments: Department[];
  members: DepartmentMember[];
  catalogue: CatalogueEntry[];
};

export async function loadDispatchDirectory(db: Database): Promise<DispatchDirectory> {
  const [deps, members, catalogue] = await Promise.all([
    db
      .select({
        id: departments.id,
        code: departments.code,
        name: departments.name,
        kind: departments.kind,
        unitId: departments.unitId,
        unitPath: gridUnits.path,
        calendar: departments.calendar,
        signLimitHours: departments.signLimitHours,
        limitDays: departments.limitDays,
        returnLimitHours: departments.returnLimitHours,
        active: departments.active,
      })
      .from(departments)
      .innerJoin(gridUnits, eq(gridUnits.id, departments.unitId))
      .orderBy(asc(departments.id)),
    db
      .select({ departmentId: departmentMembers.departmentId, staffId: departmentMembers.staffId, role: departmentMembers.role, active: staff.active })
      .from(departmentMembers)
      .innerJoin(staff, eq(staff.id, departmentMembers.staffId)),
    db
      .select({
        categoryId: dispatchCatalogue.categoryId,
        unitPath: gridUnits.path,
        departmentId: dispatchCatalogue.departmentId,
        role: dispatchCatalogue.role,
        keywords: dispatchCatalogue.keywords,
        auto: dispatchCatalogue.auto,
      })
      .from(dispatchCatalogue)
      .leftJoin(gridUnits, eq(gridUnits.id, dispatchCatalogue.unitId)),
  ]);
  return { departments: deps, members, catalogue };
}

/**
 * The directory is read at every demand (the catalogue may dispatch it) and changes rarely: cached per process
 * for `ttlMs`, reloaded at once after `invalidate()`. Like the category and calendar providers it reads through
 * the outer database, so it is called only outside a transaction (the guard throws otherwise, warm cache or not).
 */
export type DispatchDirectoryProvider = { get(): Promise<DispatchDirectory>; invalidate(): void };

export function createDispatchDirectoryProvider({ db, ttlMs = 60_000 }: { db: Database; ttlMs?: number }): DispatchDirectoryProvider {
  return createCachedProvider({ db, ttlMs, name: 'dispatchDirectory', load: loadDispatchDirectory });
}

/** The order's dispatches still open (dispatched or signed), lead first. */
export async function openDispatches(tx: Database, orderId: number): Promise<OrderDispatchRow[]> {
  return tx
    .select()
    .from(orderDispatches)
    .where(and(eq(orderDispatches.orderId, orderId), inArray(orderDispatches.status, ['dispatched', 'signed'])))
    .orderBy(asc(orderDispatches.role), asc(orderDispatches.id));
}

/** How many times departments have returned (退回) the order: the second one makes it a dispute. */
export async function countDepartmentReturns(tx: Database, orderId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(orderDispatches)
    .where(and(eq(orderDispatches.orderId, orderId), eq(orderDispatches.role, 'lead'), eq(orderDispatches.status, 'returned')));
  return row?.n ?? 0;
}

/** Every dispatch of an order, oldest first: its record of 分流交办. */
export async function orderDispatchHistory(db: Database, orderId: number): Promise<OrderDispatchRow[]> {
  return db.select().from(orderDispatches).where(eq(orderDispatches.orderId, orderId)).orderBy(asc(orderDispatches.id));
}

/** Names of departments by id, read through the transaction. */
export async function departmentNames(tx: Database, ids: readonly number[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx.select({ id: departments.id, name: departments.name }).from(departments).where(inArray(departments.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The departments a member of staff works for (for the actor's rights on dispatched orders). */
export async function membershipsOf(db: Database, staffId: number): Promise<{ departmentId: number; role: 'handler' | 'head' }[]> {
  return db
    .select({ departmentId: departmentMembers.departmentId, role: departmentMembers.role })
    .from(departmentMembers)
    .innerJoin(departments, eq(departments.id, departmentMembers.departmentId))
    .where(and(eq(departmentMembers.staffId, staffId), eq(departments.active, true)));
}
