import { describe, expect, it } from 'vitest';
import { rankByScore, weightedMean } from '../../../src/modules/stats/ranking.models';

/**
 * A small family of its own, so the rule is seen apart from the grids' and departments' figures: `points` is the
 * score (null: nothing to score), `happy` of `asked` is 满意率, `handled` is the activity held against the minimum.
 */
type TestCounts = { resolved: number; handled: number; points: number | null; happy: number; asked: number };
const entry = (name: string, c: Partial<TestCounts>) => ({
  name,
  counts: { resolved: 1, handled: 1, points: 50, happy: 0, asked: 0, ...c },
});
const rank = (entries: ReturnType<typeof entry>[], options: { minVolume?: number; size?: number } = {}) =>
  rankByScore({
    entries,
    figures: (c) => ({ satisfaction: { rate: c.asked > 0 ? c.happy / c.asked : null }, points: c.points }),
    score: (f) => f.points,
    volume: (c) => c.handled,
    ...options,
  });
const names = (list: { name: string }[]) => list.map((e) => e.name);

describe('the score: a weighted mean over the figures present', () => {
  const rate = (r: number | null) => ({ rate: r });
  it('weighs the rates present and renormalises the weights over them', () => {
    expect(weightedMean({ a: rate(1), b: rate(0.5) }, { a: 0.25, b: 0.75 })).toBe(0.625);
    // b has nothing to count: a alone, at full weight, is not pulled down by it.
    expect(weightedMean({ a: rate(0.8), b: rate(null) }, { a: 0.25, b: 0.75 })).toBe(0.8);
  });
  it('reads only the weighted figures, and is null when none of them is present', () => {
    expect(weightedMean({ a: rate(null), b: rate(null), c: rate(1) }, { a: 0.5, b: 0.5 })).toBeNull();
    expect(weightedMean({ a: rate(0), c: rate(1) }, { a: 1 })).toBe(0);
  });
});

describe('the 红黑榜 rule', () => {
  it('ranks by score, best first, numbering from 1, and keeps each entry’s own fields, figures and score', () => {
    const r = rank([entry('甲', { points: 40 }), entry('乙', { points: 90 }), entry('丙', { points: 0 })]);
    expect(r.ranked.map((e) => [e.name, e.rank, e.score])).toEqual([
      ['乙', 1, 90],
      ['甲', 2, 40],
      ['丙', 3, 0],
    ]);
    expect(r.ranked[0]!.counts.points).toBe(90);
    expect(r.ranked[0]!.figures.points).toBe(90);
  });

  it('leaves out, in the order given, entries below the minimum volume and entries with nothing to score', () => {
    const entries = [
      entry('甲', { handled: 2, points: 70 }),
      entry('乙', { handled: 1, points: 99 }),
      entry('丙', { handled: 5, points: null }),
      entry('丁', { handled: 0, points: 80 }),
      entry('戊', { handled: 3, points: 10 }),
    ];
    const atTwo = rank(entries, { minVolume: 2 });
    expect(names(atTwo.ranked)).toEqual(['甲', '戊']);
    expect(names(atTwo.unranked)).toEqual(['乙', '丙', '丁']);
    // Exactly the minimum is enough; the minimum is 1 unless given.
    expect(names(rank(entries).ranked)).toEqual(['乙', '甲', '戊']);
    expect(names(rank(entries).unranked)).toEqual(['丙', '丁']);
    expect(names(rank(entries, { minVolume: 0 }).ranked)).toEqual(['乙', '丁', '甲', '戊']);
  });

  it('breaks a tie of score by the higher 满意率, a grid with no answered survey below 0 %', () => {
    const r = rank([
      entry('甲', { asked: 0 }),
      entry('乙', { happy: 0, asked: 2 }),
      entry('丙', { happy: 2, asked: 2 }),
      entry('丁', { happy: 1, asked: 2 }),
    ]);
    expect(names(r.ranked)).toEqual(['丙', '丁', '乙', '甲']);
  });

  it('then by more resolutions, then by name in pinyin order, whatever the order given', () => {
    const entries = [entry('乙', { resolved: 1 }), entry('丙', { resolved: 1 }), entry('甲', { resolved: 1 }), entry('丁', { resolved: 4 })];
    // 丁 resolved more; 丙 (bǐng), 甲 (jiǎ), 乙 (yǐ).
    expect(names(rank(entries).ranked)).toEqual(['丁', '丙', '甲', '乙']);
    expect(names(rank([...entries].reverse()).ranked)).toEqual(['丁', '丙', '甲', '乙']);
    // The score still comes first.
    expect(names(rank([...entries, entry('戊', { points: 51 })]).ranked)[0]).toBe('戊');
  });

  it('lists the top `size` as red and the bottom `size` as black, worst first, never the same entry in both', () => {
    const many = Array.from({ length: 8 }, (_, i) => entry(`网格${i + 1}`, { points: 100 - i * 10 }));
    const eight = rank(many);
    expect(names(eight.red)).toEqual(['网格1', '网格2', '网格3']);
    expect(names(eight.black)).toEqual(['网格8', '网格7', '网格6']);
    const five = rank(many.slice(0, 5));
    expect([names(five.red), names(five.black)]).toEqual([['网格1', '网格2', '网格3'], ['网格5', '网格4']]);
    const three = rank(many.slice(0, 3), { size: 2 });
    expect([names(three.red), names(three.black)]).toEqual([['网格1', '网格2'], ['网格3']]);
    const one = rank(many.slice(0, 1));
    expect([names(one.red), names(one.black)]).toEqual([['网格1'], []]);
    const none = rank([]);
    expect([none.ranked, none.red, none.black, none.unranked]).toEqual([[], [], [], []]);
  });

  it('leaves the entries given as they were', () => {
    const entries = [entry('乙', { points: 10 }), entry('甲', { points: 20 })];
    rank(entries);
    expect(entries.map((e) => [e.name, 'rank' in e, 'score' in e])).toEqual([
      ['乙', false, false],
      ['甲', false, false],
    ]);
  });
});
