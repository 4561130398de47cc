import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, like, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { categories } from '../categories/categories.table';
import { departments } from '../departments/departments.table';
import { orderDispatches } from '../departments/order-dispatches.table';
import { gridUnits } from '../grids/grids.table';
import type { Actor } from '../people/people.models';
import { OPEN_STATUSES, type OrderStatus } from '../work-orders/work-orders.models';
import { orderEvents, orderSupporters, workOrders } from '../work-orders/work-orders.table';
import { outbox } from '../notifications/outbox.table';
import { residents } from '../people/residents.table';
import { inboundMessages } from './chat.table';
import { type InboundRow, STAFF_QUESTION_OUTCOME, latestInbound } from './inbound.repository';

/** An order as the chat lists it. */
export type ChatOrder = {
  id: number;
  no: number;
  status: OrderStatus;
  categoryName: string;
  deadlineAt: Date | null;
  text: string;
  createdAt: Date;
  residentId: number;
  chatGroupId: number | null;
  pendingExtensionDays: number | null;
};

const columns = {
  id: workOrders.id,
  no: workOrders.no,
  status: workOrders.status,
  categoryName: categories.name,
  deadlineAt: workOrders.deadlineAt,
  text: workOrders.text,
  createdAt: workOrders.createdAt,
  residentId: workOrders.residentId,
  chatGroupId: workOrders.chatGroupId,
  pendingExtensionDays: workOrders.pendingExtensionDays,
};

export async function residentOrders(
  db: Database,
  { residentId, statuses, limit = 20 }: { residentId: number; statuses?: readonly OrderStatus[]; limit?: number },
): Promise<ChatOrder[]> {
  return db
    .select(columns)
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(and(eq(workOrders.residentId, residentId), statuses ? inArray(workOrders.status, [...statuses]) : undefined))
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(limit);
}

/**
 * Orders the resident follows ("+1" on a neighbour's report), newest first: they hear of its progress, so they
 * may ask after it with 查询 too.
 */
export async function followedOrders(
  db: Database,
  { residentId, statuses, limit = 20 }: { residentId: number; statuses?: readonly OrderStatus[]; limit?: number },
): Promise<ChatOrder[]> {
  return db
    .select(columns)
    .from(orderSupporters)
    .innerJoin(workOrders, eq(workOrders.id, orderSupporters.orderId))
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(and(eq(orderSupporters.residentId, residentId), statuses ? inArray(workOrders.status, [...statuses]) : undefined))
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(limit);
}

/** Whether the resident follows the order ("+1"). */
export async function followsOrder(db: Database, { residentId, orderId }: { residentId: number; orderId: number }): Promise<boolean> {
  const [row] = await db
    .select({ orderId: orderSupporters.orderId })
    .from(orderSupporters)
    .where(and(eq(orderSupporters.orderId, orderId), eq(orderSupporters.residentId, residentId)));
  return row !== undefined;
}

/** The resident's latest order created since `since` (photos sent right after a report attach to it). */
export async function latestOrderSince(db: Database, { residentId, since }: { residentId: number; since: Date }): Promise<ChatOrder | undefined> {
  const [row] = await db
    .select(columns)
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(and(eq(workOrders.residentId, residentId), gte(workOrders.createdAt, since)))
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(1);
  return row;
}

/**
 * The newest open order reported in this group by someone else since `since`: what a bare "+1" in the group
 * joins. Read on the grid's (grid, created_at) index.
 */
export async function latestOpenInGroup(
  db: Database,
  { gridId, chatGroupId, notResidentId, since }: { gridId: number; chatGroupId: number; notResidentId: number; since: Date },
): Promise<ChatOrder | undefined> {
  const [row] = await db
    .select(columns)
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(
      and(
        eq(workOrders.gridId, gridId),
        gte(workOrders.createdAt, since),
        eq(workOrders.chatGroupId, chatGroupId),
        ne(workOrders.residentId, notResidentId),
        inArray(workOrders.status, [...OPEN_STATUSES]),
      ),
    )
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(1);
  return row;
}

export async function staffOrders(
  db: Database,
  { staffId, statuses, limit = 30 }: { staffId: number; statuses: readonly OrderStatus[]; limit?: number },
): Promise<ChatOrder[]> {
  return db
    .select(columns)
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(and(eq(workOrders.assigneeId, staffId), inArray(workOrders.status, [...statuses])))
    .orderBy(sql`${workOrders.deadlineAt} asc nulls last`, workOrders.id)
    .limit(limit);
}

/** Open orders with an extension request the actor may decide (their unit is strictly below the actor's). */
export async function extensionsToDecide(db: Database, { actor, limit = 30 }: { actor: Extract<Actor, { kind: 'staff' }>; limit?: number }): Promise<ChatOrder[]> {
  const isAdmin = actor.roles.some((r) => r.role === 'admin');
  const scopes = actor.roles
    .filter((r) => r.role === 'officer' || r.role === 'admin')
    .map((r) => and(like(gridUnits.path, `${r.unitPath}%`), ne(gridUnits.path, r.unitPath)));
  if (!isAdmin && scopes.length === 0) return [];
  return db
    .select(columns)
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(gridUnits, eq(gridUnits.id, workOrders.unitId))
    .where(
      and(
        isNotNull(workOrders.pendingExtensionDays),
        inArray(workOrders.status, ['assigned', 'accepted']),
        isAdmin ? undefined : or(...scopes),
      ),
    )
    .orderBy(workOrders.id)
    .limit(limit);
}

/**
 * Resolved orders in the actor's area whose resident the bot cannot reach (no chat identity: reported by Open311,
 * the resident page, a phone call): the 回访 staff make by phone or in person and record with "回访". With
 * `reachable`, also those whose resident the bot asked but who has not answered (a resident who does not type,
 * called instead). Admins name the order.
 */
export async function ordersAwaitingVisit(
  db: Database,
  { actor, reachable = false, limit = 10 }: { actor: Extract<Actor, { kind: 'staff' }>; reachable?: boolean; limit?: number },
): Promise<ChatOrder[]> {
  const scopes = actor.roles.filter((r) => r.role !== 'admin').map((r) => like(gridUnits.path, `${r.unitPath}%`));
  if (scopes.length === 0) return [];
  return db
    .select(columns)
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(gridUnits, eq(gridUnits.id, workOrders.gridId))
    .innerJoin(residents, eq(residents.id, workOrders.residentId))
    .where(and(eq(workOrders.status, 'resolved'), reachable ? undefined : and(isNull(residents.chatKey), isNull(residents.chatContactId)), or(...scopes)))
    .orderBy(workOrders.id)
    .limit(limit);
}

export async function orderByNo(
  db: Database,
  no: number,
): Promise<(ChatOrder & { gridPath: string; gridName: string; assigneeId: number | null; departmentId: number | null }) | undefined> {
  const [row] = await db
    .select({ ...columns, gridPath: gridUnits.path, gridName: gridUnits.name, assigneeId: workOrders.assigneeId, departmentId: workOrders.departmentId })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(gridUnits, eq(gridUnits.id, workOrders.gridId))
    .where(eq(workOrders.no, no));
  return row;
}

/** The latest note on the timeline worth showing the resident (progress, resolution, escalation...). */
export async function latestNote(db: Database, orderId: number): Promise<{ type: string; note: string } | undefined> {
  const [row] = await db
    .select({ type: orderEvents.type, note: orderEvents.note })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.orderId, orderId),
        isNotNull(orderEvents.note),
        inArray(orderEvents.type, ['progress', 'resolve', 'escalate', 'return', 'reply', 'approve_extension', 'reopen', 'survey']),
      ),
    )
    .orderBy(desc(orderEvents.at), desc(orderEvents.id))
    .limit(1);
  return row && row.note ? { type: row.type, note: row.note } : undefined;
}

/** A staff member's open order as 待办 marks it: its urgency and what its time left is counted from. */
export type StaffTodoOrder = ChatOrder & {
  urgent: boolean;
  assignedAt: Date | null;
  reopenCount: number;
  pausedAt: Date | null;
  urgency: 'normal' | 'urgent';
};

/**
 * The open orders assigned to a member of staff, and those held by the departments they head (`headOf`), with
 * what 待办 needs to put the urgent and overdue first.
 */
export async function staffTodoOrders(
  db: Database,
  { staffId, headOf = [], limit = 30 }: { staffId: number; headOf?: number[]; limit?: number },
): Promise<StaffTodoOrder[]> {
  const rows = await db
    .select({ ...columns, urgency: workOrders.urgency, assignedAt: workOrders.assignedAt, reopenCount: workOrders.reopenCount, pausedAt: workOrders.pausedAt })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(
      and(
        headOf.length ? or(eq(workOrders.assigneeId, staffId), inArray(workOrders.departmentId, headOf)) : eq(workOrders.assigneeId, staffId),
        inArray(workOrders.status, ['assigned', 'accepted']),
      ),
    )
    .orderBy(sql`${workOrders.deadlineAt} asc nulls last`, workOrders.id)
    .limit(limit);
  return rows.map((r) => ({ ...r, urgent: r.urgency === 'urgent' }));
}

/** An overdue order a department holds, dispatched by the officer's unit: theirs to follow up (the 督办 says so). */
export type DispatchedOverdue = { no: number; categoryName: string; text: string; department: string; deadlineAt: Date | null };

/**
 * The open orders departments hold, dispatched by one of `unitIds` (the units where the officer is one), past
 * their deadline with the clock running: the officer's 督办 asks them to follow these up.
 */
export async function overdueDispatchedBy(db: Database, { unitIds, now, limit = 10 }: { unitIds: number[]; now: Date; limit?: number }): Promise<DispatchedOverdue[]> {
  if (unitIds.length === 0) return [];
  return db
    .select({ no: workOrders.no, categoryName: categories.name, text: workOrders.text, department: departments.name, deadlineAt: workOrders.deadlineAt })
    .from(workOrders)
    .innerJoin(
      orderDispatches,
      and(
        eq(orderDispatches.orderId, workOrders.id),
        eq(orderDispatches.departmentId, workOrders.departmentId),
        eq(orderDispatches.role, 'lead'),
        inArray(orderDispatches.status, ['dispatched', 'signed']),
      ),
    )
    .innerJoin(departments, eq(departments.id, workOrders.departmentId))
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(
      and(
        inArray(orderDispatches.dispatcherUnitId, unitIds),
        inArray(workOrders.status, ['assigned', 'accepted']),
        lt(workOrders.deadlineAt, now),
        isNull(workOrders.pausedAt),
      ),
    )
    .orderBy(asc(workOrders.deadlineAt), workOrders.id)
    .limit(limit);
}

/** The staff member's latest unanswered one-key question ("回复 1 签收 #1007…") asked since `since`, 1:1. */
export function latestStaffQuestion(db: Database, { fromKey, since }: { fromKey: string; since: Date }): Promise<InboundRow | undefined> {
  return latestInbound(db, { fromKey, since, where: and(eq(inboundMessages.outcome, STAFF_QUESTION_OUTCOME), sql`${inboundMessages.roomId} is null`) });
}

/** A new question supersedes the person's older unanswered ones: a later "1" answers only the latest. */
export async function expireStaffQuestions(db: Database, { fromKey }: { fromKey: string }): Promise<void> {
  await db
    .update(inboundMessages)
    .set({ outcome: 'reply' })
    .where(and(eq(inboundMessages.fromKey, fromKey), eq(inboundMessages.outcome, STAFF_QUESTION_OUTCOME)));
}

/**
 * Of `orderIds`, the one the bot last sent this member of staff a notice about (an assignment, a 催办, a
 * resident's reply...): what "这个单子" means to them. Undefined when none of them had a notice.
 */
export async function lastNoticedOrder(db: Database, { staffId, orderIds }: { staffId: number; orderIds: number[] }): Promise<number | undefined> {
  if (orderIds.length === 0) return undefined;
  const [row] = await db
    .select({ orderId: outbox.orderId })
    .from(outbox)
    .where(and(inArray(outbox.orderId, orderIds), eq(outbox.recipientType, 'staff'), eq(outbox.staffId, staffId), ne(outbox.kind, 'reply')))
    .orderBy(desc(outbox.id))
    .limit(1);
  return row?.orderId ?? undefined;
}
