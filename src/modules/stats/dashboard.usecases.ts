import type { Database } from '../../db/client';
import { chinaDate } from '../calendar/calendar.models';
import type { CategoryRecord } from '../categories/categories.repository';
import {
  type DepartmentCounts,
  type DepartmentFigures,
  type RankedDepartment,
  computeDepartmentFigures,
  emptyDepartmentCounts,
  rankDepartments,
} from './department-facts.models';
import { type DepartmentForStats, loadDepartmentsForStats, sumDepartmentsForPeriod } from './department-stats.repository';
import { monthsEnding, weeksEnding } from './periods.models';
import { sumByGridForMonth, sumByWeek, sumPeriod } from './rollups.repository';
import { readState } from './stats.repository';
import { type UnitRow, loadAllUnits, loadSubtree, loadUnit } from './units.repository';
import {
  type Counts,
  type Figures,
  type Period,
  type RankedGrid,
  addCounts,
  computeFigures,
  emptyCounts,
  rankGrids,
  sumCounts,
} from './stats.models';

export type Row<T> = T & { counts: Counts; figures: Figures };

const withFigures = <T extends object>(item: T, counts: Counts): Row<T> => ({ ...item, counts, figures: computeFigures(counts) });

export type Dashboard = {
  scope: UnitRow;
  period: Period;
  total: Row<object>;
  /** One row per unit one level down (towns under the district, communities under a town, grids under a community). */
  children: Row<{ unit: UnitRow }>[];
  categories: Row<{ categoryId: number; name: string }>[];
  /** The 12 weeks ending with the period's last day, Monday first. */
  weeks: Row<{ weekStart: string }>[];
  ranking: {
    red: RankedGrid<{ unit: UnitRow; name: string; counts: Counts }>[];
    black: RankedGrid<{ unit: UnitRow; name: string; counts: Counts }>[];
    ranked: RankedGrid<{ unit: UnitRow; name: string; counts: Counts }>[];
    unranked: { unit: UnitRow; name: string; counts: Counts }[];
  };
  /**
   * The departments orders of this subtree were dispatched to (all active ones at the district), with their
   * figures over those orders, and their own ranking (departments are ranked apart from grids).
   */
  departments: DepartmentRow[];
  departmentRanking: {
    red: RankedDepartment<DepartmentRow>[];
    black: RankedDepartment<DepartmentRow>[];
    ranked: RankedDepartment<DepartmentRow>[];
    unranked: DepartmentRow[];
  };
  refreshedAt: Date | null;
};

export type DepartmentRow = { department: DepartmentForStats; name: string; counts: DepartmentCounts; figures: DepartmentFigures };

export const TREND_WEEKS = 12;

/**
 * The figures of a unit's subtree for a period: total, per child unit, per category, per week, and the grid
 * ranking. Two reads of the rollup (the period, and the trend's twelve weeks). `categories` is the provider's
 * list, loaded by the caller (the weekly report calls this inside its transaction, where providers are not called).
 */
export async function loadDashboard({
  db,
  categories,
  scopeUnitId,
  period,
  minResolvedToRank = 1,
}: {
  db: Database;
  categories: CategoryRecord[];
  scopeUnitId: number;
  period: Period;
  minResolvedToRank?: number;
}): Promise<Dashboard | undefined> {
  const scope = await loadUnit(db, scopeUnitId);
  if (!scope) return undefined;
  const units = await loadSubtree(db, scope.path);
  const gridUnits = units.filter((u) => u.level === 'grid');
  // The root's subtree is every grid: no filter at all then.
  const gridIds = scope.parentId === null ? null : gridUnits.map((u) => u.id);
  const sums = await sumPeriod(db, { period, gridIds });

  const total = sums.total;
  const childOf = (grid: UnitRow) => Number(grid.path.slice(scope.path.length).split('/')[0]);
  const childCounts = new Map<number, Counts>();
  for (const grid of gridUnits) {
    const counts = sums.byGrid.get(grid.id);
    if (!counts || grid.id === scope.id) continue;
    const child = childOf(grid);
    childCounts.set(child, addCounts(childCounts.get(child) ?? emptyCounts(), counts));
  }
  const children = units
    .filter((u) => u.parentId === scope.id)
    .map((unit) => withFigures({ unit }, childCounts.get(unit.id) ?? emptyCounts()));

  const categoryCounts = sums.byCategory;
  const categoryList = categories.filter((c) => c.active || categoryCounts.has(c.id));
  const categoryRows = categoryList.map((c) => withFigures({ categoryId: c.id, name: c.name }, categoryCounts.get(c.id) ?? emptyCounts()));

  const grids = gridUnits.map((unit) => ({ unit, name: unit.name, counts: sums.byGrid.get(unit.id) ?? emptyCounts() }));
  const ranking = rankGrids({ grids, minResolved: minResolvedToRank });

  const weekStarts = weeksEnding(period.to, TREND_WEEKS);
  const found = await sumByWeek(db, { fromWeek: weekStarts[0]!, toWeek: weekStarts.at(-1)!, gridIds });
  const weekCounts = new Map(found.map((w) => [w.week, w.counts]));
  const weeks = weekStarts.map((w) => withFigures({ weekStart: w }, weekCounts.get(w) ?? emptyCounts()));

  const departmentSums = await sumDepartmentsForPeriod(db, { period, gridIds });
  const departments: DepartmentRow[] = (await loadDepartmentsForStats(db))
    .filter((d) => departmentSums.has(d.id) || (scope.parentId === null && d.active))
    .map((d) => {
      const counts = departmentSums.get(d.id) ?? emptyDepartmentCounts();
      return { department: d, name: d.name, counts, figures: computeDepartmentFigures(counts) };
    });
  const departmentRanking = rankDepartments({ departments });

  const { refreshedAt } = await readState(db);
  return {
    scope,
    period,
    total: withFigures({}, total),
    children,
    categories: categoryRows,
    weeks,
    ranking,
    departments,
    departmentRanking,
    refreshedAt,
  };
}

export type PublicGridRow = { name: string; counts: Counts; figures: Figures };
export type PublicTown = { name: string; counts: Counts; figures: Figures; grids: PublicGridRow[] };

/**
 * 定期公示: per town and grid, one month's counts — only unit names and numbers, nothing about a person or what
 * they wrote. Months start with the earliest of `months` ending with `month`.
 */
export async function loadPublicDisclosure({
  db,
  month,
}: {
  db: Database;
  month: string;
}): Promise<{ month: string; towns: PublicTown[]; total: { counts: Counts; figures: Figures } }> {
  const units = await loadAllUnits(db);
  const sums = await sumByGridForMonth(db, month);
  const byGrid = new Map(sums.map((s) => [s.gridId, s.counts]));
  const towns: PublicTown[] = [];
  const total = emptyCounts();
  for (const town of units.filter((u) => u.level === 'town')) {
    const grids = units
      .filter((u) => u.level === 'grid' && u.path.startsWith(town.path))
      .map((g) => ({ name: g.name, counts: byGrid.get(g.id) ?? emptyCounts() }));
    const townCounts = sumCounts(grids.map((g) => g.counts));
    addCounts(total, townCounts);
    towns.push({
      name: town.name,
      counts: townCounts,
      figures: computeFigures(townCounts),
      grids: grids.map((g) => ({ ...g, figures: computeFigures(g.counts) })),
    });
  }
  return { month, towns, total: { counts: total, figures: computeFigures(total) } };
}

/** The months the public page offers: the twelve ending with the one before `now`'s (the current one is not over). */
export function publicMonths(now: Date): string[] {
  const thisMonth = chinaDate(now).slice(0, 7);
  const [y, m] = thisMonth.split('-').map(Number) as [number, number];
  const last = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return monthsEnding(last, 12).reverse();
}
