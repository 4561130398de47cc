import { and, asc, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outbox } from '../../../src/modules/notifications/outbox.table';
import { staff } from '../../../src/modules/people/staff.table';
import { computeDeadline } from '../../../src/modules/calendar/calendar.models';
import { timeLimitRule } from '../../../src/modules/work-orders/rules/order-limits.models';
import { residents } from '../../../src/modules/people/residents.table';
import { surveyAnswers } from '../../../src/modules/surveys/surveys.table';
import {
  acceptOrder,
  answerSurvey,
  askResident,
  cancelOrder,
  decideExtension,
  escalateOrder,
  mergeOrder,
  reassignOrder,
  reportProgress,
  requestExtension,
  residentReply,
  resolveOrder,
  returnOrder,
  timeoutSurvey,
} from '../../../src/modules/work-orders/handling/order-actions.usecases';
import { orderEvents, orderSupporters, workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { submitDemand, supportOrder } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { DomainError } from '../../../src/shared/errors/domain-error';
import { createTestContext, type TestContext } from '../../helpers/context';

let t: TestContext;
beforeEach(async () => {
  t = await createTestContext();
});
afterEach(async () => t.close());

async function report(text: string, resident = '陈阿姨', grid = 'D01-T01-C01-G01', id = `m-${Math.random()}`) {
  const r = await submitDemand({
    deps: t.orderDeps,
    input: { sourceMessageId: id, channel: 'group', residentId: await t.residentId(resident), gridId: await t.gridId(grid), text, checkDuplicates: false },
  });
  if (r.outcome !== 'created') throw new Error(`expected an order, got ${r.outcome}`);
  return r.order;
}

async function timeline(orderId: number) {
  const rows = await t.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));
  return rows.map((e) => e.type);
}

async function messagesTo(orderId: number, recipientType: 'resident' | 'staff', kind?: string) {
  const rows = await t.db.select().from(outbox).where(and(eq(outbox.orderId, orderId), eq(outbox.recipientType, recipientType)));
  return rows.filter((r) => !kind || r.kind === kind);
}

const resident = async (name: string) => ({ kind: 'resident' as const, residentId: await t.residentId(name) });

describe('an order through its whole life', () => {
  it('is signed, progressed, extended, resolved with a survey, reopened one level up on 不满意, and closed on 满意', async () => {
    const order = await report('2号楼楼道灯坏了一个星期了');
    const leader = await t.staffActor('张伟');
    const ref = { no: order.no };

    await acceptOrder({ deps: t.orderDeps, ref, actor: leader, channel: 'direct' });
    await reportProgress({ deps: t.orderDeps, ref, actor: leader, channel: 'direct', note: '已联系物业电工' });
    await requestExtension({ deps: t.orderDeps, ref, actor: leader, channel: 'direct', days: 2, reason: '等待配件' });
    const extensionRequests = await t.db.select().from(outbox).where(eq(outbox.kind, 'extension_request'));
    expect(extensionRequests.map((m) => m.staffId)).toEqual([await t.staffId('王主任')]);

    const before = (await t.db.select().from(workOrders).where(eq(workOrders.no, order.no)))[0]!;
    const approved = await decideExtension({ deps: t.orderDeps, ref, actor: await t.staffActor('王主任'), channel: 'direct', approve: true });
    expect(approved.order.deadlineAt!.getTime()).toBeGreaterThan(before.deadlineAt!.getTime());

    t.clock.advanceHours(30);
    await resolveOrder({ deps: t.orderDeps, ref, actor: leader, channel: 'direct', note: '已更换灯泡' });
    const survey = await messagesTo(order.id, 'resident', 'survey');
    expect(survey).toHaveLength(1);
    expect(survey[0]!.text).toContain('1 解决了，满意');

    const reopened = await answerSurvey({ deps: t.orderDeps, ref, actor: await resident('陈阿姨'), channel: 'group', answer: 'unsatisfied', comment: '灯还是不亮' });
    expect(reopened.order.status).toBe('assigned');
    expect(reopened.order.level).toBe('community');
    expect(reopened.order.assigneeId).toBe(await t.staffId('王主任'));

    const officer = await t.staffActor('王主任');
    await resolveOrder({ deps: t.orderDeps, ref, actor: officer, channel: 'console', note: '更换了线路' });
    const closed = await answerSurvey({ deps: t.orderDeps, ref, actor: await resident('陈阿姨'), channel: 'direct', answer: 'satisfied' });
    expect(closed.order.status).toBe('closed');

    expect(await timeline(order.id)).toEqual([
      'submit', 'assign', 'accept', 'progress', 'request_extension', 'approve_extension', 'resolve',
      'survey', 'reopen', 'accept', 'resolve', 'survey',
    ]);
    const answers = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, order.id)).orderBy(asc(surveyAnswers.round));
    expect(answers.map((a) => [a.round, a.answer])).toEqual([[0, 'unsatisfied'], [1, 'satisfied']]);
    const [points] = await t.db.select({ points: residents.points }).from(residents).where(eq(residents.id, order.residentId));
    expect(points!.points).toBe(2 + 1); // a report, and the survey (paid once per order)
  });

  it('escalates to the community, and a return goes to the level above for reassignment to the right grid', async () => {
    const order = await report('小区门口有人占道摆摊卖菜');
    const ref = { no: order.no };
    const escalated = await escalateOrder({ deps: t.orderDeps, ref, actor: await t.staffActor('张伟'), channel: 'direct', reason: '需社区协调城管' });
    expect(escalated.order.assigneeId).toBe(await t.staffId('王主任'));
    const toResident = await messagesTo(order.id, 'resident', 'change');
    expect(toResident.at(-1)!.text).toContain('已上报至柳岸社区');

    const other = await report('我家楼上装修太吵了', '杨大爷', 'D01-T01-C01-G02');
    const returned = await returnOrder({ deps: t.orderDeps, ref: { no: other.no }, actor: await t.staffActor('刘洋'), channel: 'direct', reason: '不属本网格' });
    expect(returned.order.assigneeId).toBe(await t.staffId('王主任'));
    const moved = await reassignOrder({
      deps: t.orderDeps,
      ref: { no: other.no },
      actor: await t.staffActor('王主任'),
      channel: 'console',
      toStaffId: await t.staffId('孙丽'),
    });
    expect(moved.order.gridName).toBe('柳岸社区第三网格');
    expect(moved.order.level).toBe('grid');
    const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, other.id));
    expect(row!.returnCount).toBe(1);
  });

  it('gives an order nobody could be routed to its 办结 limit, from its creation, when it is assigned later', async () => {
    await t.db.update(staff).set({ active: false });
    const order = await report('2号楼楼道灯坏了一个星期了');
    const [unrouted] = await t.db.select().from(workOrders).where(eq(workOrders.id, order.id));
    expect(unrouted!.status).toBe('submitted');
    expect(unrouted!.deadlineAt).toBeNull();

    await t.db.update(staff).set({ active: true });
    t.clock.advance(26 * 3_600_000); // assigned the next day
    const assigned = await reassignOrder({ deps: t.orderDeps, ref: { no: order.no }, actor: await t.staffActor('王主任'), channel: 'console', toStaffId: await t.staffId('张伟') });
    expect(assigned.order.status).toBe('assigned');
    const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, order.id));
    // The category's limit counted from the order's creation, not from the assignment.
    const category = await t.orderDeps.categories.byId(row!.categoryId);
    const expected = computeDeadline({ start: row!.createdAt, rule: timeLimitRule({ category: category!, urgency: row!.urgency }), calendar: await t.orderDeps.calendar.get() });
    expect(row!.deadlineAt).toEqual(expected);
    expect(row!.signDeadlineAt!.getTime()).toBeGreaterThan(t.clock.now().getTime());
  });

  it('refuses what the actor may not do with a typed code and changes nothing', async () => {
    const order = await report('垃圾桶满了没人收');
    const ref = { no: order.no };
    const otherLeader = await t.staffActor('刘洋');
    await expect(acceptOrder({ deps: t.orderDeps, ref, actor: otherLeader, channel: 'direct' })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(cancelOrder({ deps: t.orderDeps, ref, actor: await resident('老王'), channel: 'direct' })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(decideExtension({ deps: t.orderDeps, ref, actor: await t.staffActor('张伟'), channel: 'direct', approve: true })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
    await expect(acceptOrder({ deps: t.orderDeps, ref: { no: 99999 }, actor: otherLeader, channel: 'direct' })).rejects.toBeInstanceOf(DomainError);
    expect(await timeline(order.id)).toEqual(['submit', 'assign']);
  });

  it('lets the resident cancel before resolution, and tells the assignee', async () => {
    const order = await report('楼下路灯不亮');
    const cancelled = await cancelOrder({ deps: t.orderDeps, ref: { no: order.no }, actor: await resident('陈阿姨'), channel: 'direct' });
    expect(cancelled.order.status).toBe('cancelled');
    const toLeader = await messagesTo(order.id, 'staff');
    expect(toLeader.map((m) => m.text).at(-1)).toContain('已由居民撤回');
  });

  it('closes an unanswered survey as 未评价, never as satisfied', async () => {
    const order = await report('健身器材坏了');
    const leader = await t.staffActor('张伟');
    await resolveOrder({ deps: t.orderDeps, ref: { no: order.no }, actor: leader, channel: 'direct', note: '已报修厂家' });
    const closed = await timeoutSurvey({ deps: t.orderDeps, ref: { no: order.no } });
    expect(closed.order.status).toBe('closed');
    const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, order.id));
    expect(row!.closure).toBe('unanswered');
    const [answer] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, order.id));
    expect(answer!.answer).toBe('unanswered');
  });

  it('pauses the clock while waiting on the resident and moves the deadline by the wait', async () => {
    const order = await report('楼顶漏水');
    const leader = await t.staffActor('张伟');
    await askResident({ deps: t.orderDeps, ref: { no: order.no }, actor: leader, channel: 'direct', question: '是几号楼几单元？' });
    t.clock.advanceHours(5);
    const replied = await residentReply({ deps: t.orderDeps, ref: { no: order.no }, actor: await resident('陈阿姨'), channel: 'direct', text: '6号楼2单元顶楼' });
    expect(replied.order.deadlineAt!.getTime() - order.deadlineAt!.getTime()).toBe(5 * 3_600_000);
  });

  it('joins a resident to an open order with +1 once, and merges a duplicate into it', async () => {
    const order = await report('小区东门的井盖丢了很危险');
    const first = await supportOrder({ deps: t.orderDeps, no: order.no, residentId: await t.residentId('老王'), channel: 'group' });
    const again = await supportOrder({ deps: t.orderDeps, no: order.no, residentId: await t.residentId('老王'), channel: 'group' });
    expect(first.alreadySupporting).toBe(false);
    expect(again.alreadySupporting).toBe(true);
    const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, order.id));
    expect(row!.supporters).toBe(1);

    const dup = await report('东门井盖没了', '小林');
    const merged = await mergeOrder({ deps: t.orderDeps, ref: { no: dup.no }, actor: await t.staffActor('张伟'), channel: 'console', intoNo: order.no });
    expect(merged.order.status).toBe('merged');
    const supporters = await t.db.select().from(orderSupporters).where(eq(orderSupporters.orderId, order.id));
    expect(supporters).toHaveLength(2);
  });
});

describe('atomicity', () => {
  it('rolls back the order change and its events when writing the outbox fails', async () => {
    const order = await report('楼道里堆满杂物');
    await t.db.execute(sql`
      create function fail_outbox() returns trigger language plpgsql as $$
      begin raise exception 'outbox unavailable'; end $$`);
    await t.db.execute(sql`create trigger fail_outbox before insert on outbox for each row execute function fail_outbox()`);

    await expect(acceptOrder({ deps: t.orderDeps, ref: { no: order.no }, actor: await t.staffActor('张伟'), channel: 'direct' })).rejects.toThrow();
    const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, order.id));
    expect(row!.status).toBe('assigned');
    expect(await timeline(order.id)).toEqual(['submit', 'assign']);

    await expect(report('路灯坏了', '老王')).rejects.toThrow();
    const orders = await t.db.select().from(workOrders);
    expect(orders).toHaveLength(1);
  });
});
