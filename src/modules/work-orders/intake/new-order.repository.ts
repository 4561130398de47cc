import { and, eq, gt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../../db/client';
import { type StaffAtUnit, type UnitNode, chainIds } from '../../grids/grids.models';
import { gridUnits } from '../../grids/grids.table';
import { staff, staffRoles } from '../../people/staff.table';
import type { OrderState } from '../work-orders.models';
import { stateColumns } from '../work-orders.repository';
import { workOrders } from '../work-orders.table';

/*
 * What submitDemand reads and writes. Its statements are prepared (`.prepare(name).execute()`): postgres.js keeps
 * them per connection and then sends only Bind/Execute, one round trip, where a statement with parameters that
 * is not prepared takes two (Parse/Describe first) and is parsed and planned again each time.
 */

const chainUnit = alias(gridUnits, 'chain_unit');

/**
 * A grid and the units above it (bottom first), with everyone holding a role at any of them: what routing a
 * new order and writing its notices need, in one query. Undefined when `gridId` is not a grid.
 */
export async function loadGridChain(
  db: Database,
  gridId: number,
): Promise<{ chain: UnitNode[]; staff: (StaffAtUnit & { name: string })[] } | undefined> {
  const rows = await db
    .select({
      unit: { id: chainUnit.id, parentId: chainUnit.parentId, level: chainUnit.level, path: chainUnit.path, code: chainUnit.code, name: chainUnit.name },
      staffId: staffRoles.staffId,
      role: staffRoles.role,
      active: staff.active,
      name: staff.name,
    })
    .from(gridUnits)
    // The ids on the grid's materialised path ("/1/2/10/11/"), as chainIds reads them.
    .innerJoin(chainUnit, sql`${chainUnit.id} = any(array_remove(string_to_array(${gridUnits.path}, '/'), '')::int[])`)
    .leftJoin(staffRoles, eq(staffRoles.unitId, chainUnit.id))
    .leftJoin(staff, eq(staff.id, staffRoles.staffId))
    .where(and(eq(gridUnits.id, gridId), eq(gridUnits.level, 'grid')))
    .prepare('load_grid_chain')
    .execute();
  const grid = rows.find((r) => r.unit.id === gridId)?.unit;
  if (!grid) return undefined;
  const units = new Map(rows.map((r) => [r.unit.id, r.unit]));
  return {
    chain: chainIds(grid.path).flatMap((id) => units.get(id) ?? []),
    staff: rows.flatMap((r) =>
      r.staffId !== null && r.role !== null && r.active !== null && r.name !== null
        ? [{ staffId: r.staffId, unitId: r.unit.id, role: r.role, active: r.active, name: r.name }]
        : [],
    ),
  };
}

/**
 * Open orders in a grid since `since`, newest first, for the duplicate check. The statuses are written out as
 * in the partial index work_orders_grid_open_created_idx: as parameters, a prepared statement's generic plan
 * could not use it.
 */
export async function recentOpenOrdersInGrid(db: Database, { gridId, since }: { gridId: number; since: Date }) {
  return db
    .select({
      id: workOrders.id,
      no: workOrders.no,
      text: workOrders.text,
      createdAt: workOrders.createdAt,
      residentId: workOrders.residentId,
      categoryId: workOrders.categoryId,
      deadlineAt: workOrders.deadlineAt,
      assigneeId: workOrders.assigneeId,
    })
    .from(workOrders)
    .where(
      and(
        eq(workOrders.gridId, gridId),
        sql`${workOrders.status} in ('submitted', 'assigned', 'accepted')`,
        gt(workOrders.createdAt, since),
      ),
    )
    .orderBy(sql`${workOrders.createdAt} desc`)
    .limit(200)
    .prepare('recent_open_orders_in_grid')
    .execute();
}

/**
 * Inserts a new order in the state the rules gave it (submitted, and assigned when someone is responsible) —
 * one write, where an insert then an update would write the row and every index twice (the trigram and
 * full-text ones too). Returns its id and number; nothing when the source message already made an order.
 */
export async function insertNewOrder(
  db: Database,
  {
    state,
    text,
    searchTokens,
    locationText,
    lat,
    lng,
    channel,
    chatGroupId,
    sourceMessageId,
    now,
  }: {
    state: Omit<OrderState, 'id' | 'no'>;
    text: string;
    searchTokens: string;
    locationText: string | null;
    lat: number | null;
    lng: number | null;
    channel: string;
    chatGroupId: number | null;
    sourceMessageId: string | null;
    now: Date;
  },
): Promise<{ id: number; no: number } | undefined> {
  const [row] = await db
    .insert(workOrders)
    .values({
      ...stateColumns(state),
      residentId: state.residentId,
      text,
      searchTokens,
      locationText,
      lat,
      lng,
      channel,
      chatGroupId,
      sourceMessageId,
      createdAt: now,
      updatedAt: now,
      // Saved once, as created and routed.
      version: 1,
    })
    .onConflictDoNothing({ target: workOrders.sourceMessageId })
    .returning({ id: workOrders.id, no: workOrders.no })
    .prepare('insert_new_order')
    .execute();
  return row;
}
