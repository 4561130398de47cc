import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../src/modules/chat/chat.table';
import { residents } from '../../src/modules/people/residents.table';
import { attachments, orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import gcoord from 'gcoord';
import { demoBoundary } from '../../src/seed/demo-district';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

describe('a resident writing to the bot 1:1', () => {
  it('reports a demand in the grid of the group they share with the bot, and becomes the bot\'s friend', async () => {
    h = await startBotHarness();
    const sent = await h.say({ from: '陈阿姨', text: '我家楼下3号楼的下水道堵了，味道很大' });
    const order = await h.lastOrder();
    expect(order).toMatchObject({ gridId: await h.t.gridId('D01-T01-C01-G01'), channel: 'direct', chatGroupId: expect.any(Number) });
    expect(dm(sent, '陈阿姨')).toEqual([expect.stringContaining(`已受理 #${order.no}`)]);
    const [me] = await h.t.db.select().from(residents).where(eq(residents.id, await h.t.residentId('陈阿姨')));
    expect(me!.isFriend).toBe(true);
  });

  it('queries, lists, cancels and sees points; the number may be left out when there is one order', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const order = await h.lastOrder();

    const query = dm(await h.say({ from: '陈阿姨', text: `查询 ${order.no}` }), '陈阿姨');
    expect(query[0]).toContain(`#${order.no} 路灯照明 · 已派单`);
    expect(query[0]).toContain('网格长张伟办理');
    expect(dm(await h.say({ from: '陈阿姨', text: '查询' }), '陈阿姨')[0]).toContain(`#${order.no} 路灯照明`);
    expect(dm(await h.say({ from: '陈阿姨', text: '我的工单' }), '陈阿姨')[0]).toContain(`#${order.no} 路灯照明 · 已派单`);
    expect(dm(await h.say({ from: '陈阿姨', text: '积分' }), '陈阿姨')[0]).toContain('2分');
    expect(dm(await h.say({ from: '陈阿姨', text: '帮助' }), '陈阿姨')[0]).toContain('查询 1024');

    const cancelled = await h.say({ from: '陈阿姨', text: '撤回 已经自己修好了' });
    expect(dm(cancelled, '陈阿姨')).toEqual([`已撤回工单 #${order.no}。`]);
    expect(dm(cancelled, '张伟')).toEqual([expect.stringContaining('已由居民撤回')]);
    expect((await h.order(order.no)).status).toBe('cancelled');
    expect(dm(await h.say({ from: '陈阿姨', text: '撤回' }), '陈阿姨')[0]).toContain('没有可以撤回的工单');
    expect(dm(await h.say({ from: '陈阿姨', text: '1' }), '陈阿姨')[0]).toContain('没有需要您评价的工单');
  });

  it('a vague message is asked about once; small talk gets a short answer and no order', async () => {
    h = await startBotHarness();
    expect(dm(await h.say({ from: '老王', text: '谢谢' }), '老王')).toEqual(['不客气，有事随时找我。']);
    // A greeting is small talk (issue 11): a short answer saying how to report, nothing held for 30 minutes.
    expect(dm(await h.say({ from: '老王', text: '你好，有人吗？？' }), '老王')[0]).toContain('有问题直接告诉我');
    expect(await h.t.db.select().from(workOrders)).toEqual([]);
    expect(dm(await h.say({ from: '老王', text: '灯坏了' }), '老王')[0]).toContain('具体在什么位置');
    const answered = await h.say({ from: '老王', text: '5号楼2单元楼道里的灯，老人上下楼很困难' });
    const order = await h.lastOrder();
    expect(order.text).toBe('灯坏了\n补充：5号楼2单元楼道里的灯，老人上下楼很困难');
    expect(dm(answered, '老王')[0]).toContain(`已受理 #${order.no}`);
  });

  it('a newcomer the bot shares no group with is asked for the grid, and the demand goes on once named', async () => {
    h = await startBotHarness();
    h.world.addStranger('新住户');
    const asked = dm(await h.say({ from: '新住户', text: '小区北门路灯不亮，晚上很黑' }), '新住户');
    expect(asked[0]).toContain('住在哪个小区、哪个网格');
    expect(await h.t.db.select().from(workOrders)).toEqual([]);
    expect(dm(await h.say({ from: '新住户', text: '不知道' }), '新住户')[0]).toContain('没能确定是哪个网格');
    const done = dm(await h.say({ from: '新住户', text: '柳岸社区第二网格' }), '新住户');
    const order = await h.lastOrder();
    expect(order).toMatchObject({ gridId: await h.t.gridId('D01-T01-C01-G02'), text: '小区北门路灯不亮，晚上很黑' });
    expect(done[0]).toContain(`已受理 #${order.no}`);
    const [newcomer] = await h.t.db.select().from(residents).where(eq(residents.chatName, '新住户'));
    expect(newcomer).toMatchObject({ source: 'chat', isFriend: true, chatKey: `GL-R${newcomer!.id}`, gridId: order.gridId });
    // Their grid is known from now on: the next demand needs no question.
    const next = dm(await h.say({ from: '新住户', text: '北门外的垃圾桶满了，好几天没人清' }), '新住户');
    expect(next[0]).toContain('已受理');
  });

  it('a WeChat location (GCJ-02) answers "which grid?" by the grid boundary it falls in', async () => {
    h = await startBotHarness();
    h.world.addStranger('新住户');
    const asked = dm(await h.say({ from: '新住户', text: '小区门口的井盖翘起来了，容易绊倒' }), '新住户');
    expect(asked[0]).toContain('哪个网格');
    // The middle of 柳岸社区第三网格's boundary (WGS-84), as WeChat would give it (GCJ-02): read as WGS-84 this
    // point lies ~250 m off, outside every demo boundary, so only the conversion finds the grid.
    const [x0, y0] = demoBoundary('D01-T01-C01-G03')!.coordinates[0]![0]!;
    const [x1, y1] = demoBoundary('D01-T01-C01-G03')!.coordinates[0]![2]!;
    const [lng, lat] = gcoord.transform([(x0! + x1!) / 2, (y0! + y1!) / 2], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    const done = dm(await h.say({ from: '新住户', type: 'location', location: { lat, lng, address: '柳岸路66号' } }), '新住户');
    const order = await h.lastOrder();
    expect(order).toMatchObject({ gridId: await h.t.gridId('D01-T01-C01-G03'), text: '小区门口的井盖翘起来了，容易绊倒', locationText: '柳岸路66号' });
    // Stored back in WGS-84: the middle of the boundary again, to a few centimetres.
    expect(order.lng).toBeCloseTo((x0! + x1!) / 2, 6);
    expect(order.lat).toBeCloseTo((y0! + y1!) / 2, 6);
    expect(done[0]).toContain(`已受理 #${order.no}`);
  });

  it('a member of two groups is asked which grid the 1:1 demand is for', async () => {
    h = await startBotHarness();
    h.world.addStranger('两边住', { rooms: [GROUP, '柳岸社区第二网格居民群'] });
    // Seen in a group first: now the bot knows them.
    await h.say({ from: '两边住', room: GROUP, text: '你好', mentionBot: true });
    const asked = dm(await h.say({ from: '两边住', text: '楼道里堆满了杂物，消防通道堵了' }), '两边住');
    expect(asked[0]).toContain('1. 柳岸社区第一网格');
    expect(asked[0]).toContain('2. 柳岸社区第二网格');
    await h.say({ from: '两边住', text: '2' });
    expect((await h.lastOrder()).gridId).toBe(await h.t.gridId('D01-T01-C01-G02'));
  });
});

describe('photos, voice, files and locations after a demand', () => {
  it('attach to the order within 10 minutes, stored under DATA_DIR and on the timeline', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const order = await h.lastOrder();
    const png = Buffer.from('a photo of a broken lamp').toString('base64');

    const first = await h.say({ from: '陈阿姨', room: GROUP, type: 'image', file: { name: 'lamp.png', base64: png } });
    expect(atIn(first, '陈阿姨')).toEqual([`@陈阿姨 已将照片附到工单 #${order.no}。`]);
    // A second photo in the group is attached quietly.
    expect(await h.say({ from: '陈阿姨', room: GROUP, type: 'image' })).toEqual([]);
    expect(dm(await h.say({ from: '陈阿姨', type: 'voice' }), '陈阿姨')).toEqual([`已将语音附到工单 #${order.no}。`]);

    const rows = await h.t.db.select().from(attachments).orderBy(asc(attachments.id));
    expect(rows.map((r) => r.kind)).toEqual(['image', 'image', 'voice']);
    expect(rows[0]).toMatchObject({ orderId: order.id, mime: 'image/png', originalName: 'lamp.png', sizeBytes: 24 });
    expect(await readFile(join(h.dataDir, rows[0]!.storagePath!), 'utf8')).toBe('a photo of a broken lamp');
    const events = await h.t.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.filter((e) => e.type === 'attachment')).toHaveLength(3);

    h.t.clock.advance(11 * 60_000);
    const late = await h.say({ from: '陈阿姨', type: 'image' });
    expect(dm(late, '陈阿姨')[0]).toContain('请先用文字描述');
    expect(await h.t.db.select().from(attachments)).toHaveLength(3);
  });

  it('larger than ATTACHMENT_MAX_BYTES are refused and nothing is kept', async () => {
    h = await startBotHarness({ env: { ATTACHMENT_MAX_BYTES: '10' } });
    await h.say({ from: '陈阿姨', text: '3号楼门口的路灯坏了，晚上很黑' });
    const reply = await h.say({ from: '陈阿姨', type: 'file', file: { name: 'big.pdf', base64: Buffer.alloc(64).toString('base64') } });
    expect(dm(reply, '陈阿姨')[0]).toContain('文件太大');
    expect(await h.t.db.select().from(attachments)).toEqual([]);
    const [, row] = await h.t.db.select().from(inboundMessages).orderBy(asc(inboundMessages.id));
    expect(row!.outcome).toBe('attachment_too_large');
    const kept = await readdir(join(h.dataDir, 'attachments'), { recursive: true }).catch(() => []);
    expect(kept.filter((f) => f.includes('.'))).toEqual([]);
  });

  it('sent while the demand waits for an answer are kept and attached once the order exists', async () => {
    h = await startBotHarness();
    await h.say({ from: '小林', room: GROUP, text: '灯坏了', mentionBot: true });
    const held = await h.say({ from: '小林', room: GROUP, type: 'image' });
    expect(atIn(held, '小林')).toEqual(['@小林 已收到照片，会附到您这件反映上。']);
    await h.say({ from: '小林', room: GROUP, text: '8号楼2单元楼道' });
    const order = await h.lastOrder();
    expect(await h.t.db.select().from(attachments)).toEqual([expect.objectContaining({ orderId: order.id, kind: 'image' })]);
  });
});

describe('friendship', () => {
  it('is offered once after a group report by a resident who is not the bot\'s friend', async () => {
    h = await startBotHarness();
    const offered: string[] = [];
    const puppet = h.world.puppet;
    const original = puppet.friendshipAdd.bind(puppet);
    puppet.friendshipAdd = async (contactId: string, hello?: unknown) => {
      offered.push(contactId);
      return original(contactId, hello as string);
    };
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    await h.say({ from: '陈阿姨', room: GROUP, text: '5号楼电梯停了两天了', mentionBot: true });
    expect(offered).toEqual(['r1']);
  });
});
