import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import qrcodeTerminal from 'qrcode-terminal';
import { type Wechaty as WechatyInterface, WechatyBuilder } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { MemoryCard } from 'memory-card';
import type { Logger } from '../src/app-context';
import type { Config } from '../src/config/config';
import { type BotStatus, createBotStatus } from './bot-status';

export const MOCK_PUPPET = 'wechaty-puppet-mock';

/** Restarting a logged-out bot: first after this long, doubling up to RECONNECT_MAX_MS. */
const RECONNECT_FIRST_MS = 60_000;
const RECONNECT_MAX_MS = 15 * 60_000;

export type CreatedWechaty = {
  bot: WechatyInterface;
  status: BotStatus;
  /** The mock chat network when running as the offline simulator (WECHATY_PUPPET unset). */
  mocker: mock.Mocker | null;
  /** Stops the reconnect watchdog (call before bot.stop()). */
  dispose(): void;
};

/**
 * An event handler that can not take the process down: Wechaty runs handlers without awaiting them, and an
 * async handler that throws is an unhandled rejection.
 */
export function safely<A extends unknown[]>(log: Logger, what: string, handler: (...args: A) => unknown): (...args: A) => void {
  return (...args: A) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch((error: unknown) => log.error({ err: error }, `bot ${what} handler failed`));
    } catch (error) {
      log.error({ err: error }, `bot ${what} handler failed`);
    }
  };
}

/**
 * The Wechaty instance for this process. WECHATY_PUPPET unset: wechaty-puppet-mock, the offline simulator
 * (no memory card: its world is rebuilt from the database at every start). Otherwise the named puppet, with
 * its token and endpoint, and a memory card under DATA_DIR so a scanned login survives restarts.
 * Login, logout and errors are reflected in `status`; a bot logged out for a while is restarted with backoff.
 */
export function createWechaty({ config, dataDir, log }: { config: Config; dataDir: string; log: Logger }): CreatedWechaty {
  const puppetName = config.WECHATY_PUPPET ?? MOCK_PUPPET;
  const status = createBotStatus({ puppet: puppetName });
  let bot: WechatyInterface;
  let mocker: mock.Mocker | null = null;

  // Naming the mock explicitly is the same as leaving it unset: the simulator, with its world.
  if (!config.WECHATY_PUPPET || config.WECHATY_PUPPET === MOCK_PUPPET) {
    mocker = new mock.Mocker();
    bot = WechatyBuilder.build({ name: `gridline-${config.BOT_ACCOUNT}`, puppet: new PuppetMock({ mocker }) });
  } else {
    mkdirSync(resolve(dataDir), { recursive: true });
    const memory = new MemoryCard({ name: resolve(dataDir, `wechaty-${config.BOT_ACCOUNT}`) });
    bot = WechatyBuilder.build({
      name: `gridline-${config.BOT_ACCOUNT}`,
      memory,
      // Puppet names are checked by the puppet loader at start; the config schema keeps them free-form.
      puppet: config.WECHATY_PUPPET as never,
      puppetOptions: {
        ...(config.WECHATY_PUPPET_SERVICE_TOKEN ? { token: config.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
        ...(config.WECHATY_PUPPET_SERVICE_ENDPOINT ? { endpoint: config.WECHATY_PUPPET_SERVICE_ENDPOINT } : {}),
      },
    });
  }

  bot.on(
    'scan',
    safely(log, 'scan', (qrcode: string, scanStatus: number) => {
      status.update({ state: 'scan', qrcode });
      log.info({ scanStatus }, `scan to log in: https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`);
      qrcodeTerminal.generate(qrcode, { small: true }, (art) => console.log(art));
    }),
  );
  bot.on(
    'login',
    safely(log, 'login', (user: { name(): string }) => {
      status.update({ state: 'online', user: user.name() });
      log.info({ user: user.name() }, 'bot logged in');
    }),
  );
  bot.on(
    'logout',
    safely(log, 'logout', (user: { name(): string }, reason?: string) => {
      status.update({ state: 'offline', lastError: reason });
      log.warn({ user: user.name(), reason }, 'bot logged out; outgoing messages wait in the outbox');
    }),
  );
  bot.on(
    'error',
    safely(log, 'error', (error: Error) => {
      status.update({ state: status.state, lastError: error?.message ?? String(error) });
      log.error({ err: error }, 'bot error');
    }),
  );

  // Web puppets usually show a new QR code by themselves after a logout; when one stays offline (network gone,
  // puppet stuck), restart it. The mock never logs out.
  let watchdog: NodeJS.Timeout | undefined;
  let backoff = RECONNECT_FIRST_MS;
  let restarting = false;
  if (!mocker) {
    watchdog = setInterval(
      safely(log, 'reconnect', async () => {
        if (restarting || status.state !== 'offline') {
          if (status.state === 'online') backoff = RECONNECT_FIRST_MS;
          return;
        }
        if (Date.now() - status.since.getTime() < backoff) return;
        restarting = true;
        backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
        try {
          log.warn('bot offline for a while: restarting the puppet');
          await bot.stop();
          status.update({ state: 'starting' });
          await bot.start();
        } finally {
          restarting = false;
        }
      }),
      15_000,
    );
    watchdog.unref();
  }

  return {
    bot,
    status,
    mocker,
    dispose: () => {
      if (watchdog) clearInterval(watchdog);
    },
  };
}
