/**
 * Overdue 督办: the first working moment an order is past its deadline unresolved, a 督办 notice goes to its
 * assignee and to the supervisor one level up, and the order is marked overdue for the figures (was_overdue).
 * Still overdue OVERDUE_ESCALATE_AFTER_WORKING_DAYS working days later, the system escalates it one level up;
 * and again after as many working days at the new level, until it reaches the district.
 *
 * Candidates: `status IN ('assigned','accepted') AND deadline_at < now` on the partial index
 * work_orders_open_deadline_idx. Claim: notice — conditional UPDATE of overdue_notice_at (with was_overdue);
 * escalation — the row locked FOR UPDATE SKIP LOCKED while overdue_escalated_at is what the rule saw, and
 * overdue_escalated_at set in the same transaction as the escalation.
 */
import { and, asc, eq, inArray, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { jobTexts } from '../i18n/zh-CN.jobs';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import { escalateOrder } from '../modules/work-orders/order-actions.usecases';
import { insertEvents, insertOutbox, loadPeople } from '../modules/work-orders/work-orders.repository';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import { HANDLING, type SweepRow, byId, placeOf, selectSweepRows, supervisorsAbove, systemEvent } from './jobs.repository';
import { runLockedCommand } from './locked-command';
import { inWorkingPeriod } from './notice-window.models';
import { overdueEscalationBound, overdueEscalationDue, overdueNoticeDue } from './order-reminders.models';

export async function run(deps: JobDeps): Promise<{ noticed: number; escalated: number }> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const days = deps.overdueEscalateAfterDays;
  const w = workOrders;
  const bound = overdueEscalationBound({ now, days });
  const rows = await selectSweepRows(
    deps.db,
    and(
      inArray(w.status, HANDLING),
      lt(w.deadlineAt, now),
      // A wait on the resident that began before the deadline stopped the clock.
      or(isNull(w.pausedAt), sql`${w.pausedAt} > ${w.deadlineAt}`),
      inWorkingPeriod({ now, calendar }) ? undefined : eq(w.urgency, 'urgent'),
      or(
        isNull(w.overdueNoticeAt),
        and(ne(w.level, 'district'), lte(w.deadlineAt, bound), or(isNull(w.overdueEscalatedAt), lte(w.overdueEscalatedAt, bound))),
      ),
    ),
    { limit: deps.batchSize, orderBy: asc(w.deadlineAt) },
  );

  const noticed = await notify(deps, rows.filter((order) => overdueNoticeDue({ order, now, calendar })), now);

  let escalated = 0;
  for (const row of rows.filter((order) => overdueEscalationDue({ order, now, days, calendar }))) {
    const outcome = await runLockedCommand({
      deps,
      orderId: row.id,
      stillDue: and(
        inArray(w.status, HANDLING),
        eq(w.deadlineAt, row.deadlineAt!),
        eq(w.assignedAt, row.assignedAt!),
        row.overdueEscalatedAt ? eq(w.overdueEscalatedAt, row.overdueEscalatedAt) : isNull(w.overdueEscalatedAt),
      ),
      // Set before the escalation and kept when it is refused: the next attempt is `days` working days later.
      claim: async (tx) => {
        await tx.update(w).set({ overdueEscalatedAt: now, wasOverdue: true }).where(eq(w.id, row.id));
      },
      command: (orderDeps) =>
        escalateOrder({ deps: orderDeps, ref: { id: row.id }, actor: { kind: 'system' }, channel: 'system', reason: jobTexts.overdueEscalationReason(days) }),
    });
    if (outcome === 'done') escalated += 1;
  }
  return { noticed, escalated };
}

async function notify(deps: JobDeps, due: SweepRow[], now: Date): Promise<number> {
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const drafts: OutboxDraft[] = [];
    let noticed = 0;
    // Orders of one unit share their supervisors; a backlog after downtime is mostly a few units.
    const supervisorsOf = new Map<string, Promise<number[]>>();
    for (const row of byId(due)) {
      const claimed = await tx
        .update(workOrders)
        .set({ overdueNoticeAt: now, wasOverdue: true })
        .where(
          and(
            eq(workOrders.id, row.id),
            inArray(workOrders.status, HANDLING),
            eq(workOrders.deadlineAt, row.deadlineAt!),
            // Still with the assignee the notice names: an escalation since the read makes the next sweep send it.
            eq(workOrders.assignedAt, row.assignedAt!),
            isNull(workOrders.overdueNoticeAt),
          ),
        )
        .returning({ id: workOrders.id });
      if (claimed.length === 0) continue;
      noticed += 1;
      const deadlineAt = row.deadlineAt!;
      const line = { no: row.no, category: row.categoryName, urgent: row.urgency === 'urgent', place: placeOf(row) };
      const key = `overdue:${row.id}:${deadlineAt.toISOString()}`;
      if (row.assigneeId !== null) {
        drafts.push({
          kind: 'supervise',
          orderId: row.id,
          recipientType: 'staff',
          staffId: row.assigneeId,
          text: jobTexts.overdueToAssignee({ ...line, deadlineAt, escalateAfterDays: deps.overdueEscalateAfterDays }),
          dedupeKey: `${key}:assignee`,
        });
      }
      if (!supervisorsOf.has(row.unitPath)) supervisorsOf.set(row.unitPath, supervisorsAbove(tx, row.unitPath));
      const supervisors = (await supervisorsOf.get(row.unitPath)!).filter((id) => id !== row.assigneeId);
      const people = await loadPeople(tx, row.assigneeId === null ? [] : [row.assigneeId], [row.unitId]);
      const handler = row.assigneeId === null ? undefined : people.get(row.assigneeId);
      for (const staffId of supervisors) {
        drafts.push({
          kind: 'supervise',
          orderId: row.id,
          recipientType: 'staff',
          staffId,
          text: jobTexts.overdueToSupervisor({ ...line, deadlineAt, handler: handler ? `${handler.roleLabel}${handler.name}` : '', text: row.text }),
          dedupeKey: `${key}:supervisor:${staffId}`,
        });
      }
      await insertEvents(tx, {
        orderId: row.id,
        channel: 'system',
        events: [systemEvent(row, 'overdue', now, { deadlineAt: deadlineAt.toISOString(), supervisors })],
      });
    }
    await insertOutbox(tx, drafts, deps.botAccount);
    return noticed;
  });
}
