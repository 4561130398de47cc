import { isWorkday } from 'chinese-days';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { describe, expect, it } from 'vitest';
import { addDays, buildWorkCalendar, isWeekend } from '../../../src/modules/calendar/calendar.models';
import { calendarDaysFromChineseDays, chineseDaysKnownYears } from '../../../src/modules/calendar/calendar.seed';

describe('seeding the calendar from chinese-days', () => {
  const known = chineseDaysKnownYears();

  it('detects the contiguous run of years chinese-days knows, which ends at 2026 in the installed version', () => {
    expect(known[0]).toBe(2004);
    expect(known.at(-1)).toBe(2026);
    expect(known).toEqual(Array.from({ length: known.length }, (_, i) => 2004 + i));
  });

  it('covers only the requested years chinese-days really knows, so 2027 is left to the admin', () => {
    const { coveredYears, days } = calendarDaysFromChineseDays({ fromYear: 2025, toYear: 2030 });
    expect(coveredYears).toEqual([2025, 2026]);
    expect(days.every((day) => day.date >= '2025-01-01' && day.date <= '2026-12-31')).toBe(true);
    const calendar = buildWorkCalendar({ days, coveredYears });
    expect(calendar.covers('2027-10-01')).toBe(false);
  });

  it('an empty or unknown range gives no rows and no covered years', () => {
    expect(calendarDaysFromChineseDays({ fromYear: 2027, toYear: 2030 })).toEqual({ days: [], coveredYears: [] });
    expect(calendarDaysFromChineseDays({ fromYear: 2026, toYear: 2025 })).toEqual({ days: [], coveredYears: [] });
  });

  it('stores only deviations from the ordinary week: weekday holidays and weekend workdays, sorted and unique', () => {
    const { days } = calendarDaysFromChineseDays({ fromYear: 2004, toYear: 2026 });
    for (const day of days) {
      expect(day.kind === 'holiday' ? !isWeekend(day.date) : isWeekend(day.date), day.date).toBe(true);
    }
    const dates = days.map((day) => day.date);
    expect(dates).toEqual([...new Set(dates)].sort());
  });

  it('loses nothing of chinese-days\' data file: every day from 2004 to 2026 is worked exactly when the file says so', () => {
    const calendar = buildWorkCalendar(calendarDaysFromChineseDays({ fromYear: 2004, toYear: 2026 }));
    const { holidays, workdays } = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };
    let checked = 0;
    for (let date = '2004-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      const expected = date in workdays || (!isWeekend(date) && !(date in holidays));
      expect(calendar.isWorkingDay(date), date).toBe(expected);
      checked++;
    }
    expect(checked).toBe(8401);
  });

  // chinese-days builds its lookup tables at import time from UTC-midnight dates read back with local-time getters,
  // so west of UTC its own API is a day off (in America/Los_Angeles it calls 2004-01-01 a working day). That is
  // why the seed reads the data file; the API can only serve as a second opinion where its tables are right.
  it.runIf(new Date(2025, 0, 1).getTimezoneOffset() <= 0)('agrees with the chinese-days API on every day from 2004 to 2026', () => {
    const calendar = buildWorkCalendar(calendarDaysFromChineseDays({ fromYear: 2004, toYear: 2026 }));
    for (let date = '2004-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      expect(calendar.isWorkingDay(date), date).toBe(isWorkday(new Date(y, m - 1, d)));
    }
  });

  it('seeds 国庆 2025 as six weekday holidays and two 调休 days with Chinese names', () => {
    const { days } = calendarDaysFromChineseDays({ fromYear: 2025, toYear: 2025 });
    const autumn = days.filter((day) => day.date >= '2025-09-20' && day.date <= '2025-10-20');
    expect(autumn).toEqual([
      { date: '2025-09-28', kind: 'workday', name: '国庆节调休' },
      { date: '2025-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2025-10-02', kind: 'holiday', name: '国庆节' },
      { date: '2025-10-03', kind: 'holiday', name: '国庆节' },
      { date: '2025-10-06', kind: 'holiday', name: '中秋' },
      { date: '2025-10-07', kind: 'holiday', name: '国庆节' },
      { date: '2025-10-08', kind: 'holiday', name: '国庆节' },
      { date: '2025-10-11', kind: 'workday', name: '国庆节调休' },
    ]);
  });

  it('seeds the real 春节 2026 schedule', () => {
    const { days } = calendarDaysFromChineseDays({ fromYear: 2026, toYear: 2026 });
    expect(days.filter((day) => day.date.startsWith('2026-02'))).toEqual([
      { date: '2026-02-14', kind: 'workday', name: '春节调休' },
      { date: '2026-02-16', kind: 'holiday', name: '春节' },
      { date: '2026-02-17', kind: 'holiday', name: '春节' },
      { date: '2026-02-18', kind: 'holiday', name: '春节' },
      { date: '2026-02-19', kind: 'holiday', name: '春节' },
      { date: '2026-02-20', kind: 'holiday', name: '春节' },
      { date: '2026-02-23', kind: 'holiday', name: '春节' },
      { date: '2026-02-28', kind: 'workday', name: '春节调休' },
    ]);
  });

  it('keeps the December days of the next New Year schedule in the year they fall in', () => {
    const { days } = calendarDaysFromChineseDays({ fromYear: 2018, toYear: 2018 });
    expect(days.filter((day) => day.date >= '2018-12-29')).toEqual([
      { date: '2018-12-29', kind: 'workday', name: '元旦调休' },
      { date: '2018-12-31', kind: 'holiday', name: '元旦' },
    ]);
  });
});
