import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../../src/modules/notifications/outbox.table';
import { orderEvents, workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { summarize } from '../../../src/modules/work-orders/handling/apply-command.usecases';
import { loadOrder } from '../../../src/modules/work-orders/work-orders.repository';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { createTestContext, type TestContext } from '../../helpers/context';

describe('submitting a demand', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it('creates an order routed to the grid leader, with its events and both notices', async () => {
    const residentId = await t.residentId('陈阿姨');
    const gridId = await t.gridId('D01-T01-C01-G01');
    const result = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-1', channel: 'group', residentId, gridId, text: '3号楼下面的路灯坏了好几天了，晚上很黑' },
    });
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    expect(result.order.no).toBe(1001);
    expect(result.order.categoryName).toBe('路灯照明');
    expect(result.order.status).toBe('assigned');
    expect(result.order.assigneeId).toBe(await t.staffId('张伟'));
    expect(result.order.handler).toBe('网格长张伟');

    const events = await t.db.select().from(orderEvents).where(eq(orderEvents.orderId, result.order.id));
    expect(events.map((e) => e.type)).toEqual(['submit', 'assign']);
    const messages = await t.db.select().from(outbox).where(eq(outbox.orderId, result.order.id));
    expect(messages.map((m) => [m.kind, m.recipientType]).sort()).toEqual([
      ['assignment', 'staff'],
      ['receipt', 'resident'],
    ]);
    expect(messages.find((m) => m.kind === 'receipt')!.text).toMatch(/^已受理 #1001 路灯照明，网格长张伟将于\d+月\d+日前办理/);
  });

  it('creates nothing new when the same message id comes again', async () => {
    const residentId = await t.residentId('陈阿姨');
    const gridId = await t.gridId('D01-T01-C01-G01');
    const again = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-1', channel: 'group', residentId, gridId, text: '3号楼下面的路灯坏了好几天了，晚上很黑' },
    });
    expect(again.outcome).toBe('existing');
    const all = await t.db.select().from(workOrders);
    expect(all).toHaveLength(1);
  });

  it('offers an open order with similar text in the same grid as a duplicate', async () => {
    const residentId = await t.residentId('老王');
    const gridId = await t.gridId('D01-T01-C01-G01');
    const result = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-2', channel: 'group', residentId, gridId, text: '3号楼路灯不亮了' },
    });
    expect(result.outcome).toBe('possible_duplicates');
    if (result.outcome === 'possible_duplicates') expect(result.candidates[0]!.no).toBe(1001);
  });

  it('routes to the assistant when a grid has no leader, and to the village when a grid has nobody', async () => {
    const a = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-3', channel: 'direct', residentId: await t.residentId('唐姐'), gridId: await t.gridId('D01-T01-C02-G03'), text: '小区门口垃圾堆了三天没人清' },
    });
    expect(a.outcome === 'created' && a.order.assigneeId).toBe(await t.staffId('马超'));
    const b = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-4', channel: 'direct', residentId: await t.residentId('曹师傅'), gridId: await t.gridId('D01-T02-C01-G03'), text: '村口那段路有个大坑，电动车容易摔' },
    });
    expect(b.outcome === 'created' && b.order.assigneeId).toBe(await t.staffId('陈支书'));
    expect(b.outcome === 'created' && b.order.level).toBe('community');
    if (b.outcome === 'created') expect(b.order).toEqual(await summarize(t.orderDeps, (await loadOrder(t.db, { id: b.order.id }))!));
  });

  it('returns the order as it reads back from the database, and writes it once, assigned', async () => {
    const result = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-6', channel: 'group', residentId: await t.residentId('杨大爷'), gridId: await t.gridId('D01-T01-C02-G03'), text: '2号楼楼道里堆满了杂物' },
    });
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    const loaded = await loadOrder(t.db, { id: result.order.id });
    expect(result.order).toEqual(await summarize(t.orderDeps, loaded!));
    expect(loaded!.row).toMatchObject({ status: 'assigned', version: 1, assigneeId: result.order.assigneeId });
  });

  it('marks an urgent message urgent and gives it an hours limit', async () => {
    const r = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-5', channel: 'group', residentId: await t.residentId('杨大爷'), gridId: await t.gridId('D01-T01-C01-G02'), text: '5栋2单元楼道里燃气泄漏味道很大！' },
    });
    expect(r.outcome).toBe('created');
    if (r.outcome !== 'created') return;
    expect(r.order.urgent).toBe(true);
    const hours = (r.order.deadlineAt!.getTime() - t.clock.now().getTime()) / 3_600_000;
    expect(hours).toBeGreaterThan(0);
    expect(hours).toBeLessThanOrEqual(24);
  });
});
