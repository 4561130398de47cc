/**
 * What the order page shows about departments: who holds the order now, every dispatch so far (退回 included),
 * the 派单目录's suggestion for its category and place, and the active departments that serve the place.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { gridUnits } from '../grids/grids.table';
import { isAncestorOrSelf } from '../grids/grids.models';
import { departments, dispatchCatalogue } from './departments.table';
import { orderDispatches } from './order-dispatches.table';

export type OrderDepartments = {
  held: { id: number; name: string } | null;
  history: {
    id: number;
    departmentName: string;
    role: 'lead' | 'assist';
    status: 'dispatched' | 'signed' | 'returned' | 'resolved' | 'withdrawn';
    dispatchedAt: Date;
    returnedAt: Date | null;
    returnReason: string | null;
    resolvedAt: Date | null;
  }[];
  /** The catalogue's lead and assists at the most specific area covering the place; null when it names none. */
  suggestion: { kind: 'found'; leadId: number; assistIds: number[] } | { kind: 'ambiguous'; ids: number[] } | null;
  /** Active departments serving the place, to pick from. */
  choices: { id: number; name: string }[];
};

const depth = (path: string | null) => (path === null ? 0 : path.split('/').filter(Boolean).length);

export async function loadOrderDepartments(
  db: Database,
  { orderId, departmentId, categoryId, gridPath }: { orderId: number; departmentId: number | null; categoryId: number; gridPath: string },
): Promise<OrderDepartments> {
  const all = await db
    .select({ id: departments.id, name: departments.name, active: departments.active, unitPath: gridUnits.path })
    .from(departments)
    .innerJoin(gridUnits, eq(gridUnits.id, departments.unitId))
    .orderBy(asc(departments.code));
  const history = await db
    .select({
      id: orderDispatches.id,
      departmentName: departments.name,
      role: orderDispatches.role,
      status: orderDispatches.status,
      dispatchedAt: orderDispatches.dispatchedAt,
      returnedAt: orderDispatches.returnedAt,
      returnReason: orderDispatches.returnReason,
      resolvedAt: orderDispatches.resolvedAt,
    })
    .from(orderDispatches)
    .innerJoin(departments, eq(departments.id, orderDispatches.departmentId))
    .where(eq(orderDispatches.orderId, orderId))
    .orderBy(asc(orderDispatches.dispatchedAt), asc(orderDispatches.id));
  const serving = all.filter((d) => d.active && isAncestorOrSelf(d.unitPath, gridPath));
  const servingIds = serving.map((d) => d.id);
  const entries = servingIds.length
    ? await db
        .select({ departmentId: dispatchCatalogue.departmentId, role: dispatchCatalogue.role, unitPath: gridUnits.path })
        .from(dispatchCatalogue)
        .leftJoin(gridUnits, eq(gridUnits.id, dispatchCatalogue.unitId))
        .where(and(eq(dispatchCatalogue.categoryId, categoryId), inArray(dispatchCatalogue.departmentId, servingIds)))
    : [];
  const covering = entries.filter((e) => e.unitPath === null || isAncestorOrSelf(e.unitPath, gridPath));
  const leads = covering.filter((e) => e.role === 'lead');
  let suggestion: OrderDepartments['suggestion'] = null;
  if (leads.length) {
    const deepest = Math.max(...leads.map((e) => depth(e.unitPath)));
    const ids = [...new Set(leads.filter((e) => depth(e.unitPath) === deepest).map((e) => e.departmentId))];
    const assistIds = [...new Set(covering.filter((e) => e.role === 'assist' && e.departmentId !== ids[0]).map((e) => e.departmentId))];
    suggestion = ids.length === 1 ? { kind: 'found', leadId: ids[0]!, assistIds } : { kind: 'ambiguous', ids };
  }
  const held = departmentId === null ? null : (all.find((d) => d.id === departmentId) ?? null);
  return { held: held && { id: held.id, name: held.name }, history, suggestion, choices: serving.map((d) => ({ id: d.id, name: d.name })) };
}
