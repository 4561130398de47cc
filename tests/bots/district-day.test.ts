import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../bots/testing/mock-world';
import { STATUS_LABELS } from '../../src/i18n/zh-CN';
import { jobDepsFrom } from '../../src/jobs/job-deps';
import { run as overdue } from '../../src/jobs/overdue.job';
import { departmentMembers, departments } from '../../src/modules/departments/departments.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { attachments, orderSupporters, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a new water pipe')]);

/** Who received anything in `sent`, by name (1:1) or by group and the names @-mentioned. */
function recipients(sent: TranscriptEntry[]): string[] {
  return [...new Set(sent.map((e) => e.to ?? `${e.room}@${e.mentions.join(',')}`))].sort();
}

/**
 * A working day of people who are not in the other stories, as they type on their phones: 刘奶奶, who reports a
 * burst pipe in fragments and then wonders if anyone is there; 赵大爷, her neighbour, who "+1"s it in the group; the
 * town officer 吴书记, who dispatches it the way he talks ("1001派给自来水公司"); 姜山 of the water company, who
 * writes "收到" and "修好了" with a photo; 龚经理, the company's head, who asks "哪些超期了" after the 督办; the grid
 * leader 张伟, who calls 刘奶奶 and types "回访 满意"; and each step's messages, to whom.
 */
describe('a working day in the district', { timeout: 300_000 }, () => {
  let h: BotHarness;
  afterEach(async () => h?.close());

  it('a burst pipe told in fragments is one order, dispatched as the officer types it, 督办ed, fixed with a photo and 回访ed by phone', async () => {
    h = await startBotHarness({
      departments: true,
      before: async (t) => {
        const gridId = await t.gridId('D01-T01-C01-G01');
        await t.db.insert(residents).values([
          { name: '刘奶奶', chatName: '刘奶奶', phone: '13700000991', gridId },
          { name: '赵大爷', chatName: '赵大爷', phone: '13700000992', gridId },
        ]);
        // The water company's head, who hears of its overdue orders.
        const [gs] = await t.db.select().from(departments).where(eq(departments.code, 'GS'));
        const [head] = await t.db.insert(staff).values({ name: '龚经理', phone: '13600000015' }).returning({ id: staff.id });
        await t.db.insert(departmentMembers).values({ departmentId: gs!.id, staffId: head!.id, role: 'head' });
      },
    });
    const { t } = h;
    const minutes = (n: number) => t.clock.advance(n * 60_000);
    const text = (sent: TranscriptEntry[], name: string) => dm(sent, name).join('\n');

    // 09:58 — 刘奶奶 calls the bot by name, then tells it in pieces.
    t.clock.set(new Date('2026-11-23T09:58:00+08:00'));
    const hello = await h.say({ from: '刘奶奶', text: '小格' });
    expect(recipients(hello)).toEqual(['刘奶奶']);
    minutes(1);
    const reported = await h.say({ from: '刘奶奶', text: '我家水管爆了' });
    const o = await h.lastOrder();
    expect(recipients(reported)).toEqual(['刘奶奶', '张伟']);
    expect(text(reported, '刘奶奶')).toContain(`已受理 #${o.no}`);
    expect(text(reported, '刘奶奶')).toContain('关闭水阀');
    expect(text(reported, '张伟')).toContain('报事人：刘奶奶 13700000991');
    minutes(1);
    // "3O1" with a letter O: where it is, not a second order.
    const where = await h.say({ from: '刘奶奶', text: '5栋3O1 厨房 水到处都是😭' });
    expect(await h.lastOrder()).toMatchObject({ id: o.id });
    expect(recipients(where)).toContain('刘奶奶');
    expect(text(where, '刘奶奶')).toContain(`#${o.no}`);
    expect(text(where, '刘奶奶')).not.toContain('已受理');

    // 赵大爷 in the group: a bare "+1" to the neighbours is their own talk; said to 小格, he joins her order.
    expect(await h.say({ from: '赵大爷', room: GROUP, text: '+1 我家楼下也在滴水' })).toEqual([]);
    const offered = await h.say({ from: '赵大爷', room: GROUP, text: '小格 5栋水管爆了 楼下也漏水' });
    expect(recipients(offered)).toEqual([`${GROUP}@赵大爷`]);
    expect(atIn(offered, '赵大爷').join('\n')).toContain(`#${o.no}`);
    await h.say({ from: '赵大爷', room: GROUP, text: '+1' });
    expect(await t.db.select().from(orderSupporters).where(eq(orderSupporters.orderId, o.id))).toHaveLength(1);
    expect(await h.lastOrder()).toMatchObject({ id: o.id });

    // An hour later: thanks, then "is anyone there?" — a 催办 of her order, not the help menu.
    minutes(60);
    const thanks = await h.say({ from: '刘奶奶', text: '谢谢' });
    expect(recipients(thanks)).toEqual(['刘奶奶']);
    const anyone = await h.say({ from: '刘奶奶', text: '？？？有人吗' });
    expect(text(anyone, '刘奶奶')).toContain(`#${o.no}`);
    expect(text(anyone, '刘奶奶')).not.toContain('可以这样用');
    expect(text(anyone, '张伟')).toContain('居民催办');

    // The leader signs for it; the town officer sends it to the water company as he would say it.
    await h.say({ from: '张伟', text: '收到' });
    expect((await h.order(o.no)).status).toBe('accepted');
    const dispatched = await h.say({ from: '吴书记', text: `${o.no}派给自来水公司` });
    expect(text(dispatched, '吴书记')).toContain(`已将工单 #${o.no} 派给区供水公司办理`);
    const [water] = await t.db.select().from(departments).where(eq(departments.code, 'GS'));
    expect(await h.order(o.no)).toMatchObject({ departmentId: water!.id, assigneeId: await t.staffId('姜山'), status: 'assigned' });
    // The company's handler reads where it is: her 补充 comes with the report.
    expect(text(dispatched, '姜山')).toContain(`【紧急】【新工单】#${o.no}`);
    expect(text(dispatched, '姜山')).toContain('居民反映：我家水管爆了（补充：5栋3O1 厨房 水到处都是😭）');
    expect(text(h.world.transcript(), '张伟')).toContain('已交区供水公司办理');

    // The company's handler: "收到" signs for his only order.
    const signed = await h.say({ from: '姜山', text: '收到' });
    expect(text(signed, '姜山')).toContain(`已签收 #${o.no}`);
    expect((await h.order(o.no)).status).toBe('accepted');

    // The deadline passes unresolved: the 督办 goes to the handler, the head and the dispatching officer.
    const deadline = (await h.order(o.no)).deadlineAt!;
    t.clock.set(new Date(deadline.getTime() + 5 * 60_000));
    const before = h.world.transcript().length;
    expect((await overdue(jobDepsFrom(t, { instance: 'test' }))).noticed).toBe(1);
    await h.world.settle();
    const supervised = h.world.transcript().slice(before);
    expect(recipients(supervised)).toEqual(['吴书记', '姜山', '龚经理']);
    expect(text(supervised, '龚经理')).toContain(`区供水公司姜山办理的工单 #${o.no}`);

    // The officer asked to follow it up finds it in his 待办.
    const officerTodo = await h.say({ from: '吴书记', text: '待办' });
    expect(text(officerTodo, '吴书记')).toContain('您单位派出、已超期的工单（请跟进）');
    expect(text(officerTodo, '吴书记')).toContain(`【已超期】#${o.no} 漏水渗水 · 区供水公司办理`);

    // The head asks in his words which are overdue.
    const which = await h.say({ from: '龚经理', text: '哪些超期了' });
    expect(text(which, '龚经理')).toContain(`【已超期】【紧急】#${o.no}`);

    // The handler sends a photo from the flat, then "修好了": the bot asks before it resolves.
    const photo = await h.say({ from: '姜山', type: 'image', file: { name: '水管.png', base64: PNG.toString('base64') } });
    expect(text(photo, '姜山')).toContain(`#${o.no}`);
    const offer = await h.say({ from: '姜山', text: '修好了' });
    expect(text(offer, '姜山')).toContain(`要办结 #${o.no} 吗`);
    expect((await h.order(o.no)).status).toBe('accepted');
    const resolved = await h.say({ from: '姜山', text: '1' });
    expect((await h.order(o.no)).status).toBe('resolved');
    const photos = await t.db.select().from(attachments).where(and(eq(attachments.orderId, o.id), eq(attachments.kind, 'image')));
    expect(photos.map((p) => p.addedByStaffId)).toEqual([await t.staffId('姜山')]);
    expect(text(resolved, '刘奶奶')).toContain('修好了');
    expect(text(h.world.transcript(), '张伟')).toContain('区供水公司已办结');

    // 刘奶奶 does not answer the bot; the leader calls her and types what she said, without the number.
    minutes(120);
    const visit = await h.say({ from: '张伟', text: '回访 满意' });
    expect(text(visit, '张伟')).toContain(`#${o.no}`);
    expect(await h.order(o.no)).toMatchObject({ status: 'closed', closure: 'satisfied' });
    const [survey] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, o.id));
    expect(survey).toMatchObject({ answer: 'satisfied', channel: 'staff_chat' });
    // She is thanked for taking the call, not for a rating she never typed.
    const thanked = h.world.transcript().filter((e) => e.text.includes(`#${o.no}`) && e.text.includes('回访'));
    expect(thanked.map((e) => e.text).join('\n')).toContain('感谢您接受回访');
    expect(h.world.transcript().some((e) => e.text.includes('感谢您的评价'))).toBe(false);

    // At the end of the day the officer has nothing left to follow.
    const todo = await h.say({ from: '吴书记', text: '待办' });
    expect(recipients(todo)).toEqual(['吴书记']);
    expect(text(todo, '吴书记')).toBe('您目前没有待办工单。');
    if (process.env.DAY_TRANSCRIPT) for (const e of h.world.transcript()) console.log(`-> ${e.to ?? `${e.room} @${e.mentions.join(',')}`}: ${e.text}`);
    console.log(`district day: ${h.world.transcript().length} messages sent`);
    const orders = await t.db.select().from(workOrders);
    expect(orders).toHaveLength(1);
  });

  it('a power cut: the company says "恢复供电了", the resident says it is still dark, and the order goes back with her words', async () => {
    h = await startBotHarness({ departments: true });
    const { t } = h;
    const text = (sent: TranscriptEntry[], name: string) => dm(sent, name).join('\n');
    const [power] = await t.db.select().from(departments).where(eq(departments.code, 'GD'));

    // 小林 writes 1:1; the 派单目录 sends it to the power company, the grid leader is told.
    const reported = await h.say({ from: '小林', text: '楼道没电了 整个2单元都黑的' });
    const o = await h.lastOrder();
    expect(o).toMatchObject({ departmentId: power!.id, assigneeId: await t.staffId('陶亮') });
    expect(recipients(reported)).toEqual(['小林', '张伟', '陶亮']);
    expect(text(reported, '小林')).toContain('区供电公司');
    expect(text(reported, '张伟')).toContain('【分流交办】');

    // "收到👌" signs; a voice note from the stairwell goes with the order.
    const signed = await h.say({ from: '陶亮', text: '收到👌' });
    expect(text(signed, '陶亮')).toContain(`已签收 #${o.no}`);
    expect(text(signed, '小林')).toContain('已由区供电公司签收');
    const voice = await h.say({ from: '陶亮', type: 'voice', file: { name: '现场.silk' } });
    expect(text(voice, '陶亮')).toContain(`已将语音附到工单 #${o.no}`);

    // "好了 恢复供电了" is the work done: offered as 办结, a bare "好的" confirms it.
    t.clock.advance(3 * 3_600_000);
    const offer = await h.say({ from: '陶亮', text: '好了 恢复供电了' });
    expect(text(offer, '陶亮')).toContain(`要办结 #${o.no} 吗`);
    expect(text(offer, '小林')).toBe('');
    const resolved = await h.say({ from: '陶亮', text: '好的' });
    expect((await h.order(o.no)).status).toBe('resolved');
    expect(text(resolved, '小林')).toContain('恢复供电了');
    expect(text(resolved, '小林')).toContain('1 解决了，满意');

    // It is still dark: the order is reopened one level up with her words, and her grid leader hears it.
    const still = await h.say({ from: '小林', text: '还是没电啊 😡' });
    expect(await h.order(o.no)).toMatchObject({ status: 'assigned', assigneeId: await t.staffId('王主任'), departmentId: null });
    expect(text(still, '王主任')).toContain(`【重办】#${o.no}`);
    expect(text(still, '王主任')).toContain('还是没电啊 😡');
    expect(text(still, '张伟')).toBe(`工单 #${o.no} 区供电公司办结后，居民反映问题未解决：还是没电啊 😡。已交柳岸社区重新办理。`);
    expect(text(still, '陶亮')).toContain('未解决');

    // The community officer sends it back the short way; the company reads why it is back.
    const again = await h.say({ from: '王主任', text: `派 ${o.no} 供电` });
    // He held the reopened order: his confirmation is all he reads, not also "您无需继续处理".
    expect(dm(again, '王主任')).toEqual([`已将工单 #${o.no} 派给区供电公司办理。`]);
    expect(await h.order(o.no)).toMatchObject({ departmentId: power!.id, assigneeId: await t.staffId('陶亮'), status: 'assigned' });
    expect(text(again, '陶亮')).toContain('原因：居民反映仍未解决：还是没电啊 😡');
    // A second tap is answered with where it is, not "格式不太对".
    const twice = await h.say({ from: '王主任', text: `派 ${o.no} 供电` });
    expect(text(twice, '王主任')).toBe(`工单 #${o.no} 已由区供电公司办理（${STATUS_LABELS.assigned}），无需再派。回复"查询 ${o.no}"可查看进度。`);
    expect(recipients(twice)).toEqual(['王主任']);
  });
});
