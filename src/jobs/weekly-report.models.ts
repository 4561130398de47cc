/**
 * 每周一排: the week's figures by town, the top categories and the slowest grids. Pure.
 *
 * The counts come from the stats module's daily rollup (src/modules/stats, defined in docs/figures.md), so the
 * report's rates are the dashboard's:
 * - 响应率: assignments signed for (签收) within their limit, over assignments judged (in time, late or missed).
 * - 解决率: survey rounds that confirmed the resolution (满意 + 基本满意) over every survey round that ended.
 * - 满意率: 满意 + 基本满意 over answered surveys (未评价 excluded).
 * - 一次办结率: orders closed with no 上报 and no 重办, over orders closed.
 * 新增 counts 受理 (submissions), 办结 resolutions, and 当前超期 the open orders past their deadline at report time.
 */
import type { Counts } from '../modules/stats/stats.models';

export type TownCounts = {
  unitId: number;
  name: string;
  created: number;
  resolved: number;
  overdueOpen: number;
  responseBase: number;
  respondedInTime: number;
  satisfied: number;
  unsatisfied: number;
  unanswered: number;
  closed: number;
  closedFirstTime: number;
};

export type Rates = {
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  firstTimeRate: number | null;
};

/** The stats module's counts of a town for the week, as the report reads them. */
export function townCountsFrom({ unitId, name, counts, overdueOpen }: { unitId: number; name: string; counts: Counts; overdueOpen: number }): TownCounts {
  return {
    unitId,
    name,
    created: counts.submitted,
    resolved: counts.resolved,
    overdueOpen,
    responseBase: counts.respInTime + counts.respLate + counts.respMissed,
    respondedInTime: counts.respInTime,
    satisfied: counts.surveySatisfied + counts.surveyBasic,
    unsatisfied: counts.surveyUnsatisfied,
    unanswered: counts.surveyUnanswered,
    closed: counts.closed,
    closedFirstTime: counts.closedFirstTime,
  };
}

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function ratesOf(c: TownCounts): Rates {
  return {
    responseRate: ratio(c.respondedInTime, c.responseBase),
    resolutionRate: ratio(c.satisfied, c.satisfied + c.unsatisfied + c.unanswered),
    satisfactionRate: ratio(c.satisfied, c.satisfied + c.unsatisfied),
    firstTimeRate: ratio(c.closedFirstTime, c.closed),
  };
}

const ZERO: Omit<TownCounts, 'unitId' | 'name'> = {
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
};

export function sumCounts(towns: TownCounts[], unitId: number, name: string): TownCounts {
  const total: TownCounts = { unitId, name, ...ZERO };
  for (const t of towns) for (const k of Object.keys(ZERO) as (keyof typeof ZERO)[]) total[k] += t[k];
  return total;
}

export type CategoryCount = { name: string; count: number };
export type GridSpeed = { name: string; resolved: number; avgHours: number };

export const TOP_CATEGORIES = 5;
export const SLOWEST_GRIDS = 5;

export type WeeklyReport = {
  week: string;
  firstDay: string;
  lastDay: string;
  district: TownCounts & Rates;
  towns: (TownCounts & Rates)[];
  topCategories: CategoryCount[];
  slowestGrids: GridSpeed[];
};

/** Towns are ranked by 一次办结率 then 满意率 (the point of 每周一排 is the ranking); towns without figures last. */
export function buildWeeklyReport({
  week,
  firstDay,
  lastDay,
  district,
  towns,
  categories,
  grids,
}: {
  week: string;
  firstDay: string;
  lastDay: string;
  district: { unitId: number; name: string };
  towns: TownCounts[];
  categories: CategoryCount[];
  grids: GridSpeed[];
}): WeeklyReport {
  const withRates = towns.map((t) => ({ ...t, ...ratesOf(t) }));
  const score = (r: Rates) => [r.firstTimeRate ?? -1, r.satisfactionRate ?? -1];
  withRates.sort((a, b) => {
    const [a1, a2] = score(a);
    const [b1, b2] = score(b);
    return b1! - a1! || b2! - a2! || a.unitId - b.unitId;
  });
  const total = sumCounts(towns, district.unitId, district.name);
  return {
    week,
    firstDay,
    lastDay,
    district: { ...total, ...ratesOf(total) },
    towns: withRates,
    topCategories: [...categories].filter((c) => c.count > 0).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, TOP_CATEGORIES),
    slowestGrids: [...grids].filter((g) => g.resolved > 0).sort((a, b) => b.avgHours - a.avgHours || a.name.localeCompare(b.name)).slice(0, SLOWEST_GRIDS),
  };
}
