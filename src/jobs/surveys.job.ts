/**
 * Survey follow-up: one reminder to the resident 24 hours after the 办结 notice (which carried the survey), and
 * after 72 hours without an answer the order is closed as 未评价 (timeoutSurvey's rule, in a batch). Only
 * resolved orders are looked at, so cancelled and merged orders are never surveyed.
 *
 * Candidates: time-out — `status = 'resolved' AND resolved_at <= now - 72h` on work_orders_resolved_idx;
 * reminder — the resolved orders not yet reminded, `resolved_at <= now - 24h`, on work_orders_survey_remind_idx.
 * Claim, per batch: time-out — the orders locked with SKIP LOCKED and closed through the state machine
 * (system-commands.ts); reminder — locked in id order, the rule asked again, survey_reminded_at set.
 */
import { surveyTexts } from '../i18n/zh-CN.survey';
import { and, asc, eq, gt, isNull, lte } from 'drizzle-orm';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import { insertOutboxRows, lockOrders, markOrders, selectSweepRows } from './jobs.repository';
import { mayNotifyResident } from './notice-window.models';
import { surveyReminderDue, surveySweepBounds, surveyTimeoutDue } from './surveys.models';
import { applySystemCommand } from './system-commands';

export async function run(deps: JobDeps): Promise<{ reminded: number; timedOut: number }> {
  const now = deps.clock.now();
  const bounds = surveySweepBounds(now);
  const timedOut = await timeOut(deps, now, bounds);
  const reminded = mayNotifyResident({ now }) ? await remind(deps, now, bounds) : 0;
  return { reminded, timedOut };
}

type Bounds = ReturnType<typeof surveySweepBounds>;

async function timeOut(deps: JobDeps, now: Date, { timeoutBefore }: Bounds): Promise<number> {
  const w = workOrders;
  const rows = await selectSweepRows(deps.db, and(eq(w.status, 'resolved'), lte(w.resolvedAt, timeoutBefore)), {
    limit: deps.batchSize,
    orderBy: asc(w.resolvedAt),
  });
  const due = rows.filter((order) => surveyTimeoutDue({ order, now }));
  if (due.length === 0) return 0;
  const calendar = await deps.calendar.get();
  return deps.db.transaction(async (tx) => {
    const locked = (await lockOrders(tx, due.map((r) => r.id), { skipLocked: true })).filter((order) => surveyTimeoutDue({ order, now }));
    const { done } = await applySystemCommand({ tx, deps, orders: locked, command: { type: 'survey_timeout' }, now, calendar });
    return done.length;
  });
}

async function remind(deps: JobDeps, now: Date, { remindBefore, timeoutBefore }: Bounds): Promise<number> {
  const w = workOrders;
  const rows = await selectSweepRows(
    deps.db,
    and(eq(w.status, 'resolved'), isNull(w.surveyRemindedAt), lte(w.resolvedAt, remindBefore), gt(w.resolvedAt, timeoutBefore)),
    { limit: deps.batchSize, orderBy: asc(w.resolvedAt) },
  );
  const due = rows.filter((order) => surveyReminderDue({ order, now }));
  if (due.length === 0) return 0;
  return deps.db.transaction(async (tx) => {
    const claimed = (await lockOrders(tx, due.map((r) => r.id))).filter((order) => surveyReminderDue({ order, now }));
    await markOrders(tx, claimed.map((r) => r.id), { surveyRemindedAt: now });
    await insertOutboxRows(
      tx,
      claimed.map((row) => ({
        // 'survey': the bot reads the resident's next "1/2/3" as the answer to this order.
        kind: 'survey',
        orderId: row.id,
        recipientType: 'resident' as const,
        residentId: row.residentId,
        chatGroupId: row.chatGroupId,
        text: surveyTexts.reminder({ no: row.no }),
        dedupeKey: `survey-remind:${row.id}:${row.resolvedAt!.toISOString()}`,
      })),
      deps.botAccount,
    );
    return claimed.length;
  });
}
