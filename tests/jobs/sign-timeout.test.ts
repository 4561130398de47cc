import { afterEach, describe, expect, it } from 'vitest';
import { run as signTimeout } from '../../src/jobs/sign-timeout.job';
import { acceptOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { type JobsContext, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

describe('the sign-for (签收) time-out', () => {
  it('reminds an order not signed within two working hours once, then escalates it to the community and tells the resident', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });

    t.at('2026-11-23 11:59');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });

    t.at('2026-11-23 12:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    const [reminder] = await t.messages({ orderId: order.id, kind: 'reminder' });
    expect(reminder!.staffId).toBe(await t.staffId('张伟'));
    expect(reminder!.text).toBe(
      `【签收提醒】工单 #${order.no} 路灯照明（柳岸社区第一网格）已超过签收时限（11月23日12:00），请回复"接单 ${order.no}"签收。11月23日14:00前仍未签收，将自动上报上级。`,
    );
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });

    t.at('2026-11-23 13:59');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });

    t.at('2026-11-23 14:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 1 });
    const after = await t.order(order.id);
    expect([after.level, after.assigneeId, after.escalationCount, after.status]).toEqual(['community', await t.staffId('王主任'), 1, 'assigned']);
    expect(await t.events(order.id)).toEqual(['submit', 'assign', 'reminder', 'escalate']);
    const toResident = (await t.messages({ orderId: order.id })).filter((m) => m.recipientType === 'resident').map((m) => m.text);
    expect(toResident.at(-1)).toBe(`工单 #${order.no} 已上报至柳岸社区，由干部王主任继续办理。`);
    expect((await t.messages({ orderId: order.id, kind: 'handover', staff: '张伟' })).length).toBe(1);
    const escalated = (await t.messages({ orderId: order.id, kind: 'assignment', staff: '王主任' }))[0]!.text;
    expect(escalated).toContain('超过签收时限未签收，系统自动上报');
    // Whoever takes it over can call the resident, as with a new order.
    expect(escalated).toContain('报事人：陈阿姨');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });

    // The community officer has a fresh sign-for limit, and a reminder of its own.
    t.at('2026-11-23 16:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    expect((await t.messages({ orderId: order.id, kind: 'reminder', staff: '王主任' })).length).toBe(1);
  });

  it('over a weekend, counts only working hours: Friday 17:00 is reminded on Monday at 10:00 and escalated at 12:00', async () => {
    t = await createJobsContext('2026-11-27 17:00');
    const order = await t.report({ text: '2号楼楼道灯坏了', category: 'streetlight' });
    for (const at of ['2026-11-27 18:00', '2026-11-28 10:00', '2026-11-29 10:00', '2026-11-30 09:59']) {
      t.at(at);
      expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    }
    t.at('2026-11-30 10:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    t.at('2026-11-30 12:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 1 });
    expect((await t.order(order.id)).level).toBe('community');
  });

  it('over National Day, holds the reminder until the first working morning after the holiday', async () => {
    t = await createJobsContext('2026-09-30 17:30');
    const order = await t.report({ text: '2号楼楼道灯坏了', category: 'streetlight' });
    expect((await t.order(order.id)).signDeadlineAt).toEqual(new Date('2026-10-08T02:30:00Z'));
    t.at('2026-10-03 10:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    t.at('2026-10-08 10:30');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    t.at('2026-10-08 12:29');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });
    t.at('2026-10-08 12:30');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 1 });
  });

  it('reminds an urgent order after 30 minutes and escalates it 30 minutes later, in the middle of the night', async () => {
    t = await createJobsContext('2026-11-23 23:00');
    const order = await t.report({ text: '5栋2单元楼道里燃气泄漏味道很大！', category: 'safety_hazard', grid: 'D01-T01-C01-G02', resident: '杨大爷', urgent: true });
    t.at('2026-11-23 23:30');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 1, escalated: 0 });
    expect((await t.messages({ orderId: order.id, kind: 'reminder' }))[0]!.text).toMatch(/^【紧急】【签收提醒】/);
    t.at('2026-11-24 00:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 1 });
    expect((await t.order(order.id)).assigneeId).toBe(await t.staffId('王主任'));
  });

  it('leaves an order alone once it is signed for', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    await acceptOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct' });
    t.at('2026-11-23 16:00');
    expect(await signTimeout(t.deps)).toEqual({ reminded: 0, escalated: 0 });
  });
});
