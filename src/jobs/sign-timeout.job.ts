/**
 * 签收 time-out: an order not signed for within its limit is reminded once; still not signed one more limit
 * after the reminder, it is escalated one level up by the system (the escalation notice tells the new
 * assignee, the old one and the resident).
 *
 * Candidates: `status = 'assigned' AND sign_deadline_at <= now` on the partial index work_orders_sign_deadline_idx.
 * Claim: reminder — conditional UPDATE of sign_reminded_at; escalation — the row locked FOR UPDATE SKIP LOCKED
 * while its assignment is unchanged.
 */
import { and, asc, eq, isNull, lt, lte, ne, or } from 'drizzle-orm';
import { jobTexts } from '../i18n/zh-CN.jobs';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import { escalateOrder } from '../modules/work-orders/order-actions.usecases';
import { insertEvents, insertOutbox } from '../modules/work-orders/work-orders.repository';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import { type SweepRow, byId, placeOf, selectSweepRows, systemEvent } from './jobs.repository';
import { runLockedCommand } from './locked-command';
import { signEscalationDue, signEscalationDueAt, signReminderDue } from './order-reminders.models';

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

  let escalated = 0;
  for (const row of rows.filter((order) => signEscalationDue({ order, now, calendar }))) {
    const outcome = await runLockedCommand({
      deps,
      orderId: row.id,
      stillDue: and(eq(workOrders.status, 'assigned'), eq(workOrders.assignedAt, row.assignedAt!), eq(workOrders.signRemindedAt, row.signRemindedAt!)),
      command: (orderDeps) =>
        escalateOrder({ deps: orderDeps, ref: { id: row.id }, actor: { kind: 'system' }, channel: 'system', reason: jobTexts.signTimeoutReason }),
      // Nobody above to take it: try again after another sign-for limit rather than on every sweep.
      onRefused: async (tx) => {
        await tx.update(workOrders).set({ signRemindedAt: deps.clock.now() }).where(eq(workOrders.id, row.id));
      },
    });
    if (outcome === 'done') escalated += 1;
  }
  return { reminded, escalated };
}

async function remind(deps: JobDeps, due: SweepRow[], now: Date, calendar: Awaited<ReturnType<JobDeps['calendar']['get']>>): Promise<number> {
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const drafts: OutboxDraft[] = [];
    for (const row of byId(due)) {
      const claimed = await tx
        .update(workOrders)
        .set({ signRemindedAt: now })
        .where(
          and(
            eq(workOrders.id, row.id),
            eq(workOrders.status, 'assigned'),
            eq(workOrders.assignedAt, row.assignedAt!),
            or(isNull(workOrders.signRemindedAt), lt(workOrders.signRemindedAt, workOrders.assignedAt)),
          ),
        )
        .returning({ id: workOrders.id });
      if (claimed.length === 0) continue;
      const escalateAt = row.level === 'district' ? null : signEscalationDueAt({ order: { ...row, signRemindedAt: now }, calendar });
      drafts.push({
        kind: 'reminder',
        orderId: row.id,
        recipientType: 'staff',
        staffId: row.assigneeId,
        text: jobTexts.signReminder({
          no: row.no,
          category: row.categoryName,
          urgent: row.urgency === 'urgent',
          place: placeOf(row),
          signDeadlineAt: row.signDeadlineAt!,
          escalateAt,
        }),
        dedupeKey: `sign-remind:${row.id}:${row.assignedAt!.toISOString()}`,
      });
      await insertEvents(tx, { orderId: row.id, channel: 'system', events: [systemEvent(row, 'reminder', now, { reminder: 'sign' })] });
    }
    await insertOutbox(tx, drafts, deps.botAccount);
    return drafts.length;
  });
}
