import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDashboard, loadPublicDisclosure } from '../../../src/modules/stats/dashboard.usecases';
import { loadStoredFacts } from '../../../src/modules/stats/stats.repository';
import { statsDaily, statsMonthly, statsWeekly } from '../../../src/modules/stats/stats.table';
import { weekStart } from '../../../src/modules/stats/periods.models';
import { type Counts, emptyCounts } from '../../../src/modules/stats/stats.models';
import { rebuildStats, refreshStats, sumFacts } from '../../../src/modules/stats/stats.usecases';
import { workOrders } from '../../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../../src/modules/work-orders/intake/submit-demand.usecases';
import { createTestContext, type TestContext } from '../../helpers/context';
import { G01, type History, buildHistory } from './history';

const NOVEMBER = { from: '2026-11-01', to: '2026-11-30' };

const counts = (partial: Partial<Counts>): Counts => ({ ...emptyCounts(), ...partial });

/** November under the district, worked out by hand from the history (see history.ts). */
const NOVEMBER_DISTRICT = counts({
  submitted: 7, // A B C D F G H (E was October)
  assignments: 11, // A1 B2 C3 D2 F1 G1 H1
  respInTime: 5, // A, B's reopening (王主任 resolving), D at the community, F, G
  respLate: 1, // B signed at 14:00, limit 13:00
  respMissed: 1, // C with 孙丽 (limit 11-23 15:00 passed); C's first two and D's first and H's were taken away in time: void
  returned: 1, // C
  resolved: 6, // A, B twice, D, F, G
  resolvedOnTime: 5, // all but B's first
  surveySatisfied: 3, // E (11-02), A, F
  surveyBasic: 1, // B's second round
  surveyUnsatisfied: 1, // B's first round
  surveyUnanswered: 1, // D
  reopened: 1, // B
  closed: 5, // E A B D F
  closedFirstTime: 3, // E A F (B was reopened, D escalated)
  escalated: 1, // D
});

let t: TestContext;
let orders: History;
let incrementalRollup: Awaited<ReturnType<typeof rollup>>;

const KEYS = ['day', 'month', 'week', 'gridId', 'categoryId'];
const nonZero = (r: Record<string, unknown>) => Object.entries(r).some(([k, v]) => !KEYS.includes(k) && v !== 0);
const keyOf = (r: Record<string, unknown>) => KEYS.map((k) => String(r[k] ?? '')).join('|');
const sorted = <T extends Record<string, unknown>>(list: T[]) => list.filter(nonZero).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

/** The three rollups, without rows that came back to zero. */
async function rollup() {
  return {
    daily: sorted(await t.db.select().from(statsDaily)),
    monthly: sorted(await t.db.select().from(statsMonthly)),
    weekly: sorted(await t.db.select().from(statsWeekly)),
  };
}

describe('the figures, from a known history', () => {
  beforeAll(async () => {
    t = await createTestContext();
    // Refreshing after every step exercises the incremental path (and the pending → missed change of C).
    orders = await buildHistory(t, { afterEach: async () => void (await refreshStats({ deps: t })) });
    await refreshStats({ deps: t });
    incrementalRollup = await rollup();
  }, 300_000);
  afterAll(async () => t.close());

  it('counts every fact of November under the district exactly', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: NOVEMBER });
    expect(d!.total.counts).toEqual(NOVEMBER_DISTRICT);
  });

  it('computes each rate from its numerator and denominator', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: NOVEMBER });
    const f = d!.total.figures;
    expect([f.response.numerator, f.response.denominator]).toEqual([5, 7]);
    // The history answers only how satisfied (as residents did before 是否解决 was asked): 解决率 has no data.
    expect([f.solved.numerator, f.solved.denominator]).toEqual([0, 0]);
    expect([f.satisfaction.numerator, f.satisfaction.denominator]).toEqual([4, 5]);
    expect([f.firstTime.numerator, f.firstTime.denominator]).toEqual([3, 5]);
    expect([f.onTime.numerator, f.onTime.denominator]).toEqual([5, 6]);
    expect([f.reopen.numerator, f.reopen.denominator]).toEqual([1, 6]);
    expect([f.return.numerator, f.return.denominator]).toEqual([1, 11]);
    expect(f.satisfaction.rate).toBeCloseTo(0.8);
  });

  it('splits the district by town and counts an order under the grid it was moved to', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: NOVEMBER });
    const byName = Object.fromEntries(d!.children.map((c) => [c.unit.name, c.counts]));
    expect(byName['西山镇']).toEqual(counts({ surveySatisfied: 1, closed: 1, closedFirstTime: 1 }));
    expect(byName['东湖街道']!.submitted).toBe(7);

    const community = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01-T01-C01'), period: NOVEMBER });
    const grids = Object.fromEntries(community!.children.map((c) => [c.unit.name, c.counts]));
    expect(grids['柳岸社区第二网格']).toEqual(emptyCounts());
    expect(grids['柳岸社区第三网格']).toEqual(counts({ submitted: 1, assignments: 3, returned: 1, respMissed: 1 }));
    expect(grids['柳岸社区第一网格']).toEqual(
      counts({ submitted: 5, assignments: 7, respInTime: 4, respLate: 1, resolved: 5, resolvedOnTime: 4, surveySatisfied: 2, surveyBasic: 1, surveyUnsatisfied: 1, surveyUnanswered: 1, reopened: 1, closed: 4, closedFirstTime: 2, escalated: 1 }),
    );
  });

  it('splits by category', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: NOVEMBER });
    const byName = Object.fromEntries(d!.categories.map((c) => [c.name, c.counts]));
    expect(byName['环境卫生']).toEqual(
      counts({ submitted: 2, assignments: 3, respInTime: 2, respLate: 1, resolved: 3, resolvedOnTime: 2, surveyBasic: 1, surveyUnsatisfied: 1, reopened: 1, closed: 1 }),
    );
    expect(byName['政策咨询']).toEqual(
      counts({ submitted: 1, assignments: 1, respInTime: 1, resolved: 1, resolvedOnTime: 1, surveySatisfied: 2, closed: 2, closedFirstTime: 2 }),
    );
  });

  it('trends by week, Monday first, over the twelve weeks ending with the period', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: NOVEMBER });
    expect(d!.weeks).toHaveLength(12);
    expect(d!.weeks.at(-1)!.weekStart).toBe('2026-11-30');
    const week = (start: string) => d!.weeks.find((w) => w.weekStart === start)!.counts;
    expect(week('2026-10-26')).toEqual(counts({ submitted: 1, assignments: 1, respInTime: 1, resolved: 1, resolvedOnTime: 1 }));
    expect(week('2026-11-02')).toEqual(counts({ surveySatisfied: 1, closed: 1, closedFirstTime: 1 }));
    // Monday 11-30: B resolved late, 不满意, reopened, resolved on time, 基本满意; G resolved on time.
    expect(week('2026-11-30')).toEqual(
      counts({ assignments: 1, respInTime: 1, resolved: 3, resolvedOnTime: 2, surveyBasic: 1, surveyUnsatisfied: 1, reopened: 1, closed: 1 }),
    );
  });

  it('ranks grids with a resolution in the period: red and black lists', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01'), period: NOVEMBER });
    expect(d!.ranking.ranked.map((g) => [g.name, g.score])).toEqual([
      ['桂园社区第一网格', 100],
      ['柳岸社区第一网格', 72.5], // 0.2×4/5 + 0.3×4/5 + 0.3×3/4 + 0.2×2/4
    ]);
    expect(d!.ranking.red.map((g) => g.name)).toEqual(['桂园社区第一网格']);
    expect(d!.ranking.black.map((g) => g.name)).toEqual(['柳岸社区第一网格']);
    expect(d!.ranking.unranked).toHaveLength(10);
  });

  it('keeps an officer’s view to the subtree asked for', async () => {
    const d = await loadDashboard({ db: t.db, categories: await t.categories.all(), scopeUnitId: await t.gridId('D01-T02'), period: NOVEMBER });
    expect(d!.total.counts).toEqual(counts({ surveySatisfied: 1, closed: 1, closedFirstTime: 1 }));
    expect(d!.children.map((c) => c.unit.name)).toEqual(['青石村', '南溪社区']);
  });

  it('replays the limits the use cases set: each resolution’s limit is the order’s stored deadline', async () => {
    const ids = [orders.A.id, orders.B.id, orders.D.id, orders.F.id, orders.G.id];
    const stored = await loadStoredFacts(t.db, ids);
    const rows = await t.db.select({ id: workOrders.id, deadlineAt: workOrders.deadlineAt }).from(workOrders).where(inArray(workOrders.id, ids));
    for (const row of rows) {
      const facts = stored.find((s) => s.orderId === row.id)!.facts;
      const last = facts.filter((f) => f.kind === 'resolution').at(-1);
      expect(last && last.kind === 'resolution' ? last.deadlineAt?.toISOString() : null).toBe(row.deadlineAt!.toISOString());
    }
    const f = stored.find((s) => s.orderId === orders.F.id)!.facts.find((x) => x.kind === 'resolution');
    expect(f).toMatchObject({ onTime: true, deadlineAt: new Date('2026-11-29T00:00:00+08:00') });
  });

  it('derives the same rollup again from the event log alone', async () => {
    const [stored] = [await loadStoredFacts(t.db, Object.values(orders).map((o) => o.id))];
    const { status } = await rebuildStats({ deps: t, batchSize: 3 });
    expect(status).toBe('rebuilt');
    expect(await rollup()).toEqual(incrementalRollup);
    expect(sumFacts(await loadStoredFacts(t.db, Object.values(orders).map((o) => o.id)))).toEqual(sumFacts(stored));
  });

  it('keeps the monthly and weekly rollups equal to the daily one summed', async () => {
    const { daily, monthly, weekly } = await rollup();
    const sum = (rows: typeof daily, key: (r: (typeof daily)[number]) => string) => {
      const out = new Map<string, Counts>();
      for (const r of rows) {
        const c = out.get(key(r)) ?? emptyCounts();
        for (const k of Object.keys(c) as (keyof Counts)[]) c[k] += r[k];
        out.set(key(r), c);
      }
      return out;
    };
    const strip = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !KEYS.includes(k)));
    expect(new Map(monthly.map((m) => [`${m.month.slice(0, 7)}|${m.gridId}|${m.categoryId}`, strip(m)]))).toEqual(
      sum(daily, (d) => `${d.day.slice(0, 7)}|${d.gridId}|${d.categoryId}`),
    );
    expect(new Map(weekly.map((w) => [`${w.week}|${w.gridId}`, strip(w)]))).toEqual(sum(daily, (d) => `${weekStart(d.day)}|${d.gridId}`));
  });

  it('reads a period that is not whole months from the monthly and daily rollups together, each day once', async () => {
    const scopeUnitId = await t.gridId('D01');
    const list = await t.categories.all();
    const load = (from: string, to: string) => loadDashboard({ db: t.db, categories: list, scopeUnitId, period: { from, to } });
    // E's submission, assignment and resolution on 10-28/10-29, plus the whole of November, plus nothing on 12-01.
    const across = await load('2026-10-15', '2026-12-01');
    const expected = { ...NOVEMBER_DISTRICT };
    for (const k of ['submitted', 'assignments', 'respInTime', 'resolved', 'resolvedOnTime'] as const) expected[k] += 1;
    expect(across!.total.counts).toEqual(expected);
    // Days only: E from submission to its 满意 on 11-02.
    expect((await load('2026-10-28', '2026-11-02'))!.total.counts).toEqual(
      counts({ submitted: 1, assignments: 1, respInTime: 1, resolved: 1, resolvedOnTime: 1, surveySatisfied: 1, closed: 1, closedFirstTime: 1 }),
    );
    // Whole months only.
    expect((await load('2026-10-01', '2026-11-30'))!.total.counts).toEqual(expected);
  });

  it('shows per town and grid per month on the public page, from the same rollup', async () => {
    const p = await loadPublicDisclosure({ db: t.db, month: '2026-11' });
    const east = p.towns.find((x) => x.name === '东湖街道')!;
    expect([east.counts.submitted, east.counts.resolved, east.counts.resolvedOnTime]).toEqual([7, 6, 5]);
    const g01 = east.grids.find((g) => g.name === '柳岸社区第一网格')!;
    expect(g01.figures.satisfaction).toMatchObject({ numerator: 3, denominator: 4 });
    expect(p.total.counts).toEqual(NOVEMBER_DISTRICT);
    const october = await loadPublicDisclosure({ db: t.db, month: '2026-10' });
    expect(october.towns.find((x) => x.name === '西山镇')!.counts).toMatchObject({ submitted: 1, resolved: 1, resolvedOnTime: 1 });
  });

  it('a refresh with nothing new changes nothing', async () => {
    const before = await rollup();
    expect((await refreshStats({ deps: t })).status).toBe('refreshed');
    expect(await rollup()).toEqual(before);
  });
});

describe('an assignment nobody signs for', () => {
  let u: TestContext;
  beforeAll(async () => {
    u = await createTestContext();
  });
  afterAll(async () => u.close());

  it('is pending until its limit passes, then counts as missed at the next refresh though no event came', async () => {
    await submitDemand({
      deps: u.orderDeps,
      input: { sourceMessageId: 'p-1', channel: 'group', residentId: await u.residentId('陈阿姨'), gridId: await u.gridId(G01), text: '路灯不亮', categoryCode: 'streetlight', checkDuplicates: false },
    });
    const today = { from: '2026-11-23', to: '2026-11-23' };
    const district = await u.gridId('D01');
    u.clock.set('2026-11-23T11:59:00+08:00');
    await refreshStats({ deps: u });
    let d = await loadDashboard({ db: u.db, categories: await u.categories.all(), scopeUnitId: district, period: today });
    expect(d!.total.counts).toEqual(counts({ submitted: 1, assignments: 1 }));
    expect(d!.total.figures.response.rate).toBeNull();

    u.clock.set('2026-11-23T12:01:00+08:00'); // the 签收 limit was 2 working hours: 12:00
    expect(await refreshStats({ deps: u })).toEqual({ status: 'refreshed', orders: 1 });
    d = await loadDashboard({ db: u.db, categories: await u.categories.all(), scopeUnitId: district, period: today });
    expect(d!.total.counts).toEqual(counts({ submitted: 1, assignments: 1, respMissed: 1 }));
    expect(d!.total.figures.response).toEqual({ numerator: 0, denominator: 1, rate: 0 });
  });
});
