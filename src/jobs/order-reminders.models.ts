/**
 * The rules of the order sweeps: when an order is reminded, 督办'd or escalated by the system. Pure: every
 * function takes `now` and the work calendar. The jobs narrow the candidates with an index-bound query, ask
 * these rules which are due, and claim each one with a conditional UPDATE.
 */
import {
  type WorkCalendar,
  addDays,
  chinaDate,
  chinaDayStart,
  extendDeadlineByWorkingDays,
  nextWorkingDay,
} from '../modules/calendar/calendar.models';
import type { UnitLevel } from '../modules/grids/grids.models';
import { signDeadline } from '../modules/work-orders/rules/order-limits.models';
import type { OrderStatus, Urgency } from '../modules/work-orders/work-orders.models';
import { mayNotifyStaff, workStartOn } from './notice-window.models';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Urgent orders are reminded every hour until they are resolved or their limit runs out. */
export const URGENT_REMINDER_EVERY_MS = HOUR_MS;
/** The 75% reminder. */
export const REMINDER_FRACTION = 0.75;

/** The columns of a work order the sweep rules read. */
export type ReminderOrder = {
  status: OrderStatus;
  urgency: Urgency;
  level: UnitLevel;
  /** The department holding the order (分流交办); null in the grid tree. */
  departmentId: number | null;
  createdAt: Date;
  assignedAt: Date | null;
  reopenCount: number;
  signDeadlineAt: Date | null;
  deadlineAt: Date | null;
  pausedAt: Date | null;
  signRemindedAt: Date | null;
  reminded75At: Date | null;
  remindedLastDayAt: Date | null;
  urgentRemindedAt: Date | null;
  overdueNoticeAt: Date | null;
  overdueEscalatedAt: Date | null;
};

const isHandling = (status: OrderStatus) => status === 'assigned' || status === 'accepted';
const max = (a: Date, b: Date | null) => (b && b.getTime() > a.getTime() ? b : a);

/**
 * While the order waits on the resident its clock is stopped, unless the wait began after the deadline (then it
 * stays overdue: pausing must not clear an overdue order).
 */
export function clockStopped(order: Pick<ReminderOrder, 'pausedAt' | 'deadlineAt'>): boolean {
  if (!order.pausedAt) return false;
  return !order.deadlineAt || order.pausedAt.getTime() <= order.deadlineAt.getTime();
}

// --- 签收: sign-for timeout --------------------------------------------------------------------------------

/** Reminded for the current assignment (a reminder for an earlier assignee does not count). */
export function signRemindedForAssignment(order: Pick<ReminderOrder, 'signRemindedAt' | 'assignedAt'>): boolean {
  return order.signRemindedAt !== null && (order.assignedAt === null || order.signRemindedAt.getTime() >= order.assignedAt.getTime());
}

/** The sign-for limit has run out and the current assignee has not been reminded yet. */
export function signReminderDue({ order, now, calendar }: { order: ReminderOrder; now: Date; calendar: WorkCalendar }): boolean {
  if (order.status !== 'assigned' || !order.signDeadlineAt || order.pausedAt) return false;
  if (now.getTime() < order.signDeadlineAt.getTime()) return false;
  if (signRemindedForAssignment(order)) return false;
  return mayNotifyStaff({ urgency: order.urgency, now, calendar });
}

/**
 * After the reminder the assignee gets one more sign-for limit (2 working hours, urgent 30 minutes), counted
 * from the reminder, so a reminder sent late (after downtime) still leaves that time; then the order goes up.
 */
export function signEscalationDueAt({ order, calendar }: { order: ReminderOrder; calendar: WorkCalendar }): Date | null {
  if (order.status !== 'assigned' || !order.signDeadlineAt || !signRemindedForAssignment(order)) return null;
  return signDeadline({ now: max(order.signDeadlineAt, order.signRemindedAt), urgency: order.urgency, calendar });
}

/** Escalate now: reminded, still not signed after the second limit, and not already at the top of the tree. */
export function signEscalationDue({ order, now, calendar }: { order: ReminderOrder; now: Date; calendar: WorkCalendar }): boolean {
  if (order.level === 'district' || order.pausedAt) return false;
  const dueAt = signEscalationDueAt({ order, calendar });
  if (!dueAt || now.getTime() < dueAt.getTime()) return false;
  return mayNotifyStaff({ urgency: order.urgency, now, calendar });
}

// --- 限时: deadline reminders --------------------------------------------------------------------------------

/** Where the time limit was counted from: receipt, or the reopening (重办) that set a fresh limit. */
export function limitStart(order: Pick<ReminderOrder, 'createdAt' | 'assignedAt' | 'reopenCount'>): Date {
  return order.reopenCount > 0 && order.assignedAt ? order.assignedAt : order.createdAt;
}

/** The instant 75% of the limit (calendar time from its start to the deadline) has passed. */
export function reminder75At({ start, deadline }: { start: Date; deadline: Date }): Date {
  return new Date(start.getTime() + REMINDER_FRACTION * (deadline.getTime() - start.getTime()));
}

/**
 * The last-day reminder: 09:00 of the last working day whose working period begins before the deadline. For
 * the usual deadline (24:00 at the end of a working day) that is the morning of that day; for a deadline moved
 * onto a holiday by a pause, the morning of the working day before it.
 */
export function lastDayReminderAt({ deadline, calendar }: { deadline: Date; calendar: WorkCalendar }): Date | null {
  let date = chinaDate(new Date(deadline.getTime() - 1));
  for (let i = 0; i < 400; i++, date = addDays(date, -1)) {
    if (!calendar.isWorkingDay(date)) continue;
    const at = workStartOn(date);
    if (at.getTime() < deadline.getTime()) return at;
  }
  return null;
}

/**
 * The largest deadline whose last-day reminder is due at `now` (inclusive), for the sweep's index range:
 * `lastDayReminderAt(deadline) <= now` exactly when `deadline <= lastDayDeadlineBound(now)`.
 */
export function lastDayDeadlineBound({ now, calendar }: { now: Date; calendar: WorkCalendar }): Date {
  // The latest working day whose working period has begun by now.
  let day = chinaDate(now);
  for (let i = 0; i < 400 && !(calendar.isWorkingDay(day) && workStartOn(day).getTime() <= now.getTime()); i++) {
    day = addDays(day, -1);
  }
  return workStartOn(nextWorkingDay(day, calendar));
}

export type DeadlineReminder = 'last_day' | 'seventy_five';

/**
 * Which deadline reminder a normal order is due for now. The last-day reminder wins: when 75% of the limit falls
 * on the last day (short limits), the assignee gets one reminder that morning, not two.
 */
export function deadlineReminderDue({
  order,
  now,
  calendar,
}: {
  order: ReminderOrder;
  now: Date;
  calendar: WorkCalendar;
}): DeadlineReminder | null {
  const deadline = order.deadlineAt;
  if (order.urgency !== 'normal' || !isHandling(order.status) || !deadline || order.pausedAt) return null;
  if (now.getTime() >= deadline.getTime()) return null;
  if (!mayNotifyStaff({ urgency: order.urgency, now, calendar })) return null;
  const lastDayAt = lastDayReminderAt({ deadline, calendar });
  if (!order.remindedLastDayAt && lastDayAt && now.getTime() >= lastDayAt.getTime()) return 'last_day';
  if (order.reminded75At || order.remindedLastDayAt) return null;
  const start = limitStart(order);
  if (start.getTime() >= deadline.getTime()) return null;
  return now.getTime() >= reminder75At({ start, deadline }).getTime() ? 'seventy_five' : null;
}

/**
 * An urgent order is reminded an hour after its assignment and every hour after the last reminder, until its
 * limit runs out (then the overdue 督办 takes over). Returns the instant the reminder fell due (it names the
 * reminder, so two instances write the same one), or null.
 */
export function urgentReminderDueAt({ order, now }: { order: ReminderOrder; now: Date }): Date | null {
  if (order.urgency !== 'urgent' || !isHandling(order.status) || !order.assignedAt || !order.deadlineAt || order.pausedAt) return null;
  if (now.getTime() >= order.deadlineAt.getTime()) return null;
  const dueAt = new Date(max(order.assignedAt, order.urgentRemindedAt).getTime() + URGENT_REMINDER_EVERY_MS);
  return now.getTime() >= dueAt.getTime() ? dueAt : null;
}

// --- 督办: overdue -----------------------------------------------------------------------------------------

export function isPastDeadline(order: Pick<ReminderOrder, 'deadlineAt'>, now: Date): boolean {
  return order.deadlineAt !== null && now.getTime() > order.deadlineAt.getTime();
}

/** The first (working) moment an order is past its deadline unresolved: 督办 to the assignee and the level above. */
export function overdueNoticeDue({ order, now, calendar }: { order: ReminderOrder; now: Date; calendar: WorkCalendar }): boolean {
  if (!isHandling(order.status) || order.overdueNoticeAt || !isPastDeadline(order, now) || clockStopped(order)) return false;
  return mayNotifyStaff({ urgency: order.urgency, now, calendar });
}

/**
 * What the sweep does to an order still overdue `days` working days on: a department's order is 督办'd again, more
 * strongly, where it is (催办升级: a gas leak stays with the gas company, whose heads and dispatcher are pressed);
 * a grid order goes one level up (逐级督办), until it reaches the district, and then nothing more.
 */
export type OverdueFollowUp = 'urge' | 'escalate';

export function overdueFollowUp(order: { level: UnitLevel; departmentId?: number | null }): OverdueFollowUp | null {
  if ((order.departmentId ?? null) !== null) return 'urge';
  return order.level === 'district' ? null : 'escalate';
}

/**
 * The follow-up falls due `days` working days after the deadline, then `days` working days after the last one
 * (overdue_escalated_at marks both an escalation and a 催办升级).
 */
export function overdueEscalationDueAt({
  order,
  days,
  calendar,
}: {
  order: ReminderOrder;
  days: number;
  calendar: WorkCalendar;
}): Date | null {
  if (!order.deadlineAt || !order.overdueNoticeAt) return null;
  return extendDeadlineByWorkingDays({ deadline: order.overdueEscalatedAt ?? order.deadlineAt, days, calendar });
}

export function overdueEscalationDue({
  order,
  now,
  days,
  calendar,
}: {
  order: ReminderOrder;
  now: Date;
  days: number;
  calendar: WorkCalendar;
}): boolean {
  if (!isHandling(order.status) || overdueFollowUp(order) === null || clockStopped(order) || !isPastDeadline(order, now)) return false;
  const dueAt = overdueEscalationDueAt({ order, days, calendar });
  if (!dueAt || now.getTime() < dueAt.getTime()) return false;
  return mayNotifyStaff({ urgency: order.urgency, now, calendar });
}

/**
 * A necessary condition for the sweep's index range: an order due for escalation has its deadline (and last
 * escalation) at or before this instant. The escalation falls `days` working days after the day that instant
 * belongs to, so that day is one whose `days`-th working day after it is today or earlier; and `days` working
 * days are at least `days` calendar days. Over a weekend the first bound is the tighter by up to two days.
 */
export function overdueEscalationBound({ now, days, calendar }: { now: Date; days: number; calendar: WorkCalendar }): Date {
  const today = chinaDate(now);
  const workingDaysAfter = (date: string) => {
    let day = date;
    for (let i = 0; i < days; i++) day = nextWorkingDay(day, calendar);
    return day;
  };
  let lastDay = addDays(today, -1);
  for (let i = 0; i < 400 && workingDaysAfter(lastDay) > today; i++) lastDay = addDays(lastDay, -1);
  const byWorkingDays = chinaDayStart(addDays(lastDay, 1)).getTime();
  return new Date(Math.min(byWorkingDays, now.getTime() - days * DAY_MS));
}
