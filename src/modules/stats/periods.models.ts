/** Periods of China dates for the figures: months, weeks (Monday first) and free ranges. Pure. */
import { addDays, chinaDate, dayOfWeek, isValidIsoDate } from '../calendar/calendar.models';
import type { Period } from './stats.models';

/** The longest range the dashboard accepts: a little over a year, so "a year" always fits. */
export const MAX_PERIOD_DAYS = 400;

const MONTH = /^(\d{4})-(\d{2})$/;

export function isValidMonth(month: string): boolean {
  const m = MONTH.exec(month);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** `YYYY-MM` → its first and last day. */
export function monthPeriod(month: string): Period {
  if (!isValidMonth(month)) throw new RangeError(`not a YYYY-MM month: ${JSON.stringify(month)}`);
  const from = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(next, -1) };
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** The month before `month`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The `count` months ending with `month`, oldest first. */
export function monthsEnding(month: string, count: number): string[] {
  const out = [month];
  while (out.length < count) out.unshift(previousMonth(out[0]!));
  return out;
}

/** The Monday of the week `date` falls in. */
export function weekStart(date: string): string {
  const dow = dayOfWeek(date); // 0 = Sunday
  return addDays(date, dow === 0 ? -6 : 1 - dow);
}

/** The Mondays of the `count` weeks ending with the week of `date`, oldest first. */
export function weeksEnding(date: string, count: number): string[] {
  const last = weekStart(date);
  return Array.from({ length: count }, (_, i) => addDays(last, -7 * (count - 1 - i)));
}

export function daysIn(period: Period): number {
  return Math.round((Date.parse(period.to) - Date.parse(period.from)) / 86_400_000) + 1;
}

/** This month up to today: what the dashboard shows when no period is asked for. */
export function monthToDate(now: Date): Period {
  const today = chinaDate(now);
  return { from: `${monthOf(today)}-01`, to: today };
}

/** A period from user input, or the reason it is refused. */
export function checkPeriod(period: Period): { ok: true; period: Period } | { ok: false; reason: 'invalid' | 'reversed' | 'too_long' } {
  if (!isValidIsoDate(period.from) || !isValidIsoDate(period.to)) return { ok: false, reason: 'invalid' };
  if (period.from > period.to) return { ok: false, reason: 'reversed' };
  if (daysIn(period) > MAX_PERIOD_DAYS) return { ok: false, reason: 'too_long' };
  return { ok: true, period };
}

/**
 * A period as the rollups read it: a range of months from the monthly rollup, plus days added from the daily
 * rollup and days taken away from it. The whole months inside the period are read monthly; a part of a month
 * is read as its days, or as the month less the days outside the period when those are fewer (this month up to
 * yesterday is the month less today's rows, the days after today holding none). Months, plus `days`, less
 * `minusDays`, count every day of the period exactly once.
 */
export function splitPeriod(period: Period): { months: { from: string; to: string } | null; days: Period[]; minusDays: Period[] } {
  const firstMonth = monthOf(period.from);
  const lastMonth = monthOf(period.to);
  const months: string[] = [];
  const days: Period[] = [];
  const minusDays: Period[] = [];
  for (let month = firstMonth; month <= lastMonth; month = nextMonth(month)) {
    const whole = monthPeriod(month);
    const part = { from: period.from > whole.from ? period.from : whole.from, to: period.to < whole.to ? period.to : whole.to };
    const outside = [
      ...(part.from > whole.from ? [{ from: whole.from, to: addDays(part.from, -1) }] : []),
      ...(part.to < whole.to ? [{ from: addDays(part.to, 1), to: whole.to }] : []),
    ];
    const outsideDays = outside.reduce((n, p) => n + daysIn(p), 0);
    if (outsideDays === 0) months.push(month);
    else if (outsideDays < daysIn(part)) {
      months.push(month);
      minusDays.push(...outside);
    } else days.push(part);
  }
  // Months read whole are the first, the last or those between, so they are one range.
  return { months: months.length ? { from: `${months[0]}-01`, to: `${months.at(-1)}-01` } : null, days, minusDays };
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
