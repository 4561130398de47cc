/**
 * Measures the figures at scale on Postgres: `DATABASE_URL=postgres://…/gridline_statsbench npx tsx scripts/stats-scale.ts
 * --orders 1000000 [--reset]`. Generates orders and their event logs with SQL (fast, no texts: the figures read
 * only events), rebuilds the rollups with the product's own code, then times the dashboard and public reads and
 * prints their plans. docs/figures.md records a run. The bench engineer's `npm run bench` covers the rest.
 *
 * The history: a district of 6 towns, 30 communities and 600 grids; orders spread evenly over grids, the 15
 * categories and the 24 months before
 * 2026-11-23; signed within 0–4 h (2 working hours is the limit), resolved after 0.2–12 days, 5 % escalated,
 * 2 % returned; surveys 70 % 满意, 14 % 基本满意, 6 % 不满意 (reopened, resolved again, then 满意), 10 % 未评价.
 */
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { createCalendarProvider, seedCalendarFromPackage } from '../src/modules/calendar/calendar.repository';
import { createCategoryProvider } from '../src/modules/categories/categories.repository';
import { DEMO_CATEGORIES } from '../src/modules/categories/categories.seed';
import { categories } from '../src/modules/categories/categories.table';
import { openDatabase } from '../src/db/client';
import { loadDashboard, loadPublicDisclosure } from '../src/modules/stats/dashboard.usecases';
import { monthPeriod } from '../src/modules/stats/periods.models';
import { rebuildStats, refreshStats } from '../src/modules/stats/stats.usecases';

const NOW = new Date('2026-11-23T10:00:00+08:00');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL (a scratch database) is required');
  const orders = arg('orders', 100_000);
  const admin = postgres(url.replace(/\/[^/]+$/, '/postgres'), { max: 1, onnotice: () => {} });
  const name = new URL(url).pathname.slice(1);
  if (process.argv.includes('--reset')) await admin.unsafe(`drop database if exists ${name} with (force)`);
  if ((await admin`select 1 from pg_database where datname = ${name}`).length === 0) await admin.unsafe(`create database ${name}`);
  await admin.end();

  const handle = await openDatabase({ databaseUrl: url, dataDir: '/nonexistent', poolSize: 4 });
  const db = handle.db;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const clock = { now: () => NOW };
  const t = (label: string, started: number) => console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from work_orders`;
  if (n === 0) {
    let started = performance.now();
    await seedCalendarFromPackage({ db, clock });
    await db.insert(categories).values(DEMO_CATEGORIES.map((c) => ({ ...c })));
    await sql.unsafe(`
      insert into grid_units (id, code, name, level, parent_id, path) values (1, 'D', '示范区', 'district', null, '/1/');
      insert into grid_units (id, code, name, level, parent_id, path)
        select 1 + t, 'T' || t, '街道' || t, 'town', 1, '/1/' || (1 + t) || '/' from generate_series(1, 6) t;
      insert into grid_units (id, code, name, level, parent_id, path)
        select 100 + c, 'C' || c, '社区' || c, 'community', 1 + ((c - 1) / 5 + 1), '/1/' || (1 + ((c - 1) / 5 + 1)) || '/' || (100 + c) || '/'
        from generate_series(1, 30) c;
      insert into grid_units (id, code, name, level, parent_id, path)
        select 1000 + g, 'G' || lpad(g::text, 3, '0'), '网格' || g, 'grid', 100 + ((g - 1) / 20 + 1),
               p.path || (1000 + g) || '/'
        from generate_series(1, 600) g join grid_units p on p.id = 100 + ((g - 1) / 20 + 1);
      select setval(pg_get_serial_sequence('grid_units', 'id'), 2000);
      insert into residents (id, name, grid_id, source) select r, '居民' || r, 1001 + (r % 600), 'chat' from generate_series(1, 40000) r;
      select setval(pg_get_serial_sequence('residents', 'id'), 40001);`);
    t('tree, categories, residents', started);

    started = performance.now();
    await sql.unsafe(`
      create unlogged table gen as
      select o as id,
             1001 + floor(random() * 600)::int as grid_id,
             (select min(id) from categories) + floor(random() * 15)::int as category_id,
             timestamptz '${NOW.toISOString()}' - (random() * 730 + 1) * interval '1 day' as t0,
             random() as r_accept, random() as r_resolve, random() as r_survey, random() as r_path
      from generate_series(1, ${orders}) o;
      insert into work_orders (id, no, resident_id, grid_id, unit_id, level, category_id, urgency, status, text, channel, created_at, updated_at)
        select id, 1000 + id, 1 + id % 40000, grid_id, grid_id, 'grid', category_id, 'normal', 'closed', '', 'group', t0, t0 from gen;
      select setval(pg_get_serial_sequence('work_orders', 'id'), ${orders} + 1);
      select setval('work_order_no_seq', ${orders} + 1001);
      create unlogged table tl as
      select id, t0,
             t0 + r_accept * interval '4 hours' as t_accept,
             t0 + (0.2 + r_resolve * 12) * interval '1 day' as t_resolve,
             t0 + (1.2 + r_resolve * 12) * interval '1 day' as t_survey,
             case when r_survey < 0.70 then 'satisfied' when r_survey < 0.84 then 'basically_satisfied'
                  when r_survey < 0.90 then 'unsatisfied' else 'timeout' end as outcome,
             r_path < 0.05 as escalated, r_path between 0.05 and 0.07 as returned
      from gen;
      insert into order_events (order_id, type, actor_kind, channel, at, data)
        select g.id, 'submit', 'resident', 'group', g.t0, jsonb_build_object('categoryId', g.category_id, 'urgency', 'normal') from gen g;
      insert into order_events (order_id, type, actor_kind, channel, at) select id, 'assign', 'system', 'system', t0 from tl;
      insert into order_events (order_id, type, actor_kind, channel, at)
        select id, case when escalated then 'escalate' else 'return' end, 'staff', 'direct', t0 + interval '10 minutes' from tl where escalated or returned;
      insert into order_events (order_id, type, actor_kind, channel, at) select id, 'accept', 'staff', 'direct', t_accept + interval '11 minutes' from tl;
      insert into order_events (order_id, type, actor_kind, channel, at) select id, 'resolve', 'staff', 'direct', t_resolve from tl;
      insert into order_events (order_id, type, actor_kind, channel, at, data)
        select id, 'survey', 'resident', 'group', t_survey, jsonb_build_object('answer', outcome, 'round', 0) from tl where outcome <> 'timeout';
      insert into order_events (order_id, type, actor_kind, channel, at, data)
        select id, 'survey_timeout', 'system', 'system', t_survey, '{"round":0}' from tl where outcome = 'timeout';
      insert into order_events (order_id, type, actor_kind, channel, at) select id, 'reopen', 'resident', 'group', t_survey from tl where outcome = 'unsatisfied';
      insert into order_events (order_id, type, actor_kind, channel, at) select id, 'resolve', 'staff', 'direct', t_survey + interval '2 days' from tl where outcome = 'unsatisfied';
      insert into order_events (order_id, type, actor_kind, channel, at, data)
        select id, 'survey', 'resident', 'group', t_survey + interval '3 days', '{"answer":"satisfied","round":1}' from tl where outcome = 'unsatisfied';
      drop table gen; drop table tl;`);
    await sql.unsafe('vacuum analyze work_orders');
    await sql.unsafe('vacuum analyze order_events');
    t(`${orders} orders and their events`, started);
  }
  const [{ events }] = await sql<{ events: number }[]>`select count(*)::int as events from order_events`;
  console.log(`orders ${orders}, events ${events}`);

  const deps = { db, clock, calendar: createCalendarProvider({ db }), categories: createCategoryProvider({ db }) };
  let started = performance.now();
  if (!process.argv.includes('--reads-only')) {
    const rebuilt = await rebuildStats({ deps });
    t(`rebuildStats (${rebuilt.orders} orders)`, started);
  }
  for (const table of ['stats_daily', 'stats_monthly', 'stats_weekly', 'stats_order_facts']) await sql.unsafe(`vacuum analyze ${table}`);
  for (const table of ['stats_order_facts', 'stats_daily', 'stats_monthly', 'stats_weekly']) {
    const [{ c }] = await sql.unsafe<{ c: number }[]>(`select count(*)::int as c from ${table}`);
    console.log(`  ${table}: ${c} rows`);
  }

  if (!process.argv.includes('--reads-only')) {
    started = performance.now();
    const refreshed = await refreshStats({ deps });
    t(`refreshStats with nothing new (${refreshed.orders} orders looked at again)`, started);
  }

  const cats = createCategoryProvider({ db });
  const cases: [string, () => Promise<unknown>][] = [
    ['dashboard: district, last month', () => loadDashboard({ db, categories: cats, scopeUnitId: 1, period: monthPeriod('2026-10') })],
    ['dashboard: district, month to date', () => loadDashboard({ db, categories: cats, scopeUnitId: 1, period: { from: '2026-11-01', to: '2026-11-23' } })],
    ['dashboard: district, one year (not month-aligned)', () => loadDashboard({ db, categories: cats, scopeUnitId: 1, period: { from: '2025-11-24', to: '2026-11-23' } })],
    ['dashboard: district, calendar year 2025', () => loadDashboard({ db, categories: cats, scopeUnitId: 1, period: { from: '2025-01-01', to: '2025-12-31' } })],
    ['dashboard: a town, one year', () => loadDashboard({ db, categories: cats, scopeUnitId: 2, period: { from: '2025-11-24', to: '2026-11-23' } })],
    ['dashboard: a grid, last month', () => loadDashboard({ db, categories: cats, scopeUnitId: 1001, period: monthPeriod('2026-10') })],
    ['public page: a month', () => loadPublicDisclosure({ db, month: '2026-10' })],
  ];
  for (const [label, run] of cases) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      await run();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    console.log(`${label}: p50 ${times[4]!.toFixed(0)} ms, max ${times[9]!.toFixed(0)} ms`);
  }
  await sql.end();
  await handle.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
