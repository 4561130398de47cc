/**
 * Overdue 督办: the first working moment an order is past its deadline unresolved, a 督办 notice goes to its
 * assignee and to the supervisor one level up, and the order is marked overdue for the figures (was_overdue).
 * Still overdue OVERDUE_ESCALATE_AFTER_WORKING_DAYS working days later, the system escalates it one level up;
 * and again after as many working days at the new level, until it reaches the district.
 *
 * Candidates: the orders not yet 督办'd past their deadline (work_orders_overdue_notice_idx), and the 督办'd
 * ones below the district whose deadline and last escalation are `days` calendar days back
 * (work_orders_overdue_escalation_idx). Claim, per batch: notice — the orders locked in id order, the rule asked
 * again on their locked state, overdue_notice_at (with was_overdue) set; escalation — locked with SKIP LOCKED,
 * overdue_escalated_at set in the same transaction as the escalation (also when it is refused, so it is
 * retried `days` working days later).
 */
import { and, asc, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { jobTexts } from '../i18n/zh-CN.jobs';
import type { WorkCalendar } from '../modules/calendar/calendar.models';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import {
  HANDLING,
  at,
  type SweepRow,
  insertOrderEvents,
  insertOutboxRows,
  loadPeopleBook,
  loadUnitTree,
  lockOrders,
  markOrders,
  placeOf,
  selectSweepRows,
  supervisorsAbove,
  systemEvent,
} from './jobs.repository';
import { inWorkingPeriod } from './notice-window.models';
import { overdueEscalationBound, overdueEscalationDue, overdueNoticeDue } from './order-reminders.models';
import { applySystemCommand } from './system-commands';

export async function run(deps: JobDeps): Promise<{ noticed: number; escalated: number }> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const days = deps.overdueEscalateAfterDays;
  const w = workOrders;
  const bound = overdueEscalationBound({ now, days, calendar });
  const overdue = and(
    inArray(w.status, HANDLING),
    lt(w.deadlineAt, now),
    // A wait on the resident that began before the deadline stopped the clock.
    or(isNull(w.pausedAt), sql`${w.pausedAt} > ${w.deadlineAt}`),
    inWorkingPeriod({ now, calendar }) ? undefined : eq(w.urgency, 'urgent'),
  );
  const unnoticed = await selectSweepRows(deps.db, and(overdue, isNull(w.overdueNoticeAt)), { limit: deps.batchSize, orderBy: asc(w.deadlineAt) });
  const lastMove = sql`coalesce(${w.overdueEscalatedAt}, ${w.deadlineAt})`;
  const stale = await selectSweepRows(
    deps.db,
    // BETWEEN: a one-sided bound on an expression of a partial index is guessed to match a third of it.
    and(overdue, isNotNull(w.overdueNoticeAt), ne(w.level, 'district'), lte(w.deadlineAt, bound), sql`${lastMove} between '-infinity' and ${at(bound)}`),
    { limit: deps.batchSize, orderBy: lastMove },
  );
  const noticed = await notify(deps, unnoticed.filter((order) => overdueNoticeDue({ order, now, calendar })), now, calendar);
  const escalated = await escalate(deps, stale.filter((order) => overdueEscalationDue({ order, now, days, calendar })), now, calendar);
  return { noticed, escalated };
}

async function notify(deps: JobDeps, due: SweepRow[], now: Date, calendar: WorkCalendar): Promise<number> {
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const claimed = (await lockOrders(tx, due.map((r) => r.id))).filter((order) => overdueNoticeDue({ order, now, calendar }));
    await markOrders(tx, claimed.map((r) => r.id), { overdueNoticeAt: now, wasOverdue: true });
    // Orders of one unit share their supervisors; a backlog after downtime is mostly a few units.
    const tree = await loadUnitTree(tx, claimed.map((r) => r.unitPath));
    const supervisorsOf = new Map(claimed.map((r) => [r.id, supervisorsAbove(tree, r.unitId).filter((id) => id !== r.assigneeId)]));
    const book = await loadPeopleBook(tx, claimed.flatMap((r) => (r.assigneeId === null ? [] : [r.assigneeId])));
    const drafts: OutboxDraft[] = [];
    for (const row of claimed) {
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
      const handler = row.assigneeId === null ? undefined : book.of([row.assigneeId], [row.unitId]).get(row.assigneeId);
      for (const staffId of supervisorsOf.get(row.id)!) {
        drafts.push({
          kind: 'supervise',
          orderId: row.id,
          recipientType: 'staff',
          staffId,
          text: jobTexts.overdueToSupervisor({ ...line, deadlineAt, handler: handler ? `${handler.roleLabel}${handler.name}` : '', text: row.text }),
          dedupeKey: `${key}:supervisor:${staffId}`,
        });
      }
    }
    await insertOrderEvents(
      tx,
      claimed.map((row) => ({
        orderId: row.id,
        channel: 'system',
        event: systemEvent(row, 'overdue', now, { deadlineAt: row.deadlineAt!.toISOString(), supervisors: supervisorsOf.get(row.id)! }),
      })),
    );
    await insertOutboxRows(tx, drafts, deps.botAccount);
    return claimed.length;
  });
}

async function escalate(deps: JobDeps, due: SweepRow[], now: Date, calendar: WorkCalendar): Promise<number> {
  if (due.length === 0) return 0;
  const days = deps.overdueEscalateAfterDays;
  return deps.db.transaction(async (tx) => {
    const locked = (await lockOrders(tx, due.map((r) => r.id), { skipLocked: true })).filter((order) =>
      overdueEscalationDue({ order, now, days, calendar }),
    );
    // Set before the escalation and kept when it is refused: the next attempt is `days` working days later.
    await markOrders(tx, locked.map((r) => r.id), { overdueEscalatedAt: now, wasOverdue: true });
    const { done } = await applySystemCommand({
      tx,
      deps,
      orders: locked,
      command: { type: 'escalate', reason: jobTexts.overdueEscalationReason(days) },
      now,
      calendar,
    });
    return done.length;
  });
}
