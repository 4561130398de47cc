import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { run as agenda } from '../../src/jobs/agenda.job';
import { run as digest } from '../../src/jobs/digest.job';
import { run as monthly } from '../../src/jobs/monthly-analysis.job';
import { run as weekly } from '../../src/jobs/weekly-report.job';
import type { AgendaItem } from '../../src/jobs/agenda.models';
import type { MonthlyAnalysis } from '../../src/jobs/monthly-analysis.models';
import type { WeeklyReport } from '../../src/jobs/weekly-report.models';
import { jobRuns } from '../../src/modules/notifications/job-runs.table';
import { reports } from '../../src/modules/reports/reports.table';
import { acceptOrder, answerSurvey, escalateOrder, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { type JobsContext, china, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

async function staffIds(...names: string[]) {
  return Promise.all(names.map((n) => t.staffId(n)));
}

describe('the morning digest', () => {
  it('sends every assignee with open orders one message on a working morning, with the overdue and the nearly due', async () => {
    t = await createJobsContext('2026-11-16 10:00');
    const overdue = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    t.at('2026-11-19 10:00');
    const dueTuesday = await t.report({ text: '楼下垃圾桶满了', category: 'sanitation', resident: '老王' });
    await t.report({ text: '2号楼楼道灯坏了', category: 'streetlight', grid: 'D01-T01-C01-G02', resident: '杨大爷' });

    t.at('2026-11-23 08:30');
    const result = await digest({ ...t.deps, tick: china('2026-11-23 08:30') });
    expect(result).toEqual({ key: 'digest:2026-11-23', ran: true, sent: 2 });
    const messages = await t.messages({ kind: 'digest' });
    expect(messages.map((m) => m.staffId)).toEqual(await staffIds('张伟', '刘洋'));
    expect(messages[0]!.text).toBe(
      [
        '张伟，早上好！您有待办工单 2 件。',
        '已超期 1 件：',
        `  #${overdue.no} 环境卫生（时限11月19日）`,
        '即将到期 1 件：',
        `  #${dueTuesday.no} 环境卫生（时限11月24日）`,
        '回复"待办"查看全部。',
      ].join('\n'),
    );
    expect(messages[1]!.text).toBe('刘洋，早上好！您有待办工单 1 件。\n回复"待办"查看全部。');
    expect(await digest({ ...t.deps, tick: china('2026-11-23 08:30') })).toEqual({ key: 'digest:2026-11-23', ran: false, sent: 0 });
    t.at('2026-11-28 08:30');
    expect(await digest({ ...t.deps, tick: china('2026-11-28 08:30') })).toEqual({ key: null, ran: false, sent: 0 });
    expect((await t.messages({ kind: 'digest' })).length).toBe(2);
  });
});

describe('the weekly report (每周一排)', () => {
  it('reports last week by town to the admins and town officers, stored for the console', async () => {
    t = await createJobsContext('2026-11-16 10:00');
    const a = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    const b = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation', resident: '老王' });
    await t.report({ text: '楼下垃圾桶满了', category: 'sanitation', resident: '小林' });
    const d = await t.report({ text: '村口那段路有个大坑', category: 'road_facility', grid: 'D01-T02-C02-G01', resident: '彭同学' });
    await acceptOrder({ deps: t.orderDeps, ref: { id: a.id }, actor: await t.staffActor('张伟'), channel: 'direct' });
    t.at('2026-11-18 10:00');
    await resolveOrder({ deps: t.orderDeps, ref: { id: a.id }, actor: await t.staffActor('张伟'), channel: 'direct', note: '已更换灯泡' });
    await resolveOrder({ deps: t.orderDeps, ref: { id: b.id }, actor: await t.staffActor('张伟'), channel: 'direct', note: '已清运' });
    await resolveOrder({ deps: t.orderDeps, ref: { id: d.id }, actor: await t.staffActor('高峰'), channel: 'direct', note: '已填平' });
    t.at('2026-11-19 10:00');
    await answerSurvey({ deps: t.orderDeps, ref: { id: a.id }, actor: { kind: 'resident', residentId: await t.residentId('陈阿姨') }, channel: 'group', answer: 'satisfied' });
    await answerSurvey({ deps: t.orderDeps, ref: { id: d.id }, actor: { kind: 'resident', residentId: await t.residentId('彭同学') }, channel: 'group', answer: 'basically_satisfied' });

    t.at('2026-11-23 09:00');
    expect(await weekly({ ...t.deps, tick: china('2026-11-23 09:00') })).toEqual({ key: 'weekly:2026-W47', ran: true, sent: 3 });
    const messages = await t.messages({ kind: 'report' });
    expect(messages.map((m) => m.staffId).sort()).toEqual((await staffIds('系统管理员', '吴书记', '郑镇长')).sort());
    const body = messages[0]!.text;
    expect(body.split('\n').slice(0, 5)).toEqual([
      '【每周一排】示范区 2026年第47周（11月16日—11月22日）',
      // Only #a was signed for within its limit; the others were signed late by resolving them, or not at all.
      '全区：新增 4 件，办结 3 件，当前超期 1 件；响应率25% 解决率100% 满意率100% 一次办结率100%',
      '各街镇排名：',
      '1. 东湖街道：新增3 办结2 超期1｜响应率33% 解决率100% 满意率100% 一次办结率100%',
      '2. 西山镇：新增1 办结1 超期0｜响应率0% 解决率100% 满意率100% 一次办结率100%',
    ]);
    expect(body).toContain('高频类别：环境卫生 2件、路灯照明 1件、道路与公共设施 1件');

    const [stored] = await t.db.select().from(reports).where(eq(reports.kind, 'weekly'));
    expect([stored!.periodKey, stored!.unitId, stored!.title, stored!.body]).toEqual([
      '2026-W47',
      await t.gridId('D01'),
      '【每周一排】示范区 2026年第47周（11月16日—11月22日）',
      body,
    ]);
    expect((stored!.data as WeeklyReport).towns.map((x) => x.name)).toEqual(['东湖街道', '西山镇']);
    expect(await weekly({ ...t.deps, tick: china('2026-11-23 09:00') })).toEqual({ key: 'weekly:2026-W47', ran: false, sent: 0 });
    const [run] = await t.db.select().from(jobRuns).where(eq(jobRuns.key, 'weekly:2026-W47'));
    expect([run!.startedAt, run!.finishedAt, run!.instance]).toEqual([china('2026-11-23 09:00'), china('2026-11-23 09:00'), 'test']);
  });
});

describe('the 民情沟通日 agendas', () => {
  it('gives each town on the 10th and the district on the 20th its agenda, sent to its officers and stored', async () => {
    t = await createJobsContext('2026-12-01 10:00');
    const escalated = await t.report({ text: '小区停车位被长期占用，物业不管', category: 'property_mgmt' });
    await escalateOrder({ deps: t.orderDeps, ref: { id: escalated.id }, actor: await t.staffActor('张伟'), channel: 'direct', reason: '需社区协调' });
    await escalateOrder({ deps: t.orderDeps, ref: { id: escalated.id }, actor: await t.staffActor('王主任'), channel: 'direct', reason: '需街道协调' });
    const late = await t.report({ text: '村口垃圾没人清', category: 'sanitation', grid: 'D01-T02-C02-G01', resident: '彭同学' });
    // Open, not overdue on the 10th (13 working days): on no town agenda.
    const noisy = await t.report({ text: '楼上装修电钻太吵了', category: 'noise', resident: '老王' });

    t.at('2026-12-10 08:00');
    expect(await agenda({ ...t.deps, tick: china('2026-12-10 08:00') })).toEqual({ key: 'agenda:town:2026-12', ran: true, sent: 2 });
    const town = await t.db.select().from(reports).where(eq(reports.kind, 'agenda_town')).orderBy(reports.unitId);
    expect(town.map((r) => [r.title, (r.data as { items: AgendaItem[] }).items.map((i) => [i.no, i.tags])])).toEqual([
      ['【民情沟通日】东湖街道 12月街镇议题', [[escalated.no, ['escalated']]]],
      ['【民情沟通日】西山镇 12月街镇议题', [[late.no, ['overdue']]]],
    ]);
    const sent = await t.messages({ kind: 'agenda' });
    expect(sent.map((m) => [m.staffId, m.text.split('\n')[0]])).toEqual([
      [await t.staffId('吴书记'), '【民情沟通日】东湖街道 12月街镇议题（共 1 件）'],
      [await t.staffId('郑镇长'), '【民情沟通日】西山镇 12月街镇议题（共 1 件）'],
    ]);
    expect(sent[0]!.text).toContain(`#${escalated.no} 柳岸社区第一网格 物业服务【上报】 已8天：小区停车位被长期占用，物业不管`);

    t.at('2026-12-20 08:00');
    expect(await agenda({ ...t.deps, tick: china('2026-12-20 08:00') })).toEqual({ key: 'agenda:district:2026-12', ran: true, sent: 1 });
    const [district] = await t.db.select().from(reports).where(and(eq(reports.kind, 'agenda_district'), eq(reports.periodKey, '2026-12')));
    // By the 20th the noise complaint is overdue too; the escalated order sits at the town and is not yet overdue.
    expect((district!.data as { items: AgendaItem[] }).items.map((i) => i.no)).toEqual([late.no, noisy.no]);
    expect((await t.messages({ kind: 'agenda', staff: '周主任' })).length).toBe(1);
  });
});

describe('the monthly 民情分析', () => {
  it('analyses last month per grid and category against the month before, names what recurs, and stores it', async () => {
    t = await createJobsContext('2026-10-12 10:00');
    await t.report({ text: '路灯不亮', category: 'streetlight' });
    await t.report({ text: '广场舞太吵', category: 'noise', grid: 'D01-T01-C01-G02', resident: '杨大爷' });
    await t.report({ text: '广场舞太吵', category: 'noise', grid: 'D01-T01-C01-G02', resident: '徐女士' });
    t.at('2026-11-05 10:00');
    await t.report({ text: '3号楼路灯不亮', category: 'streetlight', location: '3号楼' });
    await t.report({ text: '3号楼路灯又坏了', category: 'streetlight', resident: '老王', location: '3号楼' });
    await t.report({ text: '5号楼路灯不亮', category: 'streetlight', resident: '小林', location: '5号楼' });
    await t.report({ text: '广场舞太吵', category: 'noise', grid: 'D01-T01-C01-G02', resident: '杨大爷' });

    t.at('2026-12-01 07:00');
    expect(await monthly({ ...t.deps, tick: china('2026-12-01 07:00') })).toEqual({ key: 'monthly:2026-11', ran: true, sent: 3 });
    const [stored] = await t.db.select().from(reports).where(eq(reports.kind, 'monthly'));
    const analysis = stored!.data as MonthlyAnalysis;
    expect(stored!.periodKey).toBe('2026-11');
    expect(analysis.total).toEqual({ current: 4, previous: 3, change: 1, changeRate: 1 / 3 });
    expect(analysis.grids.map((g) => [g.gridName, g.current, g.previous])).toEqual([
      ['柳岸社区第一网格', 3, 1],
      ['柳岸社区第二网格', 1, 2],
    ]);
    expect(analysis.recurring).toEqual([{ gridName: '柳岸社区第一网格', categoryName: '路灯照明', count: 3, previous: 1 }]);
    expect(analysis.places).toEqual([{ gridName: '柳岸社区第一网格', categoryName: '路灯照明', place: '3号楼', count: 2 }]);
    const [message] = await t.messages({ kind: 'report', staff: '系统管理员' });
    expect(message!.text.split('\n').slice(0, 2)).toEqual(['【民情分析】示范区 2026年11月', '全区受理 4 件，上月 3 件（+1，增33%）。']);
  });
});
