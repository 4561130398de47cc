/**
 * When a scheduled notice may go out. Pure: `now` and the calendar are arguments.
 *
 * Urgent orders are handled around the clock, so their notices are never held. Everything else a job tells
 * staff waits for the working period of a working day (09:00–18:00 China time): a reminder that falls due at
 * night or on a holiday goes out when work starts again, not at 2 a.m. Residents are not messaged by a job
 * outside 09:00–20:00, any day.
 */
import { type WorkCalendar, type WorkdayHours, DEFAULT_WORKDAY, chinaDate, chinaDayStart } from '../modules/calendar/calendar.models';
import type { Urgency } from '../modules/work-orders/work-orders.models';

export const RESIDENT_HOURS: WorkdayHours = { start: '09:00', end: '20:00' };

const MINUTE_MS = 60_000;

function offsetMs(hhmm: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!match) throw new RangeError(`expected HH:MM, got ${JSON.stringify(hhmm)}`);
  return (Number(match[1]) * 60 + Number(match[2])) * MINUTE_MS;
}

/** Whether `now` lies inside `hours` of its China day, the start included and the end excluded. */
export function withinHours({ now, hours }: { now: Date; hours: WorkdayHours }): boolean {
  const sinceMidnight = now.getTime() - chinaDayStart(chinaDate(now)).getTime();
  return sinceMidnight >= offsetMs(hours.start) && sinceMidnight < offsetMs(hours.end);
}

/** Inside the working period of a working day. */
export function inWorkingPeriod({
  now,
  calendar,
  workday = DEFAULT_WORKDAY,
}: {
  now: Date;
  calendar: WorkCalendar;
  workday?: WorkdayHours;
}): boolean {
  return calendar.isWorkingDay(chinaDate(now)) && withinHours({ now, hours: workday });
}

/** Whether a job may message staff about an order of this urgency now. */
export function mayNotifyStaff({ urgency, now, calendar }: { urgency: Urgency; now: Date; calendar: WorkCalendar }): boolean {
  return urgency === 'urgent' || inWorkingPeriod({ now, calendar });
}

/** Whether a job may message a resident now (survey reminders). */
export function mayNotifyResident({ now }: { now: Date }): boolean {
  return withinHours({ now, hours: RESIDENT_HOURS });
}

/** 09:00 (the start of the working period) on a China date. */
export function workStartOn(date: string, workday: WorkdayHours = DEFAULT_WORKDAY): Date {
  return new Date(chinaDayStart(date).getTime() + offsetMs(workday.start));
}
