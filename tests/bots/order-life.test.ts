import { afterEach, describe, expect, it } from 'vitest';
import { reassignOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

/** 陈阿姨 reports in her group; the order goes to 张伟, the grid leader. */
async function reported(text = '3号楼门口的路灯坏了，晚上很黑') {
  h = await startBotHarness();
  const sent = await h.say({ from: '陈阿姨', room: GROUP, text, mentionBot: true });
  const order = await h.lastOrder();
  return Object.assign(order, { sent });
}

describe('an order handled through the chat', () => {
  it('goes report → leader\'s notice → 接单 → 进展 → 办结 → survey → 满意 → closed', async () => {
    const order = await reported();
    expect(dm(order.sent, '张伟')).toEqual([expect.stringContaining(`接单 ${order.no}`)]);

    // Without a number: 张伟 has exactly one order to sign for.
    const accepted = await h.say({ from: '张伟', text: '接单' });
    expect(dm(accepted, '张伟')).toEqual([expect.stringContaining(`已签收 #${order.no}`)]);
    expect((await h.order(order.no)).status).toBe('accepted');
    // 陈阿姨 is not the bot's friend: 签收 and 进展 keep the receipt's promise, so her group is not told (the group
    // noise budget); they stay on record as withheld and 查询 shows them.
    expect(atIn(accepted, '陈阿姨')).toEqual([]);

    const progress = await h.say({ from: '张伟', text: `进展 ${order.no} 已联系物业，明天上午更换` });
    expect(dm(progress, '张伟')).toEqual([expect.stringContaining(`已记录 #${order.no} 的进展`)]);
    expect(atIn(progress, '陈阿姨')).toEqual([]);
    expect((await h.outboxFor({ resident: '陈阿姨' }, 'status')).map((r) => [r.status, r.deliveredVia, r.sentAt, r.text])).toEqual([
      ['sent', 'withheld', null, `您的工单 #${order.no} 已由网格长张伟签收，正在办理。`],
      ['sent', 'withheld', null, `工单 #${order.no} 进展：已联系物业，明天上午更换`],
    ]);

    const resolved = await h.say({ from: '张伟', text: `办结 #${order.no}：已更换灯泡` });
    expect(dm(resolved, '张伟')).toEqual([expect.stringContaining(`#${order.no} 已办结`)]);
    expect((await h.order(order.no)).status).toBe('resolved');
    expect(atIn(resolved, '陈阿姨')).toEqual([expect.stringContaining('问题解决了吗？您满意吗？回复一个数字：\n1 解决了，满意\n2 解决了，基本满意\n3 没解决，不满意\n4 解决了，但不满意')]);

    // She answers the survey in the group with a bare "1", no mention needed.
    const thanks = await h.say({ from: '陈阿姨', room: GROUP, text: '1' });
    expect(atIn(thanks, '陈阿姨')).toEqual([expect.stringContaining(`感谢您的评价！工单 #${order.no} 已归档`)]);
    expect(await h.order(order.no)).toMatchObject({ status: 'closed', closure: 'satisfied' });
    expect(dm(thanks, '张伟')).toEqual([expect.stringContaining('居民评价：满意')]);
    // Another bare "1" is chatter again: nothing waits for it.
    expect(await h.say({ from: '陈阿姨', room: GROUP, text: '1' })).toEqual([]);
  });

  it('is reopened one level up when the resident answers 不满意 1:1, with her comment', async () => {
    const order = await reported();
    await h.say({ from: '张伟', text: `接单 ${order.no}` });
    await h.say({ from: '张伟', text: `办结 ${order.no} 已更换灯泡` });
    const reply = await h.say({ from: '陈阿姨', text: '3 灯还是不亮' });
    const reopened = await h.order(order.no);
    expect(reopened).toMatchObject({ status: 'assigned', level: 'community', assigneeId: await h.t.staffId('王主任'), reopenCount: 1 });
    // She wrote 1:1, so she is the bot's friend now: the reply comes 1:1.
    expect(dm(reply, '陈阿姨')).toEqual([expect.stringContaining(`工单 #${order.no} 将由干部王主任重新办理`)]);
    // "3" on the menu is 没解决，不满意: the officer is told both.
    expect(dm(reply, '王主任')).toEqual([expect.stringContaining(`【重办】#${order.no} 路灯照明 居民反映问题未解决，且不满意：灯还是不亮`)]);
    expect(dm(reply, '张伟')).toEqual([expect.stringContaining('居民评价：不满意（灯还是不亮）')]);
    const [answer] = await h.t.db.select().from(surveyAnswers);
    expect(answer).toMatchObject({ answer: 'unsatisfied', comment: '灯还是不亮', channel: 'direct' });
  });

  it('is reopened when the resident says only that it is still broken, and the officer is told just that', async () => {
    const order = await reported();
    await h.say({ from: '张伟', text: `接单 ${order.no}` });
    await h.say({ from: '张伟', text: `办结 ${order.no} 已更换灯泡` });
    // "还没修好" says it is not solved and nothing about satisfaction (the bot asks that next).
    const reply = await h.say({ from: '陈阿姨', room: GROUP, text: '还没修好' });
    expect(await h.order(order.no)).toMatchObject({ status: 'assigned', level: 'community', assigneeId: await h.t.staffId('王主任'), reopenCount: 1 });
    const notice = dm(reply, '王主任');
    expect(notice).toEqual([expect.stringContaining(`【重办】#${order.no} 路灯照明 居民反映问题未解决：还没修好\n`)]);
    expect(notice[0]).not.toContain('不满意');
  });

  it('is escalated with 上报 to the community, whose officer signs for it', async () => {
    const order = await reported();
    const reply = await h.say({ from: '张伟', text: `上报 ${order.no} 需社区协调物业更换线路` });
    expect(dm(reply, '张伟')).toEqual([`工单 #${order.no} 已转由干部王主任办理，您无需继续处理。`]);
    expect(await h.order(order.no)).toMatchObject({ level: 'community', assigneeId: await h.t.staffId('王主任'), status: 'assigned' });
    expect(dm(reply, '王主任')).toEqual([expect.stringContaining('上报：需社区协调物业更换线路')]);
    // Another handler changes what the receipt promised: the order's one compact group line.
    expect(atIn(reply, '陈阿姨')).toEqual([expect.stringMatching(/已上报至柳岸社区.*后续进展不再在群里逐条通知，可@我发「查询 \d+」查看。$/u)]);
    expect(dm(await h.say({ from: '王主任', text: '接单' }), '王主任')).toEqual([expect.stringContaining(`已签收 #${order.no}`)]);
  });

  it('is returned with 退回, reassigned by the officer, and signed for by the right leader', async () => {
    const order = await reported();
    const reply = await h.say({ from: '张伟', text: `退回 ${order.no} 不属本网格，是第二网格的路灯` });
    expect(dm(reply, '张伟')).toEqual([expect.stringContaining(`#${order.no} 已退回，由干部王主任重新派单`)]);
    expect(dm(reply, '王主任')).toEqual([expect.stringContaining('【退回待派】')]);

    // The officer reassigns it in the console; the new leader hears of it and signs for it in the chat.
    await reassignOrder({ deps: h.t.orderDeps, ref: { no: order.no }, actor: await h.t.staffActor('王主任'), channel: 'console', toStaffId: await h.t.staffId('刘洋') });
    await h.world.settle();
    expect(dm(h.world.transcript(), '刘洋')).toEqual([expect.stringContaining(`【新工单】#${order.no}`)]);
    // 张伟 may no longer act on it.
    expect(dm(await h.say({ from: '张伟', text: `办结 ${order.no} 修好了` }), '张伟')[0]).toContain('没有权限');
    expect(dm(await h.say({ from: '刘洋', text: `接单 ${order.no}` }), '刘洋')[0]).toContain(`已签收 #${order.no}`);
  });

  it('gets more time with 延期, approved by the officer above', async () => {
    const order = await reported();
    await h.say({ from: '张伟', text: `接单 ${order.no}` });
    const before = (await h.order(order.no)).deadlineAt!;
    const asked = await h.say({ from: '张伟', text: `延期 ${order.no} 3 等待配件` });
    expect(dm(asked, '张伟')).toEqual([expect.stringContaining(`#${order.no} 的3个工作日延期申请已提交`)]);
    expect(dm(asked, '王主任')).toEqual([expect.stringContaining(`同意延期 ${order.no}`)]);

    expect(dm(await h.say({ from: '王主任', text: '待办' }), '王主任')[0]).toContain(`#${order.no} 申请延期3个工作日`);
    const approved = await h.say({ from: '王主任', text: '同意延期' });
    const after = await h.order(order.no);
    expect(dm(approved, '王主任')).toEqual([expect.stringContaining(`已同意 #${order.no} 延期`)]);
    expect(after.deadlineAt!.getTime()).toBeGreaterThan(before.getTime());
    expect(after.pendingExtensionDays).toBeNull();
    expect(dm(approved, '张伟')).toEqual([expect.stringContaining('延期已批准')]);
    expect(atIn(approved, '陈阿姨')).toEqual([expect.stringContaining('需要更多时间办理')]);
  });
});

describe('commands that do not fit', () => {
  it('get a reply saying what was expected', async () => {
    const order = await reported();
    expect(dm(await h.say({ from: '张伟', text: `办结 ${order.no}` }), '张伟')[0]).toContain('请写明内容，格式如：办结 1024 已更换灯泡');
    expect(dm(await h.say({ from: '张伟', text: `延期 ${order.no} 等待配件` }), '张伟')[0]).toContain('请写明延期的工作日天数');
    expect(dm(await h.say({ from: '张伟', text: '今天天气怎么样' }), '张伟')[0]).toContain('没看懂这条指令');
    expect(dm(await h.say({ from: '张伟', text: '查询 999999' }), '张伟')[0]).toContain('没有找到这个工单');
    expect(dm(await h.say({ from: '张伟', text: `接单 ${order.no}` }), '张伟')[0]).toContain('已签收');
    expect(dm(await h.say({ from: '张伟', text: `接单 ${order.no}` }), '张伟')[0]).toContain('当前的状态不能进行该操作');
    expect(dm(await h.say({ from: '张伟', text: `进展 ${order.no} 已联系` }), '张伟')).toHaveLength(1);
    // Refusals and corrections are replies, not notices: besides the assignment the outbox holds only the replies,
    // written so that a crash cannot lose them, and all already said in place.
    const rows = await h.outboxFor({ staff: '张伟' });
    expect(rows.filter((r) => r.kind !== 'reply').map((r) => r.kind)).toEqual(['assignment']);
    expect(rows.filter((r) => r.kind === 'reply').every((r) => r.status === 'sent' && r.deliveredVia === 'direct')).toBe(true);
  });

  it('asks which order when the number is missing and there are several', async () => {
    const first = await reported();
    await h.say({ from: '老王', room: GROUP, text: '5号楼下水道堵了，污水漫到路上', mentionBot: true });
    const second = await h.lastOrder();
    const reply = await h.say({ from: '张伟', text: '接单' });
    expect(dm(reply, '张伟')[0]).toContain(`#${first.no}、#${second.no}`);
    expect(dm(reply, '张伟')[0]).toContain(`接单 ${first.no}`);
  });

  it('are refused politely when the speaker may not give them', async () => {
    const order = await reported();
    const resident = await h.say({ from: '陈阿姨', text: `接单 ${order.no}` });
    expect(dm(resident, '陈阿姨')[0]).toContain('这是工作人员的指令');
    const otherLeader = await h.say({ from: '刘洋', text: `办结 ${order.no} 修好了` });
    expect(dm(otherLeader, '刘洋')[0]).toBe('抱歉，您没有权限对这个工单进行该操作。');
    const notAbove = await h.say({ from: '张伟', text: `同意延期 ${order.no}` });
    expect(dm(notAbove, '张伟')[0]).toContain('没有权限');
    const staffInGroup = await h.say({ from: '张伟', room: GROUP, text: `接单 ${order.no}`, mentionBot: true });
    expect(atIn(staffInGroup, '张伟')[0]).toContain('工单操作请私聊我');
    const someoneElses = await h.say({ from: '老王', text: `查询 ${order.no}` });
    expect(dm(someoneElses, '老王')[0]).toContain('没有找到这个工单');
    expect(await h.order(order.no)).toMatchObject({ status: 'assigned' });
  });
});
