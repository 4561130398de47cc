/**
 * 限时 reminders: a normal order is reminded when 75% of its limit has passed and on the morning of its last
 * working day (one reminder when both fall on the last day); an urgent order every hour until its limit runs
 * out. Normal reminders go out only in working hours.
 *
 * Candidates: `status IN ('assigned','accepted') AND deadline_at > now` on the partial index
 * work_orders_open_deadline_idx, with the rules' conditions repeated in SQL so only due rows come back.
 * Claim: conditional UPDATE of reminded_75_at / reminded_last_day_at / urgent_reminded_at on the state the rule saw.
 */
import { type SQL, and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { jobTexts } from '../i18n/zh-CN.jobs';
import type { WorkCalendar } from '../modules/calendar/calendar.models';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import { insertEvents, insertOutbox } from '../modules/work-orders/work-orders.repository';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { Database } from '../db/client';
import type { JobDeps } from './job-deps';
import { HANDLING, type SweepRow, at, byId, placeOf, selectSweepRows, systemEvent } from './jobs.repository';
import { inWorkingPeriod } from './notice-window.models';
import {
  REMINDER_FRACTION,
  URGENT_REMINDER_EVERY_MS,
  deadlineReminderDue,
  lastDayDeadlineBound,
  urgentReminderDueAt,
} from './order-reminders.models';

export async function run(deps: JobDeps): Promise<{ seventyFive: number; lastDay: number; urgent: number }> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const w = workOrders;
  const urgentDue = sql`(${w.urgency} = 'urgent' and greatest(${w.assignedAt}, ${w.urgentRemindedAt}) <= ${at(new Date(now.getTime() - URGENT_REMINDER_EVERY_MS))})`;
  let due: SQL = urgentDue;
  if (inWorkingPeriod({ now, calendar })) {
    const start = sql`(case when ${w.reopenCount} > 0 and ${w.assignedAt} is not null then ${w.assignedAt} else ${w.createdAt} end)`;
    const normalDue = sql`(${w.urgency} = 'normal' and (
      (${w.remindedLastDayAt} is null and ${w.deadlineAt} <= ${at(lastDayDeadlineBound({ now, calendar }))})
      or (${w.reminded75At} is null and ${w.remindedLastDayAt} is null
          and ${start} + (${w.deadlineAt} - ${start}) * ${sql.raw(String(REMINDER_FRACTION))} <= ${at(now)})))`;
    due = sql`(${urgentDue} or ${normalDue})`;
  }
  const rows = await selectSweepRows(
    deps.db,
    and(inArray(w.status, HANDLING), gt(w.deadlineAt, now), isNull(w.pausedAt), due),
    { limit: deps.batchSize, orderBy: asc(w.deadlineAt) },
  );
  if (rows.length === 0) return { seventyFive: 0, lastDay: 0, urgent: 0 };

  return deps.db.transaction(async (tx) => {
    const counts = { seventyFive: 0, lastDay: 0, urgent: 0 };
    const drafts: OutboxDraft[] = [];
    for (const row of byId(rows)) {
      if (row.assigneeId === null) continue;
      const sent = await claimAndWrite(tx, row, now, calendar);
      if (!sent) continue;
      counts[sent.counter] += 1;
      drafts.push({ kind: 'reminder', orderId: row.id, recipientType: 'staff', staffId: row.assigneeId, text: sent.text, dedupeKey: sent.dedupeKey });
    }
    await insertOutbox(tx, drafts, deps.botAccount);
    return counts;
  });
}

type Sent = { counter: 'seventyFive' | 'lastDay' | 'urgent'; text: string; dedupeKey: string };

async function claimAndWrite(tx: Database, row: SweepRow, now: Date, calendar: WorkCalendar): Promise<Sent | null> {
  const w = workOrders;
  const line = { no: row.no, category: row.categoryName, urgent: row.urgency === 'urgent', place: placeOf(row) };
  const deadlineAt = row.deadlineAt!;
  // The state the rule saw: same deadline, same assignment (the reminder names its assignee), not paused.
  const sameDeadline = and(eq(w.id, row.id), inArray(w.status, HANDLING), eq(w.deadlineAt, deadlineAt), eq(w.assignedAt, row.assignedAt!), isNull(w.pausedAt));

  const urgentAt = urgentReminderDueAt({ order: row, now });
  if (urgentAt) {
    const claimed = await tx
      .update(w)
      .set({ urgentRemindedAt: now })
      .where(
        and(
          sameDeadline,
          row.urgentRemindedAt ? eq(w.urgentRemindedAt, row.urgentRemindedAt) : isNull(w.urgentRemindedAt),
        ),
      )
      .returning({ id: w.id });
    if (claimed.length === 0) return null;
    await insertEvents(tx, { orderId: row.id, channel: 'system', events: [systemEvent(row, 'reminder', now, { reminder: 'urgent_hourly' })] });
    return {
      counter: 'urgent',
      text: jobTexts.urgentReminder({ ...line, deadlineAt, now }),
      dedupeKey: `urgent-remind:${row.id}:${urgentAt.toISOString()}`,
    };
  }

  const which = deadlineReminderDue({ order: row, now, calendar });
  if (which === 'last_day') {
    const claimed = await tx
      .update(w)
      // The last-day reminder stands for the 75% one too when that had not gone out yet.
      .set({ remindedLastDayAt: now, reminded75At: sql`coalesce(${w.reminded75At}, ${at(now)})` })
      .where(and(sameDeadline, isNull(w.remindedLastDayAt)))
      .returning({ id: w.id });
    if (claimed.length === 0) return null;
    await insertEvents(tx, { orderId: row.id, channel: 'system', events: [systemEvent(row, 'reminder', now, { reminder: 'last_day' })] });
    return { counter: 'lastDay', text: jobTexts.reminderLastDay({ ...line, deadlineAt }), dedupeKey: `remind-last-day:${row.id}:${deadlineAt.toISOString()}` };
  }
  if (which === 'seventy_five') {
    const claimed = await tx
      .update(w)
      .set({ reminded75At: now })
      .where(and(sameDeadline, isNull(w.reminded75At), isNull(w.remindedLastDayAt)))
      .returning({ id: w.id });
    if (claimed.length === 0) return null;
    await insertEvents(tx, { orderId: row.id, channel: 'system', events: [systemEvent(row, 'reminder', now, { reminder: '75%' })] });
    return { counter: 'seventyFive', text: jobTexts.reminder75({ ...line, deadlineAt }), dedupeKey: `remind-75:${row.id}:${deadlineAt.toISOString()}` };
  }
  return null;
}
