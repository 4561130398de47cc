import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { loadDashboard } from '../../src/modules/stats/dashboard.usecases';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type ConsoleTest, createConsoleTest } from './console-helpers';

/**
 * 无效: a junk order (chatter that became an order, a test, a copy) is marked by an officer above it, with a reason.
 * It leaves 受理 and every rate; the resident and the handler are told why it stops.
 */
describe('marking an order 无效', () => {
  let t: ConsoleTest;
  const no: Record<string, number> = {};
  const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

  const submitted = async () => {
    await refreshStats({ deps: t.ctx });
    const d = await loadDashboard({ db: t.ctx.db, categories: await t.ctx.categories.all(), scopeUnitId: await t.ctx.gridId('D01-T01-C01-G01'), period: NOVEMBER });
    return { submitted: d!.total.counts.submitted, resolved: d!.total.counts.resolved };
  };

  beforeAll(async () => {
    t = await createConsoleTest();
    for (const [key, text] of [
      ['junk', '👍 谢谢小格'],
      ['real', '3号楼下面的路灯坏了好几天了，晚上很黑'],
    ] as const) {
      const result = await submitDemand({
        deps: t.ctx.orderDeps,
        input: { sourceMessageId: `m-${key}`, channel: 'group', residentId: await t.ctx.residentId('陈阿姨'), gridId: await t.ctx.gridId('D01-T01-C01-G01'), text, checkDuplicates: false },
      });
      if (result.outcome !== 'created') throw new Error('expected an order');
      no[key] = result.order.no;
    }
  });
  afterAll(async () => t?.close());

  it('is offered to the officer above the grid, not to the grid leader who handles it', async () => {
    const leader = await t.as('张伟');
    expect((await leader.get(`/console/orders/${no.junk}`)).body).not.toContain('data-action="invalidate"');
    await leader.follow(`/console/orders/${no.junk}`);
    const refused = await leader.post(`/console/orders/${no.junk}/invalidate`, { note: '不想办' });
    expect((await leader.get(refused.headers.location as string)).body).toContain('没有权限');
    const [order] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.junk!));
    expect(order!.status).toBe('assigned');
    expect((await (await t.as('王主任')).get(`/console/orders/${no.junk}`)).body).toContain('data-action="invalidate"');
  });

  it('needs a reason, then takes the order out of 受理, tells the resident and the handler, and shows 无效', async () => {
    expect(await submitted()).toEqual({ submitted: 2, resolved: 0 });
    const officer = await t.as('王主任');
    await officer.follow(`/console/orders/${no.junk}`);
    const blank = await officer.post(`/console/orders/${no.junk}/invalidate`, { note: '  ' });
    expect((await officer.get(blank.headers.location as string)).body).toContain('请把表单填写完整');
    expect((await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.junk!)))[0]!.status).toBe('assigned');

    const res = await officer.post(`/console/orders/${no.junk}/invalidate`, { note: '闲聊误建，不是诉求' });
    expect(res.statusCode).toBe(303);
    const page = await officer.get(`/console/orders/${no.junk}`);
    expect(page.body).toContain('无效');
    expect(page.body).toContain('<li data-type="invalidate">');
    expect(page.body).toContain('闲聊误建，不是诉求');
    const [order] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.junk!));
    expect(order!.status).toBe('invalid');

    // The resident's notice is the end of the order (kind 'result', see noise.models); the handler's a 'status'.
    const told = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, order!.id), inArray(outbox.kind, ['status', 'result'])));
    expect(told.find((m) => m.recipientType === 'resident')?.text).toContain('经核实不属于需要办理的诉求（闲聊误建，不是诉求）');
    const leaderId = await t.ctx.staffId('张伟');
    expect(told.find((m) => m.recipientType === 'staff' && m.staffId === leaderId)?.text).toContain('已由干部王主任标记为无效');

    expect(await submitted()).toEqual({ submitted: 1, resolved: 0 });
  });

  it('a resolved order marked 无效 later takes its resolution out of the figures too', async () => {
    const leader = await t.as('张伟');
    await leader.follow(`/console/orders/${no.real}`);
    expect((await leader.post(`/console/orders/${no.real}/resolve`, { note: '已更换灯泡' })).statusCode).toBe(303);
    expect(await submitted()).toEqual({ submitted: 1, resolved: 1 });
    const officer = await t.as('王主任');
    await officer.follow(`/console/orders/${no.real}`);
    expect((await officer.post(`/console/orders/${no.real}/invalidate`, { note: '测试工单' })).statusCode).toBe(303);
    expect(await submitted()).toEqual({ submitted: 0, resolved: 0 });
    // Final: it cannot be marked twice, and its page offers nothing more to do with it.
    const again = await officer.post(`/console/orders/${no.real}/invalidate`, { note: '再来一次' });
    expect((await officer.get(again.headers.location as string)).body).toContain('flash-error');
    expect((await officer.get(`/console/orders/${no.real}`)).body).not.toContain('data-action="invalidate"');
  });
});
