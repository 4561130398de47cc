import { describe, expect, it } from 'vitest';
import { inWorkingPeriod, mayNotifyResident, mayNotifyStaff, withinHours, workStartOn } from '../../../src/jobs/notice-window.models';
import { china, seededCalendar } from './builders';

const calendar = seededCalendar();

describe('when a job may send a notice', () => {
  it('treats 09:00 as inside the working period and 18:00 as outside it', () => {
    expect(inWorkingPeriod({ now: china('2026-11-23 08:59'), calendar })).toBe(false);
    expect(inWorkingPeriod({ now: china('2026-11-23 09:00'), calendar })).toBe(true);
    expect(inWorkingPeriod({ now: china('2026-11-23 17:59'), calendar })).toBe(true);
    expect(inWorkingPeriod({ now: china('2026-11-23 18:00'), calendar })).toBe(false);
  });

  it('has no working period on a weekend or a holiday, but has one on a make-up Sunday', () => {
    expect(inWorkingPeriod({ now: china('2026-11-28 10:00'), calendar })).toBe(false);
    expect(inWorkingPeriod({ now: china('2026-10-05 10:00'), calendar })).toBe(false);
    expect(inWorkingPeriod({ now: china('2026-01-01 10:00'), calendar })).toBe(false);
    expect(inWorkingPeriod({ now: china('2026-01-04 10:00'), calendar })).toBe(true);
    expect(inWorkingPeriod({ now: china('2026-10-10 10:00'), calendar })).toBe(true);
  });

  it('holds normal staff notices outside working hours and never holds urgent ones', () => {
    expect(mayNotifyStaff({ urgency: 'normal', now: china('2026-11-23 23:00'), calendar })).toBe(false);
    expect(mayNotifyStaff({ urgency: 'urgent', now: china('2026-11-23 23:00'), calendar })).toBe(true);
    expect(mayNotifyStaff({ urgency: 'urgent', now: china('2026-10-03 03:00'), calendar })).toBe(true);
  });

  it('messages residents between 09:00 and 20:00 on any day', () => {
    expect(mayNotifyResident({ now: china('2026-11-28 09:00') })).toBe(true);
    expect(mayNotifyResident({ now: china('2026-11-28 19:59') })).toBe(true);
    expect(mayNotifyResident({ now: china('2026-11-28 20:00') })).toBe(false);
    expect(mayNotifyResident({ now: china('2026-11-28 08:00') })).toBe(false);
  });

  it('reads hours in China time whatever the instant looks like in UTC', () => {
    // 01:30 UTC is 09:30 in China.
    expect(withinHours({ now: new Date('2026-11-23T01:30:00Z'), hours: { start: '09:00', end: '18:00' } })).toBe(true);
    expect(workStartOn('2026-11-23').toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });
});
