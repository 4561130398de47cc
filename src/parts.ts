import type { AppContext } from './app-context';
import { type Config, simulatorServed, wecomConfigOf } from './config/config';
import type { HttpPlugin } from './http/app';
import type { ConsoleBotStatus } from './modules/notifications/outbox.routes';

export type Stoppable = { stop(): Promise<void> };

/**
 * Starts the background parts this process runs: the scheduled jobs and the chat bot (with its outbox
 * sender). The console is started by main.ts, which owns the HTTP listener.
 */
export async function startParts({ ctx, parts }: { ctx: AppContext; parts: Config['RUN'] }): Promise<{
  started: Stoppable[];
  /** Console routes the running parts add (the simulator, on the mock puppet). */
  plugins: HttpPlugin[];
  /** The bot's connection for the console's status page, when this process runs the bot. */
  botStatus?: () => ConsoleBotStatus | undefined;
}> {
  const started: Stoppable[] = [];
  const plugins: HttpPlugin[] = [];
  let botStatus: (() => ConsoleBotStatus | undefined) | undefined;
  if (parts.includes('jobs')) {
    const { startScheduler } = await import('./jobs/scheduler');
    started.push(startScheduler({ ctx }));
  }
  if (parts.includes('bot')) {
    // Only bots/ imports Wechaty; it is loaded when this process runs the bot.
    const { startBot } = await import('../bots/start');
    const bot = await startBot({ ctx });
    started.push(bot);
    botStatus = () => bot.status.snapshot();
    if (bot.mock && simulatorServed(ctx.config)) {
      const { simulatorPlugin } = await import('../bots/simulator/simulator.routes');
      plugins.push(simulatorPlugin(bot.mock));
    } else if (bot.mock) {
      ctx.log.warn({ host: ctx.config.HOST, simulator: ctx.config.SIMULATOR }, 'chat simulator not served (it needs a loopback HOST, or SIMULATOR=on)');
    }
  }
  // --- the 企业微信 (WeCom) app's sender, beside the bot's (the bot process owns its account's outbox) ---
  const wecom = wecomConfigOf(ctx.config);
  if (wecom && parts.includes('bot')) {
    const { startWecomSender } = await import('../bots/sender/start-wecom');
    const { createWecomApi } = await import('./modules/wecom/wecom.api');
    started.push(startWecomSender({ ctx, wecom, api: createWecomApi({ config: wecom, clock: ctx.clock }) }));
  }
  // --- the figures' rollups, brought up to date every minute (issue 5, figures) ---
  if (parts.includes('jobs')) {
    const { startStatsRefresher } = await import('./modules/stats/stats.job');
    started.push(startStatsRefresher({ ctx }));
  }
  return { started, plugins, botStatus };
}
