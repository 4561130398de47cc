import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridUnits } from '../../../src/modules/grids/grids.table';
import { countOrders, listOrders, type OrderFilters, relatedDuplicates } from '../../../src/modules/work-orders/console/orders.queries';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { createTestContext, type TestContext } from '../../helpers/context';

describe('the console order queries', () => {
  let t: TestContext;
  const no: Record<string, number> = {};
  const all = { all: true as const };

  const list = async (filters: OrderFilters, scope: { all: true } | { all: false; paths: string[] } = all, staffId = 1) =>
    (await listOrders({ db: t.db, scope, staffId, filters, now: t.clock.now(), tokenize: t.tokenize, page: { limit: 50 } })).rows.map((r) => r.no);

  beforeAll(async () => {
    t = await createTestContext();
    const submit = async (key: string, grid: string, text: string) => {
      const result = await submitDemand({
        deps: t.orderDeps,
        input: { sourceMessageId: `q-${key}`, channel: 'group', residentId: await t.residentId('陈阿姨'), gridId: await t.gridId(grid), text, checkDuplicates: false },
      });
      if (result.outcome !== 'created') throw new Error(`expected a new order for ${key}`);
      no[key] = result.order.no;
    };
    // The first three at the same instant (the clock does not move): their order is the id's.
    await submit('dog', 'D01-T01-C01-G01', '楼下草坪上全是狗屎，遛狗的不清理');
    await submit('lamp', 'D01-T01-C01-G01', '3号楼下面的路灯坏了好几天了');
    await submit('wifi', 'D01-T01-C01-G02', '社区WiFi连不上，密码是100%对的');
    t.clock.advance(60_000);
    await submit('lift', 'D01-T02-C01-G01', '5号楼电梯困人了，快来人');
  });
  afterAll(async () => t.close());

  it('lists newest first, orders created at the same instant by id, and pages through them without a gap or a repeat', async () => {
    const args = { db: t.db, scope: all, staffId: 1, filters: {}, now: t.clock.now(), tokenize: t.tokenize };
    const seen: number[] = [];
    let after: { id: number } | undefined;
    for (;;) {
      const page = await listOrders({ ...args, page: { limit: 1, after } });
      seen.push(...page.rows.map((r) => r.no));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual([no.lift, no.wifi, no.lamp, no.dog]);
  });

  it('matches a two-character word inside a longer one, case-insensitively, with LIKE wildcards taken literally', async () => {
    expect(await list({ q: '狗屎' })).toEqual([no.dog]);
    expect(await list({ q: 'wifi' })).toEqual([no.wifi]);
    expect(await list({ q: '100%' })).toEqual([no.wifi]);
    expect(await list({ q: '0%对' })).toEqual([no.wifi]);
    expect(await list({ q: '%对' })).toEqual([no.wifi]);
    expect(await list({ q: '_' })).toEqual([]);
    expect(await list({ q: '电梯困人' })).toEqual([no.lift]);
    expect(await list({ q: '困' })).toEqual([no.lift]);
  });

  it('filters by a unit as the grids under it, and scopes to the grids plus the orders assigned to the user', async () => {
    const [community] = await t.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T01-C01'));
    expect(await list({ unitId: community!.id })).toEqual([no.wifi, no.lamp, no.dog]);
    expect(await list({ unitId: await t.gridId('D01-T01-C01-G02') })).toEqual([no.wifi]);
    expect(await list({ unitId: 999_999 })).toEqual([]);

    // 张伟 leads G01, where the dog and lamp orders are assigned to him; with G02 as the scope he sees both.
    const leader = await t.staffId('张伟');
    const [g02] = await t.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T01-C01-G02'));
    expect(await list({}, { all: false, paths: [g02!.path] }, leader)).toEqual([no.wifi, no.lamp, no.dog]);
    expect(await countOrders({ db: t.db, scope: { all: false, paths: [g02!.path] }, staffId: leader, filters: {}, now: t.clock.now(), tokenize: t.tokenize })).toEqual({ count: 3, capped: false });
    expect(await list({}, { all: false, paths: [] }, leader)).toEqual([no.lamp, no.dog]);
    expect(await list({}, { all: false, paths: [] }, 999_999)).toEqual([]);
  });

  it('counts up to the cap and says when there are more', async () => {
    const args = { db: t.db, scope: all, staffId: 1, filters: {}, now: t.clock.now(), tokenize: t.tokenize };
    expect(await countOrders({ ...args, cap: 10 })).toEqual({ count: 4, capped: false });
    expect(await countOrders({ ...args, cap: 4 })).toEqual({ count: 4, capped: false });
    expect(await countOrders({ ...args, cap: 3 })).toEqual({ count: 3, capped: true });
  });

  it('offers as similar orders those of the same grid from the 30 days around the order, most similar first', async () => {
    const gridId = await t.gridId('D01-T01-C01-G01');
    const [lamp] = await t.db.select().from(workOrders).where(eq(workOrders.no, no.lamp!));
    const similar = (createdAt: Date) => relatedDuplicates({ db: t.db, orderId: -1, gridId, text: '3号楼路灯坏了好几天了', createdAt });
    expect((await similar(lamp!.createdAt)).map((d) => d.no)).toEqual([no.lamp]);
    expect(await similar(new Date(lamp!.createdAt.getTime() + 31 * 86_400_000))).toEqual([]);
    expect(await similar(new Date(lamp!.createdAt.getTime() - 31 * 86_400_000))).toEqual([]);
  });
});
