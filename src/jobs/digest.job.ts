/**
 * 晨报 (JOB_DIGEST_CRON, 08:30 by default): on working days, one message to every assignee with open orders.
 * Worded for the hour it is actually sent: a digest caught up later the same day says it is late (digestTone).
 *
 * Claim: the run key 'digest:<China date>' in job_runs, in the same transaction as the messages (each also
 * carries 'digest:<date>:<staffId>'). Reads the open orders through the partial index work_orders_assignee_open_idx.
 */
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { jobTexts } from '../i18n/zh-CN.jobs';
import { categories } from '../modules/categories/categories.table';
import { insertOutbox } from '../modules/work-orders/work-orders.repository';
import { workOrders } from '../modules/work-orders/work-orders.table';
import { buildDigests, digestTone } from './digest.models';
import type { JobDeps, PeriodicResult } from './job-deps';
import { HANDLING, claimRunKey, finishRunKey, staffNames } from './jobs.repository';
import { digestPeriod } from './periods.models';


export async function run(deps: JobDeps & { tick?: Date }): Promise<PeriodicResult> {
  const now = deps.clock.now();
  const calendar = await deps.calendar.get();
  const period = digestPeriod({ tick: deps.tick ?? now, calendar });
  if (!period) return { key: null, ran: false, sent: 0 };
  return deps.db.transaction(async (tx) => {
    if (!(await claimRunKey(tx, { key: period.key, now, instance: deps.instance }))) return { key: period.key, ran: false, sent: 0 };
    const orders = await tx
      .select({
        assigneeId: workOrders.assigneeId,
        no: workOrders.no,
        categoryName: categories.name,
        urgency: workOrders.urgency,
        deadlineAt: workOrders.deadlineAt,
      })
      .from(workOrders)
      .innerJoin(categories, eq(categories.id, workOrders.categoryId))
      .where(and(inArray(workOrders.status, HANDLING), isNotNull(workOrders.assigneeId)));
    const digests = buildDigests({ orders: orders.map((o) => ({ ...o, assigneeId: o.assigneeId! })), now, calendar });
    const names = await staffNames(tx, digests.map((d) => d.staffId));
    const tone = digestTone({ now, tick: deps.tick ?? now });
    const sent = await insertOutbox(
      tx,
      digests.map((d) => ({
        kind: 'digest',
        orderId: null,
        recipientType: 'staff' as const,
        staffId: d.staffId,
        text: jobTexts.digest({ ...d, name: names.get(d.staffId) ?? '', tone }),
        dedupeKey: `${period.key}:${d.staffId}`,
      })),
      deps.botAccount,
    );
    await finishRunKey(tx, { key: period.key, now });
    return { key: period.key, ran: true, sent };
  });
}
