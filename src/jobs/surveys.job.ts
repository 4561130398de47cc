/**
 * Survey follow-up: one reminder to the resident 24 hours after the 办结 notice (which carried the survey), and
 * after 72 hours without an answer the order is closed as 未评价 (timeoutSurvey). Only resolved orders are
 * looked at, so cancelled and merged orders are never surveyed.
 *
 * Candidates: `status = 'resolved' AND resolved_at <= now - 24h` on the partial index work_orders_resolved_idx.
 * Claim: reminder — conditional UPDATE of survey_reminded_at; time-out — the row locked FOR UPDATE SKIP LOCKED
 * while still resolved at the same instant.
 */
import { and, asc, eq, isNull, lte, or } from 'drizzle-orm';
import { orderTexts } from '../i18n/zh-CN';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import { timeoutSurvey } from '../modules/work-orders/order-actions.usecases';
import { insertOutbox } from '../modules/work-orders/work-orders.repository';
import { workOrders } from '../modules/work-orders/work-orders.table';
import type { JobDeps } from './job-deps';
import { byId, selectSweepRows } from './jobs.repository';
import { runLockedCommand } from './locked-command';
import { surveyReminderDue, surveySweepBounds, surveyTimeoutDue } from './surveys.models';

export async function run(deps: JobDeps): Promise<{ reminded: number; timedOut: number }> {
  const now = deps.clock.now();
  const w = workOrders;
  const { remindBefore, timeoutBefore } = surveySweepBounds(now);
  const rows = await selectSweepRows(
    deps.db,
    and(eq(w.status, 'resolved'), lte(w.resolvedAt, remindBefore), or(isNull(w.surveyRemindedAt), lte(w.resolvedAt, timeoutBefore))),
    { limit: deps.batchSize, orderBy: asc(w.resolvedAt) },
  );

  let timedOut = 0;
  for (const row of rows.filter((order) => surveyTimeoutDue({ order, now }))) {
    const outcome = await runLockedCommand({
      deps,
      orderId: row.id,
      stillDue: and(eq(w.status, 'resolved'), eq(w.resolvedAt, row.resolvedAt!)),
      command: (orderDeps) => timeoutSurvey({ deps: orderDeps, ref: { id: row.id } }),
    });
    if (outcome === 'done') timedOut += 1;
  }

  const due = rows.filter((order) => surveyReminderDue({ order, now }));
  const reminded =
    due.length === 0
      ? 0
      : await deps.db.transaction(async (tx) => {
          const drafts: OutboxDraft[] = [];
          for (const row of byId(due)) {
            const claimed = await tx
              .update(w)
              .set({ surveyRemindedAt: now })
              .where(and(eq(w.id, row.id), eq(w.status, 'resolved'), eq(w.resolvedAt, row.resolvedAt!), isNull(w.surveyRemindedAt)))
              .returning({ id: w.id });
            if (claimed.length === 0) continue;
            drafts.push({
              // 'survey': the bot reads the resident's next "1/2/3" as the answer to this order.
              kind: 'survey',
              orderId: row.id,
              recipientType: 'resident',
              residentId: row.residentId,
              chatGroupId: row.chatGroupId,
              text: orderTexts.surveyReminder({ no: row.no }),
              dedupeKey: `survey-remind:${row.id}:${row.resolvedAt!.toISOString()}`,
            });
          }
          await insertOutbox(tx, drafts, deps.botAccount);
          return drafts.length;
        });
  return { reminded, timedOut };
}
