import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createWechaty } from '../../bots/bot';
import { attachConversation } from '../../bots/conversation/handler';
import { type MockWorld, createMockWorld } from '../../bots/testing/mock-world';
import { chatGroups, inboundMessages } from '../../src/modules/chat/chat.table';
import { confirmIdentity } from '../../src/modules/chat/identity-confirm.usecases';
import { unmatchedIdentities } from '../../src/modules/chat/identity.table';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
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

/** 陈阿姨, a member of the group (not the bot's friend), reported an order that 张伟 resolved: it awaits her survey. */
async function herOrderAwaitsSurvey() {
  h = await startBotHarness();
  await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
  const order = await h.lastOrder();
  await h.say({ from: '张伟', text: `接单 ${order.no}` });
  await h.say({ from: '张伟', text: `办结 ${order.no} 已更换灯泡` });
  return { order, chenId: await h.t.residentId('陈阿姨') };
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
  it('re-attaches groups by topic and staff by their remark; a resident known only by name waits for a confirmation, which merges what she reported meanwhile', async () => {
    const { order, chenId } = await herOrderAwaitsSurvey();

    const world = await relogin();
    const todo = await say(world, { from: '张伟', text: '待办' });
    expect(dm(todo, '张伟')[0]).toContain('您目前没有待办工单');
    const [zhang] = await h.t.db.select().from(staff).where(eq(staff.id, await h.t.staffId('张伟')));
    expect(zhang!.chatContactId).toBe(`xs${zhang!.id}`);

    // Only her name says who she is: her history is not shown, and her survey can not be answered yet.
    const mine = atIn(await say(world, { from: '陈阿姨', room: GROUP, text: '我的工单', mentionBot: true }), '陈阿姨');
    expect(mine).toEqual([expect.stringContaining('您的身份尚待工作人员确认')]);
    expect(mine[0]).not.toContain(`#${order.no}`);
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
    expect(group!.roomId).toBe(`xg${group!.id}@chatroom`);
    expect(atIn(await say(world, { from: '陈阿姨', room: GROUP, text: '1', mentionBot: true }), '陈阿姨')).toEqual([
      expect.stringContaining('目前没有需要您评价的工单'),
    ]);
    expect((await h.order(order.no)).status).toBe('resolved');
    // A new demand is taken all the same.
    const lift = atIn(await say(world, { from: '陈阿姨', room: GROUP, text: '5号楼电梯停了两天了，老人上下楼很不方便', mentionBot: true }), '陈阿姨');
    expect(lift[0]).toContain('已受理');
    const newer = await h.lastOrder();
    const [entry] = await h.t.db.select().from(unmatchedIdentities);
    expect(entry).toMatchObject({ reason: 'name_match', name: '陈阿姨', provisionalResidentId: newer.residentId, resolvedAt: null });
    expect(entry!.candidates).toEqual([expect.objectContaining({ type: 'resident', id: chenId })]);
    expect((await h.t.db.select().from(residents).where(eq(residents.id, chenId)))[0]!.chatContactId).toBe(`r${chenId}`);

    // A member of staff confirms her in the console: one resident again, with both orders.
    const outcome = await confirmIdentity({ db: h.t.db, entryId: entry!.id, resolution: `resident:${chenId}`, staffId: await h.t.staffId('张伟'), now: h.t.clock.now() });
    expect(outcome).toMatchObject({ kind: 'confirmed', mergedOrders: 1 });
    expect((await h.order(newer.no)).residentId).toBe(chenId);
    const [provisional] = await h.t.db.select().from(residents).where(eq(residents.id, newer.residentId));
    expect(provisional).toMatchObject({ chatKey: null, chatContactId: null, chatName: null });
    const after = atIn(await say(world, { from: '陈阿姨', room: GROUP, text: '我的工单', mentionBot: true }), '陈阿姨');
    expect(after[0]).toContain(`#${order.no}`);
    expect(after[0]).toContain(`#${newer.no}`);
    expect(after[0]).not.toContain('尚待工作人员确认');
    const rated = atIn(await say(world, { from: '陈阿姨', room: GROUP, text: `1 #${order.no}` }), '陈阿姨');
    expect(rated).toEqual([expect.stringContaining(`工单 #${order.no} 已归档`)]);
    const [chen] = await h.t.db.select().from(residents).where(eq(residents.id, chenId));
    expect(chen).toMatchObject({ chatContactId: `xr${chenId}`, chatKey: `GL-R${chenId}` });
    // Deciding twice is refused.
    expect(await confirmIdentity({ db: h.t.db, entryId: entry!.id, resolution: 'new', staffId: null, now: h.t.clock.now() })).toEqual({ kind: 'not_found' });
  });

  it('does not let a stranger who takes a resident\'s display name see or change her orders', async () => {
    const { order, chenId } = await herOrderAwaitsSurvey();

    const world = await relogin();
    // She is not in the group today; a stranger joins it under her name.
    const [group] = await h.t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
    const room = world.mocker.RoomMock.load(`xg${group!.id}@chatroom`);
    room.payload.memberIdList = room.payload.memberIdList.filter((id) => id !== `xr${chenId}`);
    const stranger = world.addStranger('陈阿姨', { rooms: [GROUP] });

    const mine = atIn(await say(world, { from: stranger, room: GROUP, text: '我的工单', mentionBot: true }), '陈阿姨');
    expect(mine).toEqual([expect.stringContaining('您的身份尚待工作人员确认')]);
    expect(mine[0]).not.toContain(`#${order.no}`);
    expect(atIn(await say(world, { from: stranger, room: GROUP, text: `查询 ${order.no}`, mentionBot: true }), '陈阿姨')[0]).toContain('没有找到这个工单');
    // Her survey: a bare "3" in the group is not even for the bot; addressed, nothing waits for this speaker.
    expect(await say(world, { from: stranger, room: GROUP, text: '3 灯还是不亮' })).toEqual([]);
    expect(atIn(await say(world, { from: stranger, room: GROUP, text: `3 #${order.no} 灯还是不亮`, mentionBot: true }), '陈阿姨')[0]).toContain('没有找到这个工单');
    expect(atIn(await say(world, { from: stranger, room: GROUP, text: `撤回 ${order.no}`, mentionBot: true }), '陈阿姨')[0]).not.toContain('已撤回');
    expect(await h.order(order.no)).toMatchObject({ status: 'resolved', residentId: chenId, reopenCount: 0 });
    expect(await h.t.db.select().from(surveyAnswers)).toEqual([]);

    // What he reports is kept, on a provisional resident listed for the console; her record is untouched.
    expect(atIn(await say(world, { from: stranger, room: GROUP, text: '7号楼下水道堵了，污水漫到路上', mentionBot: true }), '陈阿姨')[0]).toContain('已受理');
    const his = await h.lastOrder();
    expect(his.residentId).not.toBe(chenId);
    expect(await h.t.db.select().from(unmatchedIdentities)).toEqual([
      expect.objectContaining({ reason: 'name_match', chatId: stranger, provisionalResidentId: his.residentId, resolvedAt: null }),
    ]);
    const [chen] = await h.t.db.select().from(residents).where(eq(residents.id, chenId));
    expect(chen).toMatchObject({ chatContactId: `r${chenId}`, chatName: '陈阿姨' });
  });

  it('with two members of the group carrying one name, confirms neither by name; the one whose remark the bot set is herself', async () => {
    h = await startBotHarness();
    // Writing 1:1 makes her the bot's friend, and the bot sets her remark.
    await h.say({ from: '陈阿姨', text: '3号楼门口的路灯坏了，晚上很黑' });
    const order = await h.lastOrder();
    const chenId = await h.t.residentId('陈阿姨');
    await h.say({ from: '老王', room: GROUP, text: '5号楼电梯停了两天了，老人上下楼很不方便', mentionBot: true });
    const wangId = await h.t.residentId('老王');

    const world = await relogin();
    const fakeWang = world.addStranger('老王', { rooms: [GROUP] });
    const fakeChen = world.addStranger('陈阿姨', { rooms: [GROUP] });
    for (const [who, name] of [[fakeWang, '老王'], ['老王', '老王'], [fakeChen, '陈阿姨']]) {
      const reply = atIn(await say(world, { from: who!, room: GROUP, text: '我的工单', mentionBot: true }), name!);
      expect(reply).toEqual([expect.stringContaining('您的身份尚待工作人员确认')]);
      expect(reply[0]).not.toContain(`#${order.no}`);
    }
    const entries = await h.t.db.select().from(unmatchedIdentities);
    expect(entries.map((e) => [e.name, e.reason]).sort()).toEqual([['老王', 'same_name'], ['老王', 'same_name'], ['陈阿姨', 'same_name']]);
    expect(entries.every((e) => (e.candidates as { id: number }[]).some((c) => c.id === (e.name === '老王' ? wangId : chenId)))).toBe(true);

    // Her remark survived the re-login: she is herself, whoever else carries her name.
    const hers = atIn(await say(world, { from: '陈阿姨', room: GROUP, text: '我的工单', mentionBot: true }), '陈阿姨');
    expect(hers[0]).toContain(`#${order.no}`);
    expect(hers[0]).not.toContain('尚待工作人员确认');
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
