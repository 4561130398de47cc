import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { superviseOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { staff } from '../../src/modules/people/staff.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

/**
 * Grid leaders answer in their own words (issue 11, "Leaders' natural replies"): 张伟 is the bound leader of
 * 陈阿姨's group; every message here is one a leader really wrote.
 */
let h: BotHarness;
afterEach(async () => h?.close());

const CHEN_PHONE = '13700000001';

async function report(from: string, text: string) {
  const sent = await h.say({ from, room: GROUP, text, mentionBot: true });
  const order = await h.lastOrder();
  return Object.assign(order, { sent });
}

/** Nothing the bot said in any group carries a resident's phone. */
function noPhoneInGroups() {
  const inGroups = h.world.transcript().filter((e) => e.room);
  expect(inGroups.length).toBeGreaterThan(0);
  for (const e of inGroups) expect(e.text).not.toContain(CHEN_PHONE);
}

/** The status notices written to 陈阿姨 about an order, and how each went out. */
async function toChen(orderId: number) {
  const rows = await h.outboxFor({ resident: '陈阿姨' }, 'status');
  return rows.filter((r) => r.orderId === orderId).map((r) => ({ text: r.text, via: r.deliveredVia }));
}

async function events(orderId: number) {
  return h.t.db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.id);
}

describe('a leader signs for an order in his own words', () => {
  it('"收到" right after the 【新工单】 notice signs for it; the notice names the reporter and her phone, 1:1 only', async () => {
    h = await startBotHarness();
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const [notice] = dm(order.sent, '张伟');
    expect(notice).toContain(`【新工单】#${order.no}`);
    expect(notice).toContain(`报事人：陈阿姨 ${CHEN_PHONE}`);

    const reply = await h.say({ from: '张伟', text: '收到' });
    expect(dm(reply, '张伟')).toEqual([expect.stringContaining(`已签收 #${order.no}`)]);
    expect((await h.order(order.no)).status).toBe('accepted');
    // She is not the bot's friend: 签收 is kept out of the group (the noise budget) but written and kept.
    expect(atIn(reply, '陈阿姨')).toEqual([]);
    expect(await toChen(order.id)).toEqual([{ text: expect.stringContaining(`#${order.no} 已由网格长张伟签收`), via: 'withheld' }]);
    noPhoneInGroups();
  });

  it('"好的" with two orders waiting asks which, and the one-key answer signs for the one chosen', async () => {
    h = await startBotHarness();
    const first = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const second = await report('老王', '5号楼下水道堵了，污水漫到路上');

    const asked = await h.say({ from: '张伟', text: '好的' });
    const [question] = dm(asked, '张伟');
    expect(question).toMatch(new RegExp(`回复 [12] 签收 #${first.no}`, 'u'));
    expect(question).toMatch(new RegExp(`回复 [12] 签收 #${second.no}`, 'u'));
    expect((await h.order(first.no)).status).toBe('assigned');
    // The key of the second order, as the question gives it (the most pressing order is listed first).
    const key = new RegExp(`回复 ([12]) 签收 #${second.no}`, 'u').exec(question!)![1]!;

    const answered = await h.say({ from: '张伟', text: key });
    expect(dm(answered, '张伟')).toEqual([expect.stringContaining(`已签收 #${second.no}`)]);
    expect((await h.order(second.no)).status).toBe('accepted');
    expect((await h.order(first.no)).status).toBe('assigned');

    // The question is answered: another "2" is not taken as that answer again.
    const again = await h.say({ from: '张伟', text: key });
    expect(dm(again, '张伟').join()).not.toContain('已签收');

    // Now only the first waits: "好的" signs for it; then nothing waits and "好的" is answered briefly.
    expect(dm(await h.say({ from: '张伟', text: '好的' }), '张伟')).toEqual([expect.stringContaining(`已签收 #${first.no}`)]);
    expect(dm(await h.say({ from: '张伟', text: '好的' }), '张伟')).toEqual(['好的。']);
    expect((await h.order(first.no)).status).toBe('accepted');
  });

  it('"1038收到了，我明天去看看" signs for that order, and the plan reaches the resident as progress', async () => {
    h = await startBotHarness();
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    await report('老王', '5号楼下水道堵了，污水漫到路上');

    const reply = await h.say({ from: '张伟', text: `${order.no}收到了，我明天去看看` });
    expect(dm(reply, '张伟')).toEqual([expect.stringContaining(`已签收 #${order.no}`)]);
    expect(dm(reply, '张伟')[0]).toContain('我明天去看看');
    expect((await h.order(order.no)).status).toBe('accepted');
    const progress = (await events(order.id)).find((e) => e.type === 'progress');
    expect(progress?.note).toBe('我明天去看看');
    expect(atIn(reply, '陈阿姨')).toEqual([]);
    expect(await toChen(order.id)).toEqual([
      { text: expect.stringContaining(`#${order.no} 已由网格长张伟签收`), via: 'withheld' },
      { text: expect.stringContaining(`工单 #${order.no} 进展：我明天去看看`), via: 'withheld' },
    ]);
  });
});

describe('the reporter\'s phone', () => {
  it('stays out of the group even when the leader cannot be reached 1:1 (his chat binding is gone)', async () => {
    h = await startBotHarness();
    await h.t.db.update(staff).set({ chatKey: null, chatContactId: null }).where(eq(staff.id, await h.t.staffId('张伟')));
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    await h.world.settle();
    const [assignment] = await h.outboxFor({ staff: '张伟' }, 'assignment');
    expect(assignment!.text).toContain(CHEN_PHONE);
    expect(assignment!.deliveredVia).not.toBe('room');
    expect(dm(h.world.transcript(), '张伟')).toEqual([]);
    const inGroup = await h.t.db.select().from(outbox).where(eq(outbox.orderId, order.id));
    for (const row of inGroup.filter((r) => r.deliveredVia === 'room')) expect(row.text).not.toContain(CHEN_PHONE);
    noPhoneInGroups();
  });
});

describe('a leader asks for time, merges, and asks who reported, in his own words', () => {
  it('"这个单子能不能宽限几天，物业要找施工队" requests an extension of 3 working days with his reason', async () => {
    h = await startBotHarness();
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    await h.say({ from: '张伟', text: '收到' });

    const reply = await h.say({ from: '张伟', text: '这个单子能不能宽限几天，物业要找施工队' });
    expect(dm(reply, '张伟')).toEqual([expect.stringContaining(`已为 #${order.no} 申请延期3个工作日`)]);
    expect(dm(reply, '张伟')[0]).toContain('您没写天数');
    expect(await h.order(order.no)).toMatchObject({ pendingExtensionDays: 3, pendingExtensionReason: '能不能宽限几天，物业要找施工队' });
    expect(dm(reply, '王主任')).toEqual([expect.stringContaining('物业要找施工队')]);
  });

  it('"1007和1001是同一个事，合并一下" merges the later into the earlier; another grid\'s leader may not', async () => {
    h = await startBotHarness();
    const earlier = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const later = await report('老王', '小区东门那边有盏灯不亮了');

    const refused = await h.say({ from: '刘洋', text: `${later.no}和${earlier.no}是同一个事，合并一下` });
    expect(dm(refused, '刘洋')[0]).toMatch(/没有找到这个工单|没有权限/u);
    expect((await h.order(later.no)).status).toBe('assigned');

    const reply = await h.say({ from: '张伟', text: `${later.no}和${earlier.no}是同一个事，合并一下` });
    expect(dm(reply, '张伟').join('\n')).toContain(`已将 #${later.no} 并入 #${earlier.no}`);
    expect(await h.order(later.no)).toMatchObject({ status: 'merged', mergedIntoId: earlier.id });
    expect((await h.order(earlier.no)).status).toBe('assigned');
    expect(atIn(reply, '老王')).toEqual([expect.stringContaining(`与 #${earlier.no} 为同一问题`)]);
  });

  it('"这个是哪个居民报的，电话多少" gives staff the name and phone; other staff and residents never see the phone', async () => {
    h = await startBotHarness();
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');

    const reply = await h.say({ from: '张伟', text: '这个是哪个居民报的，电话多少' });
    expect(dm(reply, '张伟')).toEqual([expect.stringContaining(`#${order.no} 报事人：陈阿姨，电话：${CHEN_PHONE}`)]);
    const withNo = await h.say({ from: '张伟', text: `${order.no}谁报的` });
    expect(dm(withNo, '张伟')[0]).toContain(CHEN_PHONE);

    // A leader of another grid may not view the order: not found, no phone.
    const other = await h.say({ from: '刘洋', text: `${order.no}谁报的` });
    expect(dm(other, '刘洋')[0]).toContain('没有找到这个工单');
    expect(dm(other, '刘洋')[0]).not.toContain(CHEN_PHONE);

    // 查询: the leader sees the reporter and phone; the resident herself does not get the phone back.
    expect(dm(await h.say({ from: '张伟', text: `查询 ${order.no}` }), '张伟')[0]).toContain(`报事人：陈阿姨 ${CHEN_PHONE}`);
    const own = await h.say({ from: '陈阿姨', text: `查询 ${order.no}` });
    expect(dm(own, '陈阿姨')[0]).toContain(`#${order.no}`);
    expect(dm(own, '陈阿姨')[0]).not.toContain(CHEN_PHONE);
    const inGroup = await h.say({ from: '陈阿姨', room: GROUP, text: `查询 ${order.no}`, mentionBot: true });
    expect(atIn(inGroup, '陈阿姨').join()).not.toContain(CHEN_PHONE);
    noPhoneInGroups();

    // Asked in the group, the leader is sent to the 1:1 chat: no phone there, and no demand made of it.
    const orders = (await h.t.db.select().from(workOrders)).length;
    const asked = await h.say({ from: '张伟', room: GROUP, text: `${order.no}谁报的，电话多少`, mentionBot: true });
    expect(atIn(asked, '张伟')).toEqual([expect.stringContaining('工单操作请私聊我办理')]);
    expect((await h.t.db.select().from(workOrders)).length).toBe(orders);
    noPhoneInGroups();
  });

  it('"这个" among several open orders is the one the bot last told him about', async () => {
    h = await startBotHarness();
    const chen = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const wang = await report('老王', '5号楼下水道堵了，污水漫到路上');
    // The latest notice 张伟 got is the assignment of 老王's order: "这个" is that one (老王 left no phone).
    expect(dm(await h.say({ from: '张伟', text: '这个是哪个居民报的，电话多少' }), '张伟')).toEqual([
      expect.stringContaining(`#${wang.no} 报事人：老王，电话：未留电话`),
    ]);
    // 王主任 presses him on 陈阿姨's order (督办, in the console): now hers is the one he was last told about.
    await h.say({ from: '张伟', text: `${chen.no}收到了` });
    await h.say({ from: '张伟', text: `${wang.no}收到了` });
    await superviseOrder({ deps: h.t.orderDeps, ref: { no: chen.no }, actor: await h.t.staffActor('王主任'), channel: 'console', note: '居民反映多次，请尽快' });
    await h.world.settle();
    expect(dm(h.world.transcript(), '张伟').at(-1)).toContain(`【督办】#${chen.no}`);
    const extended = await h.say({ from: '张伟', text: '这个单子能不能宽限几天，物业要找施工队' });
    expect(dm(extended, '张伟')).toEqual([expect.stringContaining(`已为 #${chen.no} 申请延期3个工作日`)]);
  });

  it('"修好了" offers 办结 with those words as the note; "1" resolves it and the resident is asked to rate', async () => {
    h = await startBotHarness();
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    await h.say({ from: '张伟', text: '收到' });

    const offered = await h.say({ from: '张伟', text: '修好了' });
    expect(dm(offered, '张伟')).toEqual([expect.stringContaining(`要办结 #${order.no} 吗`)]);
    expect((await h.order(order.no)).status).toBe('accepted');

    const resolved = await h.say({ from: '张伟', text: '1' });
    expect(dm(resolved, '张伟')).toEqual([expect.stringContaining(`#${order.no} 已办结`)]);
    expect((await h.order(order.no)).status).toBe('resolved');
    expect((await events(order.id)).find((e) => e.type === 'resolve')?.note).toBe('修好了');
    expect(atIn(resolved, '陈阿姨')).toEqual([expect.stringContaining('1 解决了，满意')]);
  });

  it('"好的" after the 办结 offer confirms it, and does not sign for another order waiting', async () => {
    h = await startBotHarness();
    const order = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    await h.say({ from: '张伟', text: '收到' });
    const waiting = await report('老王', '5号楼下水道堵了，污水漫到路上');

    expect(dm(await h.say({ from: '张伟', text: `${order.no}已经处理好了，灯泡换了` }), '张伟')).toEqual([
      expect.stringContaining(`要办结 #${order.no} 吗`),
    ]);
    const confirmed = await h.say({ from: '张伟', text: '好的' });
    expect(dm(confirmed, '张伟')).toEqual([expect.stringContaining(`#${order.no} 已办结`)]);
    expect((await events(order.id)).find((e) => e.type === 'resolve')?.note).toBe('已经处理好了，灯泡换了');
    expect((await h.order(waiting.no)).status).toBe('assigned');
  });
});

describe('待办', () => {
  it('lists overdue and urgent orders first, marked, with the time left; then the rest', async () => {
    h = await startBotHarness();
    const normal = await report('陈阿姨', '3号楼门口的路灯坏了，晚上很黑');
    const late = await report('老王', '小区东门那边有盏灯不亮了');
    expect((await h.order(late.no)).urgency).toBe('normal');
    const urgent = await report('小林', '2栋一楼煤气泄漏了，味道很大，快来人');
    expect((await h.order(urgent.no)).urgency).toBe('urgent');
    // The second order's limit has passed (as if the leader had let it lie).
    await h.t.db
      .update(workOrders)
      .set({ deadlineAt: new Date(h.t.clock.now().getTime() - 5 * 3_600_000) })
      .where(eq(workOrders.id, late.id));

    const [todo] = dm(await h.say({ from: '张伟', text: '待办' }), '张伟');
    const lines = todo!.split('\n');
    const lineOf = (no: number) => lines.findIndex((l) => l.includes(`#${no} `));
    expect(lines[lineOf(late.no)]).toMatch(/^【已超期】#\d+ .*超期5小时/u);
    expect(lines[lineOf(urgent.no)]).toMatch(/^【紧急】#\d+ .*剩\d+(小时|分钟)/u);
    expect(lines[lineOf(normal.no)]).toMatch(/^#\d+ .*剩\d+个工作日/u);
    expect(lineOf(late.no)).toBeLessThan(lineOf(urgent.no));
    expect(lineOf(urgent.no)).toBeLessThan(lineOf(normal.no));
    expect(todo).toContain('其中2件需优先处理');
  });
});
