import { describe, expect, it } from 'vitest';
import { REMINDER_FRACTION } from '../../../src/jobs/order-reminders.models';
import { consoleTexts } from '../../../src/i18n/zh-CN.console';
import { buildWorkCalendar } from '../../../src/modules/calendar/calendar.models';
import { NEARLY_DUE_FRACTION, type TimeLeftOrder, timeLeft } from '../../../src/modules/work-orders/rules/order-time-left.models';
import { resolveDeadline } from '../../../src/modules/work-orders/rules/order-limits.models';

// Weekends off; 2026-12-07 is a Monday.
const calendar = buildWorkCalendar({ days: [], coveredYears: [2026] });
const at = (s: string) => new Date(`${s}+08:00`);
const text = (o: TimeLeftOrder, now: string) => {
  const left = timeLeft({ order: o, now: at(now), calendar });
  return left && { state: left.state, text: consoleTexts.orders.timeLeft(left) };
};

const created = at('2026-12-07T10:00:00');
const normal: TimeLeftOrder = {
  status: 'assigned',
  urgency: 'normal',
  createdAt: created,
  assignedAt: created,
  reopenCount: 0,
  // 5 working days: Tue..Fri and Monday 12-14, to its end.
  deadlineAt: resolveDeadline({ now: created, urgency: 'normal', category: { limitWorkingDays: 5, urgentLimitHours: 24 }, calendar }),
  pausedAt: null,
};
const urgent: TimeLeftOrder = { ...normal, urgency: 'urgent', deadlineAt: at('2026-12-08T10:00:00') };

describe('timeLeft', () => {
  it('counts a working-day limit in whole working days after today, weekends not counted', () => {
    expect(normal.deadlineAt).toEqual(at('2026-12-15T00:00:00'));
    expect(text(normal, '2026-12-07T11:00:00')).toEqual({ state: 'on_time', text: '剩 5 个工作日' });
    expect(text(normal, '2026-12-11T12:00:00')).toEqual({ state: 'on_time', text: '剩 1 个工作日' });
  });

  it('counts holidays out (a Tuesday off leaves 4 working days)', () => {
    const withHoliday = buildWorkCalendar({ days: [{ date: '2026-12-08', kind: 'holiday', name: '测试' }], coveredYears: [2026] });
    const left = timeLeft({ order: normal, now: at('2026-12-07T11:00:00'), calendar: withHoliday });
    expect(left).toEqual({ state: 'on_time', amount: 4, unit: 'working_days' });
  });

  it('shows hours on the last day, nearly due with less than a quarter of the limit left', () => {
    expect(text(normal, '2026-12-14T10:00:00')).toEqual({ state: 'nearly_due', text: '剩 14 小时' });
    expect(text(normal, '2026-12-14T23:30:00')).toEqual({ state: 'nearly_due', text: '剩 30 分钟' });
  });

  it('counts an urgent limit in calendar hours, nearly due past 75% of it', () => {
    expect(text(urgent, '2026-12-07T20:00:00')).toEqual({ state: 'on_time', text: '剩 14 小时' });
    expect(text(urgent, '2026-12-08T03:59:00')).toEqual({ state: 'on_time', text: '剩 7 小时' });
    expect(text(urgent, '2026-12-08T05:00:00')).toEqual({ state: 'nearly_due', text: '剩 5 小时' });
  });

  it('says how long past the deadline an overdue order is, in calendar time', () => {
    expect(text(normal, '2026-12-15T03:00:00')).toEqual({ state: 'overdue', text: '超期 3 小时' });
    expect(text(normal, '2026-12-17T10:00:00')).toEqual({ state: 'overdue', text: '超期 2 天' });
    expect(text(urgent, '2026-12-08T10:00:00')).toEqual({ state: 'nearly_due', text: '剩 1 分钟' });
  });

  it('counts a reopened order from its reassignment', () => {
    const reopened = { ...urgent, reopenCount: 1, assignedAt: at('2026-12-08T00:00:00') };
    // 10 h limit from 00:00; at 05:00 half has passed (from receipt it would be 79%).
    expect(text(reopened, '2026-12-08T05:00:00')?.state).toBe('on_time');
    expect(text(reopened, '2026-12-08T08:00:00')?.state).toBe('nearly_due');
  });

  it('marks a paused order paused whatever the clock says', () => {
    expect(timeLeft({ order: { ...normal, pausedAt: at('2026-12-14T20:00:00') }, now: at('2026-12-20T10:00:00'), calendar })?.state).toBe(
      'paused',
    );
  });

  it('has nothing to say about orders that are not open or have no deadline', () => {
    for (const status of ['submitted', 'resolved', 'closed', 'cancelled', 'merged'] as const) {
      expect(timeLeft({ order: { ...normal, status }, now: at('2026-12-20T10:00:00'), calendar })).toBeNull();
    }
    expect(timeLeft({ order: { ...normal, deadlineAt: null }, now: at('2026-12-08T10:00:00'), calendar })).toBeNull();
  });

  it('turns nearly due where the 75% reminder fires', () => {
    expect(NEARLY_DUE_FRACTION).toBe(REMINDER_FRACTION);
  });
});
