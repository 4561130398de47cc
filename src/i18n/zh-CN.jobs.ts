/**
 * Chinese texts of the scheduled jobs: reminders, 督办, the morning digest, 每周一排, 民情沟通日 agendas and the
 * monthly 民情分析. Kept apart from zh-CN.ts to avoid edit conflicts; meant to be re-exported from there.
 */
import type { Agenda, AgendaTag } from '../jobs/agenda.models';
import type { Digest, DigestTone, PartOfDay } from '../jobs/digest.models';
import type { MonthlyAnalysis, Trend } from '../jobs/monthly-analysis.models';
import type { WeeklyReport } from '../jobs/weekly-report.models';
import { excerpt, formatDeadline, orderNo } from './format';
import { reportTexts } from './zh-CN.reports';

type OrderLine = { no: number; category: string; urgent: boolean; place: string };

const urgentMark = (o: { urgent: boolean }) => (o.urgent ? '【紧急】' : '');
const MAX_LINES = 10;

const GREETING: Record<PartOfDay, string> = { morning: '早上好', noon: '中午好', afternoon: '下午好', evening: '晚上好' };

function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function trendText(t: Trend): string {
  if (t.changeRate === null) return t.current > 0 ? '上月无' : '持平';
  if (t.change === 0) return '持平';
  return `${t.change > 0 ? '增' : '降'}${Math.abs(Math.round(t.changeRate * 100))}%`;
}

function chinaDateLabel(iso: string): string {
  return `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

function durationText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}小时${m > 0 ? `${m}分` : ''}` : `${m}分钟`;
}

export const AGENDA_TAG_LABELS: Record<AgendaTag, string> = { overdue: '超期', reopened: '重办', escalated: '上报' };

/** A count of days on the order's calendar: 工作日 on the holiday calendar, plain days where every date works. */
const dayCount = (days: number, everyDay?: boolean) => (everyDay ? `${days}天` : `${days}个工作日`);

export const jobTexts = {
  signReminder: (o: OrderLine & { signDeadlineAt: Date; escalateAt: Date | null }) =>
    `${urgentMark(o)}【签收提醒】工单 ${orderNo(o.no)} ${o.category}（${o.place}）已超过签收时限（${formatDeadline(o.signDeadlineAt)}），` +
    `请回复"接单 ${o.no}"签收。` +
    (o.escalateAt ? `${formatDeadline(o.escalateAt)}前仍未签收，将自动上报上级。` : ''),
  signTimeoutReason: '超过签收时限未签收，系统自动上报',
  reminder75: (o: OrderLine & { deadlineAt: Date }) =>
    `【办理提醒】工单 ${orderNo(o.no)} ${o.category}（${o.place}）办理时限已过四分之三，请于${formatDeadline(o.deadlineAt)}前办结` +
    `（回复"办结 ${o.no} 办理结果"）。`,
  reminderLastDay: (o: OrderLine & { deadlineAt: Date }) =>
    `【即将到期】工单 ${orderNo(o.no)} ${o.category}（${o.place}）将于${formatDeadline(o.deadlineAt)}到期，请抓紧办结；` +
    `确需延期请回复"延期 ${o.no} 天数 原因"。`,
  urgentReminder: (o: OrderLine & { deadlineAt: Date; now: Date }) =>
    `【紧急工单提醒】${orderNo(o.no)} ${o.category}（${o.place}）尚未办结，距时限（${formatDeadline(o.deadlineAt)}）还有` +
    `${durationText(o.deadlineAt.getTime() - o.now.getTime())}，请及时处置并回复进展（"进展 ${o.no} 情况"）。`,
  /**
   * `department`: the order is a department's (分流交办): it is pressed there (催办升级), not moved up. `everyDay`: its
   * days are counted on a calendar where every date works (a utility), so they are days, not 工作日.
   */
  overdueToAssignee: (o: OrderLine & { deadlineAt: Date; escalateAfterDays: number; department?: string | null; everyDay?: boolean }) =>
    `${urgentMark(o)}【督办】工单 ${orderNo(o.no)} ${o.category}（${o.place}）已超过办结时限（${formatDeadline(o.deadlineAt)}），` +
    `请立即办理并回复进展；超期${dayCount(o.escalateAfterDays, o.everyDay)}仍未办结，` +
    (o.department ? `将向${o.department}负责人和派单单位催办升级。` : '将上报上级。'),
  overdueToSupervisor: (o: OrderLine & { deadlineAt: Date; handler: string; text: string }) =>
    `${urgentMark(o)}【督办】${o.place} ${o.handler}办理的工单 ${orderNo(o.no)} ${o.category} 已超过办结时限（${formatDeadline(o.deadlineAt)}），` +
    `请督促办理。\n居民反映：${excerpt(o.text, 80)}`,
  overdueEscalationReason: (days: number) => `超过办结时限${days}个工作日仍未办结，系统自动上报`,
  /** To a head of the department holding an overdue order. */
  overdueToDepartmentHead: (o: OrderLine & { deadlineAt: Date; department: string; handler: string; text: string }) =>
    `${urgentMark(o)}【督办】${o.department}${o.handler}办理的工单 ${orderNo(o.no)} ${o.category}（${o.place}）` +
    `已超过办结时限（${formatDeadline(o.deadlineAt)}），请督促尽快办结并回复进展。\n居民反映：${excerpt(o.text, 80)}`,
  /** To the officers of the unit that dispatched an overdue order to a department. */
  overdueToDispatcher: (o: OrderLine & { deadlineAt: Date; department: string; text: string }) =>
    `${urgentMark(o)}【督办】派${o.department}办理的工单 ${orderNo(o.no)} ${o.category}（${o.place}）已超过办结时限` +
    `（${formatDeadline(o.deadlineAt)}），已督促${o.department}办理，请跟进。\n居民反映：${excerpt(o.text, 80)}`,
  /**
   * 催办升级: a department's order still overdue `days` working days on, to its heads (`toHead`), the dispatcher's
   * officers and the level above the dispatcher.
   */
  overdueUrge: (o: OrderLine & { deadlineAt: Date; days: number; everyDay?: boolean; department: string; dispatcher: string | null; toHead: boolean; text: string }) =>
    `${urgentMark(o)}【催办升级】${o.department}办理的工单 ${orderNo(o.no)} ${o.category}（${o.place}${o.dispatcher ? `，${o.dispatcher}派单` : ''}）` +
    `已超过办结时限（${formatDeadline(o.deadlineAt)}）${dayCount(o.days, o.everyDay)}仍未办结，` +
    (o.toHead ? '请立即组织办结并回复进展。' : `请督促${o.department}立即办结。`) +
    `\n居民反映：${excerpt(o.text, 80)}`,
  /** The note of the 催办升级 on the order's timeline. */
  overdueUrgeNote: (o: { days: number; everyDay?: boolean; department: string }) => `超过办结时限${dayCount(o.days, o.everyDay)}仍未办结，系统向${o.department}负责人和派单单位催办升级`,

  digest: (d: Digest & { name: string; tone: DigestTone }) => {
    const line = (o: Digest['overdue'][number]) => `  ${orderNo(o.no)} ${urgentMark({ urgent: o.urgency === 'urgent' })}${o.categoryName}（时限${formatDeadline(o.deadlineAt)}）`;
    const section = (title: string, list: Digest['overdue']) =>
      list.length === 0 ? [] : [`${title} ${list.length} 件：`, ...list.slice(0, MAX_LINES).map(line), ...(list.length > MAX_LINES ? [`  ……另有 ${list.length - MAX_LINES} 件`] : [])];
    return [
      d.tone.late
        ? `${d.name}，${GREETING[d.tone.partOfDay]}！今天的晨报未能按时发出，现补发：您目前有待办工单 ${d.total} 件。`
        : `${d.name}，${GREETING[d.tone.partOfDay]}！您有待办工单 ${d.total} 件。`,
      ...section('已超期', d.overdue),
      ...section('即将到期', d.dueSoon),
      '回复"待办"查看全部。',
    ].join('\n');
  },

  weeklyTitle: (r: Pick<WeeklyReport, 'week' | 'firstDay' | 'lastDay'> & { districtName: string }) =>
    `【每周一排】${r.districtName} ${r.week.replace(/^(\d{4})-W(\d{2})$/, '$1年第$2周')}（${chinaDateLabel(r.firstDay)}—${chinaDateLabel(r.lastDay)}）`,
  weeklyBody: (r: WeeklyReport & { title: string }) => {
    const d = r.district;
    const rates = (t: WeeklyReport['district']) =>
      `响应率${percent(t.responseRate)} 解决率${percent(t.resolutionRate)} 满意率${percent(t.satisfactionRate)} 一次办结率${percent(t.firstTimeRate)}`;
    return [
      r.title,
      `全区：新增 ${d.created} 件，办结 ${d.resolved} 件，当前超期 ${d.overdueOpen} 件；${rates(d)}`,
      '各街镇排名：',
      ...r.towns.map((t, i) => `${i + 1}. ${t.name}：新增${t.created} 办结${t.resolved} 超期${t.overdueOpen}｜${rates(t)}`),
      `高频类别：${r.topCategories.length ? r.topCategories.map((c) => `${c.name} ${c.count}件`).join('、') : '无'}`,
      `办理最慢网格：${r.slowestGrids.length ? r.slowestGrids.map((g) => `${g.name}（平均${Math.round(g.avgHours)}小时）`).join('、') : '无'}`,
    ].join('\n');
  },

  agendaTitle: (a: { unitName: string; level: 'town' | 'district'; month: string }) =>
    `【民情沟通日】${a.unitName} ${Number(a.month.slice(5, 7))}月${a.level === 'town' ? '街镇' : '区级'}议题`,
  /** One order of an agenda, as the message and the 报告 page list it. */
  agendaLine: (i: Agenda['items'][number]) =>
    `${orderNo(i.no)} ${i.gridName} ${i.categoryName}${i.tags.map((t) => `【${AGENDA_TAG_LABELS[t]}】`).join('')} 已${i.daysOpen}天：${excerpt(i.text, 40)}`,
  /** `link`: the console's 报告 page of this agenda (reportLink), named when the list is cut. */
  agendaBody: (a: Agenda & { title: string; link: string }) => {
    if (a.items.length === 0) return `${a.title}\n本期没有待议工单。`;
    const line = jobTexts.agendaLine;
    return [
      `${a.title}（共 ${a.items.length} 件）`,
      ...a.items.slice(0, 20).map(line),
      ...(a.items.length > 20 ? [`……另有 ${a.items.length - 20} 件`, reportTexts.seeConsole(a.link)] : []),
    ].join('\n');
  },

  monthlyTitle: (m: { districtName: string; month: string }) =>
    `【民情分析】${m.districtName} ${Number(m.month.slice(0, 4))}年${Number(m.month.slice(5, 7))}月`,
  /** `link`: the console's 报告 page of this analysis (reportLink). */
  monthlyBody: (m: MonthlyAnalysis & { title: string; link: string }) => {
    const top = m.grids.slice(0, 5).map((g) => {
      const cats = g.categories.filter((c) => c.current > 0).slice(0, 3).map((c) => `${c.categoryName}${c.current}`).join('、');
      return `  ${g.gridName}：${g.current}件（${trendText(g)}）${cats ? `，${cats}` : ''}`;
    });
    return [
      m.title,
      `全区受理 ${m.total.current} 件，上月 ${m.total.previous} 件（${signed(m.total.change)}，${trendText(m.total)}）。`,
      ...(top.length ? ['网格受理量前列：', ...top] : []),
      `反复出现的问题：${m.recurring.length ? m.recurring.slice(0, 5).map((r) => `${r.gridName}${r.categoryName}${r.count}次`).join('、') : '无'}`,
      ...(m.places.length ? [`多次反映的地点：${m.places.slice(0, 5).map((p) => `${p.place}（${p.categoryName}${p.count}次）`).join('、')}`] : []),
      reportTexts.seeConsole(m.link),
    ].join('\n');
  },
};

