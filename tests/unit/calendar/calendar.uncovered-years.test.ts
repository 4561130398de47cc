import { describe, expect, it } from 'vitest';
import { calendarTexts } from '../../../src/i18n/zh-CN.calendar';
import {
  buildWorkCalendar,
  calendarCoverageWarning,
  computeDeadline,
  fixedStatutoryHolidayName,
  fixedStatutoryHolidays,
} from '../../../src/modules/calendar/calendar.models';
import { china, seededCalendar } from './calendar.fixtures';

describe('a year whose schedule has not been imported', () => {
  const calendar = seededCalendar(); // 2025–2026, as chinese-days ships them

  it('takes 元旦 off: 2027-01-01 is a Friday and not a working day', () => {
    expect(calendar.covers('2027-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-31')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-04')).toBe(true);
  });

  it('takes 劳动节 (1–2 May) and 国庆节 (1–3 October) off on whatever weekday they fall', () => {
    // 2028-05-01 is a Monday, 2028-10-02 a Monday.
    expect(['2028-05-01', '2028-05-02', '2028-05-03'].map((d) => calendar.isWorkingDay(d))).toEqual([false, false, true]);
    expect(['2028-10-02', '2028-10-03', '2028-10-04'].map((d) => calendar.isWorkingDay(d))).toEqual([false, false, true]);
  });

  it('still counts an ordinary weekend as days off and an ordinary weekday as worked', () => {
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2027-03-03')).toBe(true); // Wednesday
  });

  it('runs a time limit across the new year past 元旦', () => {
    // Received Wednesday 2026-12-30, 3 working days: Thu 12-31, (Fri 01-01 off), Mon 01-04, Tue 01-05.
    const deadline = computeDeadline({ start: china('2026-12-30 15:00'), rule: { unit: 'working_days', value: 3 }, calendar });
    expect(deadline).toEqual(china('2027-01-06 00:00'));
  });

  it('knows the rule of the year: before 2025 劳动节 was one day', () => {
    expect(fixedStatutoryHolidays(2024).map((h) => h.date)).toEqual(['2024-01-01', '2024-05-01', '2024-10-01', '2024-10-02', '2024-10-03']);
    expect(fixedStatutoryHolidays(2027).map((h) => `${h.date} ${h.name}`)).toEqual([
      '2027-01-01 元旦',
      '2027-05-01 劳动节',
      '2027-05-02 劳动节',
      '2027-10-01 国庆节',
      '2027-10-02 国庆节',
      '2027-10-03 国庆节',
    ]);
    expect(fixedStatutoryHolidayName('2027-10-04')).toBeNull();
    const old = buildWorkCalendar({ days: [], coveredYears: [] });
    expect(old.isWorkingDay('2024-05-02')).toBe(true); // a Thursday
    expect(old.isWorkingDay('2024-05-01')).toBe(false);
  });

  it('follows an imported schedule over the fixed dates (the import is the authority, 调休 included)', () => {
    const imported = buildWorkCalendar({ days: [{ date: '2027-10-09', kind: 'workday', name: '国庆节调休' }], coveredYears: [2027] });
    expect(imported.isWorkingDay('2027-01-01')).toBe(true); // not in the (imagined) import: worked
    expect(imported.isWorkingDay('2027-10-09')).toBe(true); // a Saturday worked
  });

  it('keeps warning every day until that year is imported', () => {
    for (const day of ['2026-11-02 00:00', '2027-01-01 09:00', '2027-06-30 12:00', '2027-12-31 23:59']) {
      const warning = calendarCoverageWarning({ calendar, now: china(day) });
      expect(warning, day).not.toBeNull();
    }
    expect(calendarCoverageWarning({ calendar, now: china('2027-03-01 10:00') })).toEqual({ firstUncoveredDate: '2027-03-01', horizonDays: 60 });
    const imported = buildWorkCalendar({ days: [], coveredYears: [2025, 2026, 2027] });
    expect(calendarCoverageWarning({ calendar: imported, now: china('2027-03-01 10:00') })).toBeNull();
  });

  it('tells the admin which days it assumes', () => {
    expect(calendarTexts.coverageWarning('2027-01-01', 60)).toContain('元旦、劳动节、国庆节');
  });
});
