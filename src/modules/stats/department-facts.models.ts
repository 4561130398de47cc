/**
 * The figures of the departments (职能部门, companies, 物业) an order is dispatched to (分流交办), derived from its
 * dispatches and its replayed facts. Pure: no I/O, no clock.
 *
 * A department answers for its 主办 (lead) dispatches: each one is a 派单 to it, judged for 签收 against the
 * dispatch's own limit (on the department's calendar), counted as 退回 when the department sent it back, and as a
 * resolution (on time or late against the dispatch's 办结 limit) when it resolved it. A survey round (回访) counts
 * for the department whose dispatch resolved the order just before it. 协办 (assist) dispatches are counted apart
 * (`assists`) and judged for nothing: the lead holds the order. The order's own facts still count for its grid:
 * an order dispatched to a department counts for both.
 */
import { chinaDate } from '../calendar/calendar.models';
import { type CountsOf, countFamily } from './counts.models';
import { type OrderFact, responseOutcome } from './order-facts.models';
import { type Ranked, type Ranking, rankByScore, weightedMean } from './ranking.models';
import { type Ratio, ratio } from './stats.models';

export const DEPARTMENT_COUNT_KEYS = [
  /** 派单: lead dispatches to the department */
  'dispatched',
  /** 协办: assist dispatches (informative) */
  'assists',
  'respInTime',
  'respLate',
  'respMissed',
  /** 退回 by the department */
  'returned',
  'resolved',
  'resolvedOnTime',
  'surveySatisfied',
  'surveyBasic',
  'surveyUnsatisfied',
  'surveyUnanswered',
  /** Rounds that said whether the problem was solved (解决率), apart from how satisfied. */
  'surveySolved',
  'surveyUnsolved',
] as const;

export type DepartmentCountKey = (typeof DEPARTMENT_COUNT_KEYS)[number];
export type DepartmentCounts = CountsOf<DepartmentCountKey>;

export const departmentCounts = countFamily(DEPARTMENT_COUNT_KEYS);
export const { empty: emptyDepartmentCounts } = departmentCounts;

/** A dispatch as the figures read it (a row of `order_dispatches`). */
export type DispatchForStats = {
  departmentId: number;
  role: 'lead' | 'assist';
  status: 'dispatched' | 'signed' | 'returned' | 'resolved' | 'withdrawn';
  dispatchedAt: Date;
  signDeadlineAt: Date | null;
  signedAt: Date | null;
  deadlineAt: Date | null;
  returnedAt: Date | null;
  resolvedAt: Date | null;
};

/** One order's department counts on one China date. */
export type DepartmentDayCounts = { departmentId: number; day: string; counts: DepartmentCounts };

/**
 * A resolution and the department dispatch it belongs to: the dispatch's `resolvedAt` and the order's `resolve`
 * event are written by one use case with one clock reading, so they are the same instant; a minute of slack
 * keeps a dispatch row written a moment apart attached.
 */
const SAME_RESOLUTION_MS = 60_000;

/**
 * The department counts of one order: from its dispatches (派单, 签收, 退回, 办结) and its facts (the survey rounds,
 * each attributed to the department whose dispatch resolved the order last before it; a resolution by the grid
 * tree in between takes the survey back to the grid alone). An order with no facts (marked 无效) counts nowhere.
 */
export function deriveDepartmentCounts({
  dispatches,
  facts,
  now,
}: {
  dispatches: readonly DispatchForStats[];
  facts: readonly OrderFact[];
  now: Date;
}): DepartmentDayCounts[] {
  if (dispatches.length === 0 || facts.length === 0) return [];
  const byKey = new Map<string, DepartmentDayCounts>();
  const add = (departmentId: number, at: Date, apply: (c: DepartmentCounts) => void) => {
    const day = chinaDate(at);
    const key = `${departmentId}|${day}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { departmentId, day, counts: emptyDepartmentCounts() }));
    apply(row.counts);
  };

  const leads = dispatches.filter((d) => d.role === 'lead');
  for (const d of dispatches) {
    if (d.role === 'assist') {
      add(d.departmentId, d.dispatchedAt, (c) => (c.assists += 1));
      continue;
    }
    add(d.departmentId, d.dispatchedAt, (c) => {
      c.dispatched += 1;
      if (d.status === 'returned') c.returned += 1;
      if (d.signDeadlineAt) {
        // Taken away unsigned (returned, withdrawn): ended then; a withdrawal records no time, so it is void.
        const endedAt = d.signedAt ? null : (d.returnedAt ?? d.resolvedAt ?? (d.status === 'withdrawn' ? d.dispatchedAt : null));
        const outcome = responseOutcome({ signDeadlineAt: d.signDeadlineAt, signedAt: d.signedAt ?? (d.resolvedAt && !d.returnedAt ? d.resolvedAt : null), endedAt }, now);
        if (outcome === 'in_time') c.respInTime += 1;
        if (outcome === 'late') c.respLate += 1;
        if (outcome === 'missed') c.respMissed += 1;
      }
    });
    if (d.resolvedAt) {
      const resolvedAt = d.resolvedAt;
      add(d.departmentId, resolvedAt, (c) => {
        c.resolved += 1;
        if (!d.deadlineAt || resolvedAt.getTime() <= d.deadlineAt.getTime()) c.resolvedOnTime += 1;
      });
    }
  }

  // Each survey round belongs to whoever resolved the order last before it.
  const resolutions = facts.filter((f) => f.kind === 'resolution').map((f) => f.at.getTime());
  for (const f of facts) {
    if (f.kind !== 'survey') continue;
    const lastResolution = Math.max(-Infinity, ...resolutions.filter((t) => t <= f.at.getTime()));
    if (!Number.isFinite(lastResolution)) continue;
    const by = leads.find((d) => d.resolvedAt && Math.abs(d.resolvedAt.getTime() - lastResolution) <= SAME_RESOLUTION_MS);
    if (!by) continue;
    add(by.departmentId, f.at, (c) => {
      if (f.answer === 'satisfied') c.surveySatisfied += 1;
      if (f.answer === 'basically_satisfied') c.surveyBasic += 1;
      if (f.answer === 'unsatisfied') c.surveyUnsatisfied += 1;
      if (f.answer === 'unanswered') c.surveyUnanswered += 1;
      if (f.solved === true) c.surveySolved += 1;
      if (f.solved === false) c.surveyUnsolved += 1;
    });
  }
  return [...byKey.values()].sort((a, b) => a.departmentId - b.departmentId || a.day.localeCompare(b.day));
}

export const DEPARTMENT_FIGURE_KEYS = ['response', 'solved', 'satisfaction', 'onTime', 'return'] as const;
export type DepartmentFigureKey = (typeof DEPARTMENT_FIGURE_KEYS)[number];
export type DepartmentFigures = Record<DepartmentFigureKey, Ratio>;

/** The same definitions as the grids' figures (docs/figures.md), over the department's dispatches. */
export const DEPARTMENT_FIGURE_PARTS: Record<DepartmentFigureKey, (c: DepartmentCounts) => [number, number]> = {
  /** 响应率: lead dispatches signed for within the dispatch's limit / dispatches judged */
  response: (c) => [c.respInTime, c.respInTime + c.respLate + c.respMissed],
  /** 解决率, as for grids: rounds that said 已解决 / rounds that said whether it was solved, of the orders it resolved */
  solved: (c) => [c.surveySolved, c.surveySolved + c.surveyUnsolved],
  /** 满意率: (满意 + 基本满意) / answered surveys */
  satisfaction: (c) => [c.surveySatisfied + c.surveyBasic, c.surveySatisfied + c.surveyBasic + c.surveyUnsatisfied],
  /** 按时办结率: the department's resolutions on or before the dispatch's 办结 limit / its resolutions */
  onTime: (c) => [c.resolvedOnTime, c.resolved],
  /** 退回率: dispatches the department returned / lead dispatches to it */
  return: (c) => [c.returned, c.dispatched],
};

export function computeDepartmentFigures(c: DepartmentCounts): DepartmentFigures {
  return Object.fromEntries(DEPARTMENT_FIGURE_KEYS.map((k) => [k, ratio(...DEPARTMENT_FIGURE_PARTS[k](c))])) as DepartmentFigures;
}

/**
 * The departments' ranking score (0–100): 响应率 25 %, 按时办结率 35 %, 满意率 40 %, renormalised over the figures
 * present, less 退回率 × 20 points (a department that sends back what is its own job pushes the work back on the
 * grid). Departments are ranked apart from grids: they handle other orders (utilities, 城管), on other limits.
 */
export const DEPARTMENT_SCORE_WEIGHTS: Partial<Record<DepartmentFigureKey, number>> = { response: 0.25, onTime: 0.35, satisfaction: 0.4 };
export const RETURN_PENALTY_POINTS = 20;

export function departmentScore(f: DepartmentFigures): number | null {
  const mean = weightedMean(f, DEPARTMENT_SCORE_WEIGHTS);
  if (mean === null) return null;
  const s = mean * 100 - (f.return.rate ?? 0) * RETURN_PENALTY_POINTS;
  return Math.round(Math.max(0, s) * 10) / 10;
}

export type RankedDepartment<T> = Ranked<T, DepartmentFigures>;

/**
 * The departments' 红黑榜 (rankByScore, as the grids'): those with at least one lead dispatch in the period, by
 * `departmentScore`.
 */
export function rankDepartments<T extends { name: string; counts: DepartmentCounts }>({
  departments,
  size = 3,
}: {
  departments: readonly T[];
  size?: number;
}): Ranking<T, DepartmentFigures> {
  return rankByScore({ entries: departments, figures: computeDepartmentFigures, score: departmentScore, volume: (c) => c.dispatched, minVolume: 1, size });
}
