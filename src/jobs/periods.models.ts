/**
 * Periodic jobs (digest, weekly report, agendas, monthly analysis) as periods with run keys. Pure.
 *
 * A cron tick and a catch-up on start do the same thing: find the latest tick of the job's schedule at or
 * before now, turn it into its period ('weekly:2026-W47'), and run that period unless its key is already
 * claimed. So after downtime the latest missed period runs once, not once per missed tick, and a tick that
 * finds its period done (another instance, or an earlier catch-up) does nothing.
 */
import { type WorkCalendar, addDays, chinaDate, chinaDayStart, dayOfWeek } from '../modules/calendar/calendar.models';

const MINUTE_MS = 60_000;

/** A parsed cron expression (node-cron's `parse`); strings in day fields are not supported and never match. */
export type CronFields = {
  minute: number[];
  hour: number[];
  dayOfMonth: (number | string)[];
  month: number[];
  dayOfWeek: (number | string)[];
};

function dateMatches(fields: CronFields, date: string): boolean {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const dow = dayOfWeek(date);
  // Like node-cron, a date must match both the day of month and the day of week; 7 is also Sunday.
  return (
    fields.month.includes(month) &&
    fields.dayOfMonth.includes(day) &&
    fields.dayOfWeek.some((d) => d === dow || (d === 7 && dow === 0))
  );
}

/** The latest tick (China time) at or before `now`, looking back `lookbackDays` days before today; or null. */
export function previousTick({ fields, now, lookbackDays }: { fields: CronFields; now: Date; lookbackDays: number }): Date | null {
  const today = chinaDate(now);
  for (let i = 0; i <= lookbackDays; i++) {
    const date = addDays(today, -i);
    if (!dateMatches(fields, date)) continue;
    const dayStart = chinaDayStart(date).getTime();
    let best: number | null = null;
    for (const h of fields.hour) {
      for (const m of fields.minute) {
        const t = dayStart + (h * 60 + m) * MINUTE_MS;
        if (t <= now.getTime() && (best === null || t > best)) best = t;
      }
    }
    if (best !== null) return new Date(best);
  }
  return null;
}

/** ISO 8601 week of a China date: '2026-W48' (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: string): string {
  const isoDow = dayOfWeek(date) || 7;
  const thursday = addDays(date, 4 - isoDow);
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = Math.round((chinaDayStart(thursday).getTime() - chinaDayStart(`${year}-01-01`).getTime()) / 86_400_000);
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

export function mondayOf(date: string): string {
  return addDays(date, -((dayOfWeek(date) + 6) % 7));
}

export type PeriodicJob = 'digest' | 'weekly' | 'monthly' | 'agenda';

/**
 * How far back a missed tick is still worth running. A morning digest is only worth sending the same day, a
 * 民情沟通日 agenda within the days around the meeting, a report within its period.
 */
export const CATCH_UP_DAYS: Record<PeriodicJob, number> = { digest: 0, weekly: 7, monthly: 31, agenda: 5 };

/** 晨报: the day of the tick, on working days only (a weekend tick sends nothing). */
export function digestPeriod({ tick, calendar }: { tick: Date; calendar: WorkCalendar }): { key: string; date: string } | null {
  const date = chinaDate(tick);
  return calendar.isWorkingDay(date) ? { key: `digest:${date}`, date } : null;
}

export type WeekPeriod = { key: string; week: string; from: Date; to: Date; firstDay: string; lastDay: string };

/** 每周一排: the ISO week before the tick's week, Monday 00:00 to Monday 00:00 China time. */
export function weeklyPeriod({ tick }: { tick: Date }): WeekPeriod {
  const thisMonday = mondayOf(chinaDate(tick));
  const firstDay = addDays(thisMonday, -7);
  const week = isoWeek(firstDay);
  return { key: `weekly:${week}`, week, from: chinaDayStart(firstDay), to: chinaDayStart(thisMonday), firstDay, lastDay: addDays(thisMonday, -1) };
}

function monthStart(month: string): Date {
  return chinaDayStart(`${month}-01`);
}

function shiftMonth(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const year = y + Math.floor(m / 12);
  return `${year}-${String(((m % 12) + 12) % 12 + 1).padStart(2, '0')}`;
}

export type MonthPeriod = { key: string; month: string; from: Date; to: Date; previousMonth: string; previousFrom: Date };

/** 民情分析: the calendar month before the tick's month, compared with the month before that. */
export function monthlyPeriod({ tick }: { tick: Date }): MonthPeriod {
  const tickMonth = chinaDate(tick).slice(0, 7);
  const month = shiftMonth(tickMonth, -1);
  const previousMonth = shiftMonth(month, -1);
  return { key: `monthly:${month}`, month, from: monthStart(month), to: monthStart(tickMonth), previousMonth, previousFrom: monthStart(previousMonth) };
}

export type AgendaLevel = 'town' | 'district';
export type AgendaPeriod = { key: string; level: AgendaLevel; month: string; date: string };

/**
 * 民情沟通日: the tick in the first half of the month is the town-level day (the 10th by default), the one in the
 * second half the district-level day (the 20th), so moving either day in the cron expression keeps its level.
 */
export function agendaPeriod({ tick }: { tick: Date }): AgendaPeriod {
  const date = chinaDate(tick);
  const level: AgendaLevel = Number(date.slice(8, 10)) <= 15 ? 'town' : 'district';
  const month = date.slice(0, 7);
  return { key: `agenda:${level}:${month}`, level, month, date };
}
