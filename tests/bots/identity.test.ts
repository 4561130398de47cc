import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createWechaty } from '../../bots/bot';
import { attachConversation } from '../../bots/conversation/handler';
import { type MockWorld, createMockWorld } from '../../bots/testing/mock-world';
import { chatGroups, inboundMessages } from '../../src/modules/chat/chat.table';
import { unmatchedIdentities } from '../../src/modules/chat/identity.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

let h: BotHarness;
let second: { world: MockWorld; stop(): Promise<void> } | undefined;
afterEach(async () => {
  await second?.stop();
  second = undefined;
  await h?.close();
});

/** The same WeChat account logged in again on a web puppet: every contact and room has a new id. */
async function relogin(): Promise<MockWorld> {
  await h.started.stop();
  const { bot, mocker, dispose } = createWechaty({ config: h.t.config, dataDir: h.dataDir, log: h.t.log });
  const conversation = attachConversation({ ctx: h.t, bot });
  await bot.start();
  const world = await createMockWorld({ ctx: h.t, bot, mocker: mocker!, tracker: conversation.tracker, idPrefix: 'x', bindIdentities: false });
  second = {
    world,
    async stop() {
      world.stop();
      conversation.detach();
      dispose();
      await bot.stop();
    },
  };
  return world;
}

async function say(world: MockWorld, input: Parameters<MockWorld['say']>[0]) {
  const before = world.transcript().length;
  await world.say(input);
  await world.settle();
  return world.transcript().slice(before);
}

describe('binding staff with a one-time code', () => {
  it('turns a contact into the member of staff the console issued the code to; wrong, expired and repeated codes fail', async () => {
    h = await startBotHarness();
    const id = await h.t.staffId('刘洋');
    await h.t.db.update(staff).set({ chatKey: null, chatContactId: null }).where(eq(staff.id, id));

    // The remark the bot once set means nothing once the binding is gone.
    expect(dm(await h.say({ from: '刘洋', text: '待办' }), '刘洋')[0]).toContain('这是工作人员的指令');

    const now = h.t.clock.now().getTime();
    await h.t.db.update(staff).set({ bindCode: '483920', bindCodeExpiresAt: new Date(now + 10 * 60_000) }).where(eq(staff.id, id));
    expect(dm(await h.say({ from: '刘洋', text: '绑定 000000' }), '刘洋')[0]).toContain('绑定码无效或已过期');
    const bound = dm(await h.say({ from: '刘洋', text: '绑定：４８３９２０' }), '刘洋');
    expect(bound[0]).toContain('绑定成功：刘洋（柳岸社区第二网格网格长）');
    const [row] = await h.t.db.select().from(staff).where(eq(staff.id, id));
    expect(row).toMatchObject({ chatKey: `GL-S${id}`, chatContactId: `s${id}`, bindCode: null, bindCodeExpiresAt: null });
    expect(dm(await h.say({ from: '刘洋', text: '待办' }), '刘洋')[0]).toContain('您目前没有待办工单');
    // A code works once.
    expect(dm(await h.say({ from: '老王', text: '绑定 483920' }), '老王')[0]).toContain('绑定码无效或已过期');
  });

  it('refuses an expired code, and stops answering after five wrong codes in an hour', async () => {
    h = await startBotHarness();
    const id = await h.t.staffId('刘洋');
    await h.t.db
      .update(staff)
      .set({ bindCode: '111111', bindCodeExpiresAt: new Date(h.t.clock.now().getTime() - 1) })
      .where(eq(staff.id, id));
    expect(dm(await h.say({ from: '老王', text: '绑定 111111' }), '老王')[0]).toContain('绑定码无效或已过期');
    for (let i = 0; i < 4; i++) await h.say({ from: '老王', text: `绑定 99999${i}` });
    await h.t.db.update(staff).set({ bindCode: '222222', bindCodeExpiresAt: new Date(h.t.clock.now().getTime() + 60_000) }).where(eq(staff.id, id));
    expect(dm(await h.say({ from: '老王', text: '绑定 222222' }), '老王')[0]).toContain('尝试次数过多');
    h.t.clock.advance(61 * 60_000);
    await h.t.db.update(staff).set({ bindCode: '222222', bindCodeExpiresAt: new Date(h.t.clock.now().getTime() + 60_000) }).where(eq(staff.id, id));
    expect(dm(await h.say({ from: '老王', text: '绑定 222222' }), '老王')[0]).toContain('绑定成功：刘洋');
  });
});

describe('after a re-login with new contact and room ids', () => {
  it('re-attaches residents by name in their group, groups by topic and staff by their remark; nobody new is created', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const order = await h.lastOrder();
    const residentCount = (await h.t.db.select().from(residents)).length;

    const world = await relogin();
    const mine = await say(world, { from: '陈阿姨', room: GROUP, text: '我的工单', mentionBot: true });
    expect(atIn(mine, '陈阿姨')[0]).toContain(`#${order.no} 路灯照明`);
    const [chen] = await h.t.db.select().from(residents).where(eq(residents.id, await h.t.residentId('陈阿姨')));
    expect(chen).toMatchObject({ chatContactId: `xr${chen!.id}`, chatKey: `GL-R${chen!.id}` });
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
    expect(group!.roomId).toBe(`xg${group!.id}@chatroom`);

    const todo = await say(world, { from: '张伟', text: '待办' });
    expect(dm(todo, '张伟')[0]).toContain(`#${order.no} 路灯照明`);
    const [zhang] = await h.t.db.select().from(staff).where(eq(staff.id, await h.t.staffId('张伟')));
    expect(zhang!.chatContactId).toBe(`xs${zhang!.id}`);

    expect((await h.t.db.select().from(residents)).length).toBe(residentCount);
    expect(await h.t.db.select().from(unmatchedIdentities)).toEqual([]);
  });

  it('serves a namesake it cannot tell apart as a provisional resident, listed for the console, and answers them', async () => {
    h = await startBotHarness({
      before: async (t) => {
        await t.db.insert(residents).values({ name: '陈阿姨', chatName: '陈阿姨', gridId: await t.gridId('D01-T01-C01-G01'), chatContactId: 'gone-1' });
      },
    });
    const world = await relogin();
    const sent = await say(world, { from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    expect(atIn(sent, '陈阿姨')[0]).toContain('已受理');
    const [entry] = await h.t.db.select().from(unmatchedIdentities);
    expect(entry).toMatchObject({ kind: 'contact', name: '陈阿姨', reason: 'same_name', seenIn: GROUP, resolvedAt: null });
    expect((entry!.candidates as unknown[]).length).toBe(2);
    const order = await h.lastOrder();
    expect(order.residentId).toBe(entry!.provisionalResidentId);
    // The next message is the same provisional resident, not another one.
    await say(world, { from: '陈阿姨', room: GROUP, text: '5号楼电梯停了两天了', mentionBot: true });
    expect((await h.lastOrder()).residentId).toBe(entry!.provisionalResidentId);
    expect(await h.t.db.select().from(unmatchedIdentities)).toHaveLength(1);
  });

  it('asks a member of staff whose remark was lost to bind again, and does not give them staff rights by name', async () => {
    h = await startBotHarness();
    const world = await relogin();
    const id = await h.t.staffId('张伟');
    world.mocker.cacheContactPayload.get(`xs${id}`)!.alias = undefined;
    await world.puppet.contactPayloadDirty(`xs${id}`);
    const reply = await say(world, { from: '张伟', text: '待办' });
    expect(dm(reply, '张伟')[0]).toContain('请在管理后台重新生成绑定码');
  });
});

describe('when handling a message fails', () => {
  it('the resident gets an apology, the message is kept with the error, and the bot goes on', async () => {
    h = await startBotHarness();
    const all = h.t.categories.all;
    h.t.categories.all = async () => {
      throw new Error('database went away');
    };
    const sorry = await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    expect(atIn(sorry, '陈阿姨')).toEqual([expect.stringContaining('您的消息已记录')]);
    const [row] = await h.t.db.select().from(inboundMessages);
    expect(row).toMatchObject({ outcome: 'error', error: expect.stringContaining('database went away') });
    h.t.categories.all = all;
    expect(atIn(await h.say({ from: '陈阿姨', room: GROUP, text: '5号楼电梯停了两天了', mentionBot: true }), '陈阿姨')[0]).toContain('已受理');
  });
});

describe('when the chat network refuses a reply', () => {
  it('a receipt goes back to the outbox and the sender delivers it; a plain reply is written to the outbox', async () => {
    h = await startBotHarness();
    // Each of the two replies fails once, in place; what happens next is the outbox's.
    const failed = new Set<string>();
    h.world.failSends(({ text }) => {
      const which = ['已受理', '没有找到'].find((w) => text.includes(w));
      if (!which || failed.has(which)) return false;
      failed.add(which);
      return true;
    });
    const sent = await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const order = await h.lastOrder();
    expect(atIn(sent, '陈阿姨')).toEqual([expect.stringContaining(`已受理 #${order.no}`)]);
    expect(await h.outboxFor({ resident: '陈阿姨' }, 'receipt')).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 2, deliveredVia: 'room' }),
    ]);

    const query = await h.say({ from: '陈阿姨', text: '查询 999999' });
    expect(dm(query, '陈阿姨')).toEqual([expect.stringContaining('没有找到这个工单')]);
    expect(await h.outboxFor({ resident: '陈阿姨' }, 'reply')).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect(failed.size).toBe(2);
  });
});

describe('a group renamed while the bot is in it', () => {
  it('keeps its record and grid; the new topic is what re-attaches it later', async () => {
    h = await startBotHarness();
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
    const room = h.world.mocker.RoomMock.load(group!.roomId!);
    room.topic('柳岸一网格邻里群').by(h.world.mocker.ContactMock.load(`s${await h.t.staffId('张伟')}`));
    await h.world.settle();
    await expect.poll(async () => (await h.t.db.select().from(chatGroups).where(eq(chatGroups.id, group!.id)))[0]!.topic).toBe('柳岸一网格邻里群');
    expect((await h.t.db.select().from(chatGroups).where(eq(chatGroups.id, group!.id)))[0]!.gridId).toBe(group!.gridId);
  });
});
