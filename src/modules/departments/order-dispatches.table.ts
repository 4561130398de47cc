import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { gridUnits } from '../grids/grids.table';
import { staff } from '../people/staff.table';
import { workOrders } from '../work-orders/work-orders.table';
import { departments, dispatchRoleEnum } from './departments.table';

/**
 * A dispatch's life: dispatched → signed (签收) → resolved (办结), or returned (退回, 不属于本部门职责) to the
 * dispatcher, or withdrawn (the dispatcher took it back, or the order ended another way).
 */
export const dispatchStatusEnum = pgEnum('dispatch_status', ['dispatched', 'signed', 'returned', 'resolved', 'withdrawn']);

/**
 * One dispatch (分流交办) of an order to a department, as 主办 (lead) or 协办 (assist). Every dispatch is a row,
 * so a 退回 and the re-dispatch after it both stay on record for the department's figures (红黑榜).
 */
export const orderDispatches = pgTable(
  'order_dispatches',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    departmentId: integer('department_id')
      .notNull()
      .references(() => departments.id),
    role: dispatchRoleEnum('role').notNull(),
    status: dispatchStatusEnum('status').notNull().default('dispatched'),
    /** The unit that dispatched (where a 退回 goes back to for re-dispatch). */
    dispatcherUnitId: integer('dispatcher_unit_id')
      .notNull()
      .references(() => gridUnits.id),
    /** The officer who dispatched; null when the system did it from an unambiguous catalogue entry. */
    dispatchedByStaffId: integer('dispatched_by_staff_id').references(() => staff.id),
    /** The member the order was put with (the lead's assignee); null for an assist without a handler. */
    handlerStaffId: integer('handler_staff_id').references(() => staff.id),
    dispatchedAt: tstz('dispatched_at').notNull(),
    signDeadlineAt: tstz('sign_deadline_at'),
    signedAt: tstz('signed_at'),
    /** Until when 退回 is allowed; null when it is not at all (a final district 争议 decision). */
    returnDeadlineAt: tstz('return_deadline_at'),
    /** 办结 limit on the department's calendar. */
    deadlineAt: tstz('deadline_at'),
    returnedAt: tstz('returned_at'),
    returnReason: text('return_reason'),
    returnedByStaffId: integer('returned_by_staff_id').references(() => staff.id),
    resolvedAt: tstz('resolved_at'),
    /** Dispatched by the district dispatcher deciding a 争议派单: final, it cannot be returned again. */
    disputed: boolean('disputed').notNull().default(false),
  },
  (t) => [
    index('order_dispatches_order_idx').on(t.orderId, t.dispatchedAt),
    // The department's list and figures: its dispatches newest first.
    index('order_dispatches_department_idx').on(t.departmentId, t.dispatchedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('order_dispatches_department_open_idx')
      .on(t.departmentId, t.deadlineAt)
      .where(sql`${t.status} in ('dispatched', 'signed')`),
    // An order has at most one open 主办 at a time.
    uniqueIndex('order_dispatches_one_open_lead')
      .on(t.orderId)
      .where(sql`${t.role} = 'lead' and ${t.status} in ('dispatched', 'signed')`),
  ],
);

export type OrderDispatchRow = typeof orderDispatches.$inferSelect;
export type DispatchStatus = OrderDispatchRow['status'];
