import { and, asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../bots/testing/mock-world';
import { noiseTexts } from '../../src/i18n/zh-CN.noise';
import { chatGroups, inboundMessages } from '../../src/modules/chat/chat.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { residents } from '../../src/modules/people/residents.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

/** 小林 is the bot's friend (she once wrote to it 1:1); 陈阿姨 and 老王 are only members of the group. */
async function start() {
  h = await startBotHarness({
    before: async (t) => {
      const id = await t.residentId('小林');
      await t.db.update(residents).set({ isFriend: true, chatKey: `GL-R${id}` }).where(eq(residents.id, id));
    },
  });
}

const inGroup = (sent: TranscriptEntry[]) => sent.filter((e) => e.room === GROUP);
const about = (sent: TranscriptEntry[], no: number) => sent.filter((e) => new RegExp(`#${no}(?!\\d)`, 'u').test(e.text));

/** What one order cost: bot messages about it in the group, 1:1 to residents, 1:1 to staff; and its outbox rows. */
async function figures(no: number) {
  const all = about(h.world.transcript(), no);
  const [order] = await h.t.db.select().from(workOrders).where(eq(workOrders.no, no));
  const rows = await h.t.db.select().from(outbox).where(eq(outbox.orderId, order!.id)).orderBy(asc(outbox.id));
  const staffNames = new Set(['张伟', '王主任', '刘洋', '孙丽']);
  return {
    group: all.filter((e) => e.room === GROUP).length,
    residents1to1: all.filter((e) => e.to && !staffNames.has(e.to)).length,
    staff1to1: all.filter((e) => e.to && staffNames.has(e.to)).length,
    all: all.length,
    outbox: {
      room: rows.filter((r) => r.deliveredVia === 'room').length,
      direct: rows.filter((r) => r.deliveredVia === 'direct').length,
      withheld: rows.filter((r) => r.deliveredVia === 'withheld').length,
      unsettled: rows.filter((r) => r.status !== 'sent').length,
    },
  };
}

describe('the group noise budget', () => {
  it('costs a group at most 3 bot messages per street-light order, from a non-friend and from a friend, with +1 followers', async () => {
    await start();
    // Order A: 陈阿姨, not the bot's friend, in the group.
    const a0 = await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const a = (await h.lastOrder()).no;
    expect(atIn(a0, '陈阿姨')).toEqual([expect.stringContaining(`已受理 #${a} 路灯照明`)]);
    // Order B: 小林, the bot's friend, in the group (another light, far away).
    await h.say({ from: '小林', room: GROUP, text: '小区东门停车场那排路灯全部不亮，已经一个星期了', mentionBot: true });
    const b = (await h.lastOrder()).no;
    expect(b).not.toBe(a);
    // Followers: 老王 (not a friend) joins B in the group; 小林 (a friend) joins A 1:1.
    expect(atIn(await h.say({ from: '老王', room: GROUP, text: `+1 ${b}`, mentionBot: true }), '老王')).toEqual([
      expect.stringContaining(`已为您加入工单 #${b}`),
    ]);
    expect(dm(await h.say({ from: '小林', text: `+1 ${a}` }), '小林')).toEqual([expect.stringContaining(`已为您加入工单 #${a}`)]);

    // 接单 → 进展 → 办结 for both.
    for (const no of [a, b]) {
      await h.say({ from: '张伟', text: `接单 ${no}` });
      await h.say({ from: '张伟', text: `进展 ${no} 已联系物业电工，明天上午更换` });
    }
    const midway = inGroup(h.world.transcript());
    const resolvedA = await h.say({ from: '张伟', text: `办结 ${a} 已更换灯泡` });
    const resolvedB = await h.say({ from: '张伟', text: `办结 ${b} 已更换线路` });

    // The group heard nothing of 签收 and 进展; the friends heard every step 1:1, followers included.
    expect(midway.filter((e) => /签收，|进展：/u.test(e.text))).toEqual([]);
    const xiaolin = dm(h.world.transcript(), '小林');
    for (const no of [a, b]) {
      expect(xiaolin.filter((t) => t.includes(`#${no}`) && t.includes('已由网格长张伟签收'))).toHaveLength(1);
      expect(xiaolin.filter((t) => t.includes(`#${no} 进展：已联系物业电工`))).toHaveLength(1);
    }
    expect(xiaolin.find((t) => t.startsWith('【您关注的工单】') && t.includes(`#${a} 已办结：已更换灯泡`))).toBeDefined();
    // The results: 陈阿姨's survey in the group, 小林's 1:1, 老王's (a follower's) resolution in the group.
    expect(atIn(resolvedA, '陈阿姨')).toEqual([expect.stringContaining('1 解决了，满意')]);
    expect(dm(resolvedB, '小林')).toEqual([expect.stringContaining('1 解决了，满意')]);
    expect(atIn(resolvedB, '老王')).toEqual([`@老王 【您关注的工单】工单 #${b} 已办结：已更换线路`]);

    // 满意: 陈阿姨 in the group, 小林 1:1.
    expect(atIn(await h.say({ from: '陈阿姨', room: GROUP, text: '1' }), '陈阿姨')).toEqual([expect.stringContaining(`#${a} 已归档`)]);
    expect(dm(await h.say({ from: '小林', text: '1' }), '小林')).toEqual([expect.stringContaining(`#${b} 已归档`)]);
    expect((await h.order(a)).status).toBe('closed');
    expect((await h.order(b)).status).toBe('closed');

    const fa = await figures(a);
    const fb = await figures(b);
    const groupTotal = inGroup(h.world.transcript()).length;
    console.log(`[group-noise] order A (non-friend reporter, friend follower): ${JSON.stringify(fa)}`);
    console.log(`[group-noise] order B (friend reporter, non-friend follower): ${JSON.stringify(fb)}`);
    console.log(`[group-noise] bot messages in the group, all orders: ${groupTotal}`);
    expect(fa.group).toBeLessThanOrEqual(3);
    expect(fb.group).toBeLessThanOrEqual(3);
    expect(groupTotal).toBe(fa.group + fb.group);
    // Nothing lost: every notice is settled, and what the group did not hear is on record as withheld.
    expect(fa.outbox.unsettled + fb.outbox.unsettled).toBe(0);
    expect(fa.outbox.withheld).toBeGreaterThanOrEqual(2);
    expect(fb.outbox.withheld).toBeGreaterThanOrEqual(2);
    const withheld = await h.t.db.select().from(outbox).where(eq(outbox.deliveredVia, 'withheld'));
    expect(withheld.every((r) => r.sentAt === null && r.lastError === noiseTexts.withheld.group_confirmation)).toBe(true);
  });

  it('tells the reporter and a follower, neither a friend, of the result in one group line @-mentioning both', async () => {
    await start();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const no = (await h.lastOrder()).no;
    await h.say({ from: '老王', room: GROUP, text: `+1 ${no}`, mentionBot: true });
    await h.say({ from: '张伟', text: `接单 ${no}` });
    await h.say({ from: '张伟', text: `进展 ${no} 明天更换` });
    const resolved = await h.say({ from: '张伟', text: `办结 ${no} 已更换灯泡` });
    expect(inGroup(resolved)).toEqual([
      expect.objectContaining({ mentions: ['陈阿姨', '老王'], text: expect.stringMatching(new RegExp(`^@陈阿姨 @老王 工单 #${no} 已办结：已更换灯泡\n请问问题解决了吗`, 'u')) }),
    ]);
    // Both rows are settled as delivered by that one line; the follower's 签收/进展 are on record, withheld.
    const wang = await h.outboxFor({ resident: '老王' });
    expect(wang.filter((r) => r.orderId !== null && r.kind !== 'receipt').map((r) => [r.kind, r.status, r.deliveredVia])).toEqual([
      ['status', 'sent', 'withheld'],
      ['status', 'sent', 'withheld'],
      ['result', 'sent', 'room'],
    ]);
    await h.say({ from: '陈阿姨', room: GROUP, text: '1' });
    const f = await figures(no);
    console.log(`[group-noise] order C (non-friend reporter, non-friend follower in the group): ${JSON.stringify(f)}`);
    // The receipt, the follower's own "+1" answered, one result line for both, the survey thanks.
    expect(f.group).toBe(4);
  });

  it('spends one compact group line on the first change of promise, and keeps later ones out of the group', async () => {
    await start();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const no = (await h.lastOrder()).no;
    await h.say({ from: '张伟', text: `接单 ${no}` });
    await h.say({ from: '张伟', text: `延期 ${no} 3 等待配件` });
    const approved = await h.say({ from: '王主任', text: `同意延期 ${no}` });
    expect(atIn(approved, '陈阿姨')).toEqual([
      expect.stringMatching(new RegExp(`^@陈阿姨 您的工单 #${no} 需要更多时间办理.*后续进展不再在群里逐条通知，可@我发「查询 ${no}」查看。$`, 'u')),
    ]);
    const escalated = await h.say({ from: '张伟', text: `上报 ${no} 需社区协调` });
    expect(inGroup(escalated)).toEqual([]);
    const [row] = await h.outboxFor({ resident: '陈阿姨' }, 'change').then((rows) => rows.filter((r) => r.text.includes('已上报')));
    expect(row).toMatchObject({ status: 'sent', deliveredVia: 'withheld', lastError: noiseTexts.withheld.group_budget_spent });
    // 查询 in the group still shows where it stands.
    const queried = await h.say({ from: '陈阿姨', room: GROUP, text: `查询 ${no}`, mentionBot: true });
    expect(atIn(queried, '陈阿姨')[0]).toContain(`#${no}`);
  });
});

describe('a 举报 or a complaint naming a neighbour, in a group', () => {
  it('is answered in the group only with "请私聊我", without its content; a friend is asked 1:1; the message is kept', async () => {
    await start();
    const text = '我要举报3号楼502那户人家天天高空抛物';
    const sent = await h.say({ from: '小林', room: GROUP, text, mentionBot: true });
    expect(inGroup(sent)).toEqual([expect.objectContaining({ text: `@小林 ${noiseTexts.privateInGroup}`, mentions: ['小林'] })]);
    expect(inGroup(sent)[0]!.text).not.toContain('抛物');
    expect(dm(sent, '小林')).toEqual([noiseTexts.privateDirect]);
    expect(await h.t.db.select().from(workOrders)).toEqual([]);
    const [kept] = await h.t.db.select().from(inboundMessages).where(eq(inboundMessages.text, text));
    expect(kept).toMatchObject({ outcome: 'private' });
    expect(kept!.processedAt).not.toBeNull();

    // She tells it 1:1: the order is taken there, and none of its notices is ever said in the group.
    await h.say({ from: '小林', text: '举报3号楼502那户人家天天高空抛物，差点砸到人' });
    const no = (await h.lastOrder()).no;
    await h.say({ from: '张伟', text: `接单 ${no}` });
    await h.say({ from: '张伟', text: `办结 ${no} 已上门劝导` });
    expect(about(inGroup(h.world.transcript()), no)).toEqual([]);
    expect(dm(h.world.transcript(), '小林').filter((t) => t.includes(`#${no}`)).length).toBeGreaterThanOrEqual(3);

    // She asks after it in the group: the status goes 1:1, the group hears only that it was sent privately.
    for (const ask of [`查询 ${no}`, '查询', '我的工单']) {
      const asked = await h.say({ from: '小林', room: GROUP, text: ask, mentionBot: true });
      expect(inGroup(asked).map((e) => e.text)).toEqual([`@小林 ${noiseTexts.privateAnswerInGroup(true)}`]);
      expect(dm(asked, '小林').join()).toContain(`#${no}`);
    }
  });

  it('from a non-friend: only "请私聊我" in the group, and an order about it never @-mentions the reporter there', async () => {
    await start();
    const sent = await h.say({ from: '老王', room: GROUP, text: '投诉楼上那家天天半夜装修，吵得睡不着', mentionBot: true });
    expect(inGroup(sent).map((e) => e.text)).toEqual([`@老王 ${noiseTexts.privateInGroup}`]);
    expect(dm(sent, '老王')).toEqual([]);
    expect(await h.t.db.select().from(workOrders)).toEqual([]);

    // Should such an order exist all the same (filed in the console, or replayed when a group is bound), its
    // notices are kept out of the group: he is never @-mentioned about it in front of his neighbours.
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
    const filed = await submitDemand({
      deps: h.t.orderDeps,
      input: {
        sourceMessageId: null,
        channel: 'group',
        residentId: await h.t.residentId('老王'),
        gridId: group!.gridId!,
        chatGroupId: group!.id,
        text: '投诉楼上那家天天半夜装修，吵得睡不着',
      },
    });
    if (filed.outcome !== 'created') throw new Error(filed.outcome);
    await h.world.settle();
    await h.say({ from: '张伟', text: `接单 ${filed.order.no}` });
    expect(inGroup(h.world.transcript()).filter((e) => e.text.includes(`#${filed.order.no}`))).toEqual([]);
    const rows = await h.outboxFor({ resident: '老王' });
    expect(rows.filter((r) => r.orderId === filed.order.id).map((r) => [r.kind, r.deliveredVia, r.lastError])).toEqual([
      ['receipt', 'withheld', noiseTexts.withheld.private_order],
      ['status', 'withheld', noiseTexts.withheld.private_order],
    ]);
  });

  it('is not caught for an ordinary complaint about a thing', async () => {
    await start();
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text: '投诉一下，我家楼下那个路灯坏了好几天了', mentionBot: true });
    expect(atIn(sent, '陈阿姨')).toEqual([expect.stringContaining('已受理')]);
    const [row] = await h.t.db
      .select()
      .from(inboundMessages)
      .where(and(eq(inboundMessages.channel, 'group'), eq(inboundMessages.outcome, 'order')));
    expect(row).toBeDefined();
  });
});
