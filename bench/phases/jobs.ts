import cron from 'node-cron';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import type { AppContext } from '../../src/app-context';
import * as agenda from '../../src/jobs/agenda.job';
import * as deadlineReminders from '../../src/jobs/deadline-reminders.job';
import * as digest from '../../src/jobs/digest.job';
import { type JobDeps, jobDepsFrom } from '../../src/jobs/job-deps';
import * as monthly from '../../src/jobs/monthly-analysis.job';
import * as overdue from '../../src/jobs/overdue.job';
import { previousTick } from '../../src/jobs/periods.models';
import * as signTimeout from '../../src/jobs/sign-timeout.job';
import * as surveys from '../../src/jobs/surveys.job';
import * as sweep from '../../src/jobs/sweep.job';
import * as weekly from '../../src/jobs/weekly-report.job';
import { chinaDate, nextWorkingDay } from '../../src/modules/calendar/calendar.models';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { workStartOn } from '../../src/jobs/notice-window.models';
import { createManualClock } from '../../src/shared/clock';
import type { BenchDb } from '../lib/bench-db';
import { type CapturedQuery, openCapturingPool, planFacts } from '../lib/capture';
import { round } from '../lib/stats';
import type { JobResult } from '../report';

const ROLLBACK = { rollback: true } as const;

type JobCase = {
  name: string;
  source: string;
  /** The clock for the first run; the repeat runs 5 minutes later (a sweep's period). */
  at: Date;
  run(deps: JobDeps & { tick?: Date }, ctx: AppContext): Promise<unknown>;
  tick?: Date;
};

/** Adds up the counts a job returns ({ reminded: 3, escalated: 1 } → 4; a sweep's nested results too). */
function rowsTouched(result: unknown): number {
  if (typeof result === 'number') return result;
  if (!result || typeof result !== 'object') return 0;
  return Object.entries(result).reduce((sum, [k, v]) => sum + (k === 'ran' || k === 'key' ? 0 : rowsTouched(v)), 0);
}

/**
 * Each job at a million orders, on the real functions, inside a transaction that is rolled back (the data stays
 * as loaded): the first run at the morning's first working moment after the history ends (the heaviest sweep of
 * a day: everything held overnight falls due), and a repeat five minutes later (the steady state). Its SQL is
 * captured and EXPLAINed.
 */
export async function benchJobs({ bench, historyNow, log }: { bench: BenchDb; historyNow: Date; log: (line: string) => void }): Promise<JobResult[]> {
  const pool = await openCapturingPool(bench, 4);
  try {
    const clock = createManualClock(historyNow);
    const ctx = createAppContext({ config: parseConfig({ DATA_DIR: '/tmp/gridline-bench', SEED_DEMO: 'false' }), db: pool.db, dbKind: pool.kind, clock });
    const calendar = await ctx.calendar.get();
    const historyDay = chinaDate(historyNow);
    const morning = workStartOn(nextWorkingDay(historyDay, calendar));
    const tickOf = (expression: string, days: number) =>
      previousTick({ fields: cron.parse(expression) as never, now: morning, lookbackDays: days }) ?? morning;
    const cases: JobCase[] = [
      { name: 'sweep: sign-for time-out', source: 'jobs/sign-timeout.job', at: morning, run: (d) => signTimeout.run(d) },
      { name: 'sweep: deadline reminders', source: 'jobs/deadline-reminders.job', at: morning, run: (d) => deadlineReminders.run(d) },
      { name: 'sweep: overdue 督办 and escalation', source: 'jobs/overdue.job', at: morning, run: (d) => overdue.run(d) },
      { name: 'sweep: survey reminder and time-out', source: 'jobs/surveys.job', at: morning, run: (d) => surveys.run(d) },
      { name: 'sweep: all four rules', source: 'jobs/sweep.job', at: morning, run: (d) => sweep.run(d) },
      { name: 'morning digest', source: 'jobs/digest.job', at: tickOf(ctx.config.JOB_DIGEST_CRON, 7), run: (d) => digest.run(d), tick: tickOf(ctx.config.JOB_DIGEST_CRON, 7) },
      { name: 'weekly report', source: 'jobs/weekly-report.job', at: tickOf(ctx.config.JOB_WEEKLY_CRON, 8), run: (d) => weekly.run(d), tick: tickOf(ctx.config.JOB_WEEKLY_CRON, 8) },
      { name: 'monthly analysis', source: 'jobs/monthly-analysis.job', at: tickOf(ctx.config.JOB_MONTHLY_CRON, 32), run: (d) => monthly.run(d), tick: tickOf(ctx.config.JOB_MONTHLY_CRON, 32) },
      { name: '民情沟通日 agenda', source: 'jobs/agenda.job', at: tickOf(ctx.config.JOB_AGENDA_CRON, 32), run: (d) => agenda.run(d), tick: tickOf(ctx.config.JOB_AGENDA_CRON, 32) },
      { name: 'stats refresh', source: 'stats/stats.usecases refreshStats', at: new Date(historyNow.getTime() + 5 * 60_000), run: (_d, txCtx) => refreshStats({ deps: txCtx }) },
    ];
    const results: JobResult[] = [];
    for (const c of cases) {
      let first = 0;
      let repeat = 0;
      let touched = 0;
      let queries: CapturedQuery[] = [];
      try {
        await pool.db.transaction(async (tx) => {
          // Everything on the transaction, the cached calendar and categories too: on PGlite (one connection) a
          // read outside it would wait for it to end.
          const txCtx = createAppContext({ config: ctx.config, db: tx, dbKind: pool.kind, clock });
          await txCtx.calendar.get();
          await txCtx.categories.all();
          const deps: JobDeps & { tick?: Date } = { ...jobDepsFrom(txCtx, { instance: 'bench' }), tick: c.tick };
          clock.set(c.at);
          const t0 = performance.now();
          const captured = await pool.capture(() => c.run(deps, txCtx));
          first = performance.now() - t0;
          queries = captured.queries;
          touched = rowsTouched(captured.result);
          clock.set(new Date(c.at.getTime() + 5 * 60_000));
          const t1 = performance.now();
          await c.run({ ...deps, tick: c.tick }, txCtx);
          repeat = performance.now() - t1;
          throw ROLLBACK;
        });
      } catch (error) {
        if (error !== ROLLBACK) throw error;
      }
      const plans: string[] = [];
      for (const q of queries.filter((q) => /work_orders|order_events|stats_/.test(q.sql))) {
        try {
          plans.push(`-- ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}\n${await pool.explain(q)}`);
        } catch (error) {
          plans.push(`-- ${q.sql.slice(0, 300)}\n(explain failed: ${String(error)})`);
        }
      }
      const facts = planFacts(plans.join('\n'));
      const result: JobResult = {
        name: c.name,
        source: c.source,
        firstMs: round(first, 1),
        repeatMs: round(repeat, 1),
        rowsTouched: touched,
        indexes: facts.indexes,
        seqScanOnWorkOrders: facts.seqScanOnWorkOrders,
        plans,
      };
      log(`  ${c.name} at ${c.at.toISOString()}: ${result.firstMs} ms (${touched} rows), again 5 min later ${result.repeatMs} ms${facts.seqScanOnWorkOrders ? '  SEQ SCAN on work_orders' : ''}`);
      results.push(result);
    }
    return results;
  } finally {
    await pool.close();
  }
}
