/**
 * Chinese texts of the figures (跟踪问效): names, each figure's definition exactly as computed (shown beside the
 * figure on the dashboard and on the public page), and the pages' labels. docs/figures.md says the same in
 * English; change both together.
 */
import type { FigureKey } from '../modules/stats/stats.models';
import { SURVEY_FIGURE_DEFINITIONS, SURVEY_FIGURE_FORMULAS } from './zh-CN.survey';

export const FIGURE_NAMES: Record<FigureKey, string> = {
  response: '响应率',
  solved: '解决率',
  satisfaction: '满意率',
  firstTime: '一次办结率',
  onTime: '按时办结率',
  reopen: '重办率',
  return: '退回率',
};

/** Numerator ÷ denominator, in words. */
export const FIGURE_FORMULAS: Record<FigureKey, string> = {
  response: '按时签收的派单 ÷ 已判定的派单（按时签收 + 超时签收 + 超时未签收）',
  solved: SURVEY_FIGURE_FORMULAS.solved,
  satisfaction: SURVEY_FIGURE_FORMULAS.satisfaction,
  firstTime: '未经上报、未经重办即归档的工单 ÷ 归档工单',
  onTime: '在办结时限内办结的次数 ÷ 办结次数',
  reopen: SURVEY_FIGURE_FORMULAS.reopen,
  return: '被退回的派单 ÷ 派单',
};

/** The full definition: what counts, when, and what is left out. */
export const FIGURE_DEFINITIONS: Record<FigureKey, string> = {
  response:
    '每次派单（受理后首次派单、改派、上报、退回后再派、重办）都须在签收时限内签收：一般工单 2 个工作小时（工作日 9:00–18:00 计时），紧急工单 30 分钟；等待居民答复期间时限顺延。办理人直接反馈进展或办结视为签收。时限内被改派、撤回或并单而未签收的派单不作判定；时限未到、尚未签收的派单待定，不计入。按派单发生日计入统计期。',
  solved: SURVEY_FIGURE_DEFINITIONS.solved,
  satisfaction: SURVEY_FIGURE_DEFINITIONS.satisfaction,
  firstTime: SURVEY_FIGURE_DEFINITIONS.firstTime,
  onTime:
    '办结时限按类别和紧急程度计算：一般工单自受理次日起算第 N 个工作日 24:00（节假日和调休以工作日历为准），紧急工单按小时；经批准的延期、等待居民答复的时间顺延（时限已过才开始等待的不顺延）；改类别时按新类别自受理时重算；重办后自重办时重新计时。恰在时限当刻办结算按时。每次办结各计一次，按办结日计入统计期。',
  reopen: SURVEY_FIGURE_DEFINITIONS.reopen,
  return: '网格或上级认为工单不属本级，退回上一级重新分派。按派单发生日计入统计期。',
};

export const statsTexts = {
  title: '统计分析',
  publicTitle: '民情直通车 · 定期公示',
  source:
    '全部数据由工单事件日志逐单重放得出，可随时重算；各项按事件发生的北京时间日期计入统计期，按工单当前所属网格和类别归属。',
  refreshedAt: '数据更新于',
  neverRefreshed: '尚未计算',
  rebuild: '按事件日志全部重算',
  rebuilt: (n: number) => `已按事件日志重算 ${n} 张工单的统计。`,
  busy: '统计正在计算中，请稍后再试。',
  filters: { unit: '范围', from: '起始日期', to: '截止日期', apply: '查询' },
  presets: { thisMonth: '本月', lastMonth: '上月', thisYear: '本年', last12Weeks: '近12周' },
  badPeriod: {
    invalid: '日期格式应为 年-月-日。',
    reversed: '起始日期晚于截止日期。',
    too_long: '统计期最长 400 天。',
  },
  period: (from: string, to: string) => `统计期：${from} 至 ${to}`,
  noData: '—',
  sections: {
    figures: '主要指标',
    counts: '业务量',
    trend: '周趋势（近12周）',
    children: '分级统计',
    categories: '分类统计',
    ranking: '网格红黑榜',
    red: '红榜',
    black: '黑榜',
    allGrids: '网格综合排名',
    definitions: '指标口径',
  },
  counts: {
    submitted: '受理',
    assignments: '派单',
    resolved: '办结',
    closed: '归档',
    escalated: '上报',
    reopened: '重办',
    returned: '退回',
    surveyUnanswered: '未评价',
    respMissed: '超时未签收',
  },
  columns: { unit: '单位', category: '类别', grid: '网格', week: '周（起）', rank: '名次', score: '综合得分' },
  scoreNote:
    '综合得分 = 响应率×20% + 按时办结率×30% + 满意率×30% + 一次办结率×20%（某项无数据时按其余各项权重折算）。统计期内至少办结 1 次的网格参加排名；同分先比满意率，再比办结数。',
  unranked: (n: number) => `另有 ${n} 个网格本期无办结，不参加排名。`,
  chartNoScript: '（趋势图需启用浏览器脚本；数据见下表。）',
  public: {
    intro:
      '按月公布各街道（镇）、各网格受理和办理居民诉求的情况。本页只含数量和比率，不含任何个人信息和诉求内容。',
    month: '月份',
    town: '街道（镇）',
    grid: '网格',
    submitted: '受理诉求',
    resolved: '办结',
    onTime: '按时办结',
    onTimeRate: '按时办结率',
    satisfaction: '满意率',
    total: '合计',
    subtotal: '小计',
    notes: '说明',
  },
} as const;
