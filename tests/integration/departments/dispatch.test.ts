import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { departments } from '../../../src/modules/departments/departments.table';
import { dispatchOrder } from '../../../src/modules/departments/dispatch.usecases';
import { orderDispatches } from '../../../src/modules/departments/order-dispatches.table';
import { outbox } from '../../../src/modules/notifications/outbox.table';
import { acceptOrder, escalateOrder, resolveOrder, returnOrder } from '../../../src/modules/work-orders/handling/order-actions.usecases';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { orderEvents, workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { createCategoryProvider } from '../../../src/modules/categories/categories.repository';
import { createCalendarProvider } from '../../../src/modules/calendar/calendar.repository';
import { createDispatchDirectoryProvider } from '../../../src/modules/departments/departments.repository';
import { createTestContext, type TestContext } from '../../helpers/context';

describe('分流交办: dispatching orders to departments', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext({ departments: true });
  });
  afterAll(async () => t.close());

  const departmentId = async (code: string) => (await t.db.select({ id: departments.id }).from(departments).where(eq(departments.code, code)))[0]!.id;
  const dispatchesOf = (orderId: number) => t.db.select().from(orderDispatches).where(eq(orderDispatches.orderId, orderId)).orderBy(asc(orderDispatches.id));
  const noticesTo = async (orderId: number, staffName: string) =>
    (await t.db.select().from(outbox).where(and(eq(outbox.orderId, orderId), eq(outbox.staffId, await t.staffId(staffName))))).map((m) => m.text);

  async function gasSmell(sourceMessageId: string) {
    // Cold caches: a fresh directory, category and calendar provider, first read by this very demand.
    const deps = {
      ...t.orderDeps,
      categories: createCategoryProvider({ db: t.db }),
      calendar: createCalendarProvider({ db: t.db }),
      dispatchDirectory: createDispatchDirectoryProvider({ db: t.db }),
    };
    const result = await submitDemand({
      deps,
      input: { sourceMessageId, channel: 'group', residentId: await t.residentId('陈阿姨'), gridId: await t.gridId('D01-T01-C01-G01'), text: '3栋楼道里一股煤气味，好像哪里漏气了', checkDuplicates: false },
    });
    if (result.outcome !== 'created') throw new Error(result.outcome);
    return result.order;
  }

  it('a gas smell goes straight to the gas company, the resident is told who handles it and the grid leader follows', async () => {
    const order = await gasSmell('gas-1');
    expect(order.assigneeId).toBe(await t.staffId('李强'));
    expect(order.handler).toBe('区燃气公司');
    const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, order.id));
    expect(row!.departmentId).toBe(await departmentId('RQ'));
    const [dispatch] = await dispatchesOf(order.id);
    expect(dispatch).toMatchObject({ role: 'lead', status: 'dispatched', dispatchedByStaffId: null, dispatcherUnitId: await t.gridId('D01-T01') });
    const receipt = (await t.db.select().from(outbox).where(and(eq(outbox.orderId, order.id), eq(outbox.kind, 'receipt'))))[0]!;
    expect(receipt.text).toContain('区燃气公司将于');
    expect((await noticesTo(order.id, '张伟')).join('\n')).toContain('已交区燃气公司办理，请跟进居民');
    expect((await noticesTo(order.id, '李强')).join('\n')).toMatch(/退回 \d+ 原因/);
  });

  it('a department 退回 goes back to the dispatcher; a second one is a 争议 for the district, whose dispatch is final', async () => {
    const order = await gasSmell('gas-2');
    const liQiang = await t.staffActor('李强');
    const returned = await returnOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: liQiang, channel: 'direct', reason: '不属于本单位职责，是下水道返味' });
    expect(returned.order.assigneeId).toBe(await t.staffId('吴书记'));
    expect(returned.after.departmentId).toBeNull();
    expect((await dispatchesOf(order.id))[0]).toMatchObject({ status: 'returned', returnReason: '不属于本单位职责，是下水道返味' });
    expect((await noticesTo(order.id, '吴书记')).join('\n')).toContain('派单');

    // The town officer dispatches it to the gas company again; the company returns it a second time: a dispute.
    const wu = await t.staffActor('吴书记');
    await dispatchOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: wu, channel: 'console', departmentId: await departmentId('RQ') });
    const second = await returnOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: liQiang, channel: 'direct', reason: '仍不属于我们' });
    expect(second.order.assigneeId).toBe(await t.staffId('周主任'));
    const returnEvents = (await t.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, 'return')))).map((e) => e.data);
    expect(returnEvents[1]).toMatchObject({ dispute: true });

    // The district decides: final, the company can no longer return it, and must handle it.
    const zhou = await t.staffActor('周主任');
    const decided = await dispatchOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: zhou, channel: 'console', departmentId: await departmentId('RQ') });
    expect(decided.dispatch.final).toBe(true);
    await expect(returnOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: liQiang, channel: 'direct', reason: '还是不归我们' })).rejects.toMatchObject({ code: 'RETURN_CLOSED' });
    await acceptOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: liQiang, channel: 'direct' });
    await resolveOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: liQiang, channel: 'direct', note: '已上门检查管线，关阀更换接头' });
    const rows = await dispatchesOf(order.id);
    expect(rows.map((r) => [r.status, r.disputed])).toEqual([
      ['returned', false],
      ['returned', false],
      ['resolved', true],
    ]);
    expect(rows[2]!.signedAt).not.toBeNull();
    expect((await noticesTo(order.id, '张伟')).join('\n')).toContain('区燃气公司已办结：已上门检查管线');
  });

  it('after the return limit the department must handle the order; staff outside it cannot return it', async () => {
    const order = await gasSmell('gas-3');
    const officer = await t.staffActor('王主任');
    await expect(returnOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: officer, channel: 'console', reason: 'x' })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    t.clock.advance(5 * 3_600_000); // the gas company may return within 4 hours
    await expect(
      returnOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('李强'), channel: 'direct', reason: '不归我们' }),
    ).rejects.toMatchObject({ code: 'RETURN_CLOSED' });
  });

  it('only officers dispatch, only to a department serving the place; an order leaving the department withdraws its dispatch', async () => {
    const order = await gasSmell('gas-4');
    const leader = await t.staffActor('张伟');
    await expect(
      dispatchOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'console', departmentId: await departmentId('SZ') }),
    ).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    const wang = await t.staffActor('王主任');
    await expect(
      dispatchOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: wang, channel: 'console', departmentId: await departmentId('WY-NX') }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    // An officer's 改派 to the 市政所 with the 物业 assisting: the gas company's dispatch is withdrawn.
    const moved = await dispatchOrder({
      deps: t.orderDeps,
      ref: { id: order.id },
      actor: wang,
      channel: 'console',
      departmentId: await departmentId('SZ'),
      assistIds: [await departmentId('WY-LA')],
    });
    expect(moved.order.handler).toBe('区市政所');
    expect((await dispatchesOf(order.id)).map((r) => [r.role, r.status])).toEqual([
      ['lead', 'withdrawn'],
      ['lead', 'dispatched'],
      ['assist', 'dispatched'],
    ]);
    // 上报 by the department takes it out of the department: its dispatches end.
    await escalateOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('蒋涛'), channel: 'direct', reason: '需要街道协调' });
    expect((await dispatchesOf(order.id)).map((r) => r.status)).toEqual(['withdrawn', 'withdrawn', 'withdrawn']);
  });
});
