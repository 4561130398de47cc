import { describe, expect, it } from 'vitest';
import { surveyReminderDue, surveySweepBounds, surveyTimeoutDue } from '../../../src/jobs/surveys.models';
import { china } from './builders';

const resolved = (at: string, patch: Partial<Parameters<typeof surveyReminderDue>[0]['order']> = {}) => ({
  status: 'resolved' as const,
  resolvedAt: china(at),
  surveyRemindedAt: null,
  ...patch,
});

describe('survey follow-up', () => {
  it('reminds the resident once, 24 hours after the resolution', () => {
    const order = resolved('2026-11-23 10:00');
    expect(surveyReminderDue({ order, now: china('2026-11-24 09:59') })).toBe(false);
    expect(surveyReminderDue({ order, now: china('2026-11-24 10:00') })).toBe(true);
    expect(surveyReminderDue({ order: { ...order, surveyRemindedAt: china('2026-11-24 10:00') }, now: china('2026-11-25 10:00') })).toBe(false);
  });

  it('holds a reminder that falls due at night until 09:00', () => {
    const order = resolved('2026-11-23 22:30');
    expect(surveyReminderDue({ order, now: china('2026-11-24 22:30') })).toBe(false);
    expect(surveyReminderDue({ order, now: china('2026-11-25 08:59') })).toBe(false);
    expect(surveyReminderDue({ order, now: china('2026-11-25 09:00') })).toBe(true);
  });

  it('reminds on weekends and holidays too: residents are not on the work calendar', () => {
    expect(surveyReminderDue({ order: resolved('2026-10-01 10:00'), now: china('2026-10-02 10:00') })).toBe(true);
  });

  it('closes the survey after 72 hours without an answer, and sends no reminder then', () => {
    const order = resolved('2026-11-23 10:00');
    expect(surveyTimeoutDue({ order, now: china('2026-11-26 09:59') })).toBe(false);
    expect(surveyTimeoutDue({ order, now: china('2026-11-26 10:00') })).toBe(true);
    expect(surveyReminderDue({ order, now: china('2026-11-26 10:00') })).toBe(false);
  });

  it('asks nothing of orders that are not awaiting a survey (cancelled, merged, closed, reopened)', () => {
    const now = china('2026-11-30 10:00');
    for (const status of ['cancelled', 'merged', 'closed', 'assigned'] as const) {
      expect(surveyReminderDue({ order: resolved('2026-11-23 10:00', { status }), now })).toBe(false);
      expect(surveyTimeoutDue({ order: resolved('2026-11-23 10:00', { status }), now })).toBe(false);
    }
  });

  it('bounds the sweep at 24 and 72 hours back', () => {
    expect(surveySweepBounds(china('2026-11-26 10:00'))).toEqual({ remindBefore: china('2026-11-25 10:00'), timeoutBefore: china('2026-11-23 10:00') });
  });
});
