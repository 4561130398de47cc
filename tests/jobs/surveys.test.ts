import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { run as surveys } from '../../src/jobs/surveys.job';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { answerSurvey, cancelOrder, mergeOrder, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { type JobsContext, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

async function resolve(id: number, leader = '张伟') {
  await resolveOrder({ deps: t.orderDeps, ref: { id }, actor: await t.staffActor(leader), channel: 'direct', note: '已处理' });
}

describe('survey follow-up', () => {
  it('reminds the resident once after 24 hours and closes the order as 未评价 after 72 hours', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    await resolve(order.id);
    const walk = [
      ['2026-11-24 09:59', { reminded: 0, timedOut: 0 }],
      ['2026-11-24 10:00', { reminded: 1, timedOut: 0 }],
      ['2026-11-25 10:00', { reminded: 0, timedOut: 0 }],
      ['2026-11-26 09:59', { reminded: 0, timedOut: 0 }],
      ['2026-11-26 10:00', { reminded: 0, timedOut: 1 }],
      ['2026-11-27 10:00', { reminded: 0, timedOut: 0 }],
    ] as const;
    for (const [at, expected] of walk) {
      t.at(at);
      expect([at, await surveys(t.deps)]).toEqual([at, expected]);
    }
    const surveyMessages = await t.messages({ orderId: order.id, kind: 'survey' });
    expect(surveyMessages.map((m) => m.text)).toEqual([
      `工单 #${order.no} 已办结：已处理\n请问问题解决了吗？您满意吗？回复一个数字：\n1 解决了，满意\n2 解决了，基本满意\n3 没解决，不满意\n4 解决了，但不满意\n也可以直接说，如"修好了，很满意""还没修好"。`,
      `工单 #${order.no} 已办结，还没收到您的回复。问题解决了吗？您满意吗？回复一个数字：\n1 解决了，满意\n2 解决了，基本满意\n3 没解决，不满意\n4 解决了，但不满意`,
    ]);
    expect(surveyMessages[1]!.recipientType).toBe('resident');
    const row = await t.order(order.id);
    expect([row.status, row.closure]).toEqual(['closed', 'unanswered']);
    const answers = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, order.id));
    expect(answers.map((a) => a.answer)).toEqual(['unanswered']);
    expect((await t.events(order.id)).at(-1)).toBe('survey_timeout');
  });

  it('holds a reminder due at night until 09:00, and sends it on a Sunday too', async () => {
    t = await createJobsContext('2026-11-28 22:30');
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    await resolve(order.id);
    t.at('2026-11-29 22:30');
    expect(await surveys(t.deps)).toEqual({ reminded: 0, timedOut: 0 });
    t.at('2026-11-30 09:00');
    expect(await surveys(t.deps)).toEqual({ reminded: 1, timedOut: 0 });
  });

  it('does nothing once the resident has answered', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    await resolve(order.id);
    await answerSurvey({ deps: t.orderDeps, ref: { id: order.id }, actor: { kind: 'resident', residentId: await t.residentId('陈阿姨') }, channel: 'group', answer: 'satisfied' });
    for (const at of ['2026-11-24 10:00', '2026-11-26 10:00']) {
      t.at(at);
      expect(await surveys(t.deps)).toEqual({ reminded: 0, timedOut: 0 });
    }
    expect((await t.order(order.id)).closure).toBe('satisfied');
  });

  it('never surveys an order the resident cancelled or one that was merged', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const kept = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    const cancelled = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation', resident: '老王' });
    const merged = await t.report({ text: '3号楼路灯不亮', category: 'streetlight', resident: '小林' });
    await cancelOrder({ deps: t.orderDeps, ref: { id: cancelled.id }, actor: { kind: 'resident', residentId: await t.residentId('老王') }, channel: 'group' });
    await mergeOrder({ deps: t.orderDeps, ref: { id: merged.id }, actor: await t.staffActor('张伟'), channel: 'direct', intoNo: kept.no });
    await resolve(kept.id);
    for (const at of ['2026-11-24 10:00', '2026-11-26 10:00']) {
      t.at(at);
      await surveys(t.deps);
    }
    expect((await t.messages({ orderId: cancelled.id, kind: 'survey' })).length).toBe(0);
    expect((await t.messages({ orderId: merged.id, kind: 'survey' })).length).toBe(0);
    expect([(await t.order(cancelled.id)).status, (await t.order(merged.id)).status]).toEqual(['cancelled', 'merged']);
    expect((await t.messages({ orderId: kept.id, kind: 'survey' })).length).toBe(2);
  });
});
