/**
 * Who hears of an overdue order (督办), as pure functions of the organisation around it. An order in the grid
 * tree: its assignee and the supervisor one level above its unit. An order a department holds (分流交办), as a
 * 12345 centre does it: the handler, the department's heads and the officers of the unit that dispatched it;
 * then, every few working days while it stays overdue, a stronger 督办 (催办升级) to the heads, the dispatcher's
 * officers and the level above the dispatcher. The order itself stays with the department.
 */
import { type WorkCalendar, chinaDate, chinaDayStart, nextWorkingDay } from '../modules/calendar/calendar.models';
import { type Department, EVERY_DAY_CALENDAR, calendarOf } from '../modules/departments/departments.models';
import { type StaffAtUnit, type UnitNode, responsibleAbove } from '../modules/grids/grids.models';

/** Why a member of staff is told: the order's own handler, or someone who presses them. */
export type OverdueAudience = 'assignee' | 'supervisor' | 'head' | 'dispatcher' | 'above_dispatcher';

export type OverdueRecipient = { staffId: number; as: OverdueAudience };

/** The department side of an order a department holds, as the sweep reads it. */
export type DepartmentSide = {
  departmentId: number;
  /** Active heads of the department (department_members role head). */
  headIds: readonly number[];
  /** The unit of the open 主办 dispatch (where a 退回 would go); null when no open dispatch is on record. */
  dispatcherUnitId: number | null;
};

/**
 * The supervisor one level above a unit (who approves its orders' extensions), or, at the top of the tree, the
 * admins there (热线中心). `chain` is the unit and its ancestors, bottom first.
 */
export function supervisorsAbove({ chain, staff }: { chain: readonly UnitNode[]; staff: readonly StaffAtUnit[] }): number[] {
  const found = responsibleAbove({ chain: [...chain], staff: [...staff] });
  if (found) return [found.staffId];
  const top = chain[chain.length - 1];
  if (!top) return [];
  return activeAt(staff, top.id, 'admin');
}

/** Who speaks for a dispatching unit: its officers, or its admins where it has no officer (the 热线中心). */
export function dispatcherStaff({ unitId, staff }: { unitId: number; staff: readonly StaffAtUnit[] }): number[] {
  const officers = activeAt(staff, unitId, 'officer');
  return officers.length > 0 ? officers : activeAt(staff, unitId, 'admin');
}

function activeAt(staff: readonly StaffAtUnit[], unitId: number, role: StaffAtUnit['role']): number[] {
  return [...new Set(staff.filter((s) => s.unitId === unitId && s.role === role && s.active).map((s) => s.staffId))].sort((a, b) => a - b);
}

/** Each member of staff once, under the first reason given; the handler is never told as their own supervisor. */
function distinct(assigneeId: number | null, groups: [OverdueAudience, readonly number[]][]): OverdueRecipient[] {
  const seen = new Set<number>();
  const out: OverdueRecipient[] = [];
  for (const [as, ids] of groups) {
    for (const staffId of ids) {
      if (seen.has(staffId) || (as !== 'assignee' && staffId === assigneeId)) continue;
      seen.add(staffId);
      out.push({ staffId, as });
    }
  }
  return out;
}

/**
 * The first 督办 of an overdue order. `chainOf(unitId)` gives a unit and its ancestors, bottom first; `staff` the
 * staff at those units. Without a dispatch on record the department's order is pressed from the level above it,
 * as a grid order is.
 */
export function overdueNoticeRecipients({
  order,
  department,
  chainOf,
  staff,
}: {
  order: { assigneeId: number | null; unitId: number };
  department: DepartmentSide | null;
  chainOf: (unitId: number) => readonly UnitNode[];
  staff: readonly StaffAtUnit[];
}): OverdueRecipient[] {
  const assignee: [OverdueAudience, number[]] = ['assignee', order.assigneeId === null ? [] : [order.assigneeId]];
  if (!department) return distinct(order.assigneeId, [assignee, ['supervisor', supervisorsAbove({ chain: chainOf(order.unitId), staff })]]);
  const dispatchers =
    department.dispatcherUnitId === null
      ? supervisorsAbove({ chain: chainOf(order.unitId), staff })
      : dispatcherStaff({ unitId: department.dispatcherUnitId, staff });
  return distinct(order.assigneeId, [assignee, ['head', department.headIds], ['dispatcher', dispatchers]]);
}

/**
 * The 催办升级 of a department's order still overdue: its heads, the dispatcher's officers and the level above
 * the dispatcher (the handler already knows; the pressure is on those who answer for them).
 */
export function urgeRecipients({
  order,
  department,
  chainOf,
  staff,
}: {
  order: { assigneeId: number | null; unitId: number };
  department: DepartmentSide;
  chainOf: (unitId: number) => readonly UnitNode[];
  staff: readonly StaffAtUnit[];
}): OverdueRecipient[] {
  const dispatcherUnitId = department.dispatcherUnitId;
  const dispatchers = dispatcherUnitId === null ? [] : dispatcherStaff({ unitId: dispatcherUnitId, staff });
  const above = supervisorsAbove({ chain: chainOf(dispatcherUnitId ?? order.unitId), staff });
  return distinct(order.assigneeId, [
    ['head', department.headIds],
    ['dispatcher', dispatchers],
    ['above_dispatcher', above],
  ]);
}

/**
 * How many whole working days an order has been overdue at `now`: the largest k whose k-th working day after
 * the deadline (at the deadline's time of day, as the follow-up rule counts) has been reached.
 */
export function overdueWorkingDays({ deadline, now, calendar }: { deadline: Date; now: Date; calendar: WorkCalendar }): number {
  // As extendDeadlineByWorkingDays: a 24:00 deadline belongs to the day it ends.
  let day = chinaDate(new Date(deadline.getTime() - 1));
  const timeOfDay = deadline.getTime() - chinaDayStart(day).getTime();
  let k = 0;
  for (; k < 1000; k++) {
    day = nextWorkingDay(day, calendar);
    if (chinaDayStart(day).getTime() + timeOfDay > now.getTime()) break;
  }
  return k;
}

// --- Whose calendar --------------------------------------------------------------------------------------

/**
 * The calendars the sweep counts an order's 督办 and 催办升级 on: an order a department holds on the department's
 * own (a gas company works every day, 国庆 included), a grid order on the holiday calendar.
 */
export type SweepCalendars = {
  working: WorkCalendar;
  /** The departments whose calendar is not the holiday calendar (today: `every_day`), by id. */
  own: ReadonlyMap<number, WorkCalendar>;
};

export function sweepCalendars({
  working,
  departments,
}: {
  working: WorkCalendar;
  departments: readonly Pick<Department, 'id' | 'calendar'>[];
}): SweepCalendars {
  const own = new Map<number, WorkCalendar>();
  for (const d of departments) {
    const calendar = calendarOf(d, working);
    if (calendar !== working) own.set(d.id, calendar);
  }
  return { working, own };
}

/** Whether a calendar counts every date as a working day (a utility's): its overdue days are said as days. */
export function worksEveryDay(calendar: WorkCalendar): boolean {
  return calendar === EVERY_DAY_CALENDAR;
}

/** The calendar an order is followed up on. A department unknown to the run (added since) counts as `working`. */
export function calendarOfOrder({ order, calendars }: { order: { departmentId: number | null }; calendars: SweepCalendars }): WorkCalendar {
  return order.departmentId === null ? calendars.working : (calendars.own.get(order.departmentId) ?? calendars.working);
}

/**
 * The orders that share a calendar, one candidate select each: the departments on one calendar (`only`), and on
 * the holiday calendar the grid orders with every other department's (`except`).
 */
export type CalendarGroup = { calendar: WorkCalendar } & ({ only: number[] } | { except: number[] });

export function calendarGroups(calendars: SweepCalendars): CalendarGroup[] {
  const byCalendar = new Map<WorkCalendar, number[]>();
  for (const [id, calendar] of calendars.own) byCalendar.set(calendar, [...(byCalendar.get(calendar) ?? []), id]);
  const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
  return [
    { calendar: calendars.working, except: sorted([...calendars.own.keys()]) },
    ...[...byCalendar].map(([calendar, ids]) => ({ calendar, only: sorted(ids) })),
  ];
}
