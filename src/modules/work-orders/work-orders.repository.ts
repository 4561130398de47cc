import { eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import { ROLE_LABELS } from '../../i18n/zh-CN';
import { gridUnits } from '../grids/grids.table';
import { type StaffAtUnit, type UnitLevel, type UnitNode, chainIds } from '../grids/grids.models';
import type { OutboxDraft, Person } from '../notifications/notifications.models';
import { outbox } from '../notifications/outbox.table';
import type { Actor, RoleAtUnit, StaffRole } from '../people/people.models';
import { staff, staffRoles } from '../people/staff.table';
import { membershipsOf } from '../departments/departments.repository';
import { departmentMembers, departments } from '../departments/departments.table';
import type { OrderEventDraft, OrderState } from './work-orders.models';
import { type WorkOrderRow, orderEvents, orderSupporters, workOrders } from './work-orders.table';

const unitOf = alias(gridUnits, 'order_unit');
const gridOf = alias(gridUnits, 'order_grid');

export type LoadedOrder = { row: WorkOrderRow; state: OrderState; gridPath: string; gridName: string; unitName: string };

export type OrderRef = { id: number } | { no: number };

function refWhere(ref: OrderRef) {
  return 'id' in ref ? eq(workOrders.id, ref.id) : eq(workOrders.no, ref.no);
}

export function toState(row: WorkOrderRow, unitPath: string): OrderState {
  return {
    id: row.id,
    no: row.no,
    residentId: row.residentId,
    gridId: row.gridId,
    unitId: row.unitId,
    unitPath,
    level: row.level,
    assigneeId: row.assigneeId,
    departmentId: row.departmentId,
    categoryId: row.categoryId,
    urgency: row.urgency,
    status: row.status,
    assignedAt: row.assignedAt,
    acceptedAt: row.acceptedAt,
    resolvedAt: row.resolvedAt,
    closedAt: row.closedAt,
    signDeadlineAt: row.signDeadlineAt,
    deadlineAt: row.deadlineAt,
    pausedAt: row.pausedAt,
    pendingExtensionDays: row.pendingExtensionDays,
    pendingExtensionReason: row.pendingExtensionReason,
    reopenCount: row.reopenCount,
    escalationCount: row.escalationCount,
    returnCount: row.returnCount,
    supporters: row.supporters,
    mergedIntoId: row.mergedIntoId,
    closure: row.closure,
  };
}

/** Loads an order with its unit and grid; with `lock`, row-locks it for the rest of the transaction. */
export async function loadOrder(db: Database, ref: OrderRef, { lock = false } = {}): Promise<LoadedOrder | undefined> {
  const query = db
    .select({
      row: workOrders,
      unitPath: unitOf.path,
      unitName: unitOf.name,
      gridPath: gridOf.path,
      gridName: gridOf.name,
    })
    .from(workOrders)
    .innerJoin(unitOf, eq(unitOf.id, workOrders.unitId))
    .innerJoin(gridOf, eq(gridOf.id, workOrders.gridId))
    .where(refWhere(ref));
  const [found] = lock ? await query.for('update', { of: workOrders }) : await query;
  if (!found) return undefined;
  return {
    row: found.row,
    state: toState(found.row, found.unitPath),
    gridPath: found.gridPath,
    gridName: found.gridName,
    unitName: found.unitName,
  };
}

/** The columns that hold an order's state, as the rules left it. */
export function stateColumns(state: Omit<OrderState, 'id' | 'no'>) {
  return {
    gridId: state.gridId,
    unitId: state.unitId,
    level: state.level,
    assigneeId: state.assigneeId,
    departmentId: state.departmentId ?? null,
    categoryId: state.categoryId,
    urgency: state.urgency,
    status: state.status,
    assignedAt: state.assignedAt,
    acceptedAt: state.acceptedAt,
    resolvedAt: state.resolvedAt,
    closedAt: state.closedAt,
    signDeadlineAt: state.signDeadlineAt,
    deadlineAt: state.deadlineAt,
    pausedAt: state.pausedAt,
    pendingExtensionDays: state.pendingExtensionDays,
    pendingExtensionReason: state.pendingExtensionReason,
    reopenCount: state.reopenCount,
    escalationCount: state.escalationCount,
    returnCount: state.returnCount,
    supporters: state.supporters,
    mergedIntoId: state.mergedIntoId,
    closure: state.closure,
  };
}

/** Writes the rules' new state back, with any job markers the caller sets alongside. */
export async function saveOrderState(
  db: Database,
  state: OrderState,
  extra: Partial<typeof workOrders.$inferInsert> = {},
  now: Date,
): Promise<void> {
  await db
    .update(workOrders)
    .set({
      ...stateColumns(state),
      ...extra,
      version: sql`${workOrders.version} + 1`,
      updatedAt: now,
    })
    .where(eq(workOrders.id, state.id));
}

export async function insertEvents(
  db: Database,
  { orderId, channel, events }: { orderId: number; channel: string; events: OrderEventDraft[] },
): Promise<void> {
  if (events.length === 0) return;
  // Prepared, as the other statements of a new order (see new-order.repository.ts).
  await db
    .insert(orderEvents)
    .values(events.map((e) => ({ ...e, orderId, channel })))
    .prepare('insert_order_events')
    .execute();
}

/**
 * `now`: the application's clock, so a notice is dated as the change that wrote it (the order page's conversation
 * interleaves them with the resident's messages). Without it the row takes the database's transaction time, as the
 * jobs' reports do (all rows of one run share it).
 */
export async function insertOutbox(db: Database, drafts: OutboxDraft[], botAccount = 'default', now?: Date): Promise<number> {
  if (drafts.length === 0) return 0;
  const inserted = await db
    .insert(outbox)
    .values(
      drafts.map((d) => ({
        botAccount,
        kind: d.kind,
        orderId: d.orderId,
        recipientType: d.recipientType,
        staffId: d.staffId ?? null,
        residentId: d.residentId ?? null,
        chatGroupId: d.chatGroupId ?? null,
        text: d.text,
        dedupeKey: d.dedupeKey ?? null,
        ...(now ? { createdAt: now } : {}),
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id })
    .prepare(now ? 'insert_outbox_at' : 'insert_outbox')
    .execute();
  return inserted.length;
}

/** The units from the one with `path` up to the root, bottom first. */
export async function loadChain(db: Database, path: string): Promise<UnitNode[]> {
  const ids = chainIds(path);
  if (ids.length === 0) return [];
  const rows = await db.select().from(gridUnits).where(inArray(gridUnits.id, ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ id: r.id, parentId: r.parentId, level: r.level, path: r.path, code: r.code, name: r.name }] : [];
  });
}

export async function loadStaffAtUnits(db: Database, unitIds: number[]): Promise<StaffAtUnit[]> {
  if (unitIds.length === 0) return [];
  return db
    .select({ staffId: staffRoles.staffId, unitId: staffRoles.unitId, role: staffRoles.role, active: staff.active })
    .from(staffRoles)
    .innerJoin(staff, eq(staff.id, staffRoles.staffId))
    .where(inArray(staffRoles.unitId, unitIds));
}

/** Names and the role label to show for each person ("网格长张三"), preferring the role held at `unitIds`. */
export async function loadPeople(db: Database, staffIds: number[], unitIds: number[] = []): Promise<Map<number, Person>> {
  const ids = [...new Set(staffIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ staffId: staff.id, name: staff.name, role: staffRoles.role, unitId: staffRoles.unitId, departmentName: departments.name })
    .from(staff)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .leftJoin(departmentMembers, eq(departmentMembers.staffId, staff.id))
    .leftJoin(departments, eq(departments.id, departmentMembers.departmentId))
    .where(inArray(staff.id, ids));
  return peopleFrom(rows, unitIds);
}

type NamedRole = { staffId: number; name: string; role: StaffRole | null; unitId: number | null; departmentName?: string | null };

/**
 * Each person's name and role label from their roles, a role held at one of `preferredUnitIds` first. A member
 * of a department with no role in the tree is named by the department alone ("区燃气公司"): the department
 * answers for the order, and residents are told which one.
 */
export function peopleFrom(rows: readonly NamedRole[], preferredUnitIds: readonly number[]): Map<number, Person> {
  const people = new Map<number, Person>();
  const preferred = new Set(preferredUnitIds);
  for (const r of rows) {
    const existing = people.has(r.staffId);
    const person = !r.role && r.departmentName ? { name: '', roleLabel: r.departmentName } : { name: r.name, roleLabel: r.role ? ROLE_LABELS[r.role] : '' };
    if (!existing || (r.unitId !== null && preferred.has(r.unitId))) people.set(r.staffId, person);
  }
  return people;
}

/** A member of staff as an actor, with every role and that unit's path and level; undefined if unknown or inactive. */
export async function loadStaffActor(db: Database, staffId: number): Promise<Extract<Actor, { kind: 'staff' }> | undefined> {
  const rows = await db
    .select({
      active: staff.active,
      unitId: staffRoles.unitId,
      role: staffRoles.role,
      unitPath: gridUnits.path,
      level: gridUnits.level,
    })
    .from(staff)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .leftJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .where(eq(staff.id, staffId));
  if (rows.length === 0 || !rows[0]!.active) return undefined;
  const roles: RoleAtUnit[] = rows.flatMap((r) =>
    r.unitId !== null && r.role && r.unitPath && r.level
      ? [{ unitId: r.unitId, role: r.role as StaffRole, unitPath: r.unitPath, level: r.level as UnitLevel }]
      : [],
  );
  const memberships = await membershipsOf(db, staffId);
  return { kind: 'staff', staffId, roles, ...(memberships.length ? { departments: memberships } : {}) };
}

export async function supporterIds(db: Database, orderId: number): Promise<{ residentId: number; chatGroupId: number | null }[]> {
  return db
    .select({ residentId: orderSupporters.residentId, chatGroupId: orderSupporters.chatGroupId })
    .from(orderSupporters)
    .where(eq(orderSupporters.orderId, orderId));
}
