/**
 * 每周一排 (JOB_WEEKLY_CRON, Monday 09:00 by default): the previous ISO week's figures by town, the top categories
 * and the slowest grids, one report per district, stored in `reports` and sent to its admins and town officers.
 * The figures are read from the stats module's rollup, so they match the dashboard; it is refreshed first unless
 * a refresh since the week ended already covers it (the stats job refreshes every minute).
 *
 * Claim: the run key 'weekly:<ISO week reported>' in job_runs, in the same transaction as the reports and messages.
 * A run that finds the key taken does nothing else (no refresh): the repeat ticks and catch-ups are one probe.
 */
import { jobTexts } from '../i18n/zh-CN.jobs';
import { loadDashboard } from '../modules/stats/dashboard.usecases';
import { REFRESH_OVERLAP_MS, readStatsState, refreshStats } from '../modules/stats/stats.usecases';
import type { JobDeps, PeriodicResult } from './job-deps';
import { claimRunKey, finishRunKey, runKeyTaken, staffInSubtree, unitsAtLevel } from './jobs.repository';
import { type WeekPeriod, weeklyPeriod } from './periods.models';
import { storeAndSend } from './report-writer';
import { gridSpeeds, overdueOpenByTown } from './reports.repository';
import { buildWeeklyReport, townCountsFrom } from './weekly-report.models';

export async function run(deps: JobDeps & { tick?: Date }): Promise<PeriodicResult> {
  const now = deps.clock.now();
  const period = weeklyPeriod({ tick: deps.tick ?? now });
  if (await runKeyTaken(deps.db, period.key)) return { key: period.key, ran: false, sent: 0 };
  await refreshFigures(deps, period);
  const categories = await deps.orderDeps.categories.all();
  return deps.db.transaction(async (tx) => {
    if (!(await claimRunKey(tx, { key: period.key, now, instance: deps.instance }))) return { key: period.key, ran: false, sent: 0 };
    let sent = 0;
    for (const district of await unitsAtLevel(tx, 'district')) {
      const dashboard = await loadDashboard({ db: tx, categories, scopeUnitId: district.id, period: { from: period.firstDay, to: period.lastDay } });
      if (!dashboard) continue;
      const overdue = await overdueOpenByTown(tx, { rootPath: district.path, now });
      const report = buildWeeklyReport({
        week: period.week,
        firstDay: period.firstDay,
        lastDay: period.lastDay,
        district: { unitId: district.id, name: district.name },
        towns: dashboard.children.map((c) =>
          townCountsFrom({ unitId: c.unit.id, name: c.unit.name, counts: c.counts, overdueOpen: overdue.get(c.unit.id) ?? 0 }),
        ),
        categories: dashboard.categories.map((c) => ({ name: c.name, count: c.counts.submitted })),
        grids: await gridSpeeds(tx, { rootPath: district.path, from: period.from, to: period.to }),
      });
      const title = jobTexts.weeklyTitle({ ...period, districtName: district.name });
      const recipients = [
        ...new Set([
          ...(await staffInSubtree(tx, { rootPath: district.path, roles: ['admin'] })),
          ...(await staffInSubtree(tx, { rootPath: district.path, roles: ['officer'], level: 'town' })),
        ]),
      ];
      sent += await storeAndSend(tx, {
        kind: 'weekly',
        runKey: period.key,
        periodKey: period.week,
        unitId: district.id,
        title,
        body: jobTexts.weeklyBody({ ...report, title }),
        data: report,
        now,
        recipients,
        botAccount: deps.botAccount,
      });
    }
    await finishRunKey(tx, { key: period.key, now });
    return { key: period.key, ran: true, sent };
  });
}

const REFRESH_WAIT_MS = 60_000;

/**
 * Brings the figures up to date before the claim (the refresh has its own transactions and lock), unless the last
 * refresh began after the week's end plus the overlap a refresh looks back over: then every event of the week is
 * already counted. When another instance is refreshing, waits for it and refreshes again: reading its half-done
 * rollup would give a report with stale rates.
 */
async function refreshFigures(deps: JobDeps, period: WeekPeriod): Promise<void> {
  const { refreshedAt } = await readStatsState(deps.db);
  if (refreshedAt && refreshedAt.getTime() >= period.to.getTime() + REFRESH_OVERLAP_MS) return;
  const statsDeps = { db: deps.db, clock: deps.clock, calendar: deps.calendar, categories: deps.orderDeps.categories };
  const startedAt = Date.now(); // a bound on waiting, not business time
  while ((await refreshStats({ deps: statsDeps })).status === 'busy') {
    if (Date.now() - startedAt > REFRESH_WAIT_MS) {
      deps.log.warn('the figures are still being refreshed by another instance; the weekly report uses them as they are');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
