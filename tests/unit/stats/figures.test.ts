import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/modules/calendar/calendar.models';
import type { OrderFact } from '../../../src/modules/stats/order-facts.models';
import {
  checkPeriod,
  monthPeriod,
  monthsEnding,
  monthToDate,
  splitPeriod,
  weekStart,
  weeksEnding,
} from '../../../src/modules/stats/periods.models';
import {
  COUNT_KEYS,
  type Counts,
  computeFigures,
  solvedNotSaid,
  countFact,
  countsByDay,
  emptyCounts,
  rankGrids,
  ratio,
  score,
} from '../../../src/modules/stats/stats.models';
import { china } from '../calendar/calendar.fixtures';

const counts = (partial: Partial<Counts>): Counts => ({ ...emptyCounts(), ...partial });

describe('each figure’s definition', () => {
  const c = counts({
    assignments: 10,
    respInTime: 6,
    respLate: 2,
    respMissed: 1,
    returned: 1,
    resolved: 8,
    resolvedOnTime: 6,
    surveySatisfied: 4,
    surveyBasic: 1,
    surveyUnsatisfied: 2,
    surveyUnanswered: 3,
    // 已解决 and 未解决 are counted apart from satisfaction: two of the seven answered rounds did not say.
    surveySolved: 4,
    surveyUnsolved: 1,
    reopened: 2,
    closed: 8,
    closedFirstTime: 5,
  });
  const f = computeFigures(c);

  it('响应率 judges in time against in time, late and missed (void and pending are not judged)', () => {
    expect(f.response).toEqual(ratio(6, 9));
  });
  it('解决率 is 已解决 over the answered rounds that said whether it was solved (not said and 未评价 left out)', () => {
    expect(f.solved).toEqual(ratio(4, 5));
    expect(solvedNotSaid(c)).toBe(2);
  });
  it('满意率 is 满意 + 基本满意 over answered surveys, 未评价 left out', () => {
    expect(f.satisfaction).toEqual(ratio(5, 7));
  });
  it('一次办结率, 按时办结率, 重办率 and 退回率', () => {
    expect(f.firstTime).toEqual(ratio(5, 8));
    expect(f.onTime).toEqual(ratio(6, 8));
    expect(f.reopen).toEqual(ratio(2, 10));
    expect(f.return).toEqual(ratio(1, 10));
  });
  it('has no rate, rather than 0%, when there is nothing to count', () => {
    expect(computeFigures(emptyCounts()).satisfaction).toEqual({ numerator: 0, denominator: 0, rate: null });
  });
});

describe('counting facts', () => {
  it('adds each fact to the counts of its China date', () => {
    const facts: OrderFact[] = [
      { kind: 'submit', at: china('2026-11-23 23:30') },
      { kind: 'assignment', at: china('2026-11-23 23:30'), signDeadlineAt: china('2026-11-24 11:00'), signedAt: china('2026-11-24 09:10'), outcome: 'in_time', returned: false },
      { kind: 'resolution', at: china('2026-11-24 00:30'), deadlineAt: china('2026-11-27 00:00'), onTime: true },
      { kind: 'survey', at: china('2026-11-24 01:00'), answer: 'basically_satisfied' },
      { kind: 'close', at: china('2026-11-24 01:00'), firstTime: true },
    ];
    const byDay = countsByDay(facts);
    expect([...byDay.keys()]).toEqual(['2026-11-23', '2026-11-24']);
    expect(byDay.get('2026-11-23')).toEqual(counts({ submitted: 1, assignments: 1, respInTime: 1 }));
    expect(byDay.get('2026-11-24')).toEqual(counts({ resolved: 1, resolvedOnTime: 1, surveyBasic: 1, closed: 1, closedFirstTime: 1 }));
  });

  it('counts a void or pending assignment as made but not judged', () => {
    const base = { kind: 'assignment' as const, at: china('2026-11-23 10:00'), signDeadlineAt: china('2026-11-23 12:00'), signedAt: null, returned: true };
    expect(countFact({ ...base, outcome: 'void' })).toEqual(counts({ assignments: 1, returned: 1 }));
    expect(countFact({ ...base, outcome: 'pending', returned: false })).toEqual(counts({ assignments: 1 }));
  });
});

describe('the grid ranking (红黑榜)', () => {
  const grid = (name: string, c: Partial<Counts>) => ({ name, counts: counts(c) });
  const perfect = { assignments: 1, respInTime: 1, resolved: 1, resolvedOnTime: 1, surveySatisfied: 1, closed: 1, closedFirstTime: 1 };

  it('scores a weighted mean of 响应率, 按时办结率, 满意率 and 一次办结率 over the figures present', () => {
    expect(score(computeFigures(counts(perfect)))).toBe(100);
    expect(score(computeFigures(counts({ resolved: 2, resolvedOnTime: 1 })))).toBe(50);
    expect(score(computeFigures(emptyCounts()))).toBeNull();
  });

  it('ranks best first, leaves out grids without enough resolutions, and never lists a grid twice', () => {
    const result = rankGrids({
      grids: [
        grid('甲', perfect),
        grid('乙', { resolved: 2, resolvedOnTime: 1 }),
        grid('丙', { resolved: 4, resolvedOnTime: 3 }),
        grid('丁', {}),
        grid('戊', { resolved: 1, resolvedOnTime: 0 }),
      ],
      size: 2,
    });
    expect(result.ranked.map((g) => [g.name, g.rank, g.score])).toEqual([
      ['甲', 1, 100],
      ['丙', 2, 75],
      ['乙', 3, 50],
      ['戊', 4, 0],
    ]);
    expect(result.red.map((g) => g.name)).toEqual(['甲', '丙']);
    expect(result.black.map((g) => g.name)).toEqual(['戊', '乙']);
    expect(result.unranked.map((g) => g.name)).toEqual(['丁']);
    const three = rankGrids({ grids: [grid('甲', perfect), grid('乙', { resolved: 1 }), grid('丙', { resolved: 2, resolvedOnTime: 1 })], size: 3 });
    expect([three.red.map((g) => g.name), three.black.map((g) => g.name)]).toEqual([['甲', '丙'], ['乙']]);
  });

  it('breaks ties by 满意率, then by more resolutions, then by name', () => {
    const result = rankGrids({
      grids: [grid('乙', { resolved: 1, resolvedOnTime: 1 }), grid('甲', { resolved: 1, resolvedOnTime: 1 }), grid('丙', { resolved: 3, resolvedOnTime: 3 })],
      minResolved: 1,
    });
    // All score 100: 丙 has more resolutions; 甲 (jiǎ) comes before 乙 (yǐ) in pinyin order.
    expect(result.ranked.map((g) => g.name)).toEqual(['丙', '甲', '乙']);
    const bySatisfaction = rankGrids({
      grids: [
        grid('甲', { resolved: 1, resolvedOnTime: 1, surveySatisfied: 1, surveyUnsatisfied: 1 }), // (0.3×1 + 0.3×½) / 0.6
        grid('乙', { resolved: 2, resolvedOnTime: 1, surveySatisfied: 1 }), // (0.3×½ + 0.3×1) / 0.6
      ],
    });
    expect(bySatisfaction.ranked.map((g) => [g.name, g.score])).toEqual([['乙', 75], ['甲', 75]]);
  });
});

describe('periods', () => {
  it('knows a month’s first and last day, leap years included', () => {
    expect(monthPeriod('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(() => monthPeriod('2026-13')).toThrow(RangeError);
    expect(monthsEnding('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  it('starts weeks on Monday', () => {
    expect(weekStart('2026-11-29')).toBe('2026-11-23'); // a Sunday
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weeksEnding('2026-11-30', 3)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
  });

  it('takes this month to date in China time', () => {
    expect(monthToDate(new Date('2026-11-30T16:30:00Z'))).toEqual({ from: '2026-12-01', to: '2026-12-01' });
  });

  it('refuses reversed, impossible and overlong ranges, and accepts a year', () => {
    expect(checkPeriod({ from: '2026-11-02', to: '2026-11-01' })).toEqual({ ok: false, reason: 'reversed' });
    expect(checkPeriod({ from: '2026-02-30', to: '2026-03-01' })).toEqual({ ok: false, reason: 'invalid' });
    expect(checkPeriod({ from: '2025-01-01', to: '2026-12-31' })).toEqual({ ok: false, reason: 'too_long' });
    expect(checkPeriod({ from: '2025-01-01', to: '2025-12-31' }).ok).toBe(true);
  });
});

describe('splitting a period between the monthly and daily rollups', () => {
  /** The days a split counts, each as many times as it is counted. */
  const countedDays = (split: ReturnType<typeof splitPeriod>): Map<string, number> => {
    const counted = new Map<string, number>();
    const add = (p: { from: string; to: string }, n: number) => {
      for (let d = p.from; d <= p.to; d = addDays(d, 1)) counted.set(d, (counted.get(d) ?? 0) + n);
    };
    if (split.months) for (let m = split.months.from; m <= split.months.to; m = addDays(monthPeriod(m.slice(0, 7)).to, 1)) add(monthPeriod(m.slice(0, 7)), 1);
    for (const p of split.days) add(p, 1);
    for (const p of split.minusDays) add(p, -1);
    for (const [d, n] of counted) if (n === 0) counted.delete(d);
    return counted;
  };

  it('reads whole months monthly and the rest daily, every day exactly once', () => {
    expect(splitPeriod({ from: '2026-11-01', to: '2026-11-30' })).toEqual({ months: { from: '2026-11-01', to: '2026-11-01' }, days: [], minusDays: [] });
    expect(splitPeriod({ from: '2026-10-15', to: '2026-12-01' })).toEqual({
      months: { from: '2026-10-01', to: '2026-11-01' },
      days: [{ from: '2026-12-01', to: '2026-12-01' }],
      minusDays: [{ from: '2026-10-01', to: '2026-10-14' }],
    });
    expect(splitPeriod({ from: '2026-10-31', to: '2026-11-01' })).toEqual({
      months: null,
      days: [
        { from: '2026-10-31', to: '2026-10-31' },
        { from: '2026-11-01', to: '2026-11-01' },
      ],
      minusDays: [],
    });
    expect(splitPeriod({ from: '2028-02-01', to: '2028-02-29' }).days).toEqual([]);
  });

  it('reads a month less the days outside the period when those are fewer: this month up to yesterday is the month less the rest', () => {
    expect(splitPeriod({ from: '2025-11-24', to: '2026-11-22' })).toEqual({
      months: { from: '2025-12-01', to: '2026-11-01' },
      days: [{ from: '2025-11-24', to: '2025-11-30' }],
      minusDays: [{ from: '2026-11-23', to: '2026-11-30' }],
    });
    expect(splitPeriod({ from: '2026-11-03', to: '2026-11-20' })).toEqual({
      months: { from: '2026-11-01', to: '2026-11-01' },
      days: [],
      minusDays: [
        { from: '2026-11-01', to: '2026-11-02' },
        { from: '2026-11-21', to: '2026-11-30' },
      ],
    });
    expect(splitPeriod({ from: '2026-11-10', to: '2026-11-20' })).toEqual({ months: null, days: [{ from: '2026-11-10', to: '2026-11-20' }], minusDays: [] });
  });

  it('counts every day of any period up to a year and a month exactly once, and no other day', () => {
    for (let start = '2025-12-20'; start <= '2026-03-10'; start = addDays(start, 3)) {
      for (const length of [1, 2, 14, 15, 16, 28, 29, 30, 31, 45, 59, 60, 61, 90, 200, 365, 366, 400]) {
        const period = { from: start, to: addDays(start, length - 1) };
        const counted = countedDays(splitPeriod(period));
        expect([...counted.values()].every((n) => n === 1)).toBe(true);
        expect([...counted.keys()].sort()).toEqual(Array.from({ length }, (_, i) => addDays(start, i)));
      }
    }
  });
});

describe('empty counts', () => {
  it('have every count key at zero and nothing else', () => {
    expect(Object.keys(emptyCounts()).sort()).toEqual([...COUNT_KEYS].sort());
    expect(Object.values(emptyCounts()).every((v) => v === 0)).toBe(true);
  });
});
