import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '../../src/db/sql';
import { createTestDb, type TestDb } from '../helpers/db';

describe('the migrated database', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb();
  });
  afterAll(async () => t.close());

  it('has pg_trgm loaded, so similarity works', async () => {
    const [r] = await rows<{ s: number }>(t.db, sql`select similarity('楼下路灯坏了', '楼下路灯不亮')::float8 as s`);
    expect(r!.s).toBeGreaterThan(0.1);
  });

  it('numbers work orders from 1001', async () => {
    const [r] = await rows<{ n: number }>(t.db, sql`select nextval('work_order_no_seq')::int as n`);
    expect(r!.n).toBe(1001);
  });
});
