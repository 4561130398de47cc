import { describe, expect, it } from 'vitest';
import { type AgendaOrder, buildAgendas, onAgenda, tagsOf } from '../../../src/jobs/agenda.models';
import { buildDigests, digestTone, dueSoonBefore } from '../../../src/jobs/digest.models';
import { buildMonthlyAnalysis, trend } from '../../../src/jobs/monthly-analysis.models';
import { type TownCounts, buildWeeklyReport, ratesOf, ratio } from '../../../src/jobs/weekly-report.models';
import { jobTexts } from '../../../src/i18n/zh-CN.jobs';
import { china, seededCalendar } from './builders';

const calendar = seededCalendar();

describe('the morning digest', () => {
  const order = (assigneeId: number, no: number, deadline: string | null, urgency: 'normal' | 'urgent' = 'normal') => ({
    assigneeId,
    no,
    categoryName: '路灯照明',
    urgency,
    deadlineAt: deadline ? china(deadline) : null,
  });

  it('counts each assignee’s open orders and lists the overdue and those due by the end of the next working day', () => {
    const now = china('2026-11-27 08:30'); // Friday: "soon" runs to the end of Monday
    expect(dueSoonBefore({ now, calendar })).toEqual(china('2026-12-01 00:00'));
    const digests = buildDigests({
      orders: [
        order(7, 1003, '2026-12-01 00:00'),
        order(7, 1001, '2026-11-26 00:00'),
        order(7, 1004, '2026-12-05 00:00'),
        order(7, 1002, '2026-11-27 00:00'),
        order(9, 1005, '2026-11-27 12:00', 'urgent'),
        order(9, 1006, null),
      ],
      now,
      calendar,
    });
    expect(digests.map((d) => [d.staffId, d.total, d.overdue.map((o) => o.no), d.dueSoon.map((o) => o.no)])).toEqual([
      [7, 4, [1001, 1002], [1003]],
      [9, 2, [], [1005]],
    ]);
    const text = jobTexts.digest({ ...digests[0]!, name: '张伟', tone: digestTone({ now, tick: now }) });
    expect(text).toContain('张伟，早上好！您有待办工单 4 件。');
    expect(text).toContain('已超期 2 件：');
    expect(text).toContain('#1001 路灯照明（时限11月25日）');
    expect(text).toContain('即将到期 1 件：');
  });

  it('is worded for the hour it is sent: a digest caught up at 21:00 says so and does not say 早上好', () => {
    const tick = china('2026-11-27 08:30');
    const digest = { staffId: 7, total: 2, overdue: [], dueSoon: [], name: '张伟' };
    expect(digestTone({ now: tick, tick })).toEqual({ partOfDay: 'morning', late: false });
    expect(digestTone({ now: china('2026-11-27 08:59'), tick })).toEqual({ partOfDay: 'morning', late: false });
    expect(digestTone({ now: china('2026-11-27 09:01'), tick })).toEqual({ partOfDay: 'morning', late: true });
    expect(digestTone({ now: china('2026-11-27 12:00'), tick }).partOfDay).toBe('noon');
    expect(digestTone({ now: china('2026-11-27 14:00'), tick }).partOfDay).toBe('afternoon');
    expect(digestTone({ now: china('2026-11-27 23:59'), tick }).partOfDay).toBe('evening');
    const late = jobTexts.digest({ ...digest, tone: digestTone({ now: china('2026-11-27 21:00'), tick }) });
    expect(late).not.toContain('早上好');
    expect(late.split('\n')[0]).toBe('张伟，晚上好！今天的晨报未能按时发出，现补发：您目前有待办工单 2 件。');
    // A digest scheduled in the afternoon (JOB_DIGEST_CRON) and sent on time greets for the afternoon.
    const afternoon = china('2026-11-27 14:00');
    expect(jobTexts.digest({ ...digest, tone: digestTone({ now: afternoon, tick: afternoon }) }).split('\n')[0]).toBe('张伟，下午好！您有待办工单 2 件。');
  });

  it('looks past a holiday for the next working day', () => {
    expect(dueSoonBefore({ now: china('2026-09-30 08:30'), calendar })).toEqual(china('2026-10-09 00:00'));
  });
});

describe('the weekly report', () => {
  const counts = (unitId: number, name: string, patch: Partial<TownCounts> = {}): TownCounts => ({
    unitId,
    name,
    created: 0,
    resolved: 0,
    overdueOpen: 0,
    responseBase: 0,
    respondedInTime: 0,
    satisfied: 0,
    unsatisfied: 0,
    unanswered: 0,
    closed: 0,
    closedFirstTime: 0,
    ...patch,
  });

  it('computes the four rates with their own denominators and leaves empty ones blank', () => {
    expect(ratio(1, 0)).toBeNull();
    const rates = ratesOf(counts(2, '东湖街道', { responseBase: 4, respondedInTime: 3, satisfied: 3, unsatisfied: 1, unanswered: 1, closed: 4, closedFirstTime: 2 }));
    expect(rates).toEqual({ responseRate: 0.75, resolutionRate: 0.6, satisfactionRate: 0.75, firstTimeRate: 0.5 });
    expect(ratesOf(counts(3, '西山镇'))).toEqual({ responseRate: null, resolutionRate: null, satisfactionRate: null, firstTimeRate: null });
  });

  it('ranks towns by 一次办结率 then 满意率, sums the district, keeps the top categories and the slowest grids', () => {
    const report = buildWeeklyReport({
      week: '2026-W47',
      firstDay: '2026-11-16',
      lastDay: '2026-11-22',
      district: { unitId: 1, name: '示范区' },
      towns: [
        counts(2, '东湖街道', { created: 5, closed: 2, closedFirstTime: 1, satisfied: 2 }),
        counts(3, '西山镇', { created: 3, closed: 1, closedFirstTime: 1, satisfied: 1 }),
        counts(4, '新城街道', { created: 1 }),
      ],
      categories: [
        { name: '噪音扰民', count: 1 },
        { name: '路灯照明', count: 4 },
        { name: '环境卫生', count: 3 },
        { name: '其他', count: 0 },
      ],
      grids: [
        { name: '柳岸社区第一网格', resolved: 2, avgHours: 30 },
        { name: '青石村第一网格', resolved: 1, avgHours: 52 },
      ],
    });
    expect(report.towns.map((t) => t.name)).toEqual(['西山镇', '东湖街道', '新城街道']);
    expect(report.district.created).toBe(9);
    expect(report.district.firstTimeRate).toBeCloseTo(2 / 3);
    expect(report.topCategories.map((c) => c.name)).toEqual(['路灯照明', '环境卫生', '噪音扰民']);
    expect(report.slowestGrids[0]!.name).toBe('青石村第一网格');
    const title = jobTexts.weeklyTitle({ ...report, districtName: '示范区' });
    expect(title).toBe('【每周一排】示范区 2026年第47周（11月16日—11月22日）');
    const body = jobTexts.weeklyBody({ ...report, title });
    expect(body).toContain('1. 西山镇：新增3 办结0 超期0｜响应率— 解决率100% 满意率100% 一次办结率100%');
    expect(body).toContain('高频类别：路灯照明 4件、环境卫生 3件、噪音扰民 1件');
    expect(body).toContain('办理最慢网格：青石村第一网格（平均52小时）');
  });
});

describe('the 民情沟通日 agenda', () => {
  const now = china('2026-12-10 08:00');
  const town = { id: 2, name: '东湖街道', path: '/1/2/' };
  const other = { id: 3, name: '西山镇', path: '/1/3/' };
  const order = (no: number, patch: Partial<AgendaOrder>): AgendaOrder => ({
    id: no,
    no,
    unitId: 10,
    gridPath: '/1/2/4/10/',
    gridName: '柳岸社区第一网格',
    categoryName: '路灯照明',
    text: '路灯坏了',
    createdAt: china('2026-11-20 10:00'),
    deadlineAt: china('2026-12-20 00:00'),
    reopenCount: 0,
    escalationCount: 0,
    ...patch,
  });

  it('takes orders sitting at the unit, and reopened or overdue orders below it, but not ordinary ones below', () => {
    expect(onAgenda(order(1, { unitId: 2, escalationCount: 2 }), town, now)).toBe(true);
    expect(onAgenda(order(2, { reopenCount: 1 }), town, now)).toBe(true);
    expect(onAgenda(order(3, { deadlineAt: china('2026-12-01 00:00') }), town, now)).toBe(true);
    expect(onAgenda(order(4, {}), town, now)).toBe(false);
    expect(onAgenda(order(5, { reopenCount: 1 }), other, now)).toBe(false);
    expect(tagsOf(order(6, { deadlineAt: china('2026-12-01 00:00'), reopenCount: 1, escalationCount: 1 }), now)).toEqual(['overdue', 'reopened', 'escalated']);
  });

  it('lists overdue first, then reopened, then escalated, oldest first, with an agenda for every unit', () => {
    const agendas = buildAgendas({
      orders: [
        order(1, { unitId: 2, escalationCount: 1, createdAt: china('2026-11-01 10:00') }),
        order(2, { reopenCount: 1 }),
        order(3, { deadlineAt: china('2026-12-01 00:00'), createdAt: china('2026-11-25 10:00') }),
        order(4, { deadlineAt: china('2026-12-02 00:00'), createdAt: china('2026-11-24 10:00') }),
      ],
      units: [town, other],
      level: 'town',
      now,
    });
    expect(agendas.map((a) => [a.unitName, a.items.map((i) => i.no)])).toEqual([
      ['东湖街道', [4, 3, 2, 1]],
      ['西山镇', []],
    ]);
    expect(agendas[0]!.items[0]!.daysOpen).toBe(15);
    const title = jobTexts.agendaTitle({ unitName: '东湖街道', level: 'town', month: '2026-12' });
    expect(title).toBe('【民情沟通日】东湖街道 12月街镇议题');
    const link = '/console/reports?kind=agenda_town&period=2026-12';
    expect(jobTexts.agendaBody({ ...agendas[0]!, title, link })).toContain('#1 柳岸社区第一网格 路灯照明【上报】 已38天：路灯坏了');
    expect(jobTexts.agendaBody({ ...agendas[0]!, title, link })).not.toContain('详见后台');
    expect(jobTexts.agendaBody({ ...agendas[1]!, title: 'x', link })).toBe('x\n本期没有待议工单。');
    const long = { ...agendas[0]!, items: Array.from({ length: 23 }, (_, i) => ({ ...agendas[0]!.items[0]!, no: i + 1 })) };
    expect(jobTexts.agendaBody({ ...long, title, link }).split('\n').slice(-2)).toEqual(['……另有 3 件', `详见后台“报告”：${link}`]);
  });
});

describe('the monthly 民情分析', () => {
  it('sums grids, compares with the previous month and names what recurs', () => {
    expect(trend(3, 0)).toEqual({ current: 3, previous: 0, change: 3, changeRate: null });
    expect(trend(3, 4).changeRate).toBe(-0.25);
    const analysis = buildMonthlyAnalysis({
      month: '2026-11',
      previousMonth: '2026-10',
      counts: [
        { gridId: 10, gridName: '柳岸社区第一网格', categoryName: '路灯照明', current: 3, previous: 1 },
        { gridId: 10, gridName: '柳岸社区第一网格', categoryName: '噪音扰民', current: 1, previous: 2 },
        { gridId: 11, gridName: '柳岸社区第二网格', categoryName: '环境卫生', current: 0, previous: 2 },
      ],
      places: [
        { gridName: '柳岸社区第一网格', categoryName: '路灯照明', place: '3号楼', count: 2 },
        { gridName: '柳岸社区第一网格', categoryName: '噪音扰民', place: '广场', count: 1 },
      ],
    });
    expect(analysis.total).toEqual({ current: 4, previous: 5, change: -1, changeRate: -0.2 });
    expect(analysis.grids.map((g) => [g.gridName, g.current, g.previous])).toEqual([
      ['柳岸社区第一网格', 4, 3],
      ['柳岸社区第二网格', 0, 2],
    ]);
    expect(analysis.grids[0]!.categories.map((c) => c.categoryName)).toEqual(['路灯照明', '噪音扰民']);
    expect(analysis.recurring).toEqual([{ gridName: '柳岸社区第一网格', categoryName: '路灯照明', count: 3, previous: 1 }]);
    expect(analysis.places.map((p) => p.place)).toEqual(['3号楼']);
    const title = jobTexts.monthlyTitle({ districtName: '示范区', month: '2026-11' });
    const body = jobTexts.monthlyBody({ ...analysis, title, link: 'https://gridline.example/console/reports?kind=monthly&period=2026-11' });
    expect(body).toContain('全区受理 4 件，上月 5 件（-1，降20%）。');
    expect(body).toContain('柳岸社区第一网格：4件（增33%），路灯照明3、噪音扰民1');
    expect(body).toContain('反复出现的问题：柳岸社区第一网格路灯照明3次');
    expect(body).toContain('多次反映的地点：3号楼（路灯照明2次）');
    expect(body.split('\n').at(-1)).toBe('详见后台“报告”：https://gridline.example/console/reports?kind=monthly&period=2026-11');
  });
});
