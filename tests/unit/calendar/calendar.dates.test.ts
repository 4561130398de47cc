import { describe, expect, it } from 'vitest';
import {
  addDays,
  chinaDate,
  chinaDayStart,
  dayOfWeek,
  isValidIsoDate,
  isWeekend,
} from '../../../src/modules/calendar/calendar.models';

describe('China-time dates', () => {
  it('an instant late in the UTC evening is already the next day in China', () => {
    expect(chinaDate(new Date('2025-09-30T15:59:59.999Z'))).toBe('2025-09-30');
    expect(chinaDate(new Date('2025-09-30T16:00:00.000Z'))).toBe('2025-10-01');
  });

  it('a China day starts at 16:00 UTC of the previous day', () => {
    expect(chinaDayStart('2025-10-01').toISOString()).toBe('2025-09-30T16:00:00.000Z');
  });

  it('a China date and the start of that day round-trip over a whole year', () => {
    for (let date = '2025-01-01'; date <= '2026-12-31'; date = addDays(date, 1)) {
      expect(chinaDate(chinaDayStart(date))).toBe(date);
      expect(chinaDate(new Date(chinaDayStart(date).getTime() + 86_400_000 - 1))).toBe(date);
    }
  });

  it('adding days crosses month ends, leap days and year ends, and can go backwards', () => {
    expect(addDays('2025-09-30', 1)).toBe('2025-10-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-11-23', 60)).toBe('2027-01-22');
    expect(addDays('2025-10-01', -1)).toBe('2025-09-30');
    expect(addDays('2025-10-01', 0)).toBe('2025-10-01');
  });

  it('adding a fraction of a day is refused', () => {
    expect(() => addDays('2025-10-01', 0.5)).toThrow(RangeError);
  });

  it('only real YYYY-MM-DD dates are valid', () => {
    expect(isValidIsoDate('2025-10-01')).toBe(true);
    expect(isValidIsoDate('2028-02-29')).toBe(true);
    expect(isValidIsoDate('2027-02-29')).toBe(false);
    expect(isValidIsoDate('2027-02-30')).toBe(false);
    expect(isValidIsoDate('2027-13-01')).toBe(false);
    expect(isValidIsoDate('2027-10-1')).toBe(false);
    expect(isValidIsoDate('2027/10/01')).toBe(false);
    expect(isValidIsoDate(' 2027-10-01')).toBe(false);
    expect(() => chinaDayStart('2027-02-30')).toThrow(RangeError);
  });

  it('weekdays are read from the date itself, whatever the server time zone', () => {
    expect(dayOfWeek('2025-09-28')).toBe(0);
    expect(dayOfWeek('2025-10-01')).toBe(3);
    expect(dayOfWeek('2025-10-11')).toBe(6);
    expect(isWeekend('2025-10-11')).toBe(true);
    expect(isWeekend('2025-10-12')).toBe(true);
    expect(isWeekend('2025-10-13')).toBe(false);
  });
});
