/**
 * The composition root: the only place that reads the environment (through config), opens the database, and
 * wires the console, the jobs and the bot together. `--only bot` / `--only console` run one part, for several
 * instances on one Postgres.
 */
import { resolve } from 'node:path';
import { createAppContext } from './app-context.factory';
import { ConfigError, type Config, parseConfig } from './config/config';
import { openDatabase } from './db/client';
import { DataDirLockedError } from './db/lock';
import { buildHttpApp } from './http/app';
import { seedCalendarFromPackage } from './modules/calendar/calendar.repository';
import { hashPassword } from './modules/auth/passwords';
import { demoLoadedNotice, seedDemo } from './seed/demo';
import { seedDemoOrders } from './seed/demo-orders';
import { systemClock } from './shared/clock';

type Stoppable = { stop(): Promise<void> };

function partsFromArgs(argv: string[], config: Config): Config['RUN'] {
  const i = argv.indexOf('--only');
  if (i === -1) return config.RUN;
  const part = argv[i + 1];
  if (part !== 'bot' && part !== 'console' && part !== 'jobs') {
    throw new ConfigError([{ variable: '--only', expected: 'one of bot, console, jobs' }]);
  }
  // The bot process also runs the sender; the console process runs the jobs unless told otherwise.
  return part === 'console' ? ['console', 'jobs'] : [part];
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig();
    config = { ...config, RUN: partsFromArgs(process.argv.slice(2), config) };
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  process.env.TZ = config.TZ;

  const { default: pino } = await import('pino');
  const { logSerializers } = await import('./shared/log-redaction');
  const log = pino({ level: config.LOG_LEVEL, serializers: logSerializers });

  let handle;
  try {
    handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: resolve(config.DATA_DIR) });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  log.info({ db: handle.kind }, 'database ready (migrations applied)');

  const clock = systemClock;
  let seededDemo = false;
  if (config.SEED_DEMO) {
    const seeded = await seedDemo({ db: handle.db, clock, hashPassword });
    seededDemo = seeded !== null;
    if (seeded) {
      // Printed once: the password is stored only as a hash and must be changed at first log-in.
      console.log(`\n${demoLoadedNotice(seeded).replace(/^/gm, '  ')}\n`);
    }
  }
  const addedYears = await seedCalendarFromPackage({ db: handle.db, clock });
  if (addedYears.length) log.info({ years: addedYears }, 'holiday calendar seeded from chinese-days');

  const ctx = createAppContext({ config, db: handle.db, dbKind: handle.kind, clock, log });
  // A few located open orders, once, with the demo district: the maps have something to show.
  if (seededDemo) await seedDemoOrders({ deps: ctx.orderDeps });
  const running: Stoppable[] = [];

  const { startParts } = await import('./parts');
  const parts = await startParts({ ctx, parts: config.RUN });
  running.push(...parts.started);

  if (config.RUN.includes('console')) {
    const { consolePlugins } = await import('./http/plugins');
    const app = await buildHttpApp({
      ctx: { ...ctx, botStatus: parts.botStatus } as typeof ctx,
      plugins: [...consolePlugins, ...parts.plugins],
      logger: { level: config.LOG_LEVEL },
    });
    await app.listen({ host: config.HOST, port: config.PORT });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    log.info(`console at http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}/ (db: ${handle.kind})`);
    running.unshift({ stop: () => app.close() });
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    for (const part of running) {
      try {
        await part.stop();
      } catch (error) {
        log.error({ err: error }, 'error while stopping');
      }
    }
    await handle.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
