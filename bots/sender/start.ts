import type { Wechaty } from 'wechaty';
import type { AppContext } from '../../src/app-context';
import { wecomConfigOf } from '../../src/config/config';
import type { PacingConfig } from '../../src/modules/notifications/pacing.models';
import { MOCK_PUPPET } from '../bot';
import type { BotStatus } from '../bot-status';
import { type OutboxSender, createOutboxSender } from './sender';
import { type Transport, createWechatyTransport } from './transport';

export type RunningOutboxSender = {
  stop(): Promise<void>;
  /** Delivers everything due now (tests; the simulator after a burst of work). */
  drain(): Promise<void>;
  /** Nothing due and nothing being sent (the simulator's idle probe). */
  idle(): Promise<boolean>;
  wake(): void;
};

/**
 * The lease: a claim expires after this long. A send not answered after SEND_TIMEOUT_MS is left behind but keeps its
 * claim until then, so a late answer is recorded and nobody sends the row again meanwhile.
 */
const LOCK_MS = 2 * 60_000;
const SEND_TIMEOUT_MS = 30_000;
/** New rows are written without telling the sender: it looks every so often. */
const POLL_MS = { mock: 200, real: 1_000 };

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    // Unref'd: a sender waiting for work must not keep a stopping process alive.
    setTimeout(resolve, ms).unref();
  });

/**
 * Starts delivering this bot account's outbox through Wechaty. It pauses while the bot is logged out (rows stay
 * pending) and resumes on login. On the mock puppet (the offline simulator) there is no pace to keep; on a real
 * account messages go out in a short burst, then one every OUTBOX_MIN_GAP_MS..OUTBOX_MAX_GAP_MS.
 * `wrapTransport` lets tests and the simulator put a failing network in between.
 */
export function startOutboxSender({
  ctx,
  bot,
  status,
  wrapTransport = (t) => t,
}: {
  ctx: AppContext;
  bot: Wechaty;
  status: Pick<BotStatus, 'state' | 'puppet' | 'onChange'>;
  wrapTransport?: (transport: Transport) => Transport;
}): RunningOutboxSender {
  const { config } = ctx;
  // The simulator's network bans nobody; pacing it would only slow the demo down.
  const mock = status.puppet === MOCK_PUPPET;
  const pacing: PacingConfig = mock
    ? { burst: config.OUTBOX_BURST, minGapMs: 0, maxGapMs: 0 }
    : { burst: config.OUTBOX_BURST, minGapMs: config.OUTBOX_MIN_GAP_MS, maxGapMs: config.OUTBOX_MAX_GAP_MS };

  const sender: OutboxSender = createOutboxSender({
    db: ctx.db,
    botAccount: config.BOT_ACCOUNT,
    transport: wrapTransport(createWechatyTransport({ bot })),
    clock: ctx.clock,
    random: Math.random,
    sleep,
    pacing,
    backoff: { baseMs: config.OUTBOX_RETRY_BASE_MS, maxMs: config.OUTBOX_RETRY_MAX_MS },
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    lockMs: LOCK_MS,
    sendTimeoutMs: SEND_TIMEOUT_MS,
    idlePollMs: mock ? POLL_MS.mock : POLL_MS.real,
    // The puppet's own flag falls the moment it learns of a logout, even if the event is still on its way.
    isOnline: () => status.state === 'online' && bot.isLoggedIn,
    log: ctx.log,
    // With the WeCom app on, the members reached through it are its sender's; off, every row is this one's.
    channel: wecomConfigOf(config) ? 'wechat' : undefined,
  });

  const unsubscribe = status.onChange((s) => {
    if (s.state === 'online') sender.wake();
  });
  void sender.run();
  ctx.log.info({ botAccount: config.BOT_ACCOUNT, pacing: mock ? 'off (mock puppet)' : pacing }, 'outbox sender started');

  return {
    async stop() {
      unsubscribe();
      await sender.stop();
    },
    async drain() {
      await sender.drain();
    },
    idle: () => sender.idle(),
    wake: () => sender.wake(),
  };
}
