/**
 * The maps' reads, limited to the user's scope in SQL with the order list's own scope rules (resolveScope,
 * scopeParts): an officer sees the open orders of their units and those assigned to them personally, and the
 * boundaries of the grids under their units.
 */
import { and, asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { Scope } from '../auth/auth.models';
import { gridUnits } from '../grids/grids.table';
import type { Boundary } from '../grids/places.models';
import { OPEN_STATUSES } from '../work-orders/work-orders.models';
import { workOrders } from '../work-orders/work-orders.table';
import { resolveScope, scopeParts } from '../work-orders/console/orders.queries';

export type MapPointRow = {
  id: number;
  no: number;
  text: string;
  status: (typeof workOrders.$inferSelect)['status'];
  urgency: (typeof workOrders.$inferSelect)['urgency'];
  gridId: number;
  lat: number;
  lng: number;
  createdAt: Date;
  assignedAt: Date | null;
  reopenCount: number;
  deadlineAt: Date | null;
  pausedAt: Date | null;
};

/** The open orders with a point in the scope, newest first, at most `limit` (`cut` when there were more). */
export async function openOrderPoints({
  db,
  scope,
  staffId,
  limit,
}: {
  db: Database;
  scope: Scope;
  staffId: number;
  limit: number;
}): Promise<{ rows: MapPointRow[]; cut: boolean }> {
  const parts = scopeParts(await resolveScope(db, scope), staffId, 'list');
  const inScope = parts[0] === undefined ? undefined : or(...parts);
  const found = await db
    .select({
      id: workOrders.id,
      no: workOrders.no,
      text: sql<string>`left(${workOrders.text}, 80)`,
      status: workOrders.status,
      urgency: workOrders.urgency,
      gridId: workOrders.gridId,
      lat: workOrders.lat,
      lng: workOrders.lng,
      createdAt: workOrders.createdAt,
      assignedAt: workOrders.assignedAt,
      reopenCount: workOrders.reopenCount,
      deadlineAt: workOrders.deadlineAt,
      pausedAt: workOrders.pausedAt,
    })
    .from(workOrders)
    .where(and(inScope, inArray(workOrders.status, [...OPEN_STATUSES]), isNotNull(workOrders.lat), isNotNull(workOrders.lng)))
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(limit + 1);
  const rows = found.slice(0, limit) as MapPointRow[];
  return { rows, cut: found.length > limit };
}

export type MapGridRow = { id: number; code: string; name: string; boundary: Boundary | null; open: number; overdue: number };

/**
 * The grids under the scope's units (every grid for an admin), with or without a boundary, and how many open
 * orders each has (overdue: past the deadline and not waiting on the resident), by code.
 */
export async function scopeGrids({ db, scope, now }: { db: Database; scope: Scope; now: Date }): Promise<MapGridRow[]> {
  const resolved = await resolveScope(db, scope);
  if (!resolved.all && resolved.gridIds.length === 0) return [];
  const units = await db
    .select({ id: gridUnits.id, code: gridUnits.code, name: gridUnits.name, boundary: gridUnits.boundary })
    .from(gridUnits)
    .where(and(eq(gridUnits.level, 'grid'), resolved.all ? undefined : inArray(gridUnits.id, resolved.gridIds)))
    .orderBy(asc(gridUnits.code));
  if (units.length === 0) return [];
  const counts = await db
    .select({
      gridId: workOrders.gridId,
      open: sql<number>`count(*)::int`,
      overdue: sql<number>`(count(*) filter (where ${workOrders.status} in ('assigned', 'accepted') and ${workOrders.pausedAt} is null and ${workOrders.deadlineAt} < ${now.toISOString()}::timestamptz))::int`,
    })
    .from(workOrders)
    .where(and(inArray(workOrders.status, [...OPEN_STATUSES]), inArray(workOrders.gridId, units.map((u) => u.id))))
    .groupBy(workOrders.gridId);
  const byGrid = new Map(counts.map((c) => [c.gridId, c]));
  return units.map((u) => ({ ...u, open: Number(byGrid.get(u.id)?.open ?? 0), overdue: Number(byGrid.get(u.id)?.overdue ?? 0) }));
}

/** One grid's code, name and boundary (the order page's map). */
export async function gridShape(db: Database, gridId: number): Promise<{ code: string; name: string; boundary: Boundary | null } | undefined> {
  const [row] = await db.select({ code: gridUnits.code, name: gridUnits.name, boundary: gridUnits.boundary }).from(gridUnits).where(eq(gridUnits.id, gridId));
  return row;
}
