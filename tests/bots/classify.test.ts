import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { botTexts } from '../../src/i18n/zh-CN.bot';
import { SAFETY_ADVICE } from '../../src/i18n/zh-CN.classify';
import { categories } from '../../src/modules/categories/categories.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, atIn, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

const HOUR = 3_600_000;

/** The order's category code and the hours it was given, as the resident and the leader see them. */
async function filed(order: typeof workOrders.$inferSelect) {
  const [category] = await h.t.db.select().from(categories).where(eq(categories.id, order.categoryId));
  return { code: category!.code, urgency: order.urgency, hours: (order.deadlineAt!.getTime() - order.createdAt.getTime()) / HOUR };
}

describe('misfiled and mis-timed messages of issue 11', () => {
  it.each([
    { text: '村口那个桥栏杆断了 小孩子上学走那里很危险', code: 'road_facility', advice: SAFETY_ADVICE.children, maxHours: 4 },
    { text: '后山那条路塌了一块，车子过不去', code: 'road_facility', advice: SAFETY_ADVICE.collapse, maxHours: 4 },
    { text: '电梯又坏了…老人上不去啊', code: 'property_mgmt', advice: SAFETY_ADVICE.elderly, maxHours: 24 },
    { text: '我家厨房有股煤气的味道 3号楼2单元', code: 'safety_hazard', advice: SAFETY_ADVICE.gas, maxHours: 2 },
    { text: '地下车库进水了 好深 有人被困在车里出不来', code: 'safety_hazard', advice: SAFETY_ADVICE.flood, maxHours: 2 },
  ])('"$text" → $code, urgent, within $maxHours hours, with the safety advice in the receipt', async ({ text, code, advice, maxHours }) => {
    h = await startBotHarness();
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text, mentionBot: true });
    const order = await h.lastOrder();
    const got = await filed(order);
    expect(got).toMatchObject({ code, urgency: 'urgent' });
    expect(got.hours).toBeLessThanOrEqual(maxHours);
    const [receipt] = atIn(sent, '陈阿姨');
    expect(receipt).toContain(`【紧急】已受理 #${order.no}`);
    expect(receipt).toContain(advice);
  });

  it('reads a typo: "路等坏了" is a street light', async () => {
    h = await startBotHarness();
    await h.say({ from: '老王', room: GROUP, text: '报事 路等坏了，2栋门口' });
    const got = await filed(await h.lastOrder());
    expect(got).toMatchObject({ code: 'streetlight', urgency: 'normal' });
  });

  it('a normal order gets no safety advice', async () => {
    h = await startBotHarness();
    const sent = await h.say({ from: '老王', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    expect(atIn(sent, '老王')[0]).not.toContain('安全提示');
  });

  it('asks where, not what, when "路灯坏了" names the problem but not the place', async () => {
    h = await startBotHarness();
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text: '路灯坏了', mentionBot: true });
    expect(atIn(sent, '陈阿姨')).toEqual([`@陈阿姨 ${botTexts.vagueQuestion.no_place}`]);
  });

  it('makes one order per problem of a message naming three, with one reply listing them', async () => {
    h = await startBotHarness();
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text: '小区门口垃圾没人收，还有路灯也不亮，晚上狗叫得睡不着', mentionBot: true });
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    const codes = await Promise.all(orders.map(async (o) => (await filed(o)).code));
    expect(codes).toEqual(['sanitation', 'streetlight', 'dogs']);
    // The place said once is kept with every problem.
    expect(orders.map((o) => o.text)).toEqual(['小区门口垃圾没人收', '小区门口 路灯也不亮', '小区门口 晚上狗叫得睡不着']);
    const replies = atIn(sent, '陈阿姨');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('您反映了3件事');
    for (const o of orders) expect(replies[0]).toContain(`#${o.no}`);
  });

  it('makes each order once when the chat network delivers the message twice', async () => {
    h = await startBotHarness();
    const { id } = await h.world.say({ from: '老王', room: GROUP, text: '8栋门口有人摆摊占道，还有个井盖松了踩上去咣咣响', mentionBot: true });
    h.world.repeat(id);
    await h.world.settle();
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    expect(await Promise.all(orders.map(async (o) => (await filed(o)).code))).toEqual(['road_occupation', 'road_facility']);
    expect(atIn(h.world.transcript(), '老王')).toHaveLength(1);
  });

  it('does not open a part again that is already an open order: the reply names it and how to join it', async () => {
    h = await startBotHarness();
    await h.say({ from: '老王', room: GROUP, text: '小区门口的路灯不亮了，晚上黑乎乎的', mentionBot: true });
    const light = await h.lastOrder();
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text: '小区门口垃圾没人收，还有路灯也不亮，晚上狗叫得睡不着', mentionBot: true });
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    expect(await Promise.all(orders.map(async (o) => (await filed(o)).code))).toEqual(['streetlight', 'sanitation', 'dogs']);
    const replies = atIn(sent, '陈阿姨');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('您反映了3件事');
    expect(replies[0]).toContain(`回复"+1 ${light.no}"加入该工单`);
  });

  it('keeps one problem told in several clauses as one order', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼的路灯坏了，晚上黑漆漆的，老人出门看不见', mentionBot: true });
    const orders = await h.t.db.select().from(workOrders);
    expect(orders).toHaveLength(1);
    expect((await filed(orders[0]!)).code).toBe('streetlight');
  });
});
