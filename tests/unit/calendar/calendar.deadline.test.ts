import { describe, expect, it } from 'vitest';
import {
  addDays,
  buildWorkCalendar,
  chinaDate,
  chinaDayStart,
  computeDeadline,
  nextWorkingDay,
  type WorkCalendar,
} from '../../../src/modules/calendar/calendar.models';
import { china, seededCalendar } from './calendar.fixtures';

const calendar = seededCalendar();

function workingDays(start: Date, value: number, cal: WorkCalendar = calendar): Date {
  return computeDeadline({ start, rule: { unit: 'working_days', value }, calendar: cal });
}

function hours(start: Date, value: number): Date {
  return computeDeadline({ start, rule: { unit: 'hours', value }, calendar });
}

describe('which days are working days', () => {
  it('the 国庆 2025 days off on weekdays are not working days', () => {
    for (const date of ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08']) {
      expect(calendar.isWorkingDay(date), date).toBe(false);
    }
  });

  it('the 调休 Sunday 2025-09-28 and Saturday 2025-10-11 are working days', () => {
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('ordinary weekends are off and ordinary weekdays are worked', () => {
    expect(calendar.isWorkingDay('2025-11-15')).toBe(false);
    expect(calendar.isWorkingDay('2025-11-16')).toBe(false);
    expect(calendar.isWorkingDay('2025-11-17')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
  });

  it('the real 春节 2026 schedule is off from 02-15 to 02-23 with Saturdays 02-14 and 02-28 worked', () => {
    const worked = (date: string) => calendar.isWorkingDay(date);
    expect(worked('2026-02-13')).toBe(true);
    expect(worked('2026-02-14')).toBe(true);
    for (let day = 15; day <= 23; day++) expect(worked(`2026-02-${day}`), `02-${day}`).toBe(false);
    expect(worked('2026-02-24')).toBe(true);
    expect(worked('2026-02-27')).toBe(true);
    expect(worked('2026-02-28')).toBe(true);
    expect(worked('2026-03-01')).toBe(false);
  });

  it('a year without an imported schedule falls back to the ordinary week with the fixed-date holidays: 2027-10-01 is off, 10-04 worked', () => {
    expect(calendar.covers('2027-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2027-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2027-10-02')).toBe(false);
    expect(calendar.isWorkingDay('2027-10-04')).toBe(true);
  });

  it('a calendar covers exactly the years it was given, sorted and without repeats', () => {
    const cal = buildWorkCalendar({ days: [], coveredYears: [2026, 2025, 2026] });
    expect(cal.coveredYears).toEqual([2025, 2026]);
    expect(cal.covers('2025-01-01')).toBe(true);
    expect(cal.covers('2026-12-31')).toBe(true);
    expect(cal.covers('2024-12-31')).toBe(false);
    expect(cal.covers('2027-01-01')).toBe(false);
  });

  it('a calendar refuses a day listed twice or an invalid date, because that means its sources were merged wrongly', () => {
    const day = { date: '2027-10-01', kind: 'holiday' as const, name: null };
    expect(() => buildWorkCalendar({ days: [day, day], coveredYears: [2027] })).toThrow(RangeError);
    expect(() => buildWorkCalendar({ days: [{ ...day, date: '2027-02-30' }], coveredYears: [2027] })).toThrow(RangeError);
  });

  it('the next working day skips the whole 国庆 break and lands on 调休 days', () => {
    expect(nextWorkingDay('2025-09-30', calendar)).toBe('2025-10-09');
    expect(nextWorkingDay('2025-10-01', calendar)).toBe('2025-10-09');
    expect(nextWorkingDay('2025-10-10', calendar)).toBe('2025-10-11');
    expect(nextWorkingDay('2025-10-11', calendar)).toBe('2025-10-13');
    expect(nextWorkingDay('2025-09-26', calendar)).toBe('2025-09-28');
    expect(nextWorkingDay('2025-11-14', calendar)).toBe('2025-11-17');
    expect(nextWorkingDay('2025-11-17', calendar)).toBe('2025-11-18');
  });
});

describe('working-day deadlines', () => {
  it('3 working days from 2025-09-30 skip 国庆 and count the 调休 Saturday 10-11, ending at 24:00 that day', () => {
    expect(workingDays(china('2025-09-30 10:00'), 3)).toEqual(china('2025-10-12 00:00'));
  });

  it('the day of receipt never counts, even when the order arrives one minute after midnight or just before it', () => {
    expect(workingDays(china('2025-09-30 00:01'), 3)).toEqual(china('2025-10-12 00:00'));
    expect(workingDays(china('2025-09-30 23:59'), 3)).toEqual(china('2025-10-12 00:00'));
  });

  it('an order received on a holiday starts counting on the first working day after the break', () => {
    expect(workingDays(china('2025-10-01 00:00'), 1)).toEqual(china('2025-10-10 00:00'));
    expect(workingDays(china('2025-10-05 18:00'), 2)).toEqual(china('2025-10-11 00:00'));
  });

  it('the 调休 Sunday 2025-09-28 counts as a working day', () => {
    expect(workingDays(china('2025-09-27 09:00'), 1)).toEqual(china('2025-09-29 00:00'));
    expect(workingDays(china('2025-09-26 15:00'), 2)).toEqual(china('2025-09-30 00:00'));
  });

  it('a complaint of 15 working days received before 国庆 runs to 2025-10-22', () => {
    // 09-26, 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13..10-17, 10-20..10-22
    expect(workingDays(china('2025-09-25 11:00'), 15)).toEqual(china('2025-10-23 00:00'));
  });

  it('an ordinary weekend is skipped', () => {
    expect(workingDays(china('2025-11-14 16:00'), 1)).toEqual(china('2025-11-18 00:00'));
    expect(workingDays(china('2025-11-15 10:00'), 2)).toEqual(china('2025-11-19 00:00'));
    expect(workingDays(china('2025-11-16 23:00'), 5)).toEqual(china('2025-11-22 00:00'));
  });

  it('春节 2026: an order received on Friday 02-13 has the 调休 Saturday 02-14 as its first working day', () => {
    expect(workingDays(china('2026-02-13 15:00'), 1)).toEqual(china('2026-02-15 00:00'));
    expect(workingDays(china('2026-02-13 15:00'), 2)).toEqual(china('2026-02-25 00:00'));
  });

  it('春节 2026: an order received during the break counts from Tuesday 02-24 and includes the 调休 Saturday 02-28', () => {
    expect(workingDays(china('2026-02-15 10:00'), 3)).toEqual(china('2026-02-27 00:00'));
    expect(workingDays(china('2026-02-23 10:00'), 5)).toEqual(china('2026-03-01 00:00'));
    expect(workingDays(china('2026-02-23 10:00'), 6)).toEqual(china('2026-03-03 00:00'));
  });

  it('元旦 2026 crosses the year end: from 2025-12-31 the first working day is the 调休 Sunday 2026-01-04', () => {
    expect(workingDays(china('2025-12-31 10:00'), 1)).toEqual(china('2026-01-05 00:00'));
  });

  it('the China date decides, not the UTC date: 17:00 UTC on 09-30 is already 10-01 in China', () => {
    expect(workingDays(new Date('2025-09-30T15:59:00Z'), 1)).toEqual(china('2025-10-10 00:00'));
    expect(workingDays(new Date('2025-09-30T17:00:00Z'), 1)).toEqual(china('2025-10-10 00:00'));
    expect(workingDays(new Date('2025-10-08T15:59:00Z'), 1)).toEqual(china('2025-10-10 00:00'));
    expect(workingDays(new Date('2025-10-08T16:00:00Z'), 1)).toEqual(china('2025-10-11 00:00'));
  });

  it('for every start hour of a month around 国庆, the deadline closes a working day with exactly n working days counted', () => {
    for (let t = china('2025-09-20 00:00').getTime(); t < china('2025-10-20 00:00').getTime(); t += 3_600_000) {
      const start = new Date(t);
      for (let n = 1; n <= 5; n++) {
        const deadline = workingDays(start, n);
        expect(chinaDayStart(chinaDate(deadline))).toEqual(deadline);
        const lastDay = addDays(chinaDate(deadline), -1);
        expect(calendar.isWorkingDay(lastDay), `${start.toISOString()} +${n}`).toBe(true);
        let counted = 0;
        for (let d = addDays(chinaDate(start), 1); d <= lastDay; d = addDays(d, 1)) {
          if (calendar.isWorkingDay(d)) counted++;
        }
        expect(counted, `${start.toISOString()} +${n}`).toBe(n);
      }
    }
  });

  it('limits that are not a whole number of working days of at least one are refused', () => {
    const start = china('2025-09-30 10:00');
    expect(() => workingDays(start, 0)).toThrow(RangeError);
    expect(() => workingDays(start, -1)).toThrow(RangeError);
    expect(() => workingDays(start, 1.5)).toThrow(RangeError);
    expect(() => workingDays(start, Number.NaN)).toThrow(RangeError);
  });
});

describe('hour deadlines for urgent orders', () => {
  it('urgent hours run across midnight into a holiday, because urgent orders are handled around the clock', () => {
    expect(hours(china('2025-09-30 22:30'), 4)).toEqual(china('2025-10-01 02:30'));
  });

  it('urgent hours count weekends and holidays like any other hour', () => {
    expect(hours(china('2025-10-01 08:00'), 24)).toEqual(china('2025-10-02 08:00'));
    expect(hours(china('2025-11-15 20:00'), 48)).toEqual(china('2025-11-17 20:00'));
  });

  it('a fraction of an hour is allowed', () => {
    expect(hours(china('2025-11-17 09:00'), 0.5)).toEqual(china('2025-11-17 09:30'));
  });

  it('zero, negative or non-numeric hours are refused', () => {
    const start = china('2025-11-17 09:00');
    expect(() => hours(start, 0)).toThrow(RangeError);
    expect(() => hours(start, -2)).toThrow(RangeError);
    expect(() => hours(start, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
