import { afterEach, describe, expect, it } from 'vitest';
import { run as overdue } from '../../src/jobs/overdue.job';
import { acceptOrder, askResident, residentReply, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { type JobsContext, china, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

async function walk(times: string[], expected: { noticed: number; escalated: number; urged: number }[]) {
  const got = [];
  for (const at of times) {
    t.at(at);
    got.push(await overdue(t.deps));
  }
  expect(got).toEqual(expected);
}

const none = { noticed: 0, escalated: 0, urged: 0 };
const noticed = { noticed: 1, escalated: 0, urged: 0 };
const escalated = { noticed: 0, escalated: 1, urged: 0 };

describe('overdue 督办', () => {
  it('sends the 督办 to the assignee and the community the morning it is overdue, then escalates every 5 working days up to the district', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    await acceptOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct' });

    await walk(['2026-11-26 17:00', '2026-11-27 00:01', '2026-11-27 09:00', '2026-11-27 10:00'], [none, none, noticed, none]);
    const notices = await t.messages({ orderId: order.id, kind: 'supervise' });
    expect(notices.map((m) => m.staffId)).toEqual([await t.staffId('张伟'), await t.staffId('王主任')]);
    expect(notices[0]!.text).toBe(
      `【督办】工单 #${order.no} 环境卫生（柳岸社区第一网格）已超过办结时限（11月26日），请立即办理并回复进展；超期5个工作日仍未办结，将上报上级。`,
    );
    expect(notices[1]!.text).toBe(
      `【督办】柳岸社区第一网格 网格长张伟办理的工单 #${order.no} 环境卫生 已超过办结时限（11月26日），请督促办理。\n居民反映：小区门口垃圾堆了三天没人清`,
    );
    expect((await t.order(order.id)).wasOverdue).toBe(true);

    // 5 working days after the deadline: 11-27, 11-30, 12-01, 12-02, 12-03.
    await walk(['2026-12-03 17:00', '2026-12-04 09:00', '2026-12-04 10:00'], [none, escalated, none]);
    let row = await t.order(order.id);
    expect([row.level, row.assigneeId]).toEqual(['community', await t.staffId('王主任')]);
    const toResident = (await t.messages({ orderId: order.id })).filter((m) => m.recipientType === 'resident').at(-1);
    expect(toResident!.text).toBe(`工单 #${order.no} 已上报至柳岸社区，由干部王主任继续办理。`);

    await walk(['2026-12-10 17:00', '2026-12-11 09:00'], [none, escalated]);
    row = await t.order(order.id);
    expect([row.level, row.assigneeId]).toEqual(['town', await t.staffId('吴书记')]);
    await walk(['2026-12-18 09:00', '2026-12-25 09:00', '2027-01-08 09:00'], [escalated, none, none]);
    row = await t.order(order.id);
    expect([row.level, row.assigneeId, row.escalationCount]).toEqual(['district', await t.staffId('周主任'), 3]);
    expect((await t.events(order.id)).filter((e) => e === 'overdue' || e === 'escalate')).toEqual(['overdue', 'escalate', 'escalate', 'escalate']);
    expect((await t.messages({ orderId: order.id, kind: 'supervise' })).length).toBe(2);
  });

  it('shows the resident’s 补充 to those who press the handler and to the officer the order is escalated to', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '垃圾堆了三天没人清', category: 'sanitation' });
    // She says where, a minute later, without being asked.
    await residentReply({ deps: t.orderDeps, ref: { id: order.id }, actor: { kind: 'resident', residentId: await t.residentId('陈阿姨') }, channel: 'group', text: '5号楼2单元门口' });
    await acceptOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct' });

    await walk(['2026-11-27 09:00'], [noticed]);
    const [toAssignee, toSupervisor] = await t.messages({ orderId: order.id, kind: 'supervise' });
    expect(toSupervisor!.text).toContain('居民反映：垃圾堆了三天没人清（补充：5号楼2单元门口）');
    expect(toAssignee!.text).not.toContain('补充');

    await walk(['2026-12-04 09:00'], [escalated]);
    const assignment = (await t.messages({ orderId: order.id, kind: 'assignment' })).at(-1)!;
    expect(assignment.staffId).toBe(await t.staffId('王主任'));
    expect(assignment.text).toContain('垃圾堆了三天没人清（补充：5号楼2单元门口）');
  });

  it('holds the 督办 of an order due on the last day of 2025 until the make-up Sunday after 元旦', async () => {
    t = await createJobsContext('2025-12-26 10:00');
    const order = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    expect((await t.order(order.id)).deadlineAt).toEqual(china('2026-01-01 00:00'));
    await walk(['2026-01-01 10:00', '2026-01-02 10:00', '2026-01-03 10:00', '2026-01-04 09:00'], [none, none, none, noticed]);
    // Escalated 5 working days after the deadline: 01-04 (Sunday, worked), 01-05 .. 01-08.
    await walk(['2026-01-08 17:00', '2026-01-09 09:00'], [none, escalated]);
  });

  it('sends an urgent order’s 督办 at night, and none for an order waiting on the resident since before its deadline', async () => {
    t = await createJobsContext('2026-11-23 20:00');
    const urgent = await t.report({ text: '楼道里有燃气味', category: 'safety_hazard', urgent: true });
    const paused = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation', resident: '老王' });
    await askResident({ deps: t.orderDeps, ref: { id: paused.id }, actor: await t.staffActor('张伟'), channel: 'direct', question: '具体是哪个门口？' });
    await walk(['2026-11-23 22:01'], [noticed]);
    expect((await t.messages({ orderId: urgent.id, kind: 'supervise' })).length).toBe(2);
    await walk(['2026-11-30 10:00'], [none]);
    expect((await t.order(paused.id)).overdueNoticeAt).toBeNull();
  });

  it('leaves resolved orders alone', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    await resolveOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct', note: '已清运' });
    await walk(['2026-11-27 09:00', '2026-12-07 09:00'], [none, none]);
  });
});
