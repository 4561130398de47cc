import { describe, expect, it } from 'vitest';
import { calendarTexts } from '../../../src/i18n/zh-CN.calendar';
import { parseCalendarImport } from '../../../src/modules/calendar/calendar.import';
import { buildWorkCalendar, calendarCoverageWarning, computeDeadline } from '../../../src/modules/calendar/calendar.models';
import { calendarDaysFromChineseDays } from '../../../src/modules/calendar/calendar.seed';
import { china, seededCalendar } from './calendar.fixtures';

/** An imagined 2027 schedule, as an admin would paste it once the State Council publishes it. */
const schedule2027 = `date,kind,name
2027-01-01,holiday,元旦
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-12,holiday,春节
2027-02-20,workday,春节调休
2027-09-26,workday,国庆节调休
2027-10-01,holiday,国庆节
2027-10-04,holiday,国庆节
2027-10-05,holiday,国庆节
2027-10-06,holiday,国庆节
2027-10-07,holiday,国庆节
2027-10-09,workday,国庆节调休`;

function calendarWith2027() {
  const seed = calendarDaysFromChineseDays({ fromYear: 2025, toYear: 2026 });
  const imported = parseCalendarImport(schedule2027);
  if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
  return buildWorkCalendar({ days: [...seed.days, ...imported.days], coveredYears: [...seed.coveredYears, imported.year] });
}

describe('warning before the calendar runs out', () => {
  it('on 2026-11-23 with only 2025–2026 covered, it warns because January 2027 is within 60 days', () => {
    expect(calendarCoverageWarning({ calendar: seededCalendar(), now: china('2026-11-23 10:00') })).toEqual({
      firstUncoveredDate: '2027-01-01',
      horizonDays: 60,
    });
  });

  it('once 2027 is imported, the same day gives no warning', () => {
    expect(calendarCoverageWarning({ calendar: calendarWith2027(), now: china('2026-11-23 10:00') })).toBeNull();
  });

  it('the horizon runs from today to 60 days later, both included', () => {
    const calendar = seededCalendar();
    expect(calendarCoverageWarning({ calendar, now: china('2026-11-01 23:59') })).toBeNull();
    expect(calendarCoverageWarning({ calendar, now: china('2026-11-02 00:00') })).toEqual({
      firstUncoveredDate: '2027-01-01',
      horizonDays: 60,
    });
  });

  it('today is the China date: 16:00 UTC on 11-01 is already 11-02 in China', () => {
    const calendar = seededCalendar();
    expect(calendarCoverageWarning({ calendar, now: new Date('2026-11-01T15:59:59Z') })).toBeNull();
    expect(calendarCoverageWarning({ calendar, now: new Date('2026-11-01T16:00:00Z') })).not.toBeNull();
  });

  it('a shorter horizon warns later', () => {
    const calendar = seededCalendar();
    expect(calendarCoverageWarning({ calendar, now: china('2026-11-23 10:00'), horizonDays: 30 })).toBeNull();
    expect(calendarCoverageWarning({ calendar, now: china('2026-12-31 10:00'), horizonDays: 0 })).toBeNull();
    expect(calendarCoverageWarning({ calendar, now: china('2026-12-31 10:00'), horizonDays: 1 })).toEqual({
      firstUncoveredDate: '2027-01-01',
      horizonDays: 1,
    });
  });

  it('an uncovered current year warns for today', () => {
    const calendar = buildWorkCalendar({ days: [], coveredYears: [2025] });
    expect(calendarCoverageWarning({ calendar, now: china('2026-03-01 08:00') })).toEqual({
      firstUncoveredDate: '2026-03-01',
      horizonDays: 60,
    });
  });

  it('a missing year between covered ones is found', () => {
    const calendar = buildWorkCalendar({ days: [], coveredYears: [2025, 2027] });
    expect(calendarCoverageWarning({ calendar, now: china('2025-12-15 08:00') })).toEqual({
      firstUncoveredDate: '2026-01-01',
      horizonDays: 60,
    });
  });

  it('a negative or fractional horizon is refused', () => {
    expect(() => calendarCoverageWarning({ calendar: seededCalendar(), now: china('2026-11-23 10:00'), horizonDays: -1 })).toThrow(RangeError);
    expect(() => calendarCoverageWarning({ calendar: seededCalendar(), now: china('2026-11-23 10:00'), horizonDays: 1.5 })).toThrow(RangeError);
  });

  it('the warning text tells the admin the first uncovered date', () => {
    expect(calendarTexts.coverageWarning('2027-01-01', 60)).toContain('2027-01-01');
  });
});

describe('deadlines with an imported year', () => {
  it('without the 2027 schedule only 国庆 1–3 October is skipped, with it the whole break is', () => {
    const start = china('2027-09-30 10:00');
    const rule = { unit: 'working_days' as const, value: 1 };
    expect(computeDeadline({ start, rule, calendar: seededCalendar() })).toEqual(china('2027-10-05 00:00'));
    expect(computeDeadline({ start, rule, calendar: calendarWith2027() })).toEqual(china('2027-10-09 00:00'));
  });
});
