/**
 * node-cron only calls the jobs. Every schedule comes from the config (JOB_*_CRON), evaluated in China time.
 *
 * A tick of a periodic job and the catch-up on start are the same call: run the period of the latest tick at
 * or before now, unless its run key is taken (see periods.models.ts). Sweeps need no catch-up logic: they
 * pick up whatever is due. So on start, `runDueNow()` sends what fell due while the process was down, once.
 * Catch-up reaches back only to the scheduler's first start on this database (kept in job_runs): a fresh
 * install does not send last week's empty report or this morning's digest.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../app-context';
import * as agenda from './agenda.job';
import * as digest from './digest.job';
import { type JobDeps, type PeriodicResult, jobDepsFrom } from './job-deps';
import { firstSchedulerStart } from './jobs.repository';
import * as monthly from './monthly-analysis.job';
import { CATCH_UP_DAYS, type PeriodicJob, previousTick } from './periods.models';
import * as sweep from './sweep.job';
import * as weekly from './weekly-report.job';

/** The business calendar is China time whatever the server's TZ. */
export const JOB_TIMEZONE = 'Asia/Shanghai';

export type Schedules = Record<'sweep' | PeriodicJob, string>;

/**
 * The category model is retrained every night at 03:15 China time, with the day's console corrections, and once
 * at start (see retrainClassifier).
 */
export const RETRAIN_CRON = '15 3 * * *';

/** Retrains the classifier and logs what it cost: the start-up figure the issue asks to keep an eye on. */
export async function retrainClassifier(ctx: AppContext): Promise<void> {
  const run = await ctx.classifier.retrain();
  ctx.log.info({ ...run, approxKiB: Math.round(run.approxBytes / 1024) }, 'category model trained');
}

/** Extra work to do on every sweep (the bot's pending-duplicate flush is wired in by main). */
export type SweepHook = { name: string; run(args: { ctx: AppContext }): unknown | Promise<unknown> };

export type DueRun = {
  sweep: sweep.SweepResult | undefined;
  periodic: Record<PeriodicJob, PeriodicResult | null | undefined>;
};

export type Scheduler = {
  /** Stops the cron tasks and waits for running jobs to finish. */
  stop(): Promise<void>;
  /** Runs the sweep (with its hooks) and every periodic job whose latest period is not done yet. */
  runDueNow(): Promise<DueRun>;
  /** The catch-up started with the scheduler (null when `catchUpOnStart` is false). */
  caughtUp: Promise<DueRun | null>;
};

const PERIODIC: Record<PeriodicJob, (deps: JobDeps & { tick?: Date }) => Promise<PeriodicResult>> = {
  digest: digest.run,
  weekly: weekly.run,
  monthly: monthly.run,
  agenda: agenda.run,
};

export function schedulesFrom(config: AppContext['config']): Schedules {
  return {
    sweep: config.JOB_SWEEP_CRON,
    digest: config.JOB_DIGEST_CRON,
    weekly: config.JOB_WEEKLY_CRON,
    monthly: config.JOB_MONTHLY_CRON,
    agenda: config.JOB_AGENDA_CRON,
  };
}

export function startScheduler({
  ctx,
  schedules: overrides = {},
  sweepHooks = [],
  catchUpOnStart = true,
  cronEnabled = true,
  instance,
  retrainCron = RETRAIN_CRON,
}: {
  ctx: AppContext;
  schedules?: Partial<Schedules>;
  sweepHooks?: SweepHook[];
  catchUpOnStart?: boolean;
  /** Tests drive the jobs with `runDueNow()` on a manual clock and turn the timers off. */
  cronEnabled?: boolean;
  instance?: string;
  retrainCron?: string;
}): Scheduler {
  const schedules: Schedules = { ...schedulesFrom(ctx.config), ...overrides };
  for (const [job, expression] of Object.entries(schedules)) {
    if (!cron.validate(expression)) throw new Error(`invalid cron expression for the ${job} job: ${JSON.stringify(expression)}`);
  }
  const fields = Object.fromEntries(
    (Object.keys(PERIODIC) as PeriodicJob[]).map((job) => [job, cron.parse(schedules[job])]),
  ) as Record<PeriodicJob, ReturnType<typeof cron.parse>>;
  const deps = jobDepsFrom(ctx, { instance });
  const log = ctx.log;

  // Recorded at once (a cron tick right after start is after it); read again after a failure.
  let firstStart: Promise<Date> | undefined;
  const startedAt = ctx.clock.now();
  const firstStarted = () =>
    (firstStart ??= firstSchedulerStart(ctx.db, { now: startedAt, instance: deps.instance }).catch((error: unknown) => {
      firstStart = undefined;
      throw error;
    }));
  firstStarted().catch((error: unknown) => log.error({ err: error }, 'could not record the scheduler start'));

  // One run of each job at a time in this process; other instances are kept apart by the claims.
  const running = new Map<string, Promise<unknown>>();
  let stopped = false;
  function exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const previous = running.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (stopped) return undefined;
      try {
        return await fn();
      } catch (error) {
        log.error({ err: error, job: name }, 'job failed');
        return undefined;
      }
    });
    running.set(name, next);
    return next;
  }

  const runSweep = () =>
    exclusive('sweep', async () => {
      const result = await sweep.run(deps);
      for (const hook of sweepHooks) {
        try {
          await hook.run({ ctx });
        } catch (error) {
          log.error({ err: error, hook: hook.name }, 'sweep hook failed');
        }
      }
      return result;
    });

  const runPeriodic = (job: PeriodicJob) =>
    exclusive(job, async () => {
      const tick = previousTick({ fields: fields[job], now: ctx.clock.now(), lookbackDays: CATCH_UP_DAYS[job] });
      if (!tick || tick.getTime() < (await firstStarted()).getTime()) return null;
      const result = await PERIODIC[job]({ ...deps, tick });
      if (result.ran) log.info({ job, key: result.key, sent: result.sent }, 'periodic job ran');
      return result;
    });

  const runDueNow = async (): Promise<DueRun> => {
    const sweepResult = await runSweep();
    const periodic = {} as DueRun['periodic'];
    for (const job of Object.keys(PERIODIC) as PeriodicJob[]) periodic[job] = await runPeriodic(job);
    return { sweep: sweepResult, periodic };
  };

  const tasks: ScheduledTask[] = [];
  if (cronEnabled) {
    const options = { timezone: JOB_TIMEZONE, noOverlap: true };
    tasks.push(cron.schedule(schedules.sweep, () => runSweep(), { ...options, name: 'gridline:sweep' }));
    for (const job of Object.keys(PERIODIC) as PeriodicJob[]) {
      tasks.push(cron.schedule(schedules[job], () => runPeriodic(job), { ...options, name: `gridline:${job}` }));
    }
    tasks.push(cron.schedule(retrainCron, () => exclusive('retrain', () => retrainClassifier(ctx)), { ...options, name: 'gridline:retrain' }));
    // At start: learn the corrections made since the last run before the first demand needs the model.
    void exclusive('retrain', () => retrainClassifier(ctx));
  }

  const caughtUp = catchUpOnStart ? runDueNow() : Promise.resolve(null);

  return {
    runDueNow,
    caughtUp,
    async stop() {
      stopped = true;
      for (const task of tasks) await task.destroy();
      await Promise.allSettled([...running.values(), firstStart]);
    },
  };
}
