/**
 * Monthly 民情分析, per grid and category: counts, the change against the previous month, and what recurs:
 * problems repeated in the same grid and category, and places named more than once. Pure.
 */

export type GridCategoryCount = {
  gridId: number;
  gridName: string;
  categoryName: string;
  current: number;
  previous: number;
};

export type PlaceCount = { gridName: string; categoryName: string; place: string; count: number };

export type Trend = { current: number; previous: number; change: number; changeRate: number | null };

export type MonthlyAnalysis = {
  month: string;
  previousMonth: string;
  total: Trend;
  grids: (Trend & { gridId: number; gridName: string; categories: (Trend & { categoryName: string })[] })[];
  /** The same grid and category at least `RECURRING_MIN` times in the month. */
  recurring: { gridName: string; categoryName: string; count: number; previous: number }[];
  places: PlaceCount[];
};

export const RECURRING_MIN = 2;
export const MAX_PLACES = 20;

export function trend(current: number, previous: number): Trend {
  return { current, previous, change: current - previous, changeRate: previous > 0 ? (current - previous) / previous : null };
}

export function buildMonthlyAnalysis({
  month,
  previousMonth,
  counts,
  places,
}: {
  month: string;
  previousMonth: string;
  counts: GridCategoryCount[];
  places: PlaceCount[];
}): MonthlyAnalysis {
  const grids = new Map<number, { gridName: string; rows: GridCategoryCount[] }>();
  for (const row of counts) {
    const g = grids.get(row.gridId) ?? { gridName: row.gridName, rows: [] };
    g.rows.push(row);
    grids.set(row.gridId, g);
  }
  const sum = (rows: GridCategoryCount[], k: 'current' | 'previous') => rows.reduce((n, r) => n + r[k], 0);
  const gridList = [...grids.entries()]
    .map(([gridId, g]) => ({
      gridId,
      gridName: g.gridName,
      ...trend(sum(g.rows, 'current'), sum(g.rows, 'previous')),
      categories: g.rows
        .map((r) => ({ categoryName: r.categoryName, ...trend(r.current, r.previous) }))
        .sort((a, b) => b.current - a.current || b.change - a.change || a.categoryName.localeCompare(b.categoryName)),
    }))
    .sort((a, b) => b.current - a.current || b.change - a.change || a.gridId - b.gridId);
  const recurring = counts
    .filter((r) => r.current >= RECURRING_MIN)
    .map((r) => ({ gridName: r.gridName, categoryName: r.categoryName, count: r.current, previous: r.previous }))
    .sort((a, b) => b.count - a.count || b.previous - a.previous || a.gridName.localeCompare(b.gridName));
  return {
    month,
    previousMonth,
    total: trend(sum(counts, 'current'), sum(counts, 'previous')),
    grids: gridList,
    recurring,
    places: places
      .filter((p) => p.count >= RECURRING_MIN)
      .sort((a, b) => b.count - a.count || a.place.localeCompare(b.place))
      .slice(0, MAX_PLACES),
  };
}
