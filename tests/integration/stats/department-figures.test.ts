/**
 * Department figures through the real refresh: orders made and worked through the real use cases on a manual
 * clock, their dispatches (分流交办) written as the dispatch use case records them in `order_dispatches`, then the
 * rollups refreshed and read through loadDashboard, as the dashboard reads them.
 *
 * Gas smell at 柳岸一 (张伟's grid), 11-23:
 *   10:00 reported; 10:10 dispatched to 城东燃气 (主办, 签收 by 12:10, 办结 by 11-24 10:10) with 区市政所 协办;
 *   10:40 城东燃气 退回 unsigned (not past its 签收 limit: void, not judged); 11:00 dispatched again (签收 by 13:00,
 *   办结 by 11-24 11:00); 11:20 signed; 15:00 resolved (on time); 16:00 the resident answers 满意.
 * A second gas order, 11-24: 09:00 reported and dispatched (签收 by 11:00, 办结 by 12:00), resolved 13:00 without
 *   signing first (signing implicitly, late; resolved late); no survey yet.
 * So 城东燃气: 3 主办 dispatches, 1 returned (退回率 1/3), 响应 1 in time + 1 late (1/2), 办结 2 of which 1 on time,
 * 满意 1/1; 区市政所: 1 协办, nothing judged. The grid still counts both orders.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDepartment } from '../../../src/modules/departments/departments-console.usecases';
import { orderDispatches } from '../../../src/modules/departments/order-dispatches.table';
import { staff } from '../../../src/modules/people/staff.table';
import { loadDashboard } from '../../../src/modules/stats/dashboard.usecases';
import { rebuildStats, refreshStats } from '../../../src/modules/stats/stats.usecases';
import { statsDepartmentFacts } from '../../../src/modules/stats/department-stats.table';
import { acceptOrder, answerSurvey, resolveOrder } from '../../../src/modules/work-orders/handling/order-actions.usecases';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { createTestContext, type TestContext } from '../../helpers/context';

const at = (s: string) => new Date(`${s}+08:00`);
const G01 = 'D01-T01-C01-G01';
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };

describe('department figures (分流交办), from dispatches and the order log', () => {
  let t: TestContext;
  let gas: number;
  let works: number;
  const orders: { id: number; no: number }[] = [];

  const step = async (time: string, run: () => Promise<unknown>) => {
    t.clock.set(at(time));
    await run();
    await refreshStats({ deps: t });
  };
  const submit = (key: string, text: string) => async () => {
    const r = await submitDemand({
      deps: t.orderDeps,
      input: {
        sourceMessageId: `dept-${key}`,
        channel: 'group',
        residentId: await t.residentId('陈阿姨'),
        gridId: await t.gridId(G01),
        text,
        categoryCode: 'safety_hazard',
        urgent: false,
        checkDuplicates: false,
      },
    });
    if (r.outcome !== 'created') throw new Error(r.outcome);
    orders.push({ id: r.order.id, no: r.order.no });
  };
  const dispatch = (order: () => { id: number }, values: Partial<typeof orderDispatches.$inferInsert> & { departmentId: number; dispatchedAt: Date }) => async () => {
    await t.db.insert(orderDispatches).values({ role: 'lead', dispatcherUnitId: await t.gridId('D01-T01-C01'), orderId: order().id, ...values });
  };
  const update = (id: () => number, set: Partial<typeof orderDispatches.$inferInsert>) => async () => {
    await t.db.update(orderDispatches).set(set).where(sql`${orderDispatches.id} = ${id()}`);
  };
  const dispatchId = async (n: number) => (await t.db.select({ id: orderDispatches.id }).from(orderDispatches).orderBy(orderDispatches.id))[n]!.id;

  beforeAll(async () => {
    t = await createTestContext();
    const district = await t.gridId('D01');
    const g = await saveDepartment({ db: t.db, fields: { code: 'GAS', name: '城东燃气', kind: 'company', unitId: district, calendar: 'every_day', signLimitHours: 2, limitDays: 1, returnLimitHours: 24 } });
    const w = await saveDepartment({ db: t.db, fields: { code: 'WORKS', name: '区市政所', kind: 'department', unitId: district, calendar: 'working', signLimitHours: 2, limitDays: null, returnLimitHours: 24 } });
    if (!g?.ok || !w?.ok) throw new Error('departments');
    gas = g.id;
    works = w.id;
    await t.db.insert(staff).values({ name: '燃气李师傅', phone: '13700000001' });
    await refreshStats({ deps: t });
    const first = () => orders[0]!;
    const second = () => orders[1]!;
    const leader = () => t.staffActor('张伟');
    await step('2026-11-23T10:00', submit('gas-1', '楼道里有很重的燃气味'));
    await step('2026-11-23T10:10', async () => {
      await dispatch(first, { departmentId: gas, dispatchedAt: at('2026-11-23T10:10'), signDeadlineAt: at('2026-11-23T12:10'), deadlineAt: at('2026-11-24T10:10'), returnDeadlineAt: at('2026-11-24T10:10') })();
      await dispatch(first, { departmentId: works, role: 'assist', dispatchedAt: at('2026-11-23T10:10') })();
    });
    const firstDispatch = await dispatchId(0);
    await step('2026-11-23T10:40', update(() => firstDispatch, { status: 'returned', returnedAt: at('2026-11-23T10:40'), returnReason: '燃气表外管道不归我司' }));
    await step('2026-11-23T11:00', dispatch(first, { departmentId: gas, dispatchedAt: at('2026-11-23T11:00'), signDeadlineAt: at('2026-11-23T13:00'), deadlineAt: at('2026-11-24T11:00'), returnDeadlineAt: at('2026-11-24T11:00') }));
    const secondDispatch = await dispatchId(2);
    await step('2026-11-23T11:20', async () => {
      await update(() => secondDispatch, { status: 'signed', signedAt: at('2026-11-23T11:20') })();
      await acceptOrder({ deps: t.orderDeps, ref: { no: first().no }, actor: await leader(), channel: 'direct' });
    });
    await step('2026-11-23T15:00', async () => {
      await update(() => secondDispatch, { status: 'resolved', resolvedAt: at('2026-11-23T15:00') })();
      await resolveOrder({ deps: t.orderDeps, ref: { no: first().no }, actor: await leader(), channel: 'direct', note: '已更换老化软管，现场无泄漏' });
    });
    await step('2026-11-23T16:00', async () =>
      answerSurvey({ deps: t.orderDeps, ref: { no: first().no }, actor: { kind: 'resident', residentId: await t.residentId('陈阿姨') }, channel: 'group', answer: 'satisfied', solved: true }),
    );
    await step('2026-11-24T09:00', async () => {
      await submit('gas-2', '厨房燃气灶旁边有燃气味')();
      await dispatch(second, { departmentId: gas, dispatchedAt: at('2026-11-24T09:00'), signDeadlineAt: at('2026-11-24T11:00'), deadlineAt: at('2026-11-24T12:00'), returnDeadlineAt: at('2026-11-25T09:00') })();
    });
    const thirdDispatch = await dispatchId(3);
    await step('2026-11-24T13:00', async () => {
      await update(() => thirdDispatch, { status: 'resolved', resolvedAt: at('2026-11-24T13:00') })();
      await resolveOrder({ deps: t.orderDeps, ref: { no: second().no }, actor: await leader(), channel: 'direct', note: '已关阀检修' });
    });
  });
  afterAll(async () => t?.close());

  const dashboard = async (unit = 'D01') => (await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId(unit), period: PERIOD }))!;

  it('counts the company: three dispatches, one 退回, one signed in time and one late, two resolutions one on time, one 满意', async () => {
    const d = await dashboard();
    const company = d.departments.find((r) => r.department.id === gas)!;
    expect(company.counts).toMatchObject({
      dispatched: 3,
      assists: 0,
      returned: 1,
      respInTime: 1,
      respLate: 1,
      respMissed: 0,
      resolved: 2,
      resolvedOnTime: 1,
      surveySatisfied: 1,
      surveyUnsatisfied: 0,
      surveyUnanswered: 0,
      surveySolved: 1,
      surveyUnsolved: 0,
    });
    const f = company.figures;
    expect([f.return.numerator, f.return.denominator]).toEqual([1, 3]);
    expect([f.response.numerator, f.response.denominator]).toEqual([1, 2]);
    expect([f.onTime.numerator, f.onTime.denominator]).toEqual([1, 2]);
    expect([f.satisfaction.numerator, f.satisfaction.denominator]).toEqual([1, 1]);
    expect([f.solved.numerator, f.solved.denominator]).toEqual([1, 1]);
  });

  it('counts the assist apart and judges it for nothing', async () => {
    const d = await dashboard();
    const assist = d.departments.find((r) => r.department.id === works)!;
    expect(assist.counts).toMatchObject({ dispatched: 0, assists: 1, resolved: 0, returned: 0 });
    expect(assist.figures.return.rate).toBeNull();
  });

  it('keeps counting the orders for their grid, and ranks the company in the departments’ list', async () => {
    const d = await dashboard();
    const grid = d.ranking.ranked.concat(d.ranking.unranked as never[]).find((g) => g.unit.code === G01)!;
    expect(grid.counts.submitted).toBe(2);
    expect(grid.counts.resolved).toBe(2);
    expect(grid.counts.surveySatisfied).toBe(1);
    expect(d.departmentRanking.ranked.map((r) => r.department.id)).toEqual([gas]);
    expect(d.departmentRanking.unranked.map((r) => r.department.id)).toEqual([works]);
  });

  it('shows the departments on a town and a community that hold the orders, and none on the other town', async () => {
    expect((await dashboard('D01-T01-C01')).departments.map((r) => r.department.id)).toContain(gas);
    expect((await dashboard('D01-T02')).departments).toEqual([]);
  });

  it('a rebuild from the log gives the same department rows as the incremental refreshes', async () => {
    const key = (r: Record<string, unknown>) => JSON.stringify(r);
    const before = (await t.db.select().from(statsDepartmentFacts)).map(key).sort();
    await rebuildStats({ deps: t });
    const after = (await t.db.select().from(statsDepartmentFacts)).map(key).sort();
    expect(after).toEqual(before);
    expect(before.length).toBeGreaterThan(0);
  });
});
