import { type SQL, and, asc, eq, inArray, like, sql } from 'drizzle-orm';
import { type PgUpdateSetSource, alias } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { rows } from '../db/sql';
import { ROLE_LABELS, orderTexts } from '../i18n/zh-CN';
import { categories } from '../modules/categories/categories.table';
import { gridUnits } from '../modules/grids/grids.table';
import { type StaffAtUnit, type UnitNode, chainIds, chainOf } from '../modules/grids/grids.models';
import { jobRuns } from '../modules/notifications/job-runs.table';
import type { OutboxDraft, Person } from '../modules/notifications/notifications.models';
import type { StaffRole } from '../modules/people/people.models';
import { departmentMembers, departments } from '../modules/departments/departments.table';
import { staff, staffRoles } from '../modules/people/staff.table';
import { intArray } from '../modules/stats/sql-params';
import type { OrderEventDraft, OrderState, OrderStatus } from '../modules/work-orders/work-orders.models';
import { loadStaffAtUnits } from '../modules/work-orders/work-orders.repository';
import { type WorkOrderRow, workOrders } from '../modules/work-orders/work-orders.table';

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
      departmentId: workOrders.departmentId,
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

/** Where the order is handled, as the notices say it. */
export function placeOf(row: Pick<SweepRow, 'gridName' | 'unitName'>): string {
  return orderTexts.place(row);
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

/** `id = any(ids)` with the ids as one array parameter (one plan whatever the batch size). */
export function idIn(ids: readonly number[]): SQL {
  return sql`${workOrders.id} = any(${intArray(ids)}::int[])`;
}

/** A due order locked for its claim: the whole row (the use cases' state) plus what the notices say. */
export type LockedOrder = WorkOrderRow & { unitPath: string; unitName: string; gridName: string; categoryName: string };

/**
 * Locks the orders `ids` for the rest of the transaction, in id order (so two instances, or two rules, claiming
 * overlapping batches wait for each other instead of deadlocking), and returns them as they are now: the rule
 * that picked them is asked again on this state, so a change since the read (or another instance's claim)
 * is seen. With `skipLocked`, orders another transaction holds are left out (the next sweep looks again).
 */
export async function lockOrders(tx: Database, ids: readonly number[], { skipLocked = false } = {}): Promise<LockedOrder[]> {
  if (ids.length === 0) return [];
  const found = await tx
    .select({ row: workOrders, unitPath: orderUnit.path, unitName: orderUnit.name, gridName: orderGrid.name, categoryName: categories.name })
    .from(workOrders)
    .innerJoin(orderGrid, eq(orderGrid.id, workOrders.gridId))
    .innerJoin(orderUnit, eq(orderUnit.id, workOrders.unitId))
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(idIn(ids))
    .orderBy(asc(workOrders.id))
    .for('update', skipLocked ? { of: workOrders, skipLocked: true } : { of: workOrders });
  return found.map(({ row, ...names }) => ({ ...row, ...names }));
}

/** Sets job markers on the orders `ids` (already locked and re-checked by the caller). */
export async function markOrders(tx: Database, ids: readonly number[], set: PgUpdateSetSource<typeof workOrders>): Promise<void> {
  if (ids.length === 0) return;
  await tx.update(workOrders).set(set).where(idIn(ids));
}

/**
 * Timeline entries of many orders in one statement, the rows passed as one jsonb parameter (a multi-row VALUES
 * costs the driver and drizzle about as much per value as the database spends on the row).
 */
export async function insertOrderEvents(
  tx: Database,
  entries: { orderId: number; channel: string; event: OrderEventDraft }[],
): Promise<void> {
  if (entries.length === 0) return;
  const json = JSON.stringify(
    entries.map(({ orderId, channel, event: e }) => ({
      order_id: orderId,
      type: e.type,
      actor_kind: e.actorKind,
      actor_staff_id: e.actorStaffId,
      actor_resident_id: e.actorResidentId,
      channel,
      note: e.note,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      from_assignee_id: e.fromAssigneeId,
      to_assignee_id: e.toAssigneeId,
      from_unit_id: e.fromUnitId,
      to_unit_id: e.toUnitId,
      data: e.data,
      at: e.at,
    })),
  );
  const columns = `order_id, type, actor_kind, actor_staff_id, actor_resident_id, channel, note, from_status, to_status,
    from_assignee_id, to_assignee_id, from_unit_id, to_unit_id, data, at`;
  await tx.execute(sql`
    insert into order_events (${sql.raw(columns)})
    select ${sql.raw(columns)} from jsonb_to_recordset(${json}::jsonb) as x(order_id int, type text, actor_kind text,
      actor_staff_id int, actor_resident_id int, channel text, note text, from_status order_status, to_status order_status,
      from_assignee_id int, to_assignee_id int, from_unit_id int, to_unit_id int, data jsonb, at timestamptz)`);
}

/**
 * A batch's messages in one statement, as insertOutbox writes them (a dedupe key already written is skipped);
 * returns how many were written.
 */
export async function insertOutboxRows(tx: Database, drafts: readonly OutboxDraft[], botAccount: string): Promise<number> {
  if (drafts.length === 0) return 0;
  const json = JSON.stringify(
    drafts.map((d) => ({
      kind: d.kind,
      order_id: d.orderId,
      recipient_type: d.recipientType,
      staff_id: d.staffId ?? null,
      resident_id: d.residentId ?? null,
      chat_group_id: d.chatGroupId ?? null,
      text: d.text,
      dedupe_key: d.dedupeKey ?? null,
    })),
  );
  const columns = 'kind, order_id, recipient_type, staff_id, resident_id, chat_group_id, text, dedupe_key';
  const inserted = await rows<{ id: number }>(
    tx,
    sql`insert into outbox (bot_account, ${sql.raw(columns)})
        select ${botAccount}, ${sql.raw(columns)} from jsonb_to_recordset(${json}::jsonb) as x(kind text, order_id int,
          recipient_type text, staff_id int, resident_id int, chat_group_id int, text text, dedupe_key text)
        on conflict (dedupe_key) do nothing
        returning id`,
  );
  return inserted.length;
}

/** The state columns the rules write, with their SQL types: what saveOrderState writes for one order. */
const STATE_COLUMNS = {
  gridId: ['grid_id', 'int'],
  unitId: ['unit_id', 'int'],
  level: ['level', 'unit_level'],
  assigneeId: ['assignee_id', 'int'],
  departmentId: ['department_id', 'int'],
  categoryId: ['category_id', 'int'],
  urgency: ['urgency', 'urgency'],
  status: ['status', 'order_status'],
  assignedAt: ['assigned_at', 'timestamptz'],
  acceptedAt: ['accepted_at', 'timestamptz'],
  resolvedAt: ['resolved_at', 'timestamptz'],
  closedAt: ['closed_at', 'timestamptz'],
  signDeadlineAt: ['sign_deadline_at', 'timestamptz'],
  deadlineAt: ['deadline_at', 'timestamptz'],
  pausedAt: ['paused_at', 'timestamptz'],
  pendingExtensionDays: ['pending_extension_days', 'int'],
  pendingExtensionReason: ['pending_extension_reason', 'text'],
  reopenCount: ['reopen_count', 'int'],
  escalationCount: ['escalation_count', 'int'],
  returnCount: ['return_count', 'int'],
  supporters: ['supporters', 'int'],
  mergedIntoId: ['merged_into_id', 'int'],
  closure: ['closure', 'order_closure'],
} as const satisfies Record<Exclude<keyof OrderState, 'id' | 'no' | 'residentId' | 'unitPath'>, readonly [string, string]>;

/** Writes the rules' new states of many orders back in one statement (as saveOrderState does for one). */
export async function saveOrderStates(tx: Database, states: readonly OrderState[], now: Date): Promise<void> {
  if (states.length === 0) return;
  const entries = Object.entries(STATE_COLUMNS) as [keyof typeof STATE_COLUMNS, readonly [string, string]][];
  const json = JSON.stringify(states.map((s) => Object.fromEntries([['id', s.id], ...entries.map(([key, [column]]) => [column, s[key]])])));
  const columns = sql.raw(['id int', ...entries.map(([, [column, type]]) => `${column} ${type}`)].join(', '));
  const assignments = sql.raw(entries.map(([, [column]]) => `${column} = s.${column}`).join(', '));
  await tx.execute(sql`
    update work_orders set ${assignments}, version = work_orders.version + 1, updated_at = ${at(now)}
    from jsonb_to_recordset(${json}::jsonb) as s(${columns})
    where work_orders.id = s.id`);
}

/** The units on `paths` and everything above them, by id, in one read. */
export async function loadUnitsOnPaths(db: Database, paths: Iterable<string>): Promise<Map<number, UnitNode>> {
  const ids = [...new Set([...paths].flatMap(chainIds))];
  if (ids.length === 0) return new Map();
  const found = await db
    .select({ id: gridUnits.id, parentId: gridUnits.parentId, level: gridUnits.level, path: gridUnits.path, code: gridUnits.code, name: gridUnits.name })
    .from(gridUnits)
    .where(sql`${gridUnits.id} = any(${intArray(ids)}::int[])`);
  return new Map(found.map((u) => [u.id, u]));
}

/**
 * The organisation a batch of orders needs, read once: the units from each order's unit up to the root and
 * the staff at them. `chain(unitId)` is that unit and its ancestors, bottom first (as loadChain).
 */
export type UnitTree = { chain(unitId: number): UnitNode[]; staff: StaffAtUnit[] };

export async function loadUnitTree(db: Database, paths: Iterable<string>): Promise<UnitTree> {
  const units = await loadUnitsOnPaths(db, paths);
  const staffAt = await loadStaffAtUnits(db, [...units.keys()]);
  return { chain: (unitId) => chainOf(unitId, units), staff: staffAt };
}

/**
 * Names and role labels of the staff a batch's notices name, read once; `of(ids, unitIds)` gives each its
 * label preferring the role held at `unitIds`, as loadPeople does for one order.
 */
export type PeopleBook = { of(staffIds: readonly number[], unitIds?: readonly number[]): Map<number, Person> };

export async function loadPeopleBook(db: Database, staffIds: Iterable<number>): Promise<PeopleBook> {
  const ids = [...new Set(staffIds)];
  const found =
    ids.length === 0
      ? []
      : await db
          .select({ id: staff.id, name: staff.name, role: staffRoles.role, unitId: staffRoles.unitId, departmentName: departments.name })
          .from(staff)
          .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
          .leftJoin(departmentMembers, eq(departmentMembers.staffId, staff.id))
          .leftJoin(departments, eq(departments.id, departmentMembers.departmentId))
          .where(sql`${staff.id} = any(${intArray(ids)}::int[])`);
  return {
    of(staffIds, unitIds = []) {
      const wanted = new Set(staffIds);
      const preferred = new Set(unitIds);
      const people = new Map<number, Person>();
      for (const r of found) {
        if (!wanted.has(r.id)) continue;
        const existing = people.get(r.id);
        // As peopleFrom: a department member without a role in the tree is named by the department.
        const person = !r.role && r.departmentName ? { name: '', roleLabel: r.departmentName } : { name: r.name, roleLabel: r.role ? ROLE_LABELS[r.role] : '' };
        if (!existing || (r.unitId !== null && preferred.has(r.unitId))) people.set(r.id, person);
      }
      return people;
    },
  };
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

/** The run key holding when the scheduler first started on this database (its `started_at`). */
export const FIRST_START_KEY = 'scheduler:first-start';

/**
 * When the scheduler first started on this database: recorded by the first start (an install that ran jobs
 * before this was recorded counts from its earliest run key), read by every later one.
 */
export async function firstSchedulerStart(db: Database, { now, instance }: { now: Date; instance: string }): Promise<Date> {
  await db.execute(sql`
    insert into job_runs (key, started_at, instance)
    select ${FIRST_START_KEY}, coalesce(min(started_at), ${at(now)}), ${instance} from job_runs
    on conflict (key) do nothing`);
  const [row] = await db.select({ startedAt: jobRuns.startedAt }).from(jobRuns).where(eq(jobRuns.key, FIRST_START_KEY));
  return row!.startedAt;
}

/** Whether a run key is already claimed (a cheap look before work that only the claiming run needs). */
export async function runKeyTaken(db: Database, key: string): Promise<boolean> {
  const found = await db.select({ key: jobRuns.key }).from(jobRuns).where(eq(jobRuns.key, key));
  return found.length > 0;
}

export async function finishRunKey(db: Database, { key, now }: { key: string; now: Date }): Promise<void> {
  await db.update(jobRuns).set({ finishedAt: now }).where(eq(jobRuns.key, key));
}

/** A timestamp parameter for raw SQL that both drivers read the same way. */
export function at(d: Date): SQL {
  return sql`${d.toISOString()}::timestamptz`;
}
