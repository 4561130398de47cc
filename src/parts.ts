import type { AppContext } from './app-context';
import type { Config } from './config/config';

export type Stoppable = { stop(): Promise<void> };

/**
 * Starts the background parts this process runs: the scheduled jobs and the chat bot (with its outbox
 * sender). The console is started by main.ts, which owns the HTTP listener.
 */
export async function startParts({ ctx, parts }: { ctx: AppContext; parts: Config['RUN'] }): Promise<Stoppable[]> {
  const started: Stoppable[] = [];
  void ctx;
  void parts;
  if (parts.includes('jobs')) {
    const { startScheduler } = await import('./jobs/scheduler');
    started.push(startScheduler({ ctx }));
  }
  if (parts.includes('bot')) {
    // Only bots/ imports Wechaty; it is loaded when this process runs the bot.
    const { startBot } = await import('../bots/start');
    started.push(await startBot({ ctx }));
  }
  return started;
}
