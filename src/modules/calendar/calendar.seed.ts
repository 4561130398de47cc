/**
 * Seed rows for the working-day calendar from the `chinese-days` package.
 *
 * We read the package's published data file (`dist/chinese-days.json`, documented in its README) instead of
 * calling `isWorkday()` and friends: those parse `YYYY-MM-DD` as UTC midnight and then read local-time fields,
 * so under a TZ west of UTC (e.g. a CI box on America/*) `getDayDetail('2025-10-01')` answers for 09-30.
 * The data file is plain date keys and cannot drift with the server's time zone.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { isValidIsoDate, isWeekend, yearOf } from './calendar.dates';
import type { CalendarDay } from './calendar.models';

type ChineseDaysData = {
  /** Every day off of an announced schedule, weekend days included. Value: "English,中文,days". */
  holidays: Record<string, string>;
  /** Weekend days that are worked (调休上班). Same value format. */
  workdays: Record<string, string>;
};

const data: ChineseDaysData = chineseDaysData;

/** The Chinese name from a value such as "National Day,国庆节,3". */
function chineseName(value: string): string | null {
  const name = value.split(',')[1]?.trim();
  return name ? name : null;
}

/**
 * The years whose schedule the package really knows, detected from its data rather than hard-coded so an
 * upgrade of the package extends the seed by itself. A year counts only if it has Spring Festival days off:
 * every announced schedule has them and they always fall inside that year, whereas a New Year schedule can
 * spill into the previous December (2018-12-29..31 belong to 2019's 元旦), which must not make that
 * December's year look announced.
 */
export function chineseDaysKnownYears(): number[] {
  const years = new Set<number>();
  for (const [date, value] of Object.entries(data.holidays)) {
    if (isValidIsoDate(date) && chineseName(value) === '春节') years.add(yearOf(date));
  }
  return [...years].sort((a, b) => a - b);
}

/**
 * Calendar rows and covered years for `fromYear`..`toYear` (inclusive), limited to the years `chinese-days`
 * knows; asking for 2025–2030 with package 1.5.7 gives 2025–2026 only, and the rest is for the admin to import.
 * Only deviations from the ordinary week become rows: weekday days off and worked weekend days. A row dated in
 * a covered year is kept whichever year's schedule it came from (2018-12-29 is worked, although it belongs to
 * 2019's New Year schedule).
 */
export function calendarDaysFromChineseDays({
  fromYear,
  toYear,
}: {
  fromYear: number;
  toYear: number;
}): { days: CalendarDay[]; coveredYears: number[] } {
  const coveredYears = chineseDaysKnownYears().filter((year) => year >= fromYear && year <= toYear);
  const covered = new Set(coveredYears);
  const inRange = (date: string) => isValidIsoDate(date) && covered.has(yearOf(date));

  const days: CalendarDay[] = [];
  for (const [date, value] of Object.entries(data.holidays)) {
    // A weekend day off is already off: no row, so the table only says what differs from the ordinary week.
    if (inRange(date) && !isWeekend(date)) days.push({ date, kind: 'holiday', name: chineseName(value) });
  }
  for (const [date, value] of Object.entries(data.workdays)) {
    if (inRange(date) && isWeekend(date)) {
      const name = chineseName(value);
      days.push({ date, kind: 'workday', name: name ? `${name}调休` : null });
    }
  }
  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { days, coveredYears };
}
