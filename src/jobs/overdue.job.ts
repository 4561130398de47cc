/**
 * Overdue 督办: the first working moment an order is past its deadline unresolved, a 督办 notice goes to its
 * assignee and to those who press them, and the order is marked overdue for the figures (was_overdue). In the
 * grid tree that is the supervisor one level up, and an order still overdue OVERDUE_ESCALATE_AFTER_WORKING_DAYS
 * working days later is escalated one level up by the system, again after as many working days at the new level,
 * until it reaches the district. An order a department holds (分流交办) stays with the department, which alone can
 * fix it: the 督办 goes to its handler, the department's heads and the officers of the unit that dispatched it,
 * and every N working days while it stays overdue a 催办升级 goes to the heads, the dispatcher's officers and the
 * level above the dispatcher, recorded on the order's timeline (a system `supervise` entry).
 *
 * Working days and the working period are those of the order's calendar: a department's own (`every_day` for a
 * utility: 09:00–18:00 every day, 国庆 included; its days counted as calendar days), the holiday calendar for a
 * grid order. Candidates, per calendar: the orders not yet 督办'd past their deadline
 * (work_orders_overdue_notice_idx), and the 督办'd ones below the district, or held by a department, whose
 * deadline and last follow-up are before that calendar's bound (work_orders_overdue_escalation_idx). Claim, per batch: notice — the orders locked in id order, the rule
 * asked again on their locked state, overdue_notice_at (with was_overdue) set; follow-up — locked with SKIP
 * LOCKED, overdue_escalated_at set in the same transaction as the escalation or the 催办升级 (also when an
 * escalation is refused, so it is retried `days` working days later).
 */
import { type SQL, and, asc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { jobTexts } from '../i18n/zh-CN.jobs';
import { staffTexts } from '../i18n/zh-CN.staff';
import { loadAdditions } from '../modules/work-orders/handling/apply-command.usecases';
import type { WorkCalendar } from '../modules/calendar/calendar.models';
import { directoryOf } from '../modules/departments/dispatch.usecases';
import { intArray } from '../modules/stats/sql-params';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import {
  HANDLING,
  type LockedOrder,
  type SweepRow,
  type UnitTree,
  at,
  insertOrderEvents,
  insertOutboxRows,
  loadPeopleBook,
  loadUnitTree,
  lockOrders,
  markOrders,
  placeOf,
  selectSweepRows,
  staffNames,
  systemEvent,
} from './jobs.repository';
import { inWorkingPeriod } from './notice-window.models';
import {
  overdueEscalationBound,
  overdueEscalationDue,
  overdueEscalationDueAt,
  overdueFollowUp,
  overdueNoticeDue,
} from './order-reminders.models';
import {
  type CalendarGroup,
  calendarGroups,
  calendarOfOrder,
  overdueNoticeRecipients,
  overdueWorkingDays,
  sweepCalendars,
  urgeRecipients,
  worksEveryDay,
} from './overdue.models';
import { type NoticeDepartment, type OverdueNoticeOrder, overdueNoticeData, overdueNoticeDrafts, urgeNotice } from './overdue.notices';
import { type LoadedDepartmentSide, loadDepartmentSides } from './overdue.repository';
import { applySystemCommand } from './system-commands';

export async function run(deps: JobDeps): Promise<{ noticed: number; escalated: number; urged: number }> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  // Read once per run, here: nothing inside the transactions below reads through the outer db or a cache.
  const { departments } = await directoryOf(deps.orderDeps);
  const calendars = sweepCalendars({ working: calendar, departments });
  const days = deps.overdueEscalateAfterDays;
  const w = workOrders;
  const unnoticed: SweepRow[] = [];
  const stale: SweepRow[] = [];
  // One pair of selects per calendar (grid orders and `working` departments' on the holiday calendar; the
  // `every_day` departments' on theirs), each with that calendar's bound, so that no due order can be starved by
  // the batch limit: within one calendar the SQL asks all of the rule but the follow-up's working days (status,
  // deadline, the stopped clock, the level, the working period by urgency), and the follow-up falls due N working
  // days after `lastMove`, which grows with `lastMove`; so the due orders of a group are a prefix of its rows in
  // `lastMove` order (the 督办's in deadline order are all due), and a batch is never filled with not-yet-due
  // orders of another calendar (a week of 国庆 would otherwise hold back a gas company's 催办升级).
  for (const group of calendarGroups(calendars)) {
    const held = heldBy(group);
    const overdue = and(
      inArray(w.status, HANDLING),
      lt(w.deadlineAt, now),
      // A wait on the resident that began before the deadline stopped the clock.
      or(isNull(w.pausedAt), sql`${w.pausedAt} > ${w.deadlineAt}`),
      held,
      inWorkingPeriod({ now, calendar: group.calendar }) ? undefined : eq(w.urgency, 'urgent'),
    );
    unnoticed.push(...(await selectSweepRows(deps.db, and(overdue, isNull(w.overdueNoticeAt)), { limit: deps.batchSize, orderBy: asc(w.deadlineAt) })));
    const bound = overdueEscalationBound({ now, days, calendar: group.calendar });
    const lastMove = sql`coalesce(${w.overdueEscalatedAt}, ${w.deadlineAt})`;
    stale.push(
      ...(await selectSweepRows(
        deps.db,
        // BETWEEN: a one-sided bound on an expression of a partial index is guessed to match a third of it.
        // The level clause as the index's predicate has it: a department's order is followed up at any level.
        and(
          overdue,
          isNotNull(w.overdueNoticeAt),
          or(ne(w.level, 'district'), isNotNull(w.departmentId)),
          lte(w.deadlineAt, bound),
          sql`${lastMove} between '-infinity' and ${at(bound)}`,
        ),
        { limit: deps.batchSize, orderBy: lastMove },
      )),
    );
  }
  const calendarFor = (order: { departmentId: number | null }) => calendarOfOrder({ order, calendars });
  const noticed = await notify(deps, unnoticed.filter((order) => overdueNoticeDue({ order, now, calendar: calendarFor(order) })), now, calendarFor);
  const followedUp = await followUp(
    deps,
    stale.filter((order) => overdueEscalationDue({ order, now, days, calendar: calendarFor(order) })),
    now,
    { working: calendar, of: calendarFor },
  );
  return { noticed, ...followedUp };
}

/** The orders of a calendar group: the departments listed, or the grid orders and every department not listed. */
function heldBy(group: CalendarGroup): SQL | undefined {
  const w = workOrders;
  if ('only' in group) return sql`${w.departmentId} = any(${intArray(group.only)}::int[])`;
  if (group.except.length === 0) return undefined;
  return or(isNull(w.departmentId), sql`${w.departmentId} <> all(${intArray(group.except)}::int[])`);
}

type CalendarFor = (order: { departmentId: number | null }) => WorkCalendar;

async function notify(deps: JobDeps, due: SweepRow[], now: Date, calendarFor: CalendarFor): Promise<number> {
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const claimed = (await lockOrders(tx, due.map((r) => r.id))).filter((order) => overdueNoticeDue({ order, now, calendar: calendarFor(order) }));
    await markOrders(tx, claimed.map((r) => r.id), { overdueNoticeAt: now, wasOverdue: true });
    // Orders of one unit share their supervisors; a backlog after downtime is mostly a few units.
    const { tree, sides } = await loadSurroundings(tx, claimed);
    const handlers = await handlerNames(tx, claimed, sides);
    const additions = await loadAdditions(tx, claimed.map((r) => r.id));
    const drafts = [];
    const events = [];
    for (const row of claimed) {
      const side = sides.get(row.id) ?? null;
      const recipients = overdueNoticeRecipients({ order: row, department: side, chainOf: tree.chain, staff: tree.staff });
      const department = side && noticeDepartment(side, calendarFor(row));
      drafts.push(
        ...overdueNoticeDrafts({
          order: noticeOrder(row, additions),
          recipients,
          department,
          handler: handlers.get(row.id) ?? '',
          escalateAfterDays: deps.overdueEscalateAfterDays,
        }),
      );
      events.push({ orderId: row.id, channel: 'system', event: systemEvent(row, 'overdue', now, overdueNoticeData({ order: noticeOrder(row, additions), recipients, department })) });
    }
    await insertOrderEvents(tx, events);
    await insertOutboxRows(tx, drafts, deps.botAccount);
    return claimed.length;
  });
}

/**
 * N working days on (on the order's calendar): escalations of grid orders (through the use cases' path, on the
 * holiday calendar) and 催办升级 of departments' orders, in one transaction per batch.
 */
async function followUp(
  deps: JobDeps,
  due: SweepRow[],
  now: Date,
  calendars: { working: WorkCalendar; of: CalendarFor },
): Promise<{ escalated: number; urged: number }> {
  if (due.length === 0) return { escalated: 0, urged: 0 };
  const days = deps.overdueEscalateAfterDays;
  return deps.db.transaction(async (tx) => {
    const locked = (await lockOrders(tx, due.map((r) => r.id), { skipLocked: true })).filter((order) =>
      overdueEscalationDue({ order, now, days, calendar: calendars.of(order) }),
    );
    const toUrge = locked.filter((order) => overdueFollowUp(order) === 'urge');
    const toEscalate = locked.filter((order) => overdueFollowUp(order) === 'escalate');
    // Named by when it fell due (before the marker moves), so two instances would write the same messages.
    const dueAt = new Map(toUrge.map((order) => [order.id, overdueEscalationDueAt({ order, days, calendar: calendars.of(order) })!]));
    // Set before the escalation and kept when it is refused: the next attempt is `days` working days later.
    await markOrders(tx, locked.map((r) => r.id), { overdueEscalatedAt: now, wasOverdue: true });
    const urged = await urge(tx, deps, toUrge, dueAt, now, calendars.of);
    const { done } = await applySystemCommand({
      tx,
      deps,
      orders: toEscalate,
      command: { type: 'escalate', reason: jobTexts.overdueEscalationReason(days) },
      now,
      calendar: calendars.working,
    });
    return { escalated: done.length, urged };
  });
}

/** 催办升级: the department keeps the order; its heads, the dispatcher's officers and the level above are pressed. */
async function urge(
  tx: Database,
  deps: JobDeps,
  orders: LockedOrder[],
  dueAt: ReadonlyMap<number, Date>,
  now: Date,
  calendarFor: CalendarFor,
): Promise<number> {
  if (orders.length === 0) return 0;
  const { tree, sides } = await loadSurroundings(tx, orders);
  const additions = await loadAdditions(tx, orders.map((r) => r.id));
  const drafts = [];
  const events = [];
  for (const row of orders) {
    const side = sides.get(row.id)!;
    const order = noticeOrder(row, additions);
    const notice = urgeNotice({
      order,
      recipients: urgeRecipients({ order: row, department: side, chainOf: tree.chain, staff: tree.staff }),
      department: noticeDepartment(side, calendarFor(row)),
      days: overdueWorkingDays({ deadline: order.deadlineAt, now, calendar: calendarFor(row) }),
      dueAt: dueAt.get(row.id)!,
    });
    drafts.push(...notice.drafts);
    events.push({ orderId: row.id, channel: 'system', event: { ...systemEvent(row, 'supervise', now, notice.data), note: notice.note } });
  }
  await insertOrderEvents(tx, events);
  await insertOutboxRows(tx, drafts, deps.botAccount);
  return orders.length;
}

/** The department side of the orders a department holds, and the units and staff from theirs and their dispatchers' units up. */
async function loadSurroundings(tx: Database, orders: readonly LockedOrder[]): Promise<{ tree: UnitTree; sides: Map<number, LoadedDepartmentSide> }> {
  const sides = await loadDepartmentSides(tx, orders);
  const dispatcherPaths = [...sides.values()].flatMap((s) => (s.dispatcherUnitPath === null ? [] : [s.dispatcherUnitPath]));
  const tree = await loadUnitTree(tx, [...orders.map((r) => r.unitPath), ...dispatcherPaths]);
  return { tree, sides };
}

/**
 * How the notices name each order's assignee to those who press them: "网格长张伟" in the tree; a department
 * member by their own name (their heads know them; residents are told the department's name instead).
 */
async function handlerNames(tx: Database, orders: readonly LockedOrder[], sides: ReadonlyMap<number, LoadedDepartmentSide>): Promise<Map<number, string>> {
  const assigned = orders.filter((r): r is LockedOrder & { assigneeId: number } => r.assigneeId !== null);
  const inTree = assigned.filter((r) => !sides.has(r.id));
  const book = await loadPeopleBook(tx, inTree.map((r) => r.assigneeId));
  const names = await staffNames(tx, assigned.filter((r) => sides.has(r.id)).map((r) => r.assigneeId));
  return new Map(
    assigned.map((r) => {
      if (sides.has(r.id)) return [r.id, names.get(r.assigneeId) ?? ''];
      const person = book.of([r.assigneeId], [r.unitId]).get(r.assigneeId);
      return [r.id, person ? `${person.roleLabel}${person.name}` : ''];
    }),
  );
}

/** The order as the notices show it: those who press the handler read the resident's 补充 with the report. */
function noticeOrder(row: LockedOrder, additions: ReadonlyMap<number, readonly string[]>): OverdueNoticeOrder {
  const text = staffTexts.reportWithAdditions(row.text, additions.get(row.id) ?? []);
  return { id: row.id, no: row.no, categoryName: row.categoryName, urgency: row.urgency, place: placeOf(row), text, deadlineAt: row.deadlineAt! };
}

function noticeDepartment(side: LoadedDepartmentSide, calendar: WorkCalendar): NoticeDepartment {
  return {
    departmentId: side.departmentId,
    name: side.departmentName,
    dispatcherUnitId: side.dispatcherUnitId,
    dispatcherName: side.dispatcherUnitName,
    everyDay: worksEveryDay(calendar),
  };
}
