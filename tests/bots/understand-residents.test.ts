import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { flushPendingDuplicates } from '../../src/modules/chat/demand.usecases';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { orderEvents, orderSupporters, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

/**
 * Issue 11, "Understand people", the residents' side: each failure found by trying the bot as residents would,
 * replayed through the real bot with the issue's own messages.
 */
let h: BotHarness;
afterEach(async () => h?.close());

const orders = () => h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
const newOrderNotices = async () => (await h.outboxFor({ staff: '张伟' }, 'assignment')).length;
const urgeNotices = () => h.outboxFor({ staff: '张伟' }, 'urge');

describe('follow-ups do not become new orders', () => {
  it('"路灯怎么还没修好啊？3号楼的" chases the open order: the status back, one 催办 to the leader per 4 hours', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const lamp = await h.lastOrder();
    expect(await newOrderNotices()).toBe(1);

    const chased = await h.say({ from: '陈阿姨', room: GROUP, text: '路灯怎么还没修好啊？3号楼的', mentionBot: true });
    expect(atIn(chased, '陈阿姨')).toEqual([expect.stringContaining(`已帮您催办 #${lamp.no}`)]);
    expect(atIn(chased, '陈阿姨')[0]).toContain(`#${lamp.no} 路灯照明 · 已派单`);
    expect(dm(chased, '张伟')).toEqual([expect.stringContaining(`【居民催办】#${lamp.no}`)]);
    expect(await orders()).toHaveLength(1);
    expect(await newOrderNotices()).toBe(1);

    // Again within the hour, without @: still answered (it continues her own matter), no second notice.
    const again = await h.say({ from: '陈阿姨', room: GROUP, text: '怎么还没人来修啊' });
    expect(atIn(again, '陈阿姨')).toEqual([expect.stringContaining(`#${lamp.no} 刚催办过`)]);
    expect(dm(again, '张伟')).toEqual([]);
    expect(await urgeNotices()).toHaveLength(1);

    h.t.clock.advance(4 * 3_600_000 + 60_000);
    await h.say({ from: '陈阿姨', text: '啥时候来修啊' });
    expect(await urgeNotices()).toHaveLength(2);
    expect(await orders()).toHaveLength(1);
    const events = await h.t.db.select().from(orderEvents).where(eq(orderEvents.orderId, lamp.id));
    expect(events.filter((e) => e.type === 'urge').map((e) => e.note)).toEqual(['路灯怎么还没修好啊？3号楼的', '啥时候来修啊']);
  });

  it('"我刚才说的煤气那个事情有人来了吗" finds the gas order among two, and "1006 啥时候来修啊" the numbered one; no "where?" and no new order', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const lamp = await h.lastOrder();
    await h.say({ from: '陈阿姨', text: '我家厨房有很浓的煤气味，6栋302' });
    const gas = await h.lastOrder();
    expect(gas.urgency).toBe('urgent');

    const asked = dm(await h.say({ from: '陈阿姨', text: '我刚才说的煤气那个事情有人来了吗' }), '陈阿姨');
    expect(asked).toEqual([expect.stringContaining(`已帮您催办 #${gas.no}`)]);
    expect(asked[0]).not.toContain('什么位置');

    const numbered = dm(await h.say({ from: '陈阿姨', text: `${lamp.no} 啥时候来修啊` }), '陈阿姨');
    expect(numbered).toEqual([expect.stringContaining(`已帮您催办 #${lamp.no}`)]);
    expect(await orders()).toHaveLength(2);
    expect((await urgeNotices()).map((n) => n.orderId)).toEqual([gas.id, lamp.id]);
  });

  it('with two open orders and nothing to tell them apart, asks which with a one-key answer', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    await h.say({ from: '陈阿姨', room: GROUP, text: '5号楼电梯坏了，老人上不去', mentionBot: true });
    const [lamp, lift] = await orders();
    const asked = dm(await h.say({ from: '陈阿姨', text: '怎么还没人来啊' }), '陈阿姨');
    expect(asked[0]).toContain('您有2件在办的工单');
    expect(asked[0]).toContain(`1. #${lift!.no}`);
    expect(asked[0]).toContain(`2. #${lamp!.no}`);
    const chosen = dm(await h.say({ from: '陈阿姨', text: '2' }), '陈阿姨');
    expect(chosen).toEqual([expect.stringContaining(`已帮您催办 #${lamp!.no}`)]);
    expect(await orders()).toHaveLength(2);
  });
});

describe('non-demands do not become orders', () => {
  it('"👍", "不用了谢谢" and a withdrawal after a withdrawal: nothing held, nothing created 30 minutes later', async () => {
    h = await startBotHarness();
    const thumbs = await h.say({ from: '老王', room: GROUP, text: '👍', mentionBot: true });
    expect(thumbs).toEqual([]);

    const held = await h.say({ from: '小林', room: GROUP, text: '我想反映一个问题', mentionBot: true });
    expect(atIn(held, '小林')).toEqual([expect.stringContaining('收到。')]);
    const withdrawn = await h.say({ from: '小林', room: GROUP, text: '不用了谢谢' });
    expect(atIn(withdrawn, '小林')).toEqual([expect.stringContaining('这条反映不再提交')]);
    const again = await h.say({ from: '小林', room: GROUP, text: '刚才那个单子不要了，我点错了', mentionBot: true });
    expect(atIn(again, '小林')).toEqual([expect.stringContaining('已经撤回了')]);

    h.t.clock.advance(31 * 60_000);
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 0, failed: 0, dropped: 0 });
    expect(await orders()).toEqual([]);
    expect(await newOrderNotices()).toBe(0);
  });

  it('"@小格 +1" right after a neighbour\'s report in the group joins it; with no recent report it says there is nothing to join', async () => {
    h = await startBotHarness();
    const lone = await h.say({ from: '老王', room: GROUP, text: '+1', mentionBot: true });
    expect(atIn(lone, '老王')).toEqual([expect.stringContaining('现在没有待确认的反映')]);
    await h.say({ from: '小林', room: GROUP, text: '6号楼和7号楼中间那棵大树的枝条压到电线了，风一吹就晃', mentionBot: true });
    const tree = await h.lastOrder();
    const joined = await h.say({ from: '老王', room: GROUP, text: '+1', mentionBot: true });
    expect(atIn(joined, '老王').join()).toContain(`#${tree.no}`);
    expect(await orders()).toHaveLength(1);
    const followers = await h.t.db.select().from(orderSupporters).where(eq(orderSupporters.orderId, tree.id));
    expect(followers.map((f) => f.residentId)).toEqual([await h.t.residentId('老王')]);
  });

  it('a neighbour who "+1"d an order may 查询 it, by number or without one; a stranger still reads "not found"', async () => {
    h = await startBotHarness();
    await h.say({ from: '小林', room: GROUP, text: '6号楼和7号楼中间那棵大树的枝条压到电线了，风一吹就晃', mentionBot: true });
    const tree = await h.lastOrder();
    await h.say({ from: '老王', room: GROUP, text: '+1', mentionBot: true });

    const byNumber = dm(await h.say({ from: '老王', text: `查询 ${tree.no}` }), '老王');
    expect(byNumber.join()).toContain(`#${tree.no}`);
    expect(byNumber.join()).not.toContain('没有找到');
    const bare = dm(await h.say({ from: '老王', text: '查询' }), '老王');
    expect(bare.join()).toContain(`#${tree.no}`);

    const stranger = dm(await h.say({ from: '陈阿姨', text: `查询 ${tree.no}` }), '陈阿姨');
    expect(stranger.join()).toContain('没有找到');
    expect(stranger.join()).not.toContain('大树');
    expect(stranger.join()).not.toContain('已派单');
  });

  it('a bare "没事了" long after their reports is small talk: no order is withdrawn and no "which one?" is asked', async () => {
    h = await startBotHarness();
    await h.say({ from: '老王', text: '5号楼后面的下水道堵了，污水冒出来了' });
    await h.say({ from: '老王', text: '小区北门的路灯坏了，晚上很黑' });
    expect(await orders()).toHaveLength(2);
    h.t.clock.advance(3 * 3_600_000);
    await h.say({ from: '老王', text: '你好' });
    const never = dm(await h.say({ from: '老王', text: '没事了' }), '老王');
    expect(never).toEqual([expect.not.stringContaining('哪一件')]);
    expect((await orders()).map((o) => o.status)).toEqual(['assigned', 'assigned']);
  });

  it('a held message that never got its content becomes nothing, and the resident is told once how to report; one with content still becomes an order', async () => {
    h = await startBotHarness();
    await h.say({ from: '老王', text: '我想反映一个问题' });
    await h.say({ from: '老王', text: '👍' });
    await h.say({ from: '陈阿姨', room: GROUP, text: '垃圾堆了好几天没人清理', mentionBot: true });
    h.t.clock.advance(31 * 60_000);
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 1, failed: 0, dropped: 1 });
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 0, failed: 0, dropped: 0 });
    const [order] = await orders();
    expect(order).toMatchObject({ text: '垃圾堆了好几天没人清理', residentId: await h.t.residentId('陈阿姨') });
    const told = (await h.outboxFor({ resident: '老王' }, 'reply')).filter((r) => r.text.includes('没有登记为工单'));
    expect(told).toHaveLength(1);
    await h.world.settle();
    expect(dm(h.world.transcript(), '老王').filter((t) => t.includes('没有登记为工单'))).toHaveLength(1);
  });

  it('"已经修好了不用来了" withdraws the only open order; the leader is told it was withdrawn', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', text: '我家楼下3号楼的下水道堵了，味道很大' });
    const drain = await h.lastOrder();
    const done = await h.say({ from: '陈阿姨', text: '已经修好了不用来了' });
    expect(dm(done, '陈阿姨')).toEqual([`已撤回工单 #${drain.no}。`]);
    expect(dm(done, '张伟')).toEqual([expect.stringContaining('已由居民撤回')]);
    expect((await h.order(drain.no)).status).toBe('cancelled');
    expect(dm(await h.say({ from: '陈阿姨', text: '刚才那个单子不要了，我点错了' }), '陈阿姨')).toEqual([`工单 #${drain.no} 已经撤回了，不用再操作。`]);
    // Thanks and chatter: a short reply at most, never an order.
    expect(dm(await h.say({ from: '陈阿姨', text: '好的好的 谢谢你们' }), '陈阿姨')).toEqual(['不客气，有事随时找我。']);
    expect(dm(await h.say({ from: '陈阿姨', text: '今天天气真好哈哈' }), '陈阿姨')[0]).toContain('有问题直接告诉我');
    expect(await orders()).toHaveLength(1);
  });

  it('added detail goes onto the open order and to its handler, not into a new order', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const lamp = await h.lastOrder();
    const added = await h.say({ from: '陈阿姨', room: GROUP, text: '补充一下，是靠近垃圾站那根，灯杆也歪了' });
    expect(atIn(added, '陈阿姨')).toEqual([`@陈阿姨 已把您补充的内容加到工单 #${lamp.no}，并转告办理人。`]);
    expect(dm(added, '张伟')).toEqual([expect.stringContaining('靠近垃圾站那根')]);
    expect(await orders()).toHaveLength(1);
    const events = await h.t.db.select().from(orderEvents).where(eq(orderEvents.orderId, lamp.id));
    expect(events.find((e) => e.type === 'resident_info')?.note).toBe('补充一下，是靠近垃圾站那根，灯杆也歪了');
  });
});

describe('repeats do not make copies', () => {
  it('the same message three times: one order, answered with it, no "可能已经有人反映过", no copies 30 minutes later', async () => {
    h = await startBotHarness();
    const text = '2号楼楼道灯坏了一个星期了';
    await h.say({ from: '老王', room: GROUP, text, mentionBot: true });
    const first = await h.lastOrder();
    for (const again of [text, '2号楼楼道灯坏了一个星期了！！']) {
      const reply = atIn(await h.say({ from: '老王', room: GROUP, text: again, mentionBot: true }), '老王');
      expect(reply).toEqual([expect.stringContaining(`已受理为 #${first.no}，不用重复发送`)]);
      expect(reply[0]).not.toContain('可能已经有人反映过');
    }
    h.t.clock.advance(31 * 60_000);
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 0, failed: 0, dropped: 0 });
    expect(await orders()).toHaveLength(1);
    expect(await newOrderNotices()).toBe(1);
  });

  it('a repeat of a demand the bot still holds asks for what is missing again instead of holding a second one', async () => {
    h = await startBotHarness();
    await h.say({ from: '小林', room: GROUP, text: '灯坏了', mentionBot: true });
    const again = atIn(await h.say({ from: '小林', room: GROUP, text: '灯坏了', mentionBot: true }), '小林');
    expect(again).toEqual([expect.stringContaining('这件事我已经记下了')]);
    h.t.clock.advance(31 * 60_000);
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 1, failed: 0, dropped: 0 });
    expect(await orders()).toHaveLength(1);
  });
});

describe('natural survey answers are taken', () => {
  async function resolvedFor(resident: string, demand: string) {
    await h.say({ from: resident, room: GROUP, text: demand, mentionBot: true });
    const order = await h.lastOrder();
    await h.say({ from: '张伟', text: `办结 ${order.no} 已处理` });
    expect((await h.order(order.no)).status).toBe('resolved');
    return order;
  }

  it('"好的好的，谢谢你们，辛苦了👍" without @ right after the survey closes the order as satisfied', async () => {
    h = await startBotHarness();
    const order = await resolvedFor('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const answered = await h.say({ from: '陈阿姨', room: GROUP, text: '好的好的，谢谢你们，辛苦了👍' });
    expect(atIn(answered, '陈阿姨').length).toBeGreaterThan(0);
    expect((await h.order(order.no)).status).toBe('closed');
    expect(await h.t.db.select().from(surveyAnswers)).toEqual([expect.objectContaining({ orderId: order.id, answer: 'satisfied' })]);
    expect(await orders()).toHaveLength(1);
  });

  it('"还是有味道，根本没人来看过", with or without @, is an unsatisfied answer with her words: the order is reopened, no new one', async () => {
    h = await startBotHarness();
    const drain = await resolvedFor('老王', '5号楼下水道堵了，污水冒出来，臭得很');
    const lamp = await resolvedFor('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    await h.say({ from: '老王', room: GROUP, text: '还是有味道，根本没人来看过' });
    await h.say({ from: '陈阿姨', room: GROUP, text: '还是不亮，根本没人来看过', mentionBot: true });
    const answers = await h.t.db.select().from(surveyAnswers).orderBy(asc(surveyAnswers.id));
    expect(answers).toEqual([
      expect.objectContaining({ orderId: drain.id, answer: 'unsatisfied', comment: '还是有味道，根本没人来看过' }),
      expect.objectContaining({ orderId: lamp.id, answer: 'unsatisfied', comment: '还是不亮，根本没人来看过' }),
    ]);
    expect((await h.order(drain.no)).status).toBe('assigned');
    expect(await orders()).toHaveLength(2);
  });
});

describe('no silence without @', () => {
  it('"小格你好，…" and "请问一下谁管垃圾的？…小格" are answered; residents\' own chat stays theirs', async () => {
    h = await startBotHarness();
    const drain = await h.say({ from: '陈阿姨', room: GROUP, text: '小格你好，我家楼下那个下水道又堵了，5号楼2单元门口，臭得很' });
    const order = await h.lastOrder();
    expect(atIn(drain, '陈阿姨')).toEqual([expect.stringContaining(`已受理 #${order.no}`)]);

    const rubbish = await h.say({ from: '老王', room: GROUP, text: '请问一下谁管垃圾的？8号楼门口的垃圾桶三天没人收了，小格帮忙问问' });
    const second = await h.lastOrder();
    expect(second.id).not.toBe(order.id);
    expect(atIn(rubbish, '老王')).toEqual([expect.stringContaining(`已受理 #${second.no}`)]);

    const chatter = [
      ...(await h.say({ from: '小林', room: GROUP, text: '今天菜市场的白菜真便宜' })),
      ...(await h.say({ from: '老王', room: GROUP, text: '什么时候去买菜啊' })),
      ...(await h.say({ from: '小林', room: GROUP, text: '谢谢大家' })),
    ];
    expect(chatter).toEqual([]);
    expect(await orders()).toHaveLength(2);
    const stored = await h.inbound();
    expect(stored.map((r) => r.text)).not.toContain('今天菜市场的白菜真便宜');
  });
});

describe('survey words with no survey waiting', () => {
  it('"满意满意" from a resident with nothing to rate is small talk, not an order', async () => {
    h = await startBotHarness();
    const sent = dm(await h.say({ from: '老王', text: '满意满意' }), '老王');
    expect(sent).toEqual([expect.stringContaining('有问题直接告诉我')]);
    // Nothing is held for a "what is the problem?" either.
    expect((await h.inbound()).map((r) => r.outcome)).toEqual(['reply']);
    expect(await orders()).toEqual([]);
  });
});
