import { chinaDate } from '../../src/modules/calendar/calendar.models';
import type { Scope } from '../../src/modules/auth/auth.models';
import { createCategoryProvider } from '../../src/modules/categories/categories.repository';
import { loadDashboard, loadPublicDisclosure, publicMonths } from '../../src/modules/stats/dashboard.usecases';
import { sumDepartmentsForPeriod } from '../../src/modules/stats/department-stats.repository';
import { listDepartments } from '../../src/modules/departments/departments-console.usecases';
import { MAX_MAP_POINTS } from '../../src/modules/maps/maps.models';
import { openOrderPoints, scopeGrids } from '../../src/modules/maps/maps.queries';
import { monthPeriod, previousMonth } from '../../src/modules/stats/periods.models';
import { countOrders, getOrderPage, listOrders, type OrderFilters } from '../../src/modules/work-orders/console/orders.queries';
import { createJiebaTokenizer } from '../../src/shared/text/tokenizer';
import type { BenchDb } from '../lib/bench-db';
import { type CapturedQuery, type CapturingPool, openCapturingPool, planFacts } from '../lib/capture';
import { createRng } from '../lib/rng';
import { latencyStats } from '../lib/stats';
import type { QueryResult } from '../report';

const LIST_TARGET = 50;
const DASHBOARD_TARGET = 300;

type Case = {
  name: string;
  source: string;
  target?: number;
  /** One call; `i` varies the parameters. Returns the number of rows it produced. */
  run(i: number): Promise<number>;
};

type Fixtures = Awaited<ReturnType<typeof loadFixtures>>;

/** Real ids to ask about: towns, communities, grids, their officers and leaders, categories, order numbers. */
async function loadFixtures(bench: BenchDb, maxOrderId: number) {
  const units = await bench.query<{ id: number; level: string; path: string }>('select id, level::text as level, path from grid_units order by id');
  const roles = await bench.query<{ staff_id: number; unit_id: number; role: string; path: string; level: string }>(
    `select r.staff_id, r.unit_id, r.role::text as role, g.path, g.level::text as level from staff_roles r join grid_units g on g.id = r.unit_id order by r.staff_id`,
  );
  const cats = await bench.query<{ id: number }>('select id from categories order by id');
  const busy = await bench.query<{ assignee_id: number }>(
    `select assignee_id from work_orders where status in ('assigned', 'accepted') and assignee_id is not null group by assignee_id order by count(*) desc limit 20`,
  );
  const actorOf = (staffId: number) => ({
    staffId,
    roles: roles.filter((r) => r.staff_id === staffId).map((r) => ({ unitId: r.unit_id, unitPath: r.path, level: r.level as never, role: r.role as never })),
  });
  const scopeFor = (staffId: number): Scope => {
    const a = actorOf(staffId);
    return { all: false, paths: [...new Set(a.roles.map((r) => r.unitPath))] };
  };
  const officers = (level: string) => roles.filter((r) => r.role === 'officer' && r.level === level).map((r) => r.staff_id);
  const leaders = roles.filter((r) => r.role === 'leader').map((r) => r.staff_id);
  const admin = roles.find((r) => r.role === 'admin')!.staff_id;
  const departmentMembers = await bench.query<{ staff_id: number; department_id: number }>(
    `select m.staff_id, m.department_id from department_members m where m.role = 'handler' order by m.department_id, m.staff_id`,
  );
  return {
    departmentMembers,
    departmentIds: [...new Set(departmentMembers.map((m) => m.department_id))],
    district: units.find((u) => u.level === 'district')!,
    towns: units.filter((u) => u.level === 'town'),
    communities: units.filter((u) => u.level === 'community'),
    grids: units.filter((u) => u.level === 'grid'),
    categories: cats.map((c) => c.id),
    admin,
    communityOfficers: officers('community'),
    townOfficers: officers('town'),
    leaders,
    busyAssignees: busy.map((b) => b.assignee_id),
    scopeFor,
    maxNo: 1000 + maxOrderId,
  };
}

const ALL: Scope = { all: true };
const SEARCH_TERMS = ['路灯', '漏水', '垃圾没人清理', '电梯困人', '广场舞噪音', '小区门口占道经营', '楼道堆放杂物', '狗屎'];

function cases(f: Fixtures, pool: CapturingPool, now: Date): Case[] {
  const rng = createRng(99);
  const tokenize = createJiebaTokenizer();
  const base = { db: pool.db, now, tokenize };
  const list = (scope: Scope, staffId: number, filters: OrderFilters, after?: number) =>
    listOrders({ ...base, scope, staffId, filters, page: { after: after ? { id: after } : undefined, limit: 50 } }).then((r) => r.rows.length);
  const listPage = async (scope: Scope, staffId: number, filters: OrderFilters) => {
    const [page, count] = await Promise.all([
      listOrders({ ...base, scope, staffId, filters, page: { limit: 50 } }),
      countOrders({ ...base, scope, staffId, filters }),
    ]);
    return page.rows.length + (count.count > 0 ? 0 : 0);
  };
  const month = chinaDate(now).slice(0, 7);
  const lastMonth = previousMonth(month);
  const categories = createCategoryProvider({ db: pool.db });
  const day = (offset: number) => new Date(now.getTime() - offset * 86_400_000);
  const src = 'orders.queries';
  const cases: Case[] = [
    { name: 'list: all (admin), newest 50', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, {}) },
    { name: 'list page: all + count (admin)', source: `${src} listOrders + countOrders`, target: LIST_TARGET, run: () => listPage(ALL, f.admin, {}) },
    { name: 'list: status open (assigned, accepted)', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { status: ['assigned', 'accepted'] }) },
    { name: 'list: status resolved', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { status: ['resolved'] }) },
    { name: 'list: status cancelled', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { status: ['cancelled'] }) },
    { name: 'list: category', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { categoryId: rng.pick(f.categories) }) },
    { name: 'list: unit = a town', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { unitId: rng.pick(f.towns).id }) },
    { name: 'list: unit = a grid', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { unitId: rng.pick(f.grids).id }) },
    { name: 'list: level = town (escalated)', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { level: 'town' }) },
    { name: 'list: assignee', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { assigneeId: rng.pick(f.busyAssignees) }) },
    { name: 'list: overdue', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { overdue: true }) },
    { name: 'list: urgent', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { urgency: 'urgent' }) },
    {
      name: 'list: created in one week, a year ago',
      source: `${src} listOrders`,
      target: LIST_TARGET,
      run: () => {
        const from = day(365 + rng.int(0, 30));
        return list(ALL, f.admin, { from, to: new Date(from.getTime() + 7 * 86_400_000) });
      },
    },
    { name: 'list: page 20 (keyset)', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, {}, f.maxNo - 1000 - 50 * 20) },
    {
      name: 'list page: town officer scope + count',
      source: `${src} listOrders + countOrders`,
      target: LIST_TARGET,
      run: () => {
        const id = rng.pick(f.townOfficers);
        return listPage(f.scopeFor(id), id, {});
      },
    },
    {
      name: 'list page: community officer, open + count',
      source: `${src} listOrders + countOrders`,
      target: LIST_TARGET,
      run: () => {
        const id = rng.pick(f.communityOfficers);
        return listPage(f.scopeFor(id), id, { status: ['assigned', 'accepted'] });
      },
    },
    {
      name: 'list page: grid leader scope + count',
      source: `${src} listOrders + countOrders`,
      target: LIST_TARGET,
      run: () => {
        const id = rng.pick(f.leaders);
        return listPage(f.scopeFor(id), id, {});
      },
    },
    {
      name: 'list page: department handler scope + count',
      source: `${src} listOrders + countOrders (department scope)`,
      target: LIST_TARGET,
      run: () => {
        const m = rng.pick(f.departmentMembers);
        return listPage({ all: false, paths: [], departmentIds: [m.department_id] }, m.staff_id, {});
      },
    },
    {
      name: 'list page: department handler, open + count',
      source: `${src} listOrders + countOrders (department scope)`,
      target: LIST_TARGET,
      run: () => {
        const m = rng.pick(f.departmentMembers);
        return listPage({ all: false, paths: [], departmentIds: [m.department_id] }, m.staff_id, { status: ['assigned', 'accepted'] });
      },
    },
    { name: 'list: department filter (admin)', source: `${src} listOrders`, target: LIST_TARGET, run: () => list(ALL, f.admin, { departmentId: rng.pick(f.departmentIds) }) },
    {
      name: 'departments page (list with members)',
      source: 'departments/departments-console.usecases listDepartments',
      target: LIST_TARGET,
      run: async () => (await listDepartments(pool.db)).length,
    },
    {
      name: 'department figures: district, one year',
      source: 'stats/department-stats.repository sumDepartmentsForPeriod',
      target: DASHBOARD_TARGET,
      run: async () => (await sumDepartmentsForPeriod(pool.db, { period: { from: chinaDate(day(365)), to: chinaDate(day(1)) }, gridIds: null })).size,
    },
    {
      name: 'department figures: a town, last month',
      source: 'stats/department-stats.repository sumDepartmentsForPeriod',
      target: DASHBOARD_TARGET,
      run: async () => {
        const town = rng.pick(f.towns);
        const gridIds = f.grids.filter((g) => g.path.startsWith(town.path)).map((g) => g.id);
        return (await sumDepartmentsForPeriod(pool.db, { period: monthPeriod(lastMonth), gridIds })).size;
      },
    },
    {
      name: 'map: open order points (admin)',
      source: 'maps/maps.queries openOrderPoints',
      target: LIST_TARGET,
      run: async () => (await openOrderPoints({ db: pool.db, scope: ALL, staffId: f.admin, limit: MAX_MAP_POINTS })).rows.length,
    },
    {
      name: 'map: open order points (town officer)',
      source: 'maps/maps.queries openOrderPoints',
      target: LIST_TARGET,
      run: async () => {
        const id = rng.pick(f.townOfficers);
        return (await openOrderPoints({ db: pool.db, scope: f.scopeFor(id), staffId: id, limit: MAX_MAP_POINTS })).rows.length;
      },
    },
    {
      name: 'map: grids with open and overdue counts (admin)',
      source: 'maps/maps.queries scopeGrids',
      target: LIST_TARGET,
      run: async () => (await scopeGrids({ db: pool.db, scope: ALL, now })).length,
    },
    ...SEARCH_TERMS.map((term) => ({
      name: `search: "${term}"`,
      source: `${src} listOrders (q)`,
      target: LIST_TARGET,
      run: () => list(ALL, f.admin, { q: term }),
    })),
    {
      name: 'search: "路灯" in a community officer scope',
      source: `${src} listOrders (q)`,
      target: LIST_TARGET,
      run: () => {
        const id = rng.pick(f.communityOfficers);
        return list(f.scopeFor(id), id, { q: '路灯' });
      },
    },
    { name: 'search: an order number', source: `${src} listOrders (q)`, target: LIST_TARGET, run: () => list(ALL, f.admin, { q: `#${rng.int(1001, f.maxNo)}` }) },
    {
      name: 'order page with timeline',
      source: `${src} getOrderPage`,
      target: LIST_TARGET,
      run: async () => {
        const page = await getOrderPage({ db: pool.db, scope: ALL, staffId: f.admin, no: rng.int(1001, f.maxNo) });
        return page ? page.events.length : 0;
      },
    },
    {
      name: 'dashboard: district, last month',
      source: 'stats/dashboard.usecases loadDashboard',
      target: DASHBOARD_TARGET,
      run: async () => ((await loadDashboard({ db: pool.db, categories: await categories.all(), scopeUnitId: f.district.id, period: monthPeriod(lastMonth) })) ? 1 : 0),
    },
    {
      name: 'dashboard: district, one year',
      source: 'stats/dashboard.usecases loadDashboard',
      target: DASHBOARD_TARGET,
      run: async () => {
        const to = chinaDate(day(1));
        const from = chinaDate(day(365));
        return (await loadDashboard({ db: pool.db, categories: await categories.all(), scopeUnitId: f.district.id, period: { from, to } })) ? 1 : 0;
      },
    },
    {
      name: 'dashboard: a town, last month',
      source: 'stats/dashboard.usecases loadDashboard',
      target: DASHBOARD_TARGET,
      run: async () => ((await loadDashboard({ db: pool.db, categories: await categories.all(), scopeUnitId: rng.pick(f.towns).id, period: monthPeriod(lastMonth) })) ? 1 : 0),
    },
    {
      name: 'public page: a month',
      source: 'stats/dashboard.usecases loadPublicDisclosure',
      target: DASHBOARD_TARGET,
      run: async () => (await loadPublicDisclosure({ db: pool.db, month: rng.pick(publicMonths(now)) })).towns.length,
    },
  ];
  return cases;
}

/**
 * Each console read `runs` times with varied parameters (p50/p95), then once more with its SQL captured and
 * EXPLAIN (ANALYZE, BUFFERS) run on each statement: the plans must use indexes, never a sequential scan of
 * work_orders.
 */
export async function benchQueries({
  bench,
  historyNow,
  maxOrderId,
  runs,
  log,
}: {
  bench: BenchDb;
  historyNow: Date;
  maxOrderId: number;
  runs: number;
  log: (line: string) => void;
}): Promise<QueryResult[]> {
  const pool = await openCapturingPool(bench, 4);
  try {
    const fixtures = await loadFixtures(bench, maxOrderId);
    const results: QueryResult[] = [];
    for (const c of cases(fixtures, pool, historyNow)) {
      await c.run(0); // warm the statement cache and the pages
      const latencies: number[] = [];
      let rowsSeen = 0;
      for (let i = 1; i <= runs; i++) {
        const t0 = performance.now();
        rowsSeen = await c.run(i);
        latencies.push(performance.now() - t0);
      }
      const { queries } = await pool.capture(() => c.run(runs + 1));
      const plans = await explainAll(pool, queries);
      const facts = planFacts(plans.join('\n'));
      const result: QueryResult = {
        name: c.name,
        source: c.source,
        runs,
        latency: latencyStats(latencies),
        rows: rowsSeen,
        indexes: facts.indexes,
        seqScanOnWorkOrders: facts.seqScanOnWorkOrders,
        plan: plans.join('\n\n'),
        target: c.target,
      };
      log(`  ${c.name}: p50 ${result.latency.p50} p95 ${result.latency.p95} ms${facts.seqScanOnWorkOrders ? '  SEQ SCAN on work_orders' : ''}`);
      results.push(result);
    }
    return results;
  } finally {
    await pool.close();
  }
}

async function explainAll(pool: CapturingPool, queries: CapturedQuery[]): Promise<string[]> {
  const plans: string[] = [];
  for (const q of queries) {
    try {
      plans.push(`-- ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}\n${await pool.explain(q)}`);
    } catch (error) {
      plans.push(`-- ${q.sql.slice(0, 300)}\n(explain failed: ${String(error)})`);
    }
  }
  return plans;
}
