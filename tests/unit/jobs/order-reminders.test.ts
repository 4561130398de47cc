import { describe, expect, it } from 'vitest';
import { fractionElapsed } from '../../../src/modules/calendar/calendar.models';
import {
  clockStopped,
  deadlineReminderDue,
  lastDayDeadlineBound,
  lastDayReminderAt,
  limitStart,
  overdueEscalationBound,
  overdueEscalationDue,
  overdueEscalationDueAt,
  overdueFollowUp,
  overdueNoticeDue,
  reminder75At,
  signEscalationDue,
  signEscalationDueAt,
  signReminderDue,
  urgentReminderDueAt,
} from '../../../src/jobs/order-reminders.models';
import { china, instants, reminderOrder, seededCalendar } from './builders';

const calendar = seededCalendar();

describe('the sign-for (签收) time-out', () => {
  it('reminds the assignee when the sign-for limit runs out, not a minute before', () => {
    const order = reminderOrder();
    expect(signReminderDue({ order, now: china('2026-11-23 11:59'), calendar })).toBe(false);
    expect(signReminderDue({ order, now: china('2026-11-23 12:00'), calendar })).toBe(true);
  });

  it('reminds once per assignment: a reminder to the previous assignee does not count for the new one', () => {
    expect(signReminderDue({ order: reminderOrder({ signRemindedAt: china('2026-11-23 12:00') }), now: china('2026-11-23 13:00'), calendar })).toBe(false);
    const reassigned = reminderOrder({
      assignedAt: china('2026-11-23 13:00'),
      signDeadlineAt: china('2026-11-23 15:00'),
      signRemindedAt: china('2026-11-23 12:00'),
    });
    expect(signReminderDue({ order: reassigned, now: china('2026-11-23 15:00'), calendar })).toBe(true);
  });

  it('does not remind an order that was signed for, or that waits on the resident', () => {
    expect(signReminderDue({ order: reminderOrder({ status: 'accepted' }), now: china('2026-11-23 13:00'), calendar })).toBe(false);
    expect(signReminderDue({ order: reminderOrder({ pausedAt: china('2026-11-23 11:00') }), now: china('2026-11-23 13:00'), calendar })).toBe(false);
  });

  it('holds a normal reminder that falls due after hours until the next working morning, but not an urgent one', () => {
    const order = reminderOrder();
    expect(signReminderDue({ order, now: china('2026-11-23 19:00'), calendar })).toBe(false);
    expect(signReminderDue({ order, now: china('2026-11-24 09:00'), calendar })).toBe(true);
    const urgent = reminderOrder({ urgency: 'urgent', assignedAt: china('2026-11-24 02:00'), signDeadlineAt: china('2026-11-24 02:30') });
    expect(signReminderDue({ order: urgent, now: china('2026-11-24 02:30'), calendar })).toBe(true);
  });

  it('escalates one more sign-for limit (2 working hours) after the reminder', () => {
    const reminded = (at: string) => reminderOrder({ assignedAt: china(at), signDeadlineAt: china(at), signRemindedAt: china(at) });
    expect(signEscalationDueAt({ order: reminded('2026-11-23 12:00'), calendar })).toEqual(china('2026-11-23 14:00'));
    // Half an hour on Monday, an hour and a half on Tuesday.
    expect(signEscalationDueAt({ order: reminded('2026-11-23 17:30'), calendar })).toEqual(china('2026-11-24 10:30'));
    // Across a weekend.
    expect(signEscalationDueAt({ order: reminded('2026-11-27 17:00'), calendar })).toEqual(china('2026-11-30 10:00'));
    // Across National Day 2026: an hour on 9-30, the holiday, then 10-08.
    expect(signEscalationDueAt({ order: reminded('2026-09-30 17:00'), calendar })).toEqual(china('2026-10-08 10:00'));
  });

  it('counts the second limit from a reminder sent late, so the assignee always gets that time', () => {
    const order = reminderOrder({ signRemindedAt: china('2026-11-23 15:00') });
    expect(signEscalationDueAt({ order, calendar })).toEqual(china('2026-11-23 17:00'));
  });

  it('gives an urgent order 30 more minutes, around the clock', () => {
    const order = reminderOrder({ urgency: 'urgent', signDeadlineAt: china('2026-11-24 02:30'), signRemindedAt: china('2026-11-24 02:30') });
    expect(signEscalationDueAt({ order, calendar })).toEqual(china('2026-11-24 03:00'));
    expect(signEscalationDue({ order, now: china('2026-11-24 03:00'), calendar })).toBe(true);
  });

  it('escalates only when due, after a reminder for this assignment, and never above the district', () => {
    const order = reminderOrder({ signRemindedAt: china('2026-11-23 12:00') });
    expect(signEscalationDue({ order, now: china('2026-11-23 13:59'), calendar })).toBe(false);
    expect(signEscalationDue({ order, now: china('2026-11-23 14:00'), calendar })).toBe(true);
    expect(signEscalationDue({ order: { ...order, level: 'district' }, now: china('2026-11-23 14:00'), calendar })).toBe(false);
    expect(signEscalationDue({ order: reminderOrder(), now: china('2026-11-23 14:00'), calendar })).toBe(false);
    const reassignedSince = { ...order, assignedAt: china('2026-11-23 13:00') };
    expect(signEscalationDueAt({ order: reassignedSince, calendar })).toBeNull();
    expect(signEscalationDue({ order: { ...order, status: 'accepted' }, now: china('2026-11-23 14:00'), calendar })).toBe(false);
  });
});

describe('the deadline reminders', () => {
  it('puts the 75% point three quarters of the way from the start of the limit to its deadline', () => {
    const start = china('2026-11-23 10:00');
    const deadline = china('2026-11-27 00:00');
    const at = reminder75At({ start, deadline });
    expect(at).toEqual(china('2026-11-26 02:30'));
    expect(fractionElapsed({ start, deadline, now: at })).toBe(0.75);
  });

  it('counts a reopened order from its reopening, others from receipt', () => {
    expect(limitStart(reminderOrder({ createdAt: china('2026-11-01 10:00') }))).toEqual(china('2026-11-01 10:00'));
    expect(limitStart(reminderOrder({ createdAt: china('2026-11-01 10:00'), reopenCount: 1 }))).toEqual(china('2026-11-23 10:00'));
  });

  it('sends the last-day reminder at 09:00 of the last working day before the deadline', () => {
    expect(lastDayReminderAt({ deadline: china('2026-11-27 00:00'), calendar })).toEqual(china('2026-11-26 09:00'));
    expect(lastDayReminderAt({ deadline: china('2026-10-01 00:00'), calendar })).toEqual(china('2026-09-30 09:00'));
    // A deadline a pause moved onto the holiday: the morning of the last working day before it.
    expect(lastDayReminderAt({ deadline: china('2026-10-03 15:00'), calendar })).toEqual(china('2026-09-30 09:00'));
    // A deadline before 09:00: the working day before.
    expect(lastDayReminderAt({ deadline: china('2026-11-24 08:00'), calendar })).toEqual(china('2026-11-23 09:00'));
    expect(lastDayReminderAt({ deadline: china('2026-11-24 09:00'), calendar })).toEqual(china('2026-11-23 09:00'));
    expect(lastDayReminderAt({ deadline: china('2026-11-24 09:01'), calendar })).toEqual(china('2026-11-24 09:00'));
    // 元旦 2026: Sunday 01-04 is a make-up working day; 01-01 to 01-03 are off.
    expect(lastDayReminderAt({ deadline: china('2026-01-05 00:00'), calendar })).toEqual(china('2026-01-04 09:00'));
    expect(lastDayReminderAt({ deadline: china('2026-01-03 00:00'), calendar })).toEqual(china('2025-12-31 09:00'));
  });

  it('has an index bound that selects exactly the deadlines whose last-day reminder is due', () => {
    const deadlines = instants(china('2026-09-15 00:00'), china('2026-10-25 00:00'), 170);
    const reminderAt = deadlines.map((deadline) => lastDayReminderAt({ deadline, calendar })!.getTime());
    const mismatches: string[] = [];
    for (const now of instants(china('2026-09-18 00:00'), china('2026-10-16 00:00'), 37)) {
      const bound = lastDayDeadlineBound({ now, calendar }).getTime();
      deadlines.forEach((deadline, i) => {
        if (reminderAt[i]! <= now.getTime() !== deadline.getTime() <= bound) mismatches.push(`${now.toISOString()} ${deadline.toISOString()}`);
      });
    }
    expect(mismatches).toEqual([]);
    expect(lastDayDeadlineBound({ now: china('2026-11-23 10:00'), calendar })).toEqual(china('2026-11-24 09:00'));
    expect(lastDayDeadlineBound({ now: china('2026-11-28 10:00'), calendar })).toEqual(china('2026-11-30 09:00'));
    expect(lastDayDeadlineBound({ now: china('2026-11-30 08:00'), calendar })).toEqual(china('2026-11-30 09:00'));
  });

  it('sends one reminder on the last day when 75% of a short limit falls on it', () => {
    // 3 working days from Monday: 75% is Thursday 02:30, held to 09:00, which is the last-day reminder.
    const order = reminderOrder();
    expect(deadlineReminderDue({ order, now: china('2026-11-25 17:59'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order, now: china('2026-11-26 08:59'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order, now: china('2026-11-26 09:00'), calendar })).toBe('last_day');
    expect(deadlineReminderDue({ order: { ...order, remindedLastDayAt: china('2026-11-26 09:00') }, now: china('2026-11-26 15:00'), calendar })).toBeNull();
  });

  it('reminds a long limit at 75% (held over the weekend) and again on its last day', () => {
    // 13 working days from Monday 11-23 10:00: deadline end of Thursday 12-10; 75% falls on Sunday 12-06 14:30.
    const order = reminderOrder({ deadlineAt: china('2026-12-11 00:00') });
    expect(reminder75At({ start: order.createdAt, deadline: order.deadlineAt! })).toEqual(china('2026-12-06 14:30'));
    expect(deadlineReminderDue({ order, now: china('2026-12-04 17:00'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order, now: china('2026-12-06 14:30'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order, now: china('2026-12-07 09:00'), calendar })).toBe('seventy_five');
    const after75 = { ...order, reminded75At: china('2026-12-07 09:00') };
    expect(deadlineReminderDue({ order: after75, now: china('2026-12-09 10:00'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order: after75, now: china('2026-12-10 09:00'), calendar })).toBe('last_day');
  });

  it('holds the reminders over National Day and sends the last-day one on the first working day after it', () => {
    // Received Wednesday 09-23, 5 working days: 09-24, 09-28, 09-29, 09-30 and 10-08 (09-25 is 中秋).
    const order = reminderOrder({ createdAt: china('2026-09-23 10:00'), assignedAt: china('2026-09-23 10:00'), deadlineAt: china('2026-10-09 00:00') });
    expect(lastDayReminderAt({ deadline: order.deadlineAt!, calendar })).toEqual(china('2026-10-08 09:00'));
    expect(deadlineReminderDue({ order, now: china('2026-09-30 17:00'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order, now: china('2026-10-05 10:00'), calendar })).toBeNull();
    expect(deadlineReminderDue({ order, now: china('2026-10-08 09:00'), calendar })).toBe('last_day');
  });

  it('does not remind urgent, paused, finished or overdue orders this way', () => {
    const now = china('2026-11-26 10:00');
    expect(deadlineReminderDue({ order: reminderOrder({ urgency: 'urgent' }), now, calendar })).toBeNull();
    expect(deadlineReminderDue({ order: reminderOrder({ pausedAt: china('2026-11-25 10:00') }), now, calendar })).toBeNull();
    expect(deadlineReminderDue({ order: reminderOrder({ status: 'resolved' }), now, calendar })).toBeNull();
    expect(deadlineReminderDue({ order: reminderOrder({ deadlineAt: china('2026-11-26 00:00') }), now, calendar })).toBeNull();
    expect(deadlineReminderDue({ order: reminderOrder({ status: 'accepted' }), now, calendar })).toBe('last_day');
  });

  it('reminds an urgent order an hour after assignment and every hour after the last reminder, once after a gap', () => {
    const order = reminderOrder({ urgency: 'urgent', deadlineAt: china('2026-11-23 14:00') });
    expect(urgentReminderDueAt({ order, now: china('2026-11-23 10:59') })).toBeNull();
    expect(urgentReminderDueAt({ order, now: china('2026-11-23 11:00') })).toEqual(china('2026-11-23 11:00'));
    const reminded = { ...order, urgentRemindedAt: china('2026-11-23 11:05') };
    expect(urgentReminderDueAt({ order: reminded, now: china('2026-11-23 12:04') })).toBeNull();
    expect(urgentReminderDueAt({ order: reminded, now: china('2026-11-23 12:05') })).toEqual(china('2026-11-23 12:05'));
    // Down from 12:00 to 13:30: one reminder, named by when it fell due.
    expect(urgentReminderDueAt({ order: reminded, now: china('2026-11-23 13:30') })).toEqual(china('2026-11-23 12:05'));
    expect(urgentReminderDueAt({ order: reminded, now: china('2026-11-23 14:00') })).toBeNull();
  });

  it('starts the hourly reminders afresh for a new assignee, also at night', () => {
    const order = reminderOrder({ urgency: 'urgent', assignedAt: china('2026-11-24 02:00'), urgentRemindedAt: china('2026-11-24 01:30'), deadlineAt: china('2026-11-24 09:00') });
    expect(urgentReminderDueAt({ order, now: china('2026-11-24 02:30') })).toBeNull();
    expect(urgentReminderDueAt({ order, now: china('2026-11-24 03:00') })).toEqual(china('2026-11-24 03:00'));
    expect(urgentReminderDueAt({ order: { ...order, urgency: 'normal' }, now: china('2026-11-24 03:00') })).toBeNull();
    expect(urgentReminderDueAt({ order: { ...order, pausedAt: china('2026-11-24 02:10') }, now: china('2026-11-24 03:00') })).toBeNull();
  });
});

describe('overdue 督办', () => {
  it('sends the 督办 at the first working moment after the deadline', () => {
    const order = reminderOrder();
    expect(overdueNoticeDue({ order, now: china('2026-11-27 00:00'), calendar })).toBe(false);
    expect(overdueNoticeDue({ order, now: china('2026-11-27 00:01'), calendar })).toBe(false);
    expect(overdueNoticeDue({ order, now: china('2026-11-27 09:00'), calendar })).toBe(true);
    expect(overdueNoticeDue({ order: { ...order, overdueNoticeAt: china('2026-11-27 09:00') }, now: china('2026-11-27 10:00'), calendar })).toBe(false);
    expect(overdueNoticeDue({ order: { ...order, urgency: 'urgent' }, now: china('2026-11-27 03:00'), calendar })).toBe(true);
  });

  it('waits for Monday when the deadline ends on a Friday, and for the end of National Day and 元旦', () => {
    const friday = reminderOrder({ deadlineAt: china('2026-11-28 00:00') });
    expect(overdueNoticeDue({ order: friday, now: china('2026-11-28 09:00'), calendar })).toBe(false);
    expect(overdueNoticeDue({ order: friday, now: china('2026-11-30 09:00'), calendar })).toBe(true);
    const beforeNationalDay = reminderOrder({ deadlineAt: china('2026-10-01 00:00') });
    expect(overdueNoticeDue({ order: beforeNationalDay, now: china('2026-10-05 10:00'), calendar })).toBe(false);
    expect(overdueNoticeDue({ order: beforeNationalDay, now: china('2026-10-08 09:00'), calendar })).toBe(true);
    const beforeNewYear = reminderOrder({ deadlineAt: china('2026-01-01 00:00') });
    expect(overdueNoticeDue({ order: beforeNewYear, now: china('2026-01-02 10:00'), calendar })).toBe(false);
    expect(overdueNoticeDue({ order: beforeNewYear, now: china('2026-01-04 09:00'), calendar })).toBe(true);
  });

  it('does not count time the order waited on the resident from before its deadline, but does after it', () => {
    const pausedBefore = reminderOrder({ pausedAt: china('2026-11-26 10:00') });
    expect(clockStopped(pausedBefore)).toBe(true);
    expect(overdueNoticeDue({ order: pausedBefore, now: china('2026-11-27 10:00'), calendar })).toBe(false);
    const pausedAfter = reminderOrder({ pausedAt: china('2026-11-27 10:00') });
    expect(clockStopped(pausedAfter)).toBe(false);
    expect(overdueNoticeDue({ order: pausedAfter, now: china('2026-11-27 11:00'), calendar })).toBe(true);
  });

  it('escalates after 5 more working days, then after 5 more at each level, up to the district', () => {
    const noticed = reminderOrder({ deadlineAt: china('2026-11-28 00:00'), overdueNoticeAt: china('2026-11-30 09:00') });
    expect(overdueEscalationDueAt({ order: noticed, days: 5, calendar })).toEqual(china('2026-12-05 00:00'));
    expect(overdueEscalationDue({ order: noticed, now: china('2026-12-04 17:00'), days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: noticed, now: china('2026-12-05 10:00'), days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: noticed, now: china('2026-12-07 09:00'), days: 5, calendar })).toBe(true);
    const once = { ...noticed, level: 'community' as const, overdueEscalatedAt: china('2026-12-07 09:00') };
    expect(overdueEscalationDueAt({ order: once, days: 5, calendar })).toEqual(china('2026-12-14 09:00'));
    expect(overdueEscalationDue({ order: once, now: china('2026-12-11 17:00'), days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: once, now: china('2026-12-14 09:00'), days: 5, calendar })).toBe(true);
    expect(overdueEscalationDue({ order: { ...once, level: 'district' }, now: china('2026-12-14 09:00'), days: 5, calendar })).toBe(false);
  });

  it('presses a department’s order where it is (催办升级) every 5 working days, at any level, never moving it', () => {
    expect(overdueFollowUp({ level: 'grid', departmentId: null })).toBe('escalate');
    expect(overdueFollowUp({ level: 'town', departmentId: null })).toBe('escalate');
    expect(overdueFollowUp({ level: 'district', departmentId: null })).toBeNull();
    expect(overdueFollowUp({ level: 'grid', departmentId: 7 })).toBe('urge');
    expect(overdueFollowUp({ level: 'district', departmentId: 7 })).toBe('urge');
    const noticed = reminderOrder({ departmentId: 7, deadlineAt: china('2026-11-28 00:00'), overdueNoticeAt: china('2026-11-30 09:00') });
    expect(overdueEscalationDue({ order: noticed, now: china('2026-12-04 17:00'), days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: noticed, now: china('2026-12-07 09:00'), days: 5, calendar })).toBe(true);
    const urged = { ...noticed, level: 'district' as const, overdueEscalatedAt: china('2026-12-07 09:00') };
    expect(overdueEscalationDue({ order: urged, now: china('2026-12-11 17:00'), days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: urged, now: china('2026-12-14 09:00'), days: 5, calendar })).toBe(true);
    expect(overdueEscalationDue({ order: { ...urged, pausedAt: china('2026-11-27 10:00') }, now: china('2026-12-14 09:00'), days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: { ...urged, status: 'resolved' }, now: china('2026-12-14 09:00'), days: 5, calendar })).toBe(false);
  });

  it('counts the working days across National Day, with the make-up Saturday', () => {
    const order = reminderOrder({ deadlineAt: china('2026-10-01 00:00'), overdueNoticeAt: china('2026-10-08 09:00') });
    expect(overdueEscalationDueAt({ order, days: 5, calendar })).toEqual(china('2026-10-14 00:00'));
    expect(overdueEscalationDueAt({ order, days: 1, calendar })).toEqual(china('2026-10-09 00:00'));
  });

  it('does not escalate before the 督办 notice, a resolved order, or one whose clock is stopped', () => {
    const now = china('2026-12-07 09:00');
    const order = reminderOrder({ deadlineAt: china('2026-11-28 00:00') });
    expect(overdueEscalationDueAt({ order, days: 5, calendar })).toBeNull();
    expect(overdueEscalationDue({ order, now, days: 5, calendar })).toBe(false);
    const noticed = { ...order, overdueNoticeAt: china('2026-11-30 09:00') };
    expect(overdueEscalationDue({ order: { ...noticed, status: 'resolved' }, now, days: 5, calendar })).toBe(false);
    expect(overdueEscalationDue({ order: { ...noticed, pausedAt: china('2026-11-27 10:00') }, now, days: 5, calendar })).toBe(false);
  });

  it('has an index bound no due escalation falls outside', () => {
    for (const deadline of instants(china('2026-09-01 00:00'), china('2026-11-01 00:00'), 311)) {
      for (const days of [1, 3, 5, 10]) {
        const dueAt = overdueEscalationDueAt({ order: reminderOrder({ deadlineAt: deadline, overdueNoticeAt: deadline }), days, calendar })!;
        expect(deadline.getTime()).toBeLessThanOrEqual(overdueEscalationBound({ now: dueAt, days, calendar }).getTime());
      }
    }
  });

  it('bounds by working days: on a Tuesday morning only orders due by the Tuesday before can be 5 working days overdue', () => {
    // 5 calendar days back would be Thursday 09:00; Wednesday's and Thursday's deadlines are not due before Wednesday and Thursday.
    expect(overdueEscalationBound({ now: china('2026-11-24 09:00'), days: 5, calendar })).toEqual(china('2026-11-18 00:00'));
    // A deadline at that bound (Tuesday 24:00) is due on Tuesday 24:00 a week later, not before.
    const atBound = reminderOrder({ deadlineAt: china('2026-11-18 00:00'), overdueNoticeAt: china('2026-11-18 09:00') });
    expect(overdueEscalationDueAt({ order: atBound, days: 5, calendar })).toEqual(china('2026-11-25 00:00'));
  });
});
