/**
 * The order sweep (every JOB_SWEEP_CRON tick, 5 minutes by default): sign-for time-outs, deadline reminders,
 * overdue 督办 and survey follow-up, in that order. Each rule claims its own rows, so sweeps of several instances
 * may overlap; a sweep after downtime sends what fell due while down, once. One rule failing does not stop the
 * others.
 */
import type { JobDeps } from './job-deps';
import * as deadlineReminders from './deadline-reminders.job';
import * as overdue from './overdue.job';
import * as signTimeout from './sign-timeout.job';
import * as surveys from './surveys.job';

export const SWEEP_RULES = { signTimeout, deadlineReminders, overdue, surveys } as const;

export type SweepResult = { [K in keyof typeof SWEEP_RULES]?: Awaited<ReturnType<(typeof SWEEP_RULES)[K]['run']>> } & {
  failed: string[];
};

export async function run(deps: JobDeps): Promise<SweepResult> {
  const result: SweepResult = { failed: [] };
  for (const [name, rule] of Object.entries(SWEEP_RULES) as [keyof typeof SWEEP_RULES, { run(d: JobDeps): Promise<unknown> }][]) {
    try {
      (result as Record<string, unknown>)[name] = await rule.run(deps);
    } catch (error) {
      result.failed.push(name);
      deps.log.error({ err: error, rule: name }, 'sweep rule failed');
    }
  }
  return result;
}
