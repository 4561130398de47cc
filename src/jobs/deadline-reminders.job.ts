/**
 * 限时 reminders: a normal order is reminded when 75% of its limit has passed and on the morning of its last
 * working day (one reminder when both fall on the last day); an urgent order every hour until its limit runs
 * out. Normal reminders go out only in working hours.
 *
 * Candidates: one index range per reminder, each on its own partial index of the orders not yet reminded so
 * (work_orders_urgent_remind_idx, work_orders_remind_last_day_idx, work_orders_remind_75_idx), so a sweep with
 * nothing due reads nothing. Claim, per batch: the orders locked in id order, the rule asked again on their
 * locked state, then one UPDATE per reminder kind of reminded_75_at / reminded_last_day_at / urgent_reminded_at.
 */
import { type SQL, and, asc, eq, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { jobTexts } from '../i18n/zh-CN.jobs';
import type { WorkCalendar } from '../modules/calendar/calendar.models';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import { reminder75Key, workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import { HANDLING, type LockedOrder, at, insertOrderEvents, insertOutboxRows, lockOrders, markOrders, placeOf, selectSweepRows, systemEvent } from './jobs.repository';
import { inWorkingPeriod } from './notice-window.models';
import { type ReminderOrder, URGENT_REMINDER_EVERY_MS, deadlineReminderDue, lastDayDeadlineBound, urgentReminderDueAt } from './order-reminders.models';

type Counter = 'seventyFive' | 'lastDay' | 'urgent';

export async function run(deps: JobDeps): Promise<Record<Counter, number>> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const w = workOrders;
  const handling = and(inArray(w.status, HANDLING), isNull(w.pausedAt));
  // The planner has no statistics for a partial index's expressions (greatest(...), the 75% key): a one-sided
  // bound on one is guessed to match a third of the index, and a bound on deadline_at looks cheaper. So those
  // ranges are written closed (BETWEEN, guessed narrow) and "before the deadline" as a filter, not a range.
  const beforeDeadline = sql`${w.deadlineAt} - ${at(now)} > interval '0'`;
  const lastUrgent = sql`greatest(${w.assignedAt}, ${w.urgentRemindedAt})`;
  const ranges: { where: SQL | undefined; orderBy: SQL }[] = [
    {
      where: and(
        handling,
        eq(w.urgency, 'urgent'),
        sql`${lastUrgent} between '-infinity' and ${at(new Date(now.getTime() - URGENT_REMINDER_EVERY_MS))}`,
        beforeDeadline,
      ),
      orderBy: lastUrgent,
    },
  ];
  if (inWorkingPeriod({ now, calendar })) {
    const normal = and(handling, eq(w.urgency, 'normal'));
    const key = reminder75Key(w);
    ranges.push(
      {
        where: and(normal, isNull(w.remindedLastDayAt), gt(w.deadlineAt, now), lte(w.deadlineAt, lastDayDeadlineBound({ now, calendar }))),
        orderBy: asc(w.deadlineAt),
      },
      // Without reminded_last_day_at: a last-day reminder sets reminded_75_at as well (see the index).
      {
        where: and(normal, isNull(w.reminded75At), sql`${key} between interval '0' and ${at(now)} - '2000-01-01 00:00:00+00'::timestamptz`, beforeDeadline),
        orderBy: key,
      },
    );
  }
  const due = new Set<number>();
  for (const range of ranges) {
    for (const row of await selectSweepRows(deps.db, range.where, { limit: deps.batchSize, orderBy: range.orderBy })) {
      if (reminderFor(row, now, calendar)) due.add(row.id);
    }
  }
  const counts: Record<Counter, number> = { seventyFive: 0, lastDay: 0, urgent: 0 };
  if (due.size === 0) return counts;

  return deps.db.transaction(async (tx) => {
    const claimed = (await lockOrders(tx, [...due])).flatMap((order) => {
      const reminder = order.assigneeId === null ? null : reminderFor(order, now, calendar);
      return reminder ? [{ order, reminder }] : [];
    });
    const ofKind = (counter: Counter) => claimed.filter((c) => c.reminder.counter === counter).map((c) => c.order.id);
    await markOrders(tx, ofKind('urgent'), { urgentRemindedAt: now });
    // The last-day reminder stands for the 75% one too when that had not gone out yet.
    await markOrders(tx, ofKind('lastDay'), { remindedLastDayAt: now, reminded75At: sql`coalesce(${w.reminded75At}, ${at(now)})` });
    await markOrders(tx, ofKind('seventyFive'), { reminded75At: now });
    await insertOrderEvents(
      tx,
      claimed.map(({ order, reminder }) => ({ orderId: order.id, channel: 'system', event: systemEvent(order, 'reminder', now, { reminder: reminder.event }) })),
    );
    const drafts: OutboxDraft[] = claimed.map(({ order, reminder }) => {
      counts[reminder.counter] += 1;
      return { kind: 'reminder', orderId: order.id, recipientType: 'staff', staffId: order.assigneeId, text: reminder.text(order), dedupeKey: reminder.dedupeKey };
    });
    await insertOutboxRows(tx, drafts, deps.botAccount);
    return counts;
  });
}

type Reminder = { counter: Counter; event: string; dedupeKey: string; text(order: LockedOrder): string };

/** The reminder the rules say is due for the order now, if any: urgent hourly, last day, or 75%. */
function reminderFor(row: ReminderOrder & { id: number }, now: Date, calendar: WorkCalendar): Reminder | null {
  const deadlineAt = row.deadlineAt!;
  const line = (order: LockedOrder) => ({ no: order.no, category: order.categoryName, urgent: order.urgency === 'urgent', place: placeOf(order) });
  const urgentAt = urgentReminderDueAt({ order: row, now });
  if (urgentAt) {
    return {
      counter: 'urgent',
      event: 'urgent_hourly',
      dedupeKey: `urgent-remind:${row.id}:${urgentAt.toISOString()}`,
      text: (order) => jobTexts.urgentReminder({ ...line(order), deadlineAt, now }),
    };
  }
  switch (deadlineReminderDue({ order: row, now, calendar })) {
    case 'last_day':
      return {
        counter: 'lastDay',
        event: 'last_day',
        dedupeKey: `remind-last-day:${row.id}:${deadlineAt.toISOString()}`,
        text: (order) => jobTexts.reminderLastDay({ ...line(order), deadlineAt }),
      };
    case 'seventy_five':
      return {
        counter: 'seventyFive',
        event: '75%',
        dedupeKey: `remind-75:${row.id}:${deadlineAt.toISOString()}`,
        text: (order) => jobTexts.reminder75({ ...line(order), deadlineAt }),
      };
    default:
      return null;
  }
}
