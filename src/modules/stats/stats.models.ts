/**
 * The figures (跟踪问效) as pure definitions over counts of facts. Pure: no I/O, no clock.
 *
 * Every count is additive over days, grids and categories (each fact counts on the China date it happened, for
 * the order's grid and category), so a period's figures are sums of a daily rollup, and a rate is a ratio of
 * two sums, never an average of rates. The Chinese definitions shown on the pages are in i18n/zh-CN.stats.ts;
 * docs/figures.md states them in full.
 */
import { type CountsOf, countFamily } from './counts.models';
import { type OrderFact, factDay } from './order-facts.models';
import { type Ranked, type Ranking, rankByScore, weightedMean } from './ranking.models';

export const COUNT_KEYS = [
  /** 受理: submit events */
  'submitted',
  /** 派单: assignments begun (assign, reassign, escalate, return, reopen) */
  'assignments',
  'respInTime',
  'respLate',
  'respMissed',
  /** assignments whose holder returned the order (退回) */
  'returned',
  /** 办结: resolve events */
  'resolved',
  'resolvedOnTime',
  'surveySatisfied',
  'surveyBasic',
  'surveyUnsatisfied',
  /** 未评价: the survey timed out */
  'surveyUnanswered',
  /** answered without saying how satisfied (only whether it was solved) */
  'surveyUnrated',
  /** 已解决 / 未解决: answered rounds that said whether the problem was solved */
  'surveySolved',
  'surveyUnsolved',
  /** 重办: reopen events */
  'reopened',
  /** 归档: orders closed by a survey answer (满意/基本满意) or its time-out */
  'closed',
  /** closed with no 上报 and no 重办 in their history */
  'closedFirstTime',
  /** 上报: escalate events (informative) */
  'escalated',
] as const;

export type CountKey = (typeof COUNT_KEYS)[number];
export type Counts = CountsOf<CountKey>;

export const gridCounts = countFamily(COUNT_KEYS);
export const { empty: emptyCounts, add: addCounts, sum: sumCounts, isZero } = gridCounts;

/** What one fact adds to the counts of its day. */
export function countFact(fact: OrderFact, into: Counts = emptyCounts()): Counts {
  switch (fact.kind) {
    case 'submit':
      into.submitted += 1;
      break;
    case 'assignment':
      into.assignments += 1;
      if (fact.outcome === 'in_time') into.respInTime += 1;
      if (fact.outcome === 'late') into.respLate += 1;
      if (fact.outcome === 'missed') into.respMissed += 1;
      if (fact.returned) into.returned += 1;
      break;
    case 'resolution':
      into.resolved += 1;
      if (fact.onTime) into.resolvedOnTime += 1;
      break;
    case 'survey':
      if (fact.answer === 'satisfied') into.surveySatisfied += 1;
      if (fact.answer === 'basically_satisfied') into.surveyBasic += 1;
      if (fact.answer === 'unsatisfied') into.surveyUnsatisfied += 1;
      if (fact.answer === 'unanswered') into.surveyUnanswered += 1;
      if (fact.answer === 'unrated') into.surveyUnrated += 1;
      if (fact.solved === true) into.surveySolved += 1;
      if (fact.solved === false) into.surveyUnsolved += 1;
      break;
    case 'close':
      into.closed += 1;
      if (fact.firstTime) into.closedFirstTime += 1;
      break;
    case 'reopen':
      into.reopened += 1;
      break;
    case 'escalate':
      into.escalated += 1;
      break;
  }
  return into;
}

/** An order's facts as counts per China date. */
export function countsByDay(facts: readonly OrderFact[]): Map<string, Counts> {
  const byDay = new Map<string, Counts>();
  for (const fact of facts) {
    const day = factDay(fact);
    let counts = byDay.get(day);
    if (!counts) byDay.set(day, (counts = emptyCounts()));
    countFact(fact, counts);
  }
  return byDay;
}

export const FIGURE_KEYS = ['response', 'solved', 'satisfaction', 'firstTime', 'onTime', 'reopen', 'return'] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** A rate with what it is made of; `rate` is null when nothing was counted (shown as "—", never as 0%). */
export type Ratio = { numerator: number; denominator: number; rate: number | null };

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator > 0 ? numerator / denominator : null };
}

/** The numerator and denominator of each figure, from the counts. */
export const FIGURE_PARTS: Record<FigureKey, (c: Counts) => [number, number]> = {
  /** 响应率: assignments signed for within the limit / assignments judged (in time + late + missed) */
  response: (c) => [c.respInTime, c.respInTime + c.respLate + c.respMissed],
  /** 解决率: rounds answered 已解决 / rounds that said whether it was solved (已解决 + 未解决) */
  solved: (c) => [c.surveySolved, c.surveySolved + c.surveyUnsolved],
  /** 满意率: (满意 + 基本满意) / answered surveys (未评价 excluded) */
  satisfaction: (c) => [c.surveySatisfied + c.surveyBasic, c.surveySatisfied + c.surveyBasic + c.surveyUnsatisfied],
  /** 一次办结率: closed with no 上报 and no 重办 / closed */
  firstTime: (c) => [c.closedFirstTime, c.closed],
  /** 按时办结率: resolutions on or before their limit / resolutions */
  onTime: (c) => [c.resolvedOnTime, c.resolved],
  /** 重办率: reopenings / survey rounds that ended */
  reopen: (c) => [c.reopened, surveyOutcomes(c)],
  /** 退回率: assignments returned (退回) / assignments */
  return: (c) => [c.returned, c.assignments],
};

function surveyOutcomes(c: Counts): number {
  return c.surveySatisfied + c.surveyBasic + c.surveyUnsatisfied + c.surveyUnrated + c.surveyUnanswered;
}

/** Answered rounds that did not say whether the problem was solved (left out of 解决率, shown beside it). */
export function solvedNotSaid(c: Counts): number {
  return c.surveySatisfied + c.surveyBasic + c.surveyUnsatisfied + c.surveyUnrated - c.surveySolved - c.surveyUnsolved;
}

export type Figures = Record<FigureKey, Ratio>;

export function computeFigures(c: Counts): Figures {
  return Object.fromEntries(FIGURE_KEYS.map((k) => [k, ratio(...FIGURE_PARTS[k](c))])) as Figures;
}

/** Higher is better for every figure but 重办率 and 退回率. */
export const LOWER_IS_BETTER: ReadonlySet<FigureKey> = new Set(['reopen', 'return']);

/**
 * The grid ranking's score (综合得分, 0–100): a weighted mean of the figures a grid has data for, the weights
 * renormalised over those present so a grid is not punished for a figure with nothing to count.
 */
export const SCORE_WEIGHTS: Partial<Record<FigureKey, number>> = {
  response: 0.2,
  onTime: 0.3,
  satisfaction: 0.3,
  firstTime: 0.2,
};

export function score(figures: Figures): number | null {
  const mean = weightedMean(figures, SCORE_WEIGHTS);
  return mean === null ? null : Math.round(mean * 1000) / 10;
}

export type RankedGrid<T> = Ranked<T, Figures>;

/** 红黑榜 of the grids (rankByScore): those with at least `minResolved` resolutions in the period, by `score`. */
export function rankGrids<T extends { name: string; counts: Counts }>({
  grids,
  minResolved = 1,
  size = 3,
}: {
  grids: readonly T[];
  minResolved?: number;
  size?: number;
}): Ranking<T, Figures> {
  return rankByScore({ entries: grids, figures: computeFigures, score, volume: (c) => c.resolved, minVolume: minResolved, size });
}

/** A period of China dates, both ends included. */
export type Period = { from: string; to: string };
