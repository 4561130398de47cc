/**
 * How much time an open order has left, as the console's list and order page show it ("剩 2 个工作日",
 * "剩 5 小时", "超期 3 天"), and whether it is nearly due. Pure: `now` and the work calendar are arguments.
 */
import { type WorkCalendar, addDays, chinaDate } from '../../calendar/calendar.models';
import type { OrderStatus, Urgency } from '../work-orders.models';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * Nearly due when less than a quarter of the limit is left: the same point as the 75% reminder
 * (REMINDER_FRACTION in jobs/order-reminders.models), so the colour appears when the handler is reminded. A
 * fixed "less than one working day" would mark an urgent 4-hour order nearly due from the start and a 1-day
 * order as soon as it arrives, telling the officer nothing.
 */
export const NEARLY_DUE_FRACTION = 0.75;

export type DeadlineState = 'overdue' | 'nearly_due' | 'on_time' | 'paused';
export type TimeLeftUnit = 'minutes' | 'hours' | 'days' | 'working_days';
export type TimeLeft = { state: DeadlineState; amount: number; unit: TimeLeftUnit };

export type TimeLeftOrder = {
  status: OrderStatus;
  urgency: Urgency;
  createdAt: Date;
  assignedAt: Date | null;
  reopenCount: number;
  deadlineAt: Date | null;
  pausedAt: Date | null;
};

/** Where the limit is counted from: receipt, or the reopening (重办) that set a fresh limit (as the reminder sweep). */
export function limitStart(o: Pick<TimeLeftOrder, 'createdAt' | 'assignedAt' | 'reopenCount'>): Date {
  return o.reopenCount > 0 && o.assignedAt ? o.assignedAt : o.createdAt;
}

/** Calendar time in the largest unit that is at least one (rounded up, so "剩 1 小时" is never 0). */
function calendarAmount(ms: number, roundUp: boolean): { amount: number; unit: TimeLeftUnit } {
  const round = roundUp ? Math.ceil : Math.floor;
  if (ms < HOUR_MS) return { amount: Math.max(1, Math.ceil(ms / MINUTE_MS)), unit: 'minutes' };
  if (ms < DAY_MS) return { amount: round(ms / HOUR_MS), unit: 'hours' };
  return { amount: Math.floor(ms / DAY_MS), unit: 'days' };
}

/** Whole working days after today's China date up to the day the deadline ends in (a 24:00 deadline is that day's). */
function workingDaysLeft(now: Date, deadline: Date, calendar: WorkCalendar): number {
  const last = chinaDate(new Date(deadline.getTime() - 1));
  let n = 0;
  for (let day = addDays(chinaDate(now), 1); day <= last; day = addDays(day, 1)) if (calendar.isWorkingDay(day)) n++;
  return n;
}

/**
 * The time left of an open order (assigned or accepted, with a deadline), or null for any other. Overdue is
 * calendar time past the deadline. Time left is counted as the limit was set: urgent orders' limits are hours
 * around the clock, so calendar hours (days past 24 h); others' are working days ending at 24:00, so whole
 * working days after today, and hours on the last day. Paused orders (waiting on the resident) are not counting.
 */
export function timeLeft({ order, now, calendar }: { order: TimeLeftOrder; now: Date; calendar: WorkCalendar }): TimeLeft | null {
  if ((order.status !== 'assigned' && order.status !== 'accepted') || !order.deadlineAt) return null;
  const deadline = order.deadlineAt.getTime();
  if (order.pausedAt) return { state: 'paused', ...calendarAmount(Math.max(0, deadline - order.pausedAt.getTime()), true) };
  const left = deadline - now.getTime();
  if (left < 0) return { state: 'overdue', ...calendarAmount(-left, false) };
  const start = limitStart(order).getTime();
  const elapsed = deadline > start ? (now.getTime() - start) / (deadline - start) : 1;
  const state: DeadlineState = elapsed >= NEARLY_DUE_FRACTION ? 'nearly_due' : 'on_time';
  if (order.urgency !== 'urgent' && left >= DAY_MS) {
    const days = workingDaysLeft(now, order.deadlineAt, calendar);
    if (days > 0) return { state, amount: days, unit: 'working_days' };
  }
  return { state, ...calendarAmount(left, true) };
}
