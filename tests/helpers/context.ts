import { eq } from 'drizzle-orm';
import type { AppContext } from '../../src/app-context';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { loadStaffActor } from '../../src/modules/work-orders/work-orders.repository';
import { seedDemo } from '../../src/seed/demo';
import { createManualClock } from '../../src/shared/clock';
import { createPreparedTestDb, type TestDb } from './db';

/** Hashing with real argon2 costs ~50 ms; tests that do not log in use a cheap stand-in for the seed. */
const cheapHash = async (plain: string) => `test:${plain}`;

export type TestContext = AppContext & {
  clock: ReturnType<typeof createManualClock>;
  testDb: TestDb;
  adminPassword: string;
  /** Lookups into the demo data by name/code. */
  staffId(name: string): Promise<number>;
  staffActor(name: string): Promise<NonNullable<Awaited<ReturnType<typeof loadStaffActor>>>>;
  residentId(name: string): Promise<number>;
  gridId(code: string): Promise<number>;
  close(): Promise<void>;
};

/**
 * A fresh database with the demo district, and a context on a manual clock (default: Monday 2026-11-23 10:00
 * China time). `hashPassword` defaults to a cheap stand-in; pass the real one to test log-in.
 */
export async function createTestContext({
  now = '2026-11-23T10:00:00+08:00',
  hashPassword = cheapHash,
  env = {},
  departments = false,
}: {
  now?: string;
  /** Seed the demo's departments and 派单目录 too (src/seed/demo-departments.ts). */
  departments?: boolean;
  hashPassword?: (plain: string) => Promise<string>;
  env?: Record<string, string>;
} = {}): Promise<TestContext> {
  const clock = createManualClock(now);
  // The demo seed is prepared once per worker (per password hasher) and copied for each test.
  const testDb = await createPreparedTestDb(`demo:${hashPassword === cheapHash ? 'cheap' : 'real'}${departments ? ':departments' : ''}`, (db) =>
    seedDemo({ db, clock: createManualClock(now), hashPassword, departments }),
  );
  const seeded = testDb.prepared;
  const config = parseConfig({ DATA_DIR: '/tmp/gridline-test', OUTBOX_MIN_GAP_MS: '0', OUTBOX_MAX_GAP_MS: '0', ...env });
  const ctx = createAppContext({ config, db: testDb.db, dbKind: testDb.kind, clock });
  const db = testDb.db;
  const staffId = async (name: string) => {
    const [row] = await db.select({ id: staff.id }).from(staff).where(eq(staff.name, name));
    if (!row) throw new Error(`no staff named ${name}`);
    return row.id;
  };
  return {
    ...ctx,
    clock,
    testDb,
    adminPassword: seeded!.password,
    staffId,
    async staffActor(name) {
      const actor = await loadStaffActor(db, await staffId(name));
      if (!actor) throw new Error(`staff ${name} inactive`);
      return actor;
    },
    async residentId(name) {
      const [row] = await db.select({ id: residents.id }).from(residents).where(eq(residents.name, name));
      if (!row) throw new Error(`no resident named ${name}`);
      return row.id;
    },
    async gridId(code) {
      const [row] = await db.select({ id: gridUnits.id }).from(gridUnits).where(eq(gridUnits.code, code));
      if (!row) throw new Error(`no unit ${code}`);
      return row.id;
    },
    close: () => testDb.close(),
  };
}
