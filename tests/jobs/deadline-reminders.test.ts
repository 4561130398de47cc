import { afterEach, describe, expect, it } from 'vitest';
import { run as deadlineReminders } from '../../src/jobs/deadline-reminders.job';
import { acceptOrder, decideExtension, requestExtension } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { type JobsContext, china, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

const none = { seventyFive: 0, lastDay: 0, urgent: 0 };

async function walk(times: string[], expected: typeof none[]) {
  const got = [];
  for (const at of times) {
    t.at(at);
    got.push(await deadlineReminders(t.deps));
  }
  expect(got).toEqual(expected);
}

describe('the deadline reminders', () => {
  it('reminds a 3-working-day order once, on the morning of its last day', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    await acceptOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct' });
    expect((await t.order(order.id)).deadlineAt).toEqual(china('2026-11-27 00:00'));
    await walk(
      ['2026-11-25 17:00', '2026-11-26 02:30', '2026-11-26 08:59', '2026-11-26 09:00', '2026-11-26 15:00'],
      [none, none, none, { ...none, lastDay: 1 }, none],
    );
    const [reminder] = await t.messages({ orderId: order.id, kind: 'reminder' });
    expect(reminder!.text).toBe(
      `【即将到期】工单 #${order.no} 环境卫生（柳岸社区第一网格）将于11月26日到期，请抓紧办结；确需延期请回复"延期 ${order.no} 天数 原因"。`,
    );
    expect(reminder!.dedupeKey).toBe(`remind-last-day:${order.id}:2026-11-26T16:00:00.000Z`);
    const row = await t.order(order.id);
    expect([row.reminded75At, row.remindedLastDayAt]).toEqual([china('2026-11-26 09:00'), china('2026-11-26 09:00')]);
  });

  it('reminds a 13-working-day order at 75% (held from Sunday to Monday morning) and on its last day', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '楼上装修电钻太吵了', category: 'noise' });
    expect((await t.order(order.id)).deadlineAt).toEqual(china('2026-12-11 00:00'));
    await walk(
      ['2026-12-04 17:00', '2026-12-06 14:30', '2026-12-07 08:59', '2026-12-07 09:00', '2026-12-09 10:00', '2026-12-10 09:00', '2026-12-10 17:00'],
      [none, none, none, { ...none, seventyFive: 1 }, none, { ...none, lastDay: 1 }, none],
    );
    expect((await t.messages({ orderId: order.id, kind: 'reminder' })).map((m) => m.text.slice(0, 6))).toEqual(['【办理提醒】', '【即将到期】']);
    expect((await t.events(order.id)).filter((e) => e === 'reminder')).toHaveLength(2);
  });

  it('holds reminders over National Day and sends the last-day reminder on the first working day after it', async () => {
    t = await createJobsContext('2026-09-23 10:00');
    const order = await t.report({ text: '2号楼楼道灯坏了', category: 'streetlight' });
    expect((await t.order(order.id)).deadlineAt).toEqual(china('2026-10-09 00:00'));
    await walk(
      ['2026-09-30 17:00', '2026-10-01 10:00', '2026-10-05 10:00', '2026-10-07 17:00', '2026-10-08 09:00'],
      [none, none, none, none, { ...none, lastDay: 1 }],
    );
  });

  it('gives an extended order fresh reminders for its new deadline', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    t.at('2026-11-26 09:00');
    expect(await deadlineReminders(t.deps)).toEqual({ ...none, lastDay: 1 });
    await requestExtension({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct', days: 3, reason: '等待环卫车' });
    await decideExtension({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('王主任'), channel: 'direct', approve: true });
    expect((await t.order(order.id)).deadlineAt).toEqual(china('2026-12-02 00:00'));
    await walk(['2026-11-26 10:00', '2026-12-01 09:00'], [none, { ...none, lastDay: 1 }]);
    expect((await t.messages({ orderId: order.id, kind: 'reminder' })).map((m) => m.dedupeKey)).toEqual([
      `remind-last-day:${order.id}:2026-11-26T16:00:00.000Z`,
      `remind-last-day:${order.id}:2026-12-01T16:00:00.000Z`,
    ]);
  });

  it('reminds an urgent order every hour, day and night, once after a gap, and stops at its deadline', async () => {
    t = await createJobsContext('2026-11-23 22:00');
    const order = await t.report({ text: '楼道里有燃气味', category: 'safety_hazard', urgent: true });
    // Urgent safety hazards have 2 hours.
    expect((await t.order(order.id)).deadlineAt).toEqual(china('2026-11-24 00:00'));
    await walk(
      ['2026-11-23 22:59', '2026-11-23 23:00', '2026-11-23 23:30', '2026-11-23 23:59', '2026-11-24 00:00'],
      [none, { ...none, urgent: 1 }, none, none, none],
    );
    const [reminder] = await t.messages({ orderId: order.id, kind: 'reminder' });
    expect(reminder!.text).toBe(
      `【紧急工单提醒】#${order.no} 安全隐患（柳岸社区第一网格）尚未办结，距时限（11月23日）还有1小时，请及时处置并回复进展（"进展 ${order.no} 情况"）。`,
    );

    await t.close();
    t = await createJobsContext('2026-11-23 08:00');
    const long = await t.report({ text: '楼道里有燃气味', category: 'streetlight', urgent: true });
    expect((await t.order(long.id)).deadlineAt).toEqual(china('2026-11-24 08:00'));
    // Down from 09:30 to 13:10: one reminder on return, not four.
    await walk(['2026-11-23 09:00', '2026-11-23 13:10', '2026-11-23 14:09', '2026-11-23 14:10'], [
      { ...none, urgent: 1 },
      { ...none, urgent: 1 },
      none,
      { ...none, urgent: 1 },
    ]);
  });
});
