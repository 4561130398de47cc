import { createCachedProvider } from '../../db/cached-provider';
import { and, asc, gte, lte } from 'drizzle-orm';
import type { Database } from '../../db/client';
import type { Clock } from '../../shared/clock';
import { calendarDays, calendarYears } from './calendar.table';
import { type CalendarDay, type WorkCalendar, buildWorkCalendar } from './calendar.models';
import { calendarDaysFromChineseDays } from './calendar.seed';

export async function loadWorkCalendar(db: Database): Promise<WorkCalendar> {
  const [days, years] = await Promise.all([
    db.select().from(calendarDays).orderBy(asc(calendarDays.date)),
    db.select({ year: calendarYears.year }).from(calendarYears),
  ]);
  return buildWorkCalendar({
    days: days.map((d) => ({ date: d.date, kind: d.kind, name: d.name })),
    coveredYears: years.map((y) => y.year),
  });
}

/** Replaces one year's schedule (an admin import, or the seed); the rows of that year are swapped atomically. */
export async function saveCalendarYear({
  db,
  year,
  days,
  source,
  clock,
}: {
  db: Database;
  year: number;
  days: CalendarDay[];
  source: string;
  clock: Clock;
}): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .delete(calendarDays)
      .where(and(gte(calendarDays.date, `${year}-01-01`), lte(calendarDays.date, `${year}-12-31`)));
    if (days.length > 0) await tx.insert(calendarDays).values(days);
    await tx
      .insert(calendarYears)
      .values({ year, source, importedAt: clock.now() })
      .onConflictDoUpdate({ target: calendarYears.year, set: { source, importedAt: clock.now() } });
  });
}

/** Seeds the table from chinese-days for the years it knows; leaves years already present alone. */
export async function seedCalendarFromPackage({ db, clock }: { db: Database; clock: Clock }): Promise<number[]> {
  const existing = new Set((await db.select({ year: calendarYears.year }).from(calendarYears)).map((y) => y.year));
  const { days, coveredYears } = calendarDaysFromChineseDays({ fromYear: 2000, toYear: 2100 });
  const added: number[] = [];
  for (const year of coveredYears) {
    if (existing.has(year)) continue;
    await saveCalendarYear({
      db,
      year,
      days: days.filter((d) => d.date.startsWith(`${year}-`)),
      source: 'chinese-days',
      clock,
    });
    added.push(year);
  }
  return added;
}

/**
 * The calendar is read on every order; it changes a few times a year. Cached per process, reloaded after
 * `ttlMs` (so other instances see an admin's import) or at once after `invalidate()`. Called only outside a
 * transaction, like every provider (the rule is stated at CategoryProvider).
 */
export type CalendarProvider = { get(): Promise<WorkCalendar>; invalidate(): void };

export function createCalendarProvider({ db, ttlMs = 5 * 60_000 }: { db: Database; ttlMs?: number }): CalendarProvider {
  return createCachedProvider({ db, ttlMs, name: 'calendar', load: loadWorkCalendar });
}
