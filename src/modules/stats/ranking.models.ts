/**
 * The 红黑榜 rule, one for the grids (rankGrids in stats.models) and the departments (rankDepartments in
 * department-facts.models): what is scored, how, and what counts as enough activity is each caller's; how the
 * score is weighted, who is ranked, the order and the two lists are here. docs/figures.md states it. Pure: no I/O.
 */

/** The figures a ranking reads beside the score: 满意率 breaks ties. */
type RankedFigures = { satisfaction: { rate: number | null } };

/**
 * A score's weighted mean (0–1) of the rates present, the weights renormalised over them, so an entry is not
 * punished for a figure with nothing to count; null when none of the weighted rates is present.
 */
export function weightedMean<K extends string>(figures: Record<K, { rate: number | null }>, weights: Partial<Record<K, number>>): number | null {
  let total = 0;
  let weight = 0;
  for (const [key, w] of Object.entries(weights) as [K, number][]) {
    const rate = figures[key].rate;
    if (rate === null) continue;
    total += rate * w;
    weight += w;
  }
  return weight > 0 ? total / weight : null;
}

export type Ranked<T, F> = T & { figures: F; score: number; rank: number };

export type Ranking<T, F> = { ranked: Ranked<T, F>[]; red: Ranked<T, F>[]; black: Ranked<T, F>[]; unranked: T[] };

/**
 * 红黑榜: the entries with enough activity (`volume` of their counts at least `minVolume`) and a score, ranked by
 * score, best first; ties broken by the higher 满意率 (none below 0 %), then by more resolutions, then by name
 * (pinyin order), so the order is stable. The red list is the top `size`, the black list the bottom `size` (worst
 * first), never overlapping: with fewer than twice `size` ranked, red takes the better half (rounded up), black the
 * rest. The others are `unranked`, in the order given.
 */
export function rankByScore<T extends { name: string; counts: { resolved: number } }, F extends RankedFigures>({
  entries,
  figures: figuresOf,
  score: scoreOf,
  volume,
  minVolume = 1,
  size = 3,
}: {
  entries: readonly T[];
  figures: (counts: T['counts']) => F;
  score: (figures: F) => number | null;
  /** The activity held against `minVolume` (resolutions for grids, lead dispatches for departments). */
  volume: (counts: T['counts']) => number;
  minVolume?: number;
  size?: number;
}): Ranking<T, F> {
  const scored: (T & { figures: F; score: number })[] = [];
  const unranked: T[] = [];
  for (const entry of entries) {
    const figures = figuresOf(entry.counts);
    const s = scoreOf(figures);
    if (volume(entry.counts) < minVolume || s === null) unranked.push(entry);
    else scored.push({ ...entry, figures, score: s });
  }
  scored.sort(
    (a, b) =>
      b.score - a.score ||
      (b.figures.satisfaction.rate ?? -1) - (a.figures.satisfaction.rate ?? -1) ||
      b.counts.resolved - a.counts.resolved ||
      a.name.localeCompare(b.name, 'zh-CN'),
  );
  const ranked = scored.map((entry, i) => ({ ...entry, rank: i + 1 }));
  const redSize = Math.min(size, Math.ceil(ranked.length / 2));
  const blackSize = Math.min(size, ranked.length - redSize);
  return { ranked, red: ranked.slice(0, redSize), black: ranked.slice(ranked.length - blackSize).reverse(), unranked };
}
