/**
 * 签收 time-out: an order not signed for within its limit is reminded once; still not signed one more limit
 * after the reminder, it is escalated one level up by the system (the escalation notice tells the new
 * assignee, the old one and the resident).
 *
 * Candidates: `status = 'assigned' AND sign_deadline_at <= now` on the partial index work_orders_sign_deadline_idx.
 * Claim, per batch: the due orders locked in id order and the rule asked again on their locked state; reminders
 * set sign_reminded_at; escalations lock with SKIP LOCKED and run through the state machine (system-commands.ts).
 */
import { and, asc, eq, isNull, lt, lte, ne, or } from 'drizzle-orm';
import type { WorkCalendar } from '../modules/calendar/calendar.models';
import { jobTexts } from '../i18n/zh-CN.jobs';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import { type SweepRow, insertOrderEvents, insertOutboxRows, lockOrders, markOrders, placeOf, selectSweepRows, systemEvent } from './jobs.repository';
import { signEscalationDue, signEscalationDueAt, signReminderDue } from './order-reminders.models';
import { applySystemCommand } from './system-commands';

export async function run(deps: JobDeps): Promise<{ reminded: number; escalated: number }> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const rows = await selectSweepRows(
    deps.db,
    and(
      eq(workOrders.status, 'assigned'),
      lte(workOrders.signDeadlineAt, now),
      isNull(workOrders.pausedAt),
      // Reminded orders at the top of the tree have nowhere to go; leave them out rather than re-read them.
      or(isNull(workOrders.signRemindedAt), lt(workOrders.signRemindedAt, workOrders.assignedAt), ne(workOrders.level, 'district')),
    ),
    { limit: deps.batchSize, orderBy: asc(workOrders.signDeadlineAt) },
  );
  const reminded = await remind(deps, rows.filter((order) => signReminderDue({ order, now, calendar })), now, calendar);
  const escalated = await escalate(deps, rows.filter((order) => signEscalationDue({ order, now, calendar })), now, calendar);
  return { reminded, escalated };
}

async function remind(deps: JobDeps, due: SweepRow[], now: Date, calendar: WorkCalendar): Promise<number> {
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const claimed = (await lockOrders(tx, due.map((r) => r.id))).filter((order) => signReminderDue({ order, now, calendar }));
    await markOrders(tx, claimed.map((r) => r.id), { signRemindedAt: now });
    await insertOrderEvents(tx, claimed.map((row) => ({ orderId: row.id, channel: 'system', event: systemEvent(row, 'reminder', now, { reminder: 'sign' }) })));
    await insertOutboxRows(
      tx,
      claimed.map((row) => ({
        kind: 'reminder',
        orderId: row.id,
        recipientType: 'staff' as const,
        staffId: row.assigneeId,
        text: jobTexts.signReminder({
          no: row.no,
          category: row.categoryName,
          urgent: row.urgency === 'urgent',
          place: placeOf(row),
          signDeadlineAt: row.signDeadlineAt!,
          escalateAt: row.level === 'district' ? null : signEscalationDueAt({ order: { ...row, signRemindedAt: now }, calendar }),
        }),
        dedupeKey: `sign-remind:${row.id}:${row.assignedAt!.toISOString()}`,
      })),
      deps.botAccount,
    );
    return claimed.length;
  });
}

async function escalate(deps: JobDeps, due: SweepRow[], now: Date, calendar: WorkCalendar): Promise<number> {
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const locked = (await lockOrders(tx, due.map((r) => r.id), { skipLocked: true })).filter((order) => signEscalationDue({ order, now, calendar }));
    const { done, refused } = await applySystemCommand({
      tx,
      deps,
      orders: locked,
      command: { type: 'escalate', reason: jobTexts.signTimeoutReason },
      now,
      calendar,
    });
    // Nobody above to take it: try again after another sign-for limit rather than on every sweep.
    await markOrders(tx, refused.map((r) => r.order.id), { signRemindedAt: now });
    return done.length;
  });
}
