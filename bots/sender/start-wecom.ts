import type { AppContext } from '../../src/app-context';
import type { WecomConfig } from '../../src/config/config';
import type { WecomApi } from '../../src/modules/wecom/wecom.api';
import { type OutboxSender, createOutboxSender } from './sender';

const LOCK_MS = 2 * 60_000;
const SEND_TIMEOUT_MS = 30_000;
const POLL_MS = 1_000;

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The WeCom app's sender: the rows of members who are reached through WeCom (outbox.repository's wecomRow), paced
 * for the app (WECOM_APP_BURST, then one every WECOM_APP_GAP_MS) and for each member (WECOM_MEMBER_PER_MIN), with
 * the outbox's retries, lease and dead letters; what WeCom cannot deliver goes to the WeChat sender. It needs no
 * login, so it is always online.
 */
export function startWecomSender({ ctx, wecom, api }: { ctx: AppContext; wecom: WecomConfig; api: WecomApi }): {
  sender: OutboxSender;
  stop(): Promise<void>;
} {
  const { config } = ctx;
  const sender = createOutboxSender({
    db: ctx.db,
    botAccount: config.BOT_ACCOUNT,
    // Never called: the WeCom channel sends through `wecom`.
    transport: {
      sendToContact: () => Promise.reject(new Error('the WeCom sender has no WeChat transport')),
      sendToRoom: () => Promise.reject(new Error('the WeCom sender has no WeChat transport')),
    },
    channel: 'wecom',
    wecom: { api, memberPerMinute: wecom.memberPerMinute },
    clock: ctx.clock,
    random: Math.random,
    sleep,
    pacing: { burst: wecom.appBurst, minGapMs: wecom.appGapMs, maxGapMs: wecom.appGapMs },
    backoff: { baseMs: config.OUTBOX_RETRY_BASE_MS, maxMs: config.OUTBOX_RETRY_MAX_MS },
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    lockMs: LOCK_MS,
    sendTimeoutMs: SEND_TIMEOUT_MS,
    idlePollMs: POLL_MS,
    isOnline: () => true,
    log: ctx.log,
  });
  void sender.run();
  ctx.log.info({ agentId: wecom.agentId, memberPerMinute: wecom.memberPerMinute, appGapMs: wecom.appGapMs }, 'WeCom sender started');
  return { sender, stop: () => sender.stop() };
}
