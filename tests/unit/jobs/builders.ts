import type { ReminderOrder } from '../../../src/jobs/order-reminders.models';
import { china } from '../calendar/calendar.fixtures';

export { china, seededCalendar } from '../calendar/calendar.fixtures';

/** A normal order received and assigned Monday 2026-11-23 10:00, 3 working days (deadline end of Thursday 11-26). */
export function reminderOrder(patch: Partial<ReminderOrder> = {}): ReminderOrder {
  return {
    status: 'assigned',
    urgency: 'normal',
    level: 'grid',
    departmentId: null,
    createdAt: china('2026-11-23 10:00'),
    assignedAt: china('2026-11-23 10:00'),
    reopenCount: 0,
    signDeadlineAt: china('2026-11-23 12:00'),
    deadlineAt: china('2026-11-27 00:00'),
    pausedAt: null,
    signRemindedAt: null,
    reminded75At: null,
    remindedLastDayAt: null,
    urgentRemindedAt: null,
    overdueNoticeAt: null,
    overdueEscalatedAt: null,
    ...patch,
  };
}

/** Every `stepMinutes` from `from` (inclusive) to `to` (exclusive). */
export function instants(from: Date, to: Date, stepMinutes: number): Date[] {
  const out: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += stepMinutes * 60_000) out.push(new Date(t));
  return out;
}
