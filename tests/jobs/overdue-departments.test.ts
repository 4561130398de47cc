import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { run as overdue } from '../../src/jobs/overdue.job';
import { dispatchOrder } from '../../src/modules/departments/dispatch.usecases';
import { departments } from '../../src/modules/departments/departments.table';
import { orderDispatches } from '../../src/modules/departments/order-dispatches.table';
import { staffRoles } from '../../src/modules/people/staff.table';
import { acceptOrder, returnOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { orderEvents } from '../../src/modules/work-orders/work-orders.table';
import { type JobsContext, china, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

type Counts = { noticed: number; escalated: number; urged: number };
const none: Counts = { noticed: 0, escalated: 0, urged: 0 };
const noticed: Counts = { noticed: 1, escalated: 0, urged: 0 };
const urged: Counts = { noticed: 0, escalated: 0, urged: 1 };

async function walk(times: string[], expected: Counts[]) {
  const got = [];
  for (const at of times) {
    t.at(at);
    got.push(await overdue(t.deps));
  }
  expect(got).toEqual(expected);
}

/** Who got the order's 督办 messages so far, by name, in the order they were written. */
async function superviseTo(orderId: number, since = 0): Promise<{ to: string; text: string }[]> {
  const names = new Map<number, string>();
  for (const name of ['李强', '魏经理', '吴书记', '周主任', '张伟', '王主任', '蒋涛']) names.set(await t.staffId(name), name);
  for (const admin of await t.db.select({ id: staffRoles.staffId }).from(staffRoles).where(eq(staffRoles.role, 'admin'))) names.set(admin.id, 'admin');
  return (await t.messages({ orderId, kind: 'supervise' })).slice(since).map((m) => ({ to: names.get(m.staffId!) ?? `#${m.staffId}`, text: m.text }));
}

async function gasSmell() {
  // 燃气 in a safety hazard: the catalogue sends it straight to 区燃气公司 (every-day calendar, 2 days), dispatched
  // by the system for the town (东湖街道).
  const gas = await t.report({ text: '3栋楼道里一股煤气味，好像哪里漏气了', category: 'safety_hazard' });
  const row = await t.order(gas.id);
  expect([row.assigneeId, row.level]).toEqual([await t.staffId('李强'), 'grid']);
  return { ...gas, departmentId: row.departmentId! };
}

describe('overdue 督办 of an order a department holds (分流交办)', () => {
  it('tells the handler, the company’s head and the dispatching town; 5 days on (the company works every day) it presses harder (催办升级) and the order stays with the company', async () => {
    t = await createJobsContext('2026-11-23 10:00', { departments: true });
    const gas = await gasSmell();
    const rubbish = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });

    // The gas company's limit ends with 11-25; the 督办 waits for the working morning of 11-26.
    await walk(['2026-11-25 17:00', '2026-11-26 00:01', '2026-11-26 09:00', '2026-11-26 10:00'], [none, none, noticed, none]);
    const first = await superviseTo(gas.id);
    expect(first.map((m) => m.to)).toEqual(['李强', '魏经理', '吴书记']);
    expect(first.map((m) => m.text)).toEqual([
      `【督办】工单 #${gas.no} 安全隐患（柳岸社区第一网格）已超过办结时限（11月25日），请立即办理并回复进展；超期5天仍未办结，将向区燃气公司负责人和派单单位催办升级。`,
      `【督办】区燃气公司李强办理的工单 #${gas.no} 安全隐患（柳岸社区第一网格）已超过办结时限（11月25日），请督促尽快办结并回复进展。\n居民反映：3栋楼道里一股煤气味，好像哪里漏气了`,
      `【督办】派区燃气公司办理的工单 #${gas.no} 安全隐患（柳岸社区第一网格）已超过办结时限（11月25日），已督促区燃气公司办理，请跟进。\n居民反映：3栋楼道里一股煤气味，好像哪里漏气了`,
    ]);
    // Not the grid tree's supervisor above the order's unit: the community officer cannot fix a gas leak.
    expect(first.map((m) => m.to)).not.toContain('王主任');
    expect((await t.order(gas.id)).wasOverdue).toBe(true);
    // The grid order beside it is 督办'd in the tree the next morning, as before.
    await walk(['2026-11-27 09:00'], [noticed]);
    expect((await superviseTo(rubbish.id)).map((m) => m.to)).toEqual(['张伟', '王主任']);

    // 5 days of the company's every-day calendar after the deadline (11-26 … 11-30, the weekend included): a
    // 催办升级, not an escalation, in the next working period.
    await walk(['2026-11-30 17:00', '2026-12-01 00:01', '2026-12-01 09:00', '2026-12-01 10:00'], [none, none, urged, none]);
    const urge = await superviseTo(gas.id, first.length);
    expect(urge.map((m) => m.to)).toEqual(['魏经理', '吴书记', '周主任']);
    expect(urge[0]!.text).toBe(
      `【催办升级】区燃气公司办理的工单 #${gas.no} 安全隐患（柳岸社区第一网格，东湖街道派单）已超过办结时限（11月25日）5天仍未办结，请立即组织办结并回复进展。\n居民反映：3栋楼道里一股煤气味，好像哪里漏气了`,
    );
    expect(urge[2]!.text).toContain('请督促区燃气公司立即办结。');
    let row = await t.order(gas.id);
    expect([row.status, row.assigneeId, row.departmentId, row.level, row.escalationCount, row.wasOverdue]).toEqual([
      'assigned',
      await t.staffId('李强'),
      gas.departmentId,
      'grid',
      0,
      true,
    ]);
    const [dispatch] = await t.db.select().from(orderDispatches).where(eq(orderDispatches.orderId, gas.id));
    expect(dispatch!.status).toBe('dispatched');
    const [entry] = await t.db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, gas.id), eq(orderEvents.type, 'supervise')));
    expect(entry).toMatchObject({ actorKind: 'system', note: '超过办结时限5天仍未办结，系统向区燃气公司负责人和派单单位催办升级' });
    expect(entry!.data).toMatchObject({ urge: true, days: 5, departmentId: gas.departmentId });

    // The grid order beside it goes up the tree 5 working days after its deadline (11-27 … 12-03), as before.
    await walk(['2026-12-03 17:00', '2026-12-04 09:00'], [none, { noticed: 0, escalated: 1, urged: 0 }]);
    expect((await t.order(rubbish.id)).level).toBe('community');

    // Still overdue 5 days after the 催办 (12-01 09:00): pressed again on Sunday morning, 10 of its days overdue.
    await walk(['2026-12-06 08:59', '2026-12-06 09:00'], [none, urged]);
    const again = await superviseTo(gas.id, first.length + urge.length);
    expect(again.map((m) => m.to)).toEqual(['魏经理', '吴书记', '周主任']);
    expect(again[0]!.text).toContain('已超过办结时限（11月25日）10天仍未办结');
    row = await t.order(gas.id);
    expect([row.assigneeId, row.departmentId, row.level]).toEqual([await t.staffId('李强'), gas.departmentId, 'grid']);
    expect((await t.events(gas.id)).filter((e) => ['overdue', 'supervise', 'escalate'].includes(e))).toEqual(['overdue', 'supervise', 'supervise']);
  });

  it('a company’s order at the district after a 争议 is still pressed at the district, never moved', async () => {
    t = await createJobsContext('2026-11-23 10:00', { departments: true });
    const gas = await gasSmell();
    const liQiang = await t.staffActor('李强');
    await returnOrder({ deps: t.orderDeps, ref: { id: gas.id }, actor: liQiang, channel: 'direct', reason: '不属于本单位职责，是下水道返味' });
    await dispatchOrder({ deps: t.orderDeps, ref: { id: gas.id }, actor: await t.staffActor('吴书记'), channel: 'console', departmentId: gas.departmentId });
    await returnOrder({ deps: t.orderDeps, ref: { id: gas.id }, actor: liQiang, channel: 'direct', reason: '仍不属于我们' });
    await dispatchOrder({ deps: t.orderDeps, ref: { id: gas.id }, actor: await t.staffActor('周主任'), channel: 'console', departmentId: gas.departmentId });
    await acceptOrder({ deps: t.orderDeps, ref: { id: gas.id }, actor: liQiang, channel: 'direct' });
    const row = await t.order(gas.id);
    expect([row.level, row.departmentId]).toEqual(['district', gas.departmentId]);

    await walk(['2026-11-26 09:00', '2026-12-01 09:00'], [noticed, urged]);
    // The district dispatched it: its officer hears of it first; the 催办 goes on to the district's admins (热线中心).
    const told = await superviseTo(gas.id);
    expect(told.map((m) => m.to)).toEqual(['李强', '魏经理', '周主任', '魏经理', '周主任', 'admin']);
    expect(told[5]!.text).toContain('（柳岸社区第一网格（现由示范区办理），示范区派单）已超过办结时限（11月25日）5天仍未办结');
    const after = await t.order(gas.id);
    expect([after.level, after.assigneeId, after.departmentId]).toEqual(['district', await t.staffId('李强'), gas.departmentId]);
  });
});

describe('overdue 督办 over a holiday (国庆 2026-10-01 … 10-07, 10-10 a 调休 workday): each order on its own calendar', () => {
  it('a company working every day is 督办’d and 催办’d during the holiday; a working department waits for 10-08; a grid order is unchanged', async () => {
    t = await createJobsContext('2026-09-22 10:00', { departments: true });
    // A grid order: 3 working days (09-23, 09-24, 09-28: 中秋 09-25 is off), overdue from 09-29.
    const rubbish = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    // 区市政所 (a working department) gets a streetlight the same morning: its 5 working days end with 09-30.
    const lamp = await t.report({ text: '5号楼门口的路灯坏了一个星期了，晚上黑乎乎的', category: 'streetlight' });
    await dispatchOrder({ deps: t.orderDeps, ref: { id: lamp.id }, actor: await t.staffActor('王主任'), channel: 'console', departmentId: await departmentId('区市政所') });
    // The gas company's 2 days (every day) end with 09-30 as well.
    t.at('2026-09-28 10:00');
    const gas = await gasSmell();
    expect((await t.order(lamp.id)).deadlineAt).toEqual(china('2026-10-01 00:00'));
    expect((await t.order(gas.id)).deadlineAt).toEqual(china('2026-10-01 00:00'));

    await walk(['2026-09-29 09:00', '2026-09-30 17:00'], [noticed, none]);
    expect((await superviseTo(rubbish.id)).map((m) => m.to)).toEqual(['张伟', '王主任']);

    // 国庆: the gas company works, so its order is 督办’d the first morning; 市政所’s waits, and so does the grid order’s escalation.
    await walk(['2026-10-01 00:01', '2026-10-01 09:00', '2026-10-02 09:00', '2026-10-05 09:00', '2026-10-05 23:00'], [none, noticed, none, none, none]);
    expect((await superviseTo(gas.id)).map((m) => m.to)).toEqual(['李强', '魏经理', '吴书记']);
    expect(await superviseTo(lamp.id)).toEqual([]);
    // 5 of the company’s days after its deadline (10-01 … 10-05): the 催办升级, on the holiday.
    await walk(['2026-10-06 08:59', '2026-10-06 09:00', '2026-10-07 09:00'], [none, urged, none]);
    const urge = (await superviseTo(gas.id)).slice(3);
    expect(urge.map((m) => m.to)).toEqual(['魏经理', '吴书记', '周主任']);
    expect(urge[0]!.text).toContain('已超过办结时限（9月30日）5天仍未办结');
    expect(await superviseTo(lamp.id)).toEqual([]);
    expect((await t.order(rubbish.id)).level).toBe('grid');

    // Work resumes: 市政所’s order is 督办’d on 10-08, told to its handler and the community that dispatched it.
    await walk(['2026-10-08 09:00'], [noticed]);
    expect((await superviseTo(lamp.id)).map((m) => m.to)).toEqual(['蒋涛', '王主任']);
    // The company again 5 days after its 催办, a Sunday morning: 10 of its days overdue.
    await walk(['2026-10-11 08:59', '2026-10-11 09:00'], [none, urged]);
    expect((await superviseTo(gas.id)).slice(6)[0]!.text).toContain('已超过办结时限（9月30日）10天仍未办结');
    // The grid order goes up 5 working days after its deadline (09-29, 09-30, 10-08, 10-09, 10-10), the Monday after.
    await walk(['2026-10-12 08:59', '2026-10-12 09:00'], [none, { noticed: 0, escalated: 1, urged: 0 }]);
    expect((await t.order(rubbish.id)).level).toBe('community');
    // 市政所’s 催办升级: 5 of the holiday calendar’s working days (10-08, 10-09, 10-10, 10-12, 10-13).
    await walk(['2026-10-13 17:00', '2026-10-14 09:00'], [none, urged]);
    const lampUrge = (await superviseTo(lamp.id)).slice(2);
    expect(lampUrge[0]!.text).toContain('区市政所办理的工单');
    expect(lampUrge[0]!.text).toContain('已超过办结时限（9月30日）5个工作日仍未办结');
  });
});

async function departmentId(name: string): Promise<number> {
  const [row] = await t.db.select({ id: departments.id }).from(departments).where(eq(departments.name, name));
  return row!.id;
}
