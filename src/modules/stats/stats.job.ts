import cron, { type ScheduledTask } from 'node-cron';
import type { AppContext } from '../../app-context';
import { refreshStats } from './stats.usecases';

/**
 * Keeps the figures' rollups up to date (every minute by default, STATS_REFRESH_CRON), so a page never waits
 * for more than a minute's events. Safe with several instances: a refresh that finds another one running
 * returns at once ('busy'). node-cron only calls `refreshStats`.
 */
export function startStatsRefresher({ ctx, schedule }: { ctx: AppContext; schedule?: string }): { stop(): Promise<void> } {
  const expression = schedule ?? ctx.config.STATS_REFRESH_CRON;
  if (!cron.validate(expression)) throw new Error(`invalid cron expression for the stats refresh: ${JSON.stringify(expression)}`);
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = refreshStats({ deps: ctx })
      .then((result) => {
        if (result.orders > 0) ctx.log.debug({ ...result }, 'figures refreshed');
      })
      .catch((error: unknown) => ctx.log.error({ err: error }, 'figures refresh failed'));
    return running;
  };
  const task: ScheduledTask = cron.schedule(expression, run, { timezone: 'Asia/Shanghai', noOverlap: true, name: 'gridline:stats' });
  // Brought up to date at start, so the first page after a restart is not the one that waits.
  void run();
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
