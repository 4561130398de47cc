import { describe, expect, it } from 'vitest';
import {
  computeDeadline,
  extendDeadlineByWorkingDays,
  extendDeadlineForPause,
  fractionElapsed,
  isOverdue,
} from '../../../src/modules/calendar/calendar.models';
import { china, seededCalendar } from './calendar.fixtures';

const calendar = seededCalendar();

describe('pausing the clock while the order waits on the resident', () => {
  it('a pause before the deadline moves it by the paused duration', () => {
    const deadline = extendDeadlineForPause({
      deadline: china('2025-10-12 00:00'),
      pausedAt: china('2025-10-09 10:00'),
      resumedAt: china('2025-10-10 14:30'),
    });
    expect(deadline).toEqual(china('2025-10-13 04:30'));
  });

  it('a pause that outlasts the deadline keeps the time that was left when it began', () => {
    const deadline = extendDeadlineForPause({
      deadline: china('2025-11-18 00:00'),
      pausedAt: china('2025-11-17 22:00'),
      resumedAt: china('2025-11-20 09:00'),
    });
    expect(deadline).toEqual(china('2025-11-20 11:00'));
  });

  it('a pause that begins after the deadline does not move it, so pausing cannot clear an overdue order', () => {
    const deadline = extendDeadlineForPause({
      deadline: china('2025-11-18 00:00'),
      pausedAt: china('2025-11-18 00:00'),
      resumedAt: china('2025-11-25 09:00'),
    });
    expect(deadline).toEqual(china('2025-11-18 00:00'));
  });

  it('a zero-length pause changes nothing and two pauses add up', () => {
    const start = china('2025-11-20 00:00');
    expect(extendDeadlineForPause({ deadline: start, pausedAt: china('2025-11-17 10:00'), resumedAt: china('2025-11-17 10:00') })).toEqual(start);
    const once = extendDeadlineForPause({ deadline: start, pausedAt: china('2025-11-17 10:00'), resumedAt: china('2025-11-17 12:00') });
    const twice = extendDeadlineForPause({ deadline: once, pausedAt: china('2025-11-18 10:00'), resumedAt: china('2025-11-18 11:30') });
    expect(twice).toEqual(china('2025-11-20 03:30'));
  });

  it('a resumption before the pause is refused', () => {
    expect(() =>
      extendDeadlineForPause({
        deadline: china('2025-11-20 00:00'),
        pausedAt: china('2025-11-17 12:00'),
        resumedAt: china('2025-11-17 10:00'),
      }),
    ).toThrow(RangeError);
  });
});

describe('extending a deadline by working days (延期)', () => {
  function extend(deadline: string, days: number): Date {
    return extendDeadlineByWorkingDays({ deadline: china(deadline), days, calendar });
  }

  it('a deadline at the end of a day moves to the end of the n-th working day after that day', () => {
    expect(extend('2025-10-10 00:00', 2)).toEqual(china('2025-10-12 00:00'));
    expect(extend('2025-11-18 00:00', 3)).toEqual(china('2025-11-21 00:00'));
  });

  it('an extension across 国庆 skips the break', () => {
    expect(extend('2025-09-30 00:00', 1)).toEqual(china('2025-10-01 00:00'));
    expect(extend('2025-09-30 00:00', 2)).toEqual(china('2025-10-10 00:00'));
  });

  it('an extension over the end of Friday lands on the next working day, the weekend skipped', () => {
    expect(extend('2025-11-15 00:00', 1)).toEqual(china('2025-11-18 00:00'));
  });

  it('an extension across 春节 2026 counts the 调休 Saturday 02-14 first', () => {
    expect(extend('2026-02-14 00:00', 1)).toEqual(china('2026-02-15 00:00'));
    expect(extend('2026-02-14 00:00', 2)).toEqual(china('2026-02-25 00:00'));
  });

  it('a deadline with a time of day keeps that time on the new day', () => {
    expect(extend('2025-09-30 14:30', 1)).toEqual(china('2025-10-09 14:30'));
    expect(extend('2025-11-15 10:00', 1)).toEqual(china('2025-11-17 10:00'));
  });

  it('extending equals asking for the sum of working days from the start', () => {
    const start = china('2025-09-25 11:00');
    const deadline = computeDeadline({ start, rule: { unit: 'working_days', value: 5 }, calendar });
    const longer = computeDeadline({ start, rule: { unit: 'working_days', value: 8 }, calendar });
    expect(extendDeadlineByWorkingDays({ deadline, days: 3, calendar })).toEqual(longer);
  });

  it('an extension that is not a whole number of days of at least one is refused', () => {
    expect(() => extend('2025-11-18 00:00', 0)).toThrow(RangeError);
    expect(() => extend('2025-11-18 00:00', 2.5)).toThrow(RangeError);
  });
});

describe('overdue and the share of the limit used', () => {
  const start = china('2025-11-17 10:00');
  const deadline = china('2025-11-21 10:00');

  it('an order is overdue only after the deadline instant', () => {
    expect(isOverdue({ deadline, now: china('2025-11-21 09:59') })).toBe(false);
    expect(isOverdue({ deadline, now: deadline })).toBe(false);
    expect(isOverdue({ deadline, now: new Date(deadline.getTime() + 1) })).toBe(true);
  });

  it('the share elapsed reaches 0.75 three quarters of the way to the deadline', () => {
    expect(fractionElapsed({ start, deadline, now: start })).toBe(0);
    expect(fractionElapsed({ start, deadline, now: china('2025-11-19 10:00') })).toBe(0.5);
    expect(fractionElapsed({ start, deadline, now: china('2025-11-20 10:00') })).toBe(0.75);
    expect(fractionElapsed({ start, deadline, now: deadline })).toBe(1);
  });

  it('the share is 0 before the start and keeps growing past 1 when overdue', () => {
    expect(fractionElapsed({ start, deadline, now: china('2025-11-16 10:00') })).toBe(0);
    expect(fractionElapsed({ start, deadline, now: china('2025-11-23 10:00') })).toBe(1.5);
  });

  it('a deadline that is not after the start is refused', () => {
    expect(() => fractionElapsed({ start, deadline: start, now: start })).toThrow(RangeError);
  });
});
