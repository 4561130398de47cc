/**
 * Monthly 民情分析 (JOB_MONTHLY_CRON, the 1st at 07:00 by default): the previous month per grid and category,
 * with the change against the month before and what recurs; one report per district, stored in `reports` and
 * sent (as a summary, with a link to the console's 报告 page) to its admins and town officers.
 *
 * Claim: the run key 'monthly:<month analysed>' in job_runs, in the same transaction as the reports and messages.
 */
import { jobTexts } from '../i18n/zh-CN.jobs';
import { reportLink } from '../modules/reports/reports.models';
import type { JobDeps, PeriodicResult } from './job-deps';
import { claimRunKey, finishRunKey, staffInSubtree, unitsAtLevel } from './jobs.repository';
import { buildMonthlyAnalysis } from './monthly-analysis.models';
import { monthlyPeriod } from './periods.models';
import { storeAndSend } from './report-writer';
import { monthlyCounts, repeatedPlaces } from './reports.repository';

export async function run(deps: JobDeps & { tick?: Date }): Promise<PeriodicResult> {
  const now = deps.clock.now();
  const period = monthlyPeriod({ tick: deps.tick ?? now });
  return deps.db.transaction(async (tx) => {
    if (!(await claimRunKey(tx, { key: period.key, now, instance: deps.instance }))) return { key: period.key, ran: false, sent: 0 };
    let sent = 0;
    for (const district of await unitsAtLevel(tx, 'district')) {
      const analysis = buildMonthlyAnalysis({
        month: period.month,
        previousMonth: period.previousMonth,
        counts: await monthlyCounts(tx, { rootPath: district.path, previousFrom: period.previousFrom, from: period.from, to: period.to }),
        places: await repeatedPlaces(tx, { rootPath: district.path, from: period.from, to: period.to }),
      });
      const title = jobTexts.monthlyTitle({ districtName: district.name, month: period.month });
      const recipients = [
        ...new Set([
          ...(await staffInSubtree(tx, { rootPath: district.path, roles: ['admin'] })),
          ...(await staffInSubtree(tx, { rootPath: district.path, roles: ['officer'], level: 'town' })),
        ]),
      ];
      sent += await storeAndSend(tx, {
        kind: 'monthly',
        runKey: period.key,
        periodKey: period.month,
        unitId: district.id,
        title,
        body: jobTexts.monthlyBody({ ...analysis, title, link: reportLink({ publicUrl: deps.publicUrl, kind: 'monthly', periodKey: period.month }) }),
        data: analysis,
        now,
        recipients,
        botAccount: deps.botAccount,
      });
    }
    await finishRunKey(tx, { key: period.key, now });
    return { key: period.key, ran: true, sent };
  });
}
