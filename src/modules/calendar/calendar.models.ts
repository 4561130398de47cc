/**
 * Working-day calendar and time-limit (限时) rules. Pure: no I/O, no clock; every "now" is an argument.
 *
 * The calendar is data. A row exists only where a day differs from the ordinary week: a weekday that is a day
 * off ('holiday') or a weekend day that is worked (调休上班, 'workday'). A year without its State Council
 * schedule in the table is not "covered": it is treated as an ordinary Monday–Friday week with the statutory
 * holidays that fall on fixed dates as days off (元旦, 劳动节, 国庆: `fixedStatutoryHolidays`), the best guess
 * there is; the lunar and solar-term holidays (春节, 清明, 端午, 中秋) and the 调休 swaps cannot be foreseen, so
 * `calendarCoverageWarning` tells the admin to import the schedule, and keeps telling until it is imported.
 */
import { addDays, chinaDate, chinaDayStart, isValidIsoDate, isWeekend, yearOf } from './calendar.dates';

export { addDays, chinaDate, chinaDayStart, dayOfWeek, isValidIsoDate, isWeekend } from './calendar.dates';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

export type CalendarDayKind = 'holiday' | 'workday';

export type CalendarDay = {
  /** China date, `YYYY-MM-DD`. */
  date: string;
  /** 'holiday': a weekday that is a day off. 'workday': a weekend day that is worked (调休上班). */
  kind: CalendarDayKind;
  name: string | null;
};

export type WorkCalendar = {
  /** Years whose official schedule is in the table, ascending. */
  coveredYears: readonly number[];
  isWorkingDay(date: string): boolean;
  /** Whether `date`'s year has its official schedule in the table. */
  covers(date: string): boolean;
};

export type TimeLimitRule = { unit: 'hours' | 'working_days'; value: number };

/** Daily working period in China time, `HH:MM`; `end` may be `24:00`. */
export type WorkdayHours = { start: string; end: string };

export const DEFAULT_WORKDAY: WorkdayHours = { start: '09:00', end: '18:00' };

export function buildWorkCalendar({
  days,
  coveredYears,
}: {
  days: readonly CalendarDay[];
  coveredYears: readonly number[];
}): WorkCalendar {
  const kindByDate = new Map<string, CalendarDayKind>();
  for (const day of days) {
    if (!isValidIsoDate(day.date)) throw new RangeError(`Calendar day has an invalid date: ${JSON.stringify(day.date)}`);
    // The table keys rows by date; a duplicate here means the caller merged two sources wrongly.
    if (kindByDate.has(day.date)) throw new RangeError(`Calendar day ${day.date} appears twice`);
    kindByDate.set(day.date, day.kind);
  }
  const years = [...new Set(coveredYears)].sort((a, b) => a - b);
  const yearSet = new Set(years);

  return {
    coveredYears: years,
    isWorkingDay(date) {
      const kind = kindByDate.get(date);
      if (kind === 'holiday') return false;
      if (kind === 'workday') return true;
      if (isWeekend(date)) return false;
      return yearSet.has(yearOf(date)) || fixedStatutoryHolidayName(date) === null;
    },
    covers(date) {
      return yearSet.has(yearOf(date));
    },
  };
}

/**
 * The statutory holidays on fixed Gregorian dates (全国年节及纪念日放假办法, as amended in 2024, in force from
 * 2025): 元旦 1 January; 劳动节 1–2 May (1 May only before 2025); 国庆节 1–3 October. A year whose schedule has not
 * been imported takes these days off, whatever weekday they fall on.
 */
export function fixedStatutoryHolidays(year: number): { date: string; name: string }[] {
  const y = String(year).padStart(4, '0');
  return [
    { date: `${y}-01-01`, name: '元旦' },
    { date: `${y}-05-01`, name: '劳动节' },
    ...(year >= 2025 ? [{ date: `${y}-05-02`, name: '劳动节' }] : []),
    { date: `${y}-10-01`, name: '国庆节' },
    { date: `${y}-10-02`, name: '国庆节' },
    { date: `${y}-10-03`, name: '国庆节' },
  ];
}

/** The name of the fixed-date statutory holiday on `date`, or null. */
export function fixedStatutoryHolidayName(date: string): string | null {
  return fixedStatutoryHolidays(yearOf(date)).find((h) => h.date === date)?.name ?? null;
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(date: string, calendar: WorkCalendar): string {
  let day = addDays(date, 1);
  while (!calendar.isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The `n`-th working day strictly after `date` (n ≥ 1). */
function nthWorkingDayAfter(date: string, n: number, calendar: WorkCalendar): string {
  let day = date;
  for (let i = 0; i < n; i++) day = nextWorkingDay(day, calendar);
  return day;
}

function requirePositiveInteger(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${what} must be a whole number ≥ 1, got ${value}`);
}

/**
 * The deadline of an order started at `start` under a time-limit rule.
 *
 * - `hours`: `start` + `value` hours of calendar time. Urgent orders are handled around the clock, so nights,
 *   weekends and holidays count.
 * - `working_days`: counting starts on the day after `start`'s China date (the day of receipt is never counted,
 *   whatever the hour), each working day of `calendar` counts 1, and the deadline is the end of the `value`-th
 *   working day: 24:00 China time, i.e. 00:00 +08:00 of the next calendar day. Example: received Tuesday
 *   2025-09-30 at any hour, 3 working days → 10-01..10-08 are off, so Thursday 10-09, Friday 10-10 and the
 *   调休 Saturday 10-11 count, and the deadline is 2025-10-12 00:00 +08:00.
 *   `value` must be a whole number ≥ 1; a same-day limit is expressed in hours.
 */
export function computeDeadline({
  start,
  rule,
  calendar,
}: {
  start: Date;
  rule: TimeLimitRule;
  calendar: WorkCalendar;
}): Date {
  if (rule.unit === 'hours') {
    if (!Number.isFinite(rule.value) || rule.value <= 0) throw new RangeError(`hours must be > 0, got ${rule.value}`);
    return new Date(start.getTime() + rule.value * HOUR_MS);
  }
  requirePositiveInteger(rule.value, 'working_days');
  const lastDay = nthWorkingDayAfter(chinaDate(start), rule.value, calendar);
  return chinaDayStart(addDays(lastDay, 1));
}

function parseTimeOfDay(value: string, what: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || minutes > 59 || hours > 24 || (hours === 24 && minutes > 0)) {
    throw new RangeError(`${what} must be HH:MM between 00:00 and 24:00, got ${JSON.stringify(value)}`);
  }
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

function workdayOffsets(workday: WorkdayHours): { startMs: number; endMs: number } {
  const startMs = parseTimeOfDay(workday.start, 'workday.start');
  const endMs = parseTimeOfDay(workday.end, 'workday.end');
  if (startMs >= endMs) throw new RangeError(`workday.start must be before workday.end, got ${workday.start}–${workday.end}`);
  return { startMs, endMs };
}

/** The working period of a China date as epoch ms, or null on a day off. */
function workingPeriod(
  date: string,
  calendar: WorkCalendar,
  offsets: { startMs: number; endMs: number },
): { from: number; to: number } | null {
  if (!calendar.isWorkingDay(date)) return null;
  const dayStart = chinaDayStart(date).getTime();
  return { from: dayStart + offsets.startMs, to: dayStart + offsets.endMs };
}

/**
 * `start` + `hours` of working time, for limits such as "sign for (签收) within 2 working hours". Only time inside
 * the daily working period (default 09:00–18:00 China time, lunch included) on working days counts; a start
 * outside it begins counting at the next working period. A limit that runs out exactly at the end of a period
 * ends there (18:00), not at the next morning.
 */
export function addWorkingHours({
  start,
  hours,
  calendar,
  workday = DEFAULT_WORKDAY,
}: {
  start: Date;
  hours: number;
  calendar: WorkCalendar;
  workday?: WorkdayHours;
}): Date {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be ≥ 0, got ${hours}`);
  const offsets = workdayOffsets(workday);
  let remaining = hours * HOUR_MS;
  if (remaining === 0) return new Date(start.getTime());

  let cursor = start.getTime();
  let date = chinaDate(start);
  for (;;) {
    const period = workingPeriod(date, calendar, offsets);
    if (period) {
      const from = Math.max(cursor, period.from);
      const available = period.to - from;
      if (available > 0) {
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
      }
    }
    date = addDays(date, 1);
    cursor = chinaDayStart(date).getTime();
  }
}

/**
 * Working hours between two instants (the measure `addWorkingHours` adds), for response-time figures.
 * Signed: negative when `to` is before `from`.
 */
export function workingHoursBetween({
  from,
  to,
  calendar,
  workday = DEFAULT_WORKDAY,
}: {
  from: Date;
  to: Date;
  calendar: WorkCalendar;
  workday?: WorkdayHours;
}): number {
  if (to.getTime() < from.getTime()) return -workingHoursBetween({ from: to, to: from, calendar, workday });
  const offsets = workdayOffsets(workday);
  const lastDate = chinaDate(to);
  let total = 0;
  for (let date = chinaDate(from); date <= lastDate; date = addDays(date, 1)) {
    const period = workingPeriod(date, calendar, offsets);
    if (!period) continue;
    const overlap = Math.min(to.getTime(), period.to) - Math.max(from.getTime(), period.from);
    if (overlap > 0) total += overlap;
  }
  return total / HOUR_MS;
}

/**
 * The deadline after the clock was paused while the order waited on the resident. The remaining time is kept:
 * a pause that began before the deadline moves it by the whole paused duration (calendar time, whatever the
 * rule's unit). A pause that began after the deadline does not move it: the time had already run out, and
 * pausing must not clear an overdue order.
 */
export function extendDeadlineForPause({
  deadline,
  pausedAt,
  resumedAt,
}: {
  deadline: Date;
  pausedAt: Date;
  resumedAt: Date;
}): Date {
  const paused = resumedAt.getTime() - pausedAt.getTime();
  if (paused < 0) throw new RangeError('resumedAt must not be before pausedAt');
  if (pausedAt.getTime() >= deadline.getTime()) return new Date(deadline.getTime());
  return new Date(deadline.getTime() + paused);
}

/**
 * The deadline after an approved extension (延期) of `days` working days. The deadline moves to the same time of
 * day on the `days`-th working day after the day it falls in; a deadline at 24:00 (the usual working-day
 * deadline) stays at 24:00, so "end of Friday + 1 working day" is the end of the next working day.
 */
export function extendDeadlineByWorkingDays({
  deadline,
  days,
  calendar,
}: {
  deadline: Date;
  days: number;
  calendar: WorkCalendar;
}): Date {
  requirePositiveInteger(days, 'days');
  // Taking the day of the last millisecond makes a 24:00 deadline belong to the day it ends, not the next one.
  const lastDay = chinaDate(new Date(deadline.getTime() - 1));
  const timeOfDay = deadline.getTime() - chinaDayStart(lastDay).getTime();
  const target = nthWorkingDayAfter(lastDay, days, calendar);
  return new Date(chinaDayStart(target).getTime() + timeOfDay);
}

/** Overdue strictly after the deadline: an order finished at the deadline instant is on time. */
export function isOverdue({ deadline, now }: { deadline: Date; now: Date }): boolean {
  return now.getTime() > deadline.getTime();
}

/**
 * How much of the time limit has passed, 0 at `start`, 1 at `deadline` (the 75% reminder fires at 0.75).
 * Clamped at 0 before `start`; not clamped above 1, so 1.5 means half the limit again overdue.
 */
export function fractionElapsed({ start, deadline, now }: { start: Date; deadline: Date; now: Date }): number {
  const total = deadline.getTime() - start.getTime();
  if (total <= 0) throw new RangeError('deadline must be after start');
  return Math.max(0, (now.getTime() - start.getTime()) / total);
}

/**
 * A warning when a day from today (China date of `now`) to `horizonDays` days later, both included, falls in
 * a year whose official schedule is missing; null when the whole horizon is covered.
 */
export function calendarCoverageWarning({
  calendar,
  now,
  horizonDays = 60,
}: {
  calendar: WorkCalendar;
  now: Date;
  horizonDays?: number;
}): null | { firstUncoveredDate: string; horizonDays: number } {
  if (!Number.isInteger(horizonDays) || horizonDays < 0) throw new RangeError(`horizonDays must be a whole number ≥ 0`);
  const today = chinaDate(now);
  for (let i = 0; i <= horizonDays; i++) {
    const date = addDays(today, i);
    if (!calendar.covers(date)) return { firstUncoveredDate: date, horizonDays };
  }
  return null;
}
