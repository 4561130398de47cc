import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type ConsoleTest, createConsoleTest } from './console-helpers';

/** 批量督办 / 批量派单 from the order list: each ticked order through its own use case, refusals listed. */
describe('batch actions on the order list', () => {
  let t: ConsoleTest;
  const no: Record<string, number> = {};

  beforeAll(async () => {
    t = await createConsoleTest();
    for (const [key, resident, grid, text] of [
      ['a', '陈阿姨', 'D01-T01-C01-G01', '3号楼下面的路灯坏了好几天了，晚上很黑'],
      ['b', '老王', 'D01-T01-C01-G01', '5号楼后面的下水道堵了，污水冒出来'],
      ['c', '杨大爷', 'D01-T01-C01-G02', '小区门口有人占道经营，早上堵得走不动'],
      ['far', '许大哥', 'D01-T02-C01-G01', '村口垃圾桶满了没人清理'],
    ] as const) {
      const r = await submitDemand({
        deps: t.ctx.orderDeps,
        input: { sourceMessageId: `m-${key}`, channel: 'group', residentId: await t.ctx.residentId(resident), gridId: await t.ctx.gridId(grid), text, checkDuplicates: false },
      });
      if (r.outcome !== 'created') throw new Error('expected an order');
      no[key] = r.order.no;
    }
  });
  afterAll(async () => t?.close());

  const eventsOf = async (nos: number[], type: string) =>
    t.ctx.db
      .select({ no: workOrders.no, note: orderEvents.note })
      .from(orderEvents)
      .innerJoin(workOrders, eq(workOrders.id, orderEvents.orderId))
      .where(and(inArray(workOrders.no, nos), eq(orderEvents.type, type)));

  it('offers ticks and the batch form to an officer, not to a grid leader', async () => {
    const officer = await t.as('王主任');
    const page = (await officer.get('/console/orders')).body;
    expect(page).toContain(`name="nos" value="${no.a}" form="batch-form"`);
    expect(page).toContain('id="batch-form"');
    const leader = await t.as('张伟');
    const own = (await leader.get('/console/orders')).body;
    expect(own).not.toContain('batch-form');
  });

  it('supervises every ticked order it may, lists the one out of reach, and audits each', async () => {
    const officer = await t.as('王主任');
    await officer.follow('/console/orders?status=assigned');
    const res = await officer.post(
      '/console/orders/batch',
      { nos: [no.a!, no.b!, no.far!], action: 'supervise', note: '请本周内办结' },
      { headers: { referer: 'http://127.0.0.1/console/orders?status=assigned' } },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/orders?status=assigned');
    const page = (await officer.get(res.headers.location as string)).body;
    expect(page).toContain(`批量督办：已执行 2 张（#${no.a} #${no.b}）；未执行 1 张：#${no.far} 不存在或无权查看。`);
    expect((await eventsOf([no.a!, no.b!, no.far!], 'supervise')).map((e) => [e.no, e.note]).sort()).toEqual([
      [no.a, '请本周内办结'],
      [no.b, '请本周内办结'],
    ]);
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'order.supervise'));
    expect(audit.map((a) => Number(a.targetId)).sort()).toEqual([no.a, no.b].sort());
  });

  it('dispatches ticked orders to one person; a 督办 without a note and an empty selection are refused', async () => {
    const officer = await t.as('王主任');
    await officer.follow('/console/orders');
    const liNa = await t.ctx.staffId('李娜');
    const res = await officer.post('/console/orders/batch', { nos: [no.b!, no.a!], action: 'assign', staffId: liNa, note: '请协助' });
    expect((await officer.get(res.headers.location as string)).body).toContain('批量派单：已执行 2 张');
    const moved = await t.ctx.db.select().from(workOrders).where(inArray(workOrders.no, [no.a!, no.b!]));
    expect(moved.map((o) => o.assigneeId)).toEqual([liNa, liNa]);
    expect((await eventsOf([no.a!, no.b!], 'reassign')).map((e) => e.note)).toEqual(['请协助', '请协助']);

    const noNote = await officer.post('/console/orders/batch', { nos: no.a, action: 'supervise', note: '' });
    expect((await officer.get(noNote.headers.location as string)).body).toContain('批量督办需要填写督办意见');
    const none = await officer.post('/console/orders/batch', { action: 'supervise', note: '快' });
    expect((await officer.get(none.headers.location as string)).body).toContain('请先勾选工单');
    const tooMany = await officer.post('/console/orders/batch', { nos: 'abc', action: 'supervise', note: '快' });
    expect((await officer.get(tooMany.headers.location as string)).body).toContain('请先勾选工单');
  });
});
