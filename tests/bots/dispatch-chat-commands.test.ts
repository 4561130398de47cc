import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { departments } from '../../src/modules/departments/departments.table';
import { orderDispatches } from '../../src/modules/departments/order-dispatches.table';
import { hashPassword } from '../../src/modules/auth/passwords';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { loadDashboard } from '../../src/modules/stats/dashboard.usecases';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { Browser, TEST_PASSWORD } from '../http/console-helpers';
import { posterPath, report } from '../http/resident-web.helpers';
import { type BotHarness, GROUP, atIn, dm, startBotHarness } from './helpers';

/**
 * The two commands the 分流交办 notices tell staff to type, in plain words on the mock puppet: the officer a
 * department 退回s an order to dispatches it again with "派单 <no> 燃气" (after a name that fits several and one
 * that fits none), and the grid leader records the 回访 he made by phone for a resident the bot cannot reach.
 */
describe('派单 and 回访 typed in the chat', { timeout: 240_000 }, () => {
  let h: BotHarness | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await h?.close();
    app = undefined;
    h = undefined;
  });

  it('the officer a department returned an order to dispatches it again by the name he types', async () => {
    h = await startBotHarness({ departments: true });
    const { t } = h;
    const [gas] = await t.db.select().from(departments).where(eq(departments.code, 'RQ'));

    await h.say({ from: '陈阿姨', text: '3栋楼道里一股煤气味 好像哪里漏气了 快来人看看' });
    const o = await h.lastOrder();
    expect(o).toMatchObject({ departmentId: gas!.id, assigneeId: await t.staffId('李强') });

    // The company sends it back; the town officer is told how to dispatch it again.
    await h.say({ from: '李强', text: `退回 ${o.no} 现场是下水道返味，不是燃气` });
    expect((await h.order(o.no)).assigneeId).toBe(await t.staffId('吴书记'));
    expect(dm(h.world.transcript(), '吴书记').join('\n')).toContain(`派单 ${o.no} 单位名称`);

    // The officer's help lists 派单; the grid leader's does not.
    expect(dm(await h.say({ from: '吴书记', text: '帮助' }), '吴书记').join('\n')).toContain('派单 1024');
    expect(dm(await h.say({ from: '张伟', text: '帮助' }), '张伟').join('\n')).not.toContain('派单');

    // Neither the resident nor the grid leader dispatches; an officer of another town does not see the order.
    const resident = dm(await h.say({ from: '陈阿姨', text: `派单 ${o.no} 燃气` }), '陈阿姨').join('\n');
    expect(resident).toContain('工作人员的指令');
    const leader = dm(await h.say({ from: '张伟', text: `派单 ${o.no} 燃气` }), '张伟').join('\n');
    expect(leader).toContain('干部办理');
    expect(leader).toContain(`上报 ${o.no}`);
    expect(dm(await h.say({ from: '郑镇长', text: `派单 ${o.no} 燃气` }), '郑镇长').join('\n')).toContain('没有找到这个工单');

    // "公司" fits three companies; "往建局" (a typo) fits none: the departments serving the place are listed.
    const ambiguous = dm(await h.say({ from: '吴书记', text: `派单 ${o.no} 公司` }), '吴书记').join('\n');
    expect(ambiguous).toContain('区燃气公司、区供电公司、区供水公司');
    const unknown = dm(await h.say({ from: '吴书记', text: `派单 ${o.no} 往建局` }), '吴书记').join('\n');
    expect(unknown).toContain('没有找到"往建局"');
    expect(unknown).toContain('区住建局');
    expect(unknown).toContain('柳岸物业');
    // Without a number it is his only order; 桂园物业 looks after another estate, and the dispatch says so.
    const elsewhere = dm(await h.say({ from: '吴书记', text: '派单 桂园物业' }), '吴书记').join('\n');
    expect(elsewhere).toContain('桂园物业不负责柳岸社区第一网格');
    expect((await h.order(o.no)).assigneeId).toBe(await t.staffId('吴书记'));

    // The smell is gas after all: full-width number, the short name, a note.
    const done = dm(await h.say({ from: '吴书记', text: `派单　${String(o.no).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}　燃气，复核为燃气异味 请尽快处置` }), '吴书记').join('\n');
    expect(done).toContain(`已将工单 #${o.no} 派给区燃气公司办理`);
    expect(await h.order(o.no)).toMatchObject({ departmentId: gas!.id, assigneeId: await t.staffId('李强'), status: 'assigned' });
    const dispatches = await t.db.select().from(orderDispatches).where(eq(orderDispatches.orderId, o.id)).orderBy(asc(orderDispatches.id));
    expect(dispatches.map((d) => d.status)).toEqual(['returned', 'dispatched']);
    expect(dispatches[1]).toMatchObject({ dispatchedByStaffId: await t.staffId('吴书记'), departmentId: gas!.id });
    const [reassigned] = await t.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, o.id), eq(orderEvents.type, 'reassign')));
    expect(reassigned).toMatchObject({ note: '复核为燃气异味 请尽快处置', channel: 'direct' });

    // The company handles it.
    await h.say({ from: '李强', text: `接单 ${o.no}` });
    await h.say({ from: '李强', text: `办结 ${o.no} 已更换燃气管接头，试压正常` });
    expect((await h.order(o.no)).status).toBe('resolved');

    // In the residents' group: the command belongs in a 1:1 chat; a resident's words beginning with 派单 are a demand.
    expect(atIn(await h.say({ from: '张伟', room: GROUP, text: `派单 ${o.no} 燃气`, mentionBot: true }), '张伟').join('\n')).toContain('私聊');
    const before = (await h.lastOrder()).id;
    await h.say({ from: '老王', room: GROUP, text: '派单的人一直没来 7号楼下水道堵了好几天了', mentionBot: true });
    expect(await h.lastOrder()).toMatchObject({ residentId: await t.residentId('老王') });
    expect((await h.lastOrder()).id).toBeGreaterThan(before);
  });

  it('the leader records by chat the 回访 he made by phone for a resident who reported on the web page', async () => {
    h = await startBotHarness({ departments: true });
    const { t } = h;
    app = await buildHttpApp({ ctx: t, plugins: consolePlugins });

    // A resident with no chat identity reports from the grid's poster: the 派单目录 sends it to the gas company.
    const filed = await report(app, await posterPath(t, 'D01-T01-C01-G01'), { text: '5栋2单元楼道里有煤气味 好像漏气了', phone: '13912345678' });
    expect(filed.statusCode, filed.body.slice(0, 300)).toBe(303);
    const o = await h.lastOrder();
    expect(o).toMatchObject({ channel: 'web', assigneeId: await t.staffId('李强') });
    const [resident] = await t.db.select().from(residents).where(eq(residents.id, o.residentId));
    expect(resident).toMatchObject({ chatKey: null, chatContactId: null });

    // A 回访 before the order is resolved is refused in words.
    const early = dm(await h.say({ from: '张伟', text: `回访 ${o.no} 满意` }), '张伟').join('\n');
    expect(early).toContain('不在待回访状态');
    expect(await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, o.id))).toHaveLength(0);

    await h.say({ from: '李强', text: `接单 ${o.no}` });
    await h.say({ from: '李强', text: `办结 ${o.no} 已关阀更换接头` });
    // The leader is asked to call her and to reply with the command.
    expect(dm(h.world.transcript(), '张伟').join('\n')).toContain(`回复"回访 ${o.no} 满意"`);

    // A resident who types 回访 is answering her own 回访: she has none waiting.
    expect(dm(await h.say({ from: '陈阿姨', text: '回访 满意' }), '陈阿姨').join('\n')).toContain('没有需要您评价的工单');

    // He called her: fixed, and satisfied. Without a number: the one order waiting for his 回访.
    const recorded = dm(await h.say({ from: '张伟', text: '回访 修好了 很满意' }), '张伟').join('\n');
    expect(recorded).toContain(`已记录工单 #${o.no} 的回访结果：已解决，满意`);
    expect(await h.order(o.no)).toMatchObject({ status: 'closed', closure: 'satisfied' });
    const [round] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, o.id));
    expect(round).toMatchObject({ answer: 'satisfied', solved: true, channel: 'staff_chat', residentId: o.residentId });
    const [survey] = await t.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, o.id), eq(orderEvents.type, 'survey')));
    expect(survey).toMatchObject({ actorStaffId: await t.staffId('张伟'), channel: 'direct', data: { answer: 'satisfied', solved: true, by: 'phone' } });
    // The order page marks the round as staff's 回访, as it marks the console's.
    await t.db.update(staff).set({ username: 'zhangwei', passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: false }).where(eq(staff.id, await t.staffId('张伟')));
    const browser = new Browser(app);
    expect((await browser.login('zhangwei', TEST_PASSWORD)).statusCode).toBe(303);
    const page = (await browser.get(`/console/orders/${o.no}`)).body;
    expect(page).toContain('已解决·满意');
    expect(page).toContain('（电话回访）');
    // A second 回访 of the same order: it is no longer waiting for one.
    expect(dm(await h.say({ from: '张伟', text: `回访 ${o.no} 不满意` }), '张伟').join('\n')).toContain('当前已归档，不在待回访状态');

    // The figures count the round once, solved and satisfied, for the grid and for the company.
    await refreshStats({ deps: t });
    const day = t.clock.now().toISOString().slice(0, 10);
    const dashboard = (await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: { from: day, to: day } }))!;
    const grid = dashboard.ranking.ranked.concat(dashboard.ranking.unranked as never[]).find((g) => g.unit.code === 'D01-T01-C01-G01')!;
    expect(grid.counts).toMatchObject({ surveySatisfied: 1, surveySolved: 1, surveyUnsolved: 0 });
    const company = dashboard.departments.find((r) => r.department.code === 'RQ')!;
    expect([company.figures.solved.numerator, company.figures.solved.denominator]).toEqual([1, 1]);
    expect([company.figures.satisfaction.numerator, company.figures.satisfaction.denominator]).toEqual([1, 1]);
  });

  it('a 回访 that says only 未解决 reopens the order one level up, as her own answer would', async () => {
    h = await startBotHarness({ departments: true });
    const { t } = h;
    app = await buildHttpApp({ ctx: t, plugins: consolePlugins });
    const filed = await report(app, await posterPath(t, 'D01-T01-C01-G01'), { text: '5栋2单元楼道里有煤气味 好像漏气了', phone: '13912345678' });
    expect(filed.statusCode).toBe(303);
    const o = await h.lastOrder();
    await h.say({ from: '李强', text: `接单 ${o.no}` });
    await h.say({ from: '李强', text: `办结 ${o.no} 已关阀更换接头` });

    const recorded = dm(await h.say({ from: '张伟', text: `回访 #${o.no} 没解决 居民说还是有味道` }), '张伟').join('\n');
    expect(recorded).toContain(`已记录工单 #${o.no} 的回访结果：未解决。工单已转`);
    const after = await h.order(o.no);
    expect(after).toMatchObject({ status: 'assigned', reopenCount: 1, level: 'community' });
    const [round] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, o.id));
    // Not said how satisfied: left unsaid, not guessed from her complaint.
    expect(round).toMatchObject({ answer: null, solved: false, comment: '没解决 居民说还是有味道', channel: 'staff_chat' });
  });

  it('a resident who writes 回访 in her group, without @, is answering her own 回访', async () => {
    h = await startBotHarness();
    const { t } = h;
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼下面的路灯坏了好几天了', mentionBot: true });
    const o = await h.lastOrder();
    await h.say({ from: '张伟', text: `接单 ${o.no}` });
    await h.say({ from: '张伟', text: `办结 ${o.no} 已更换灯泡` });
    expect((await h.order(o.no)).status).toBe('resolved');

    const answered = await h.say({ from: '陈阿姨', room: GROUP, text: '回访 1 谢谢' });
    expect(atIn(answered, '陈阿姨').join('\n')).toContain(`${o.no}`);
    expect(await h.order(o.no)).toMatchObject({ status: 'closed', closure: 'satisfied' });
    const [round] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, o.id));
    expect(round).toMatchObject({ answer: 'satisfied', solved: true, channel: 'group', residentId: o.residentId });
  });
});
