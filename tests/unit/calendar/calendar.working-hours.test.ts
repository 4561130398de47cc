import { describe, expect, it } from 'vitest';
import { addWorkingHours, workingHoursBetween } from '../../../src/modules/calendar/calendar.models';
import { china, seededCalendar } from './calendar.fixtures';

const calendar = seededCalendar();

function plus(start: string, hours: number, workday?: { start: string; end: string }): Date {
  return addWorkingHours({ start: china(start), hours, calendar, ...(workday ? { workday } : {}) });
}

function between(from: string, to: string): number {
  return workingHoursBetween({ from: china(from), to: china(to), calendar });
}

describe('adding working hours (签收 limits)', () => {
  it('two working hours from mid-morning end before lunch', () => {
    expect(plus('2025-11-17 10:00', 2)).toEqual(china('2025-11-17 12:00'));
  });

  it('the default 09:00–18:00 day has no lunch break, so time over lunch counts', () => {
    expect(plus('2025-11-17 11:30', 2)).toEqual(china('2025-11-17 13:30'));
  });

  it('a limit that runs out exactly at 18:00 ends at 18:00, not the next morning', () => {
    expect(plus('2025-11-17 16:00', 2)).toEqual(china('2025-11-17 18:00'));
  });

  it('the evening does not count: from 17:00 two working hours end at 10:00 the next morning', () => {
    expect(plus('2025-11-17 17:00', 2)).toEqual(china('2025-11-18 10:00'));
  });

  it('a start before opening begins counting at 09:00', () => {
    expect(plus('2025-11-17 07:30', 2)).toEqual(china('2025-11-17 11:00'));
    expect(plus('2025-11-17 00:00', 2)).toEqual(china('2025-11-17 11:00'));
  });

  it('a start after closing or exactly at 18:00 begins counting at 09:00 the next working day', () => {
    expect(plus('2025-11-17 20:00', 2)).toEqual(china('2025-11-18 11:00'));
    expect(plus('2025-11-17 18:00', 1)).toEqual(china('2025-11-18 10:00'));
  });

  it('the weekend does not count: from Friday 17:30 two working hours end Monday 10:30', () => {
    expect(plus('2025-11-14 17:30', 2)).toEqual(china('2025-11-17 10:30'));
  });

  it('a start on a weekend begins counting on Monday morning', () => {
    expect(plus('2025-11-15 10:00', 2)).toEqual(china('2025-11-17 11:00'));
    expect(plus('2025-11-16 23:59', 2)).toEqual(china('2025-11-17 11:00'));
  });

  it('the 国庆 break does not count: from 09-30 17:00 two working hours end on 10-09 at 10:00', () => {
    expect(plus('2025-09-30 17:00', 2)).toEqual(china('2025-10-09 10:00'));
    expect(plus('2025-10-03 12:00', 2)).toEqual(china('2025-10-09 11:00'));
  });

  it('the 调休 Saturday and Sunday are working days for working hours too', () => {
    expect(plus('2025-10-10 17:00', 2)).toEqual(china('2025-10-11 10:00'));
    expect(plus('2025-09-27 12:00', 2)).toEqual(china('2025-09-28 11:00'));
    expect(plus('2026-02-13 17:00', 2)).toEqual(china('2026-02-14 10:00'));
  });

  it('春节 2026: from Saturday 02-14 17:00 two working hours end on Tuesday 02-24', () => {
    expect(plus('2026-02-14 17:00', 2)).toEqual(china('2026-02-24 10:00'));
  });

  it('limits longer than a working day span several days', () => {
    expect(plus('2025-11-17 09:00', 9)).toEqual(china('2025-11-17 18:00'));
    expect(plus('2025-11-17 09:00', 20)).toEqual(china('2025-11-19 11:00'));
    expect(plus('2025-11-14 09:00', 18.5)).toEqual(china('2025-11-18 09:30'));
  });

  it('zero working hours is the start itself', () => {
    expect(plus('2025-11-15 03:00', 0)).toEqual(china('2025-11-15 03:00'));
  });

  it('a custom working day is honoured', () => {
    const workday = { start: '08:30', end: '17:30' };
    expect(plus('2025-11-17 17:00', 1, workday)).toEqual(china('2025-11-18 09:00'));
    expect(plus('2025-11-17 07:00', 0.25, workday)).toEqual(china('2025-11-17 08:45'));
    expect(plus('2025-11-17 23:00', 2, { start: '00:00', end: '24:00' })).toEqual(china('2025-11-18 01:00'));
  });

  it('malformed working days and negative hours are refused', () => {
    const start = china('2025-11-17 10:00');
    const bad = [
      { start: '9:00', end: '18:00' },
      { start: '09:00', end: '25:00' },
      { start: '09:60', end: '18:00' },
      { start: '18:00', end: '09:00' },
      { start: '09:00', end: '09:00' },
      { start: '09:00', end: '24:01' },
    ];
    for (const workday of bad) {
      expect(() => addWorkingHours({ start, hours: 1, calendar, workday }), JSON.stringify(workday)).toThrow(RangeError);
    }
    expect(() => addWorkingHours({ start, hours: -1, calendar })).toThrow(RangeError);
  });
});

describe('measuring working hours between two instants', () => {
  it('counts only time inside working periods', () => {
    expect(between('2025-11-17 10:00', '2025-11-17 12:30')).toBe(2.5);
    expect(between('2025-11-17 08:00', '2025-11-17 20:00')).toBe(9);
    expect(between('2025-11-17 20:00', '2025-11-18 08:00')).toBe(0);
  });

  it('skips weekends and holidays and counts 调休 days', () => {
    expect(between('2025-11-14 17:00', '2025-11-17 10:00')).toBe(2);
    expect(between('2025-09-30 17:00', '2025-10-09 10:00')).toBe(2);
    expect(between('2025-10-10 09:00', '2025-10-13 09:00')).toBe(18);
  });

  it('is zero for an empty interval and negative when the order of the instants is reversed', () => {
    expect(between('2025-11-17 10:00', '2025-11-17 10:00')).toBe(0);
    expect(between('2025-11-17 12:30', '2025-11-17 10:00')).toBe(-2.5);
  });

  it('undoes addWorkingHours for starts every 37 minutes over three weeks around 国庆', () => {
    const amounts = [0.5, 1, 2, 9, 13.25, 40];
    for (let t = china('2025-09-24 00:00').getTime(); t < china('2025-10-15 00:00').getTime(); t += 37 * 60_000) {
      const start = new Date(t);
      for (const hours of amounts) {
        const end = addWorkingHours({ start, hours, calendar });
        expect(workingHoursBetween({ from: start, to: end, calendar }), `${start.toISOString()} +${hours}h`).toBeCloseTo(hours, 9);
        // The limit is used up at the earliest possible instant: a minute earlier is not enough.
        const justBefore = new Date(end.getTime() - 60_000);
        expect(workingHoursBetween({ from: start, to: justBefore, calendar })).toBeLessThan(hours);
      }
    }
  });
});
