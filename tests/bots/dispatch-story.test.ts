import { and, asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { departments } from '../../src/modules/departments/departments.table';
import { dispatchOrder } from '../../src/modules/departments/dispatch.usecases';
import { orderDispatches } from '../../src/modules/departments/order-dispatches.table';
import { loadDashboard } from '../../src/modules/stats/dashboard.usecases';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { attachments, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, dm, startBotHarness } from './helpers';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a new gas pipe joint')]);

/**
 * Issue 12's whole story (分流交办), in chat, in plain words: a gas smell reported 1:1 goes by the 派单目录 to the gas
 * company with the grid leader informed; the company 退回s it once with a reason; the town officer dispatches it
 * again; the company signs, sends a photo and resolves; the leader and the resident are told by name of the company;
 * the resident answers the 回访 in her words; the figures count it for the company and for the grid.
 */
describe('a gas smell, from the resident to the gas company and back', { timeout: 240_000 }, () => {
  let h: BotHarness;
  afterEach(async () => h?.close());

  it('is dispatched, returned once, re-dispatched, resolved with a photo, rated, and counted for the company and the grid', async () => {
    h = await startBotHarness({ departments: true });
    const { t } = h;
    const [gas] = await t.db.select().from(departments).where(eq(departments.code, 'RQ'));
    const order = async () => (await t.db.select().from(workOrders).orderBy(asc(workOrders.id))).at(-1)!;

    // 陈阿姨 writes to the bot as she would to a neighbour.
    const reported = await h.say({ from: '陈阿姨', text: '3栋楼道里一股煤气味 好像哪里漏气了 快来人看看' });
    const o = await order();
    expect(o).toMatchObject({ departmentId: gas!.id, assigneeId: await t.staffId('李强'), status: 'assigned' });
    expect(dm(reported, '陈阿姨').join('\n')).toContain('区燃气公司');
    // The grid leader stays her contact: he is told who holds it.
    expect(dm(h.world.transcript(), '张伟').join('\n')).toContain('已交区燃气公司办理');

    // The company's handler returns it with a reason, in chat.
    const returned = await h.say({ from: '李强', text: `退回 ${o.no} 现场是下水道返味，不是燃气` });
    expect(dm(returned, '李强').join('\n')).toContain(`${o.no}`);
    expect((await order()).assigneeId).toBe(await t.staffId('吴书记'));
    const [first] = await t.db.select().from(orderDispatches).where(eq(orderDispatches.orderId, o.id));
    expect(first).toMatchObject({ status: 'returned', returnReason: '现场是下水道返味，不是燃气' });

    // The town officer looked again (the smell is gas after all) and dispatches it to the company once more.
    await dispatchOrder({ deps: t.orderDeps, ref: { id: o.id }, actor: await t.staffActor('吴书记'), channel: 'console', departmentId: gas!.id, note: '复核为燃气异味，请尽快处置' });
    await h.world.settle();
    expect((await order()).assigneeId).toBe(await t.staffId('李强'));

    // The company signs, sends a photo of the repair, and resolves, all from the handler's phone.
    await h.say({ from: '李强', text: `接单 ${o.no}` });
    await h.say({ from: '李强', type: 'image', file: { name: '接头.png', base64: PNG.toString('base64') } });
    const resolved = await h.say({ from: '李强', text: `办结 ${o.no} 已上门检查，更换了燃气管接头，试压正常` });
    expect((await order()).status).toBe('resolved');
    const photos = await t.db.select().from(attachments).where(and(eq(attachments.orderId, o.id), eq(attachments.kind, 'image')));
    expect(photos).toHaveLength(1);
    expect(photos[0]!.addedByStaffId).toBe(await t.staffId('李强'));

    // The resident and the leader are told, naming the company.
    expect(dm(resolved, '陈阿姨').join('\n')).toContain('更换了燃气管接头');
    expect(dm(h.world.transcript(), '张伟').join('\n')).toContain('区燃气公司已办结');

    // She answers the 回访 in her words: solved, and satisfied.
    await h.say({ from: '陈阿姨', text: '修好了 没味道了 很满意 谢谢你们' });
    expect(await order()).toMatchObject({ status: 'closed', closure: 'satisfied' });
    const [survey] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, o.id));
    expect(survey).toMatchObject({ answer: 'satisfied', solved: true });

    // The figures count it for the company (one return of two dispatches) and still for the grid.
    await refreshStats({ deps: t });
    const day = t.clock.now().toISOString().slice(0, 10);
    const dashboard = (await loadDashboard({
      db: t.db,
      categories: await t.categories.all(),
      scopeUnitId: await t.gridId('D01'),
      period: { from: day, to: day },
    }))!;
    const company = dashboard.departments.find((r) => r.department.id === gas!.id)!;
    expect([company.figures.return.numerator, company.figures.return.denominator]).toEqual([1, 2]);
    expect([company.figures.satisfaction.numerator, company.figures.satisfaction.denominator]).toEqual([1, 1]);
    expect([company.figures.solved.numerator, company.figures.solved.denominator]).toEqual([1, 1]);
    expect(company.counts.resolved).toBe(1);
    const grid = dashboard.ranking.ranked.concat(dashboard.ranking.unranked as never[]).find((g) => g.unit.code === 'D01-T01-C01-G01')!;
    expect(grid.counts.submitted).toBe(1);
    expect(grid.counts.resolved).toBe(1);
    expect(grid.counts.surveySatisfied).toBe(1);
  });
});
