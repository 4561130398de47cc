/**
 * `npm run seed:demo`: loads the demo district into the database the configuration names (DATABASE_URL, or the
 * embedded PGlite under DATA_DIR), as `npm start` does on a fresh install, and prints the console admin's
 * one-time password. An existing database with data is left as it is.
 */
import { resolve } from 'node:path';
import { ConfigError, parseConfig } from '../config/config';
import { openDatabase } from '../db/client';
import { DataDirLockedError } from '../db/lock';
import { hashPassword } from '../modules/auth/passwords';
import { seedCalendarFromPackage } from '../modules/calendar/calendar.repository';
import { systemClock } from '../shared/clock';
import { createAppContext } from '../app-context.factory';
import { demoLoadedNotice, seedDemo } from './demo';
import { seedDemoOrders } from './demo-orders';

async function main(): Promise<number> {
  const config = parseConfig(process.env);
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: resolve(config.DATA_DIR), poolSize: 1 });
  try {
    const seeded = await seedDemo({ db: handle.db, clock: systemClock, hashPassword });
    await seedCalendarFromPackage({ db: handle.db, clock: systemClock });
    if (seeded) {
      const ctx = createAppContext({ config, db: handle.db, dbKind: handle.kind, clock: systemClock });
      await seedDemoOrders({ deps: ctx.orderDeps });
    }
    if (!seeded) {
      console.log('The database already holds data: the demo district was not loaded.');
      return 0;
    }
    console.log(demoLoadedNotice(seeded));
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(1);
    }
    console.error(error);
    process.exit(1);
  },
);
