import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { chatGroups, inboundMessages } from '../../src/modules/chat/chat.table';
import { flushPendingDuplicates } from '../../src/modules/chat/demand.usecases';
import { orderSupporters, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

describe('a demand in a residents\' group', () => {
  it('is accepted with the order number, category, handler and deadline, @-mentioning the resident, and the grid leader is told', async () => {
    h = await startBotHarness();
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });

    const order = await h.lastOrder();
    expect(sent).toHaveLength(2);
    expect(atIn(sent, '陈阿姨')).toEqual([expect.stringMatching(new RegExp(`^@陈阿姨 已受理 #${order.no} 路灯照明，网格长张伟将于11月30日前办理`))]);
    expect(order).toMatchObject({ status: 'assigned', channel: 'group', text: '3号楼门口的路灯坏了，晚上很黑' });
    // The leader hears of it 1:1, through the outbox sender.
    expect(dm(sent, '张伟')).toEqual([expect.stringContaining(`【新工单】#${order.no} 路灯照明`)]);

    // The receipt was delivered as the reply, in the conversation: the sender did not send it again.
    const receipts = await h.outboxFor({ resident: '陈阿姨' }, 'receipt');
    expect(receipts).toEqual([expect.objectContaining({ status: 'sent', deliveredVia: 'room' })]);
    expect(await h.outboxFor({ staff: '张伟' }, 'assignment')).toEqual([expect.objectContaining({ status: 'sent', deliveredVia: 'direct' })]);

    const [inbound] = await h.inbound();
    expect(inbound).toMatchObject({ outcome: 'order', orderId: order.id, fromKey: expect.stringMatching(/^GL-R\d+$/), channel: 'group' });
    expect(inbound!.processedAt).not.toBeNull();
  });

  it('starts with a trigger word instead of a mention', async () => {
    h = await startBotHarness();
    const sent = await h.say({ from: '老王', room: GROUP, text: '报事：5号楼电梯困人了，快来人' });
    const order = await h.lastOrder();
    expect(order.urgency).toBe('urgent');
    expect(atIn(sent, '老王')).toEqual([expect.stringContaining(`【紧急】已受理 #${order.no}`)]);
  });

  it('leaves the residents\' own chatter alone: no reply and nothing stored', async () => {
    h = await startBotHarness();
    const sent = [
      ...(await h.say({ from: '陈阿姨', room: GROUP, text: '今天菜市场的白菜真便宜' })),
      ...(await h.say({ from: '老王', room: GROUP, text: '1' })),
      ...(await h.say({ from: '小林', room: GROUP, text: '+1' })),
      ...(await h.say({ from: '老王', room: GROUP, type: 'image' })),
    ];
    expect(sent).toEqual([]);
    expect(await h.inbound()).toEqual([]);
    expect(await h.t.db.select().from(workOrders)).toEqual([]);
  });

  it('creates one order and sends one reply when the chat network delivers the same message event twice', async () => {
    h = await startBotHarness();
    const { id } = await h.world.say({ from: '陈阿姨', room: GROUP, text: '2号楼楼道灯坏了一个星期了', mentionBot: true });
    h.world.repeat(id);
    h.world.repeat(id);
    await h.world.settle();
    expect(atIn(h.world.transcript(), '陈阿姨')).toHaveLength(1);
    expect(dm(h.world.transcript(), '张伟')).toHaveLength(1);
    expect(await h.t.db.select().from(workOrders)).toHaveLength(1);
    expect(await h.t.db.select().from(inboundMessages)).toHaveLength(1);
  });
});

describe('possible duplicates', () => {
  async function withFirstReport() {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    return h.lastOrder();
  }

  it('are offered; "+1" (without a mention) joins the open order instead of opening another', async () => {
    const first = await withFirstReport();
    const offer = await h.say({ from: '老王', room: GROUP, text: '3号楼门口路灯不亮了', mentionBot: true });
    expect(atIn(offer, '老王')).toEqual([expect.stringContaining(`#${first.no}`)]);
    expect(atIn(offer, '老王')[0]).toContain('回复 +1 加入该工单，或回复 新建 提交为新工单');
    const held = (await h.inbound()).at(-1)!;
    expect(held.outcome).toBe('pending_duplicate');

    const joined = await h.say({ from: '老王', room: GROUP, text: '+1' });
    expect(atIn(joined, '老王')).toEqual([expect.stringContaining(`已为您加入工单 #${first.no}`)]);
    expect(dm(joined, '张伟')).toEqual([expect.stringContaining('又有居民反映同一问题')]);
    expect(await h.t.db.select().from(workOrders)).toHaveLength(1);
    expect((await h.order(first.no)).supporters).toBe(1);
    expect(await h.t.db.select().from(orderSupporters)).toEqual([expect.objectContaining({ residentId: await h.t.residentId('老王') })]);
    const [, heldAfter] = await h.inbound();
    expect(heldAfter).toMatchObject({ outcome: 'supported', orderId: first.id });
  });

  it('"新建" submits the held demand as a new order', async () => {
    const first = await withFirstReport();
    await h.say({ from: '老王', room: GROUP, text: '3号楼门口路灯不亮了', mentionBot: true });
    const created = await h.say({ from: '老王', room: GROUP, text: '新建' });
    const second = await h.lastOrder();
    expect(second.id).not.toBe(first.id);
    expect(second.text).toBe('3号楼门口路灯不亮了');
    expect(atIn(created, '老王')).toEqual([expect.stringContaining(`已受理 #${second.no}`)]);
  });

  it('are created anyway when the resident does not answer within 30 minutes', async () => {
    await withFirstReport();
    await h.say({ from: '老王', room: GROUP, text: '3号楼门口路灯不亮了', mentionBot: true });
    h.t.clock.advance(29 * 60_000);
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 0, failed: 0, dropped: 0 });
    h.t.clock.advance(2 * 60_000);
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 1, failed: 0, dropped: 0 });
    expect(await flushPendingDuplicates({ ctx: h.t })).toEqual({ created: 0, failed: 0, dropped: 0 });
    expect(await h.t.db.select().from(workOrders)).toHaveLength(2);
    // The receipt goes out through the outbox (the conversation is over): the sender delivers it.
    await h.world.settle();
    expect(await h.outboxFor({ resident: '老王' }, 'receipt')).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect(atIn(h.world.transcript(), '老王').at(-1)).toContain('已受理 #');
    // A late "+1" finds nothing held any more.
    const late = await h.say({ from: '老王', room: GROUP, text: '+1', mentionBot: true });
    expect(atIn(late, '老王')).toEqual([expect.stringContaining('现在没有待确认的反映')]);
  });
});

describe('a vague demand', () => {
  it('gets one question back ("灯坏了" names the problem: where?), and the answer is added to the order', async () => {
    h = await startBotHarness();
    const asked = await h.say({ from: '小林', room: GROUP, text: '灯坏了', mentionBot: true });
    expect(atIn(asked, '小林')).toEqual([expect.stringContaining('具体在什么位置')]);
    expect(await h.t.db.select().from(workOrders)).toEqual([]);

    const answered = await h.say({ from: '小林', room: GROUP, text: '8号楼2单元楼道里的灯' });
    const order = await h.lastOrder();
    expect(order.text).toBe('灯坏了\n补充：8号楼2单元楼道里的灯');
    expect(atIn(answered, '小林')).toEqual([expect.stringContaining(`已受理 #${order.no}`)]);
    // The order is keyed on the first message: nothing the resident sent is lost or doubled.
    const [first, second] = await h.inbound();
    expect(first).toMatchObject({ outcome: 'order', orderId: order.id });
    expect(second).toMatchObject({ outcome: 'answer', orderId: order.id });
  });

  it('takes a location as the answer to "where?"', async () => {
    h = await startBotHarness();
    const asked = await h.say({ from: '小林', room: GROUP, text: '垃圾堆了好几天没人清理', mentionBot: true });
    expect(atIn(asked, '小林')).toEqual([expect.stringContaining('具体在什么位置')]);
    await h.say({ from: '小林', room: GROUP, type: 'location', location: { lat: 30.25, lng: 120.16, address: '柳岸路18号' } });
    const order = await h.lastOrder();
    // WeChat sends GCJ-02; the order keeps the point in WGS-84 (gcoord: about 500 m west, 250 m north here).
    expect(order).toMatchObject({ lat: 30.2523311, lng: 120.155308, locationText: '柳岸路18号' });
    expect(order.text).toContain('补充：柳岸路18号');
  });
});

describe('a group not bound to a grid', () => {
  it('gets one reply saying how to bind it; bound by its grid leader, the demand written before is accepted', async () => {
    h = await startBotHarness({
      before: async (t) => {
        await t.db.insert(chatGroups).values({ topic: '锦绣苑业主群', gridId: null });
      },
    });
    const sent = await h.say({ from: '陈阿姨', room: '锦绣苑业主群', text: '小区东门的路灯坏了', mentionBot: true });
    expect(sent).toHaveLength(1);
    expect(atIn(sent, '陈阿姨', '锦绣苑业主群')).toEqual([expect.stringContaining('本群还没有绑定到网格')]);
    expect(sent[0]!.text).toContain('绑定网格');
    expect(await h.t.db.select().from(workOrders)).toEqual([]);

    const refused = await h.say({ from: '陈阿姨', room: '锦绣苑业主群', text: '绑定网格 D01-T01-C01-G01', mentionBot: true });
    expect(atIn(refused, '陈阿姨', '锦绣苑业主群')).toEqual([expect.stringContaining('只有已绑定的网格员')]);
    const notHis = await h.say({ from: '刘洋', room: '锦绣苑业主群', text: '绑定网格 D01-T01-C01-G01', mentionBot: true });
    expect(atIn(notHis, '刘洋', '锦绣苑业主群')).toEqual([expect.stringContaining('您不负责这个网格')]);

    const bound = await h.say({ from: '张伟', room: '锦绣苑业主群', text: '绑定网格 d01-t01-c01-g01', mentionBot: true });
    const boundReply = atIn(bound, '张伟', '锦绣苑业主群');
    expect(boundReply).toEqual([expect.stringContaining('本群已绑定到柳岸社区第一网格')]);
    expect(boundReply[0]).toContain('之前记录的1条反映已自动受理');
    // The receipt of the replayed demand goes out through the outbox, @-mentioning her in the group.
    expect(atIn(bound, '陈阿姨', '锦绣苑业主群')).toEqual([expect.stringContaining('已受理 #')]);
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, '锦绣苑业主群'));
    expect(group!.gridId).toBe(await h.t.gridId('D01-T01-C01-G01'));
    const order = await h.lastOrder();
    expect(order).toMatchObject({ text: '小区东门的路灯坏了', chatGroupId: group!.id, residentId: await h.t.residentId('陈阿姨') });

    const next = await h.say({ from: '陈阿姨', room: '锦绣苑业主群', text: '东门的垃圾桶满了没人清', mentionBot: true });
    expect(atIn(next, '陈阿姨', '锦绣苑业主群')).toEqual([expect.stringContaining('已受理')]);
  });
});
