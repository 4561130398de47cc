import { asc, getTableName } from 'drizzle-orm';
import { loadWorkCalendar, seedCalendarFromPackage } from '../../src/modules/calendar/calendar.repository';
import { calendarDays } from '../../src/modules/calendar/calendar.table';
import { categories } from '../../src/modules/categories/categories.table';
import { chatGroups } from '../../src/modules/chat/chat.table';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff, staffRoles } from '../../src/modules/people/staff.table';
import { createCalendarProvider } from '../../src/modules/calendar/calendar.repository';
import { createCategoryProvider } from '../../src/modules/categories/categories.repository';
import { rebuildStats } from '../../src/modules/stats/stats.usecases';
import { seedCategories } from '../../src/seed/demo';
import { type BenchDb, type CopySink, copyEncoder } from '../lib/bench-db';
import { createProgress } from '../lib/progress';
import { detachIndexes, reattachIndexes } from './bulk';
import { addSyntheticDepartments } from './departments';
import { COPY_TABLES, type GeneratorSpec, TABLE_NAMES, districtFor } from './generate';
import type { SynthCategory } from './lifecycle';
import { readSyntheticMeta, writeSyntheticMeta, type SyntheticMeta } from './meta';
import { generateChunks } from './pool';
import { chunkDays, dailyCounts } from './timeline';

/** The big tables: their indexes and keys are rebuilt after the load. */
const BULK_TABLES = ['work_orders', 'order_events', 'outbox', 'survey_answers', 'points_ledger', 'order_supporters', 'residents'];

/** Bumped whenever the generator changes what it produces: a bench run then reloads rather than reuse. */
export const GENERATOR_VERSION = 4;

export type SeedOptions = {
  orders: number;
  seed?: number;
  months?: number;
  now?: Date;
  /** Generator threads (0: generate on this thread). */
  workers?: number;
  log?: (line: string) => void;
};

export type SeedReport = SyntheticMeta & { seconds: { total: number; generateAndCopy: number; indexes: number; stats: number; analyze: number }; rows: Record<string, number> };

/**
 * Loads N synthetic orders into an empty database (migrated): the district, its people, two years of orders
 * with their timelines, notices, surveys and points, then the indexes and ANALYZE. Returns what it loaded.
 */
export async function seedSynthetic(bench: BenchDb, options: SeedOptions): Promise<SeedReport> {
  const { orders: total, seed = 20261123, months = 24, now = new Date(), workers = 2, log = (l: string) => process.stderr.write(`${l}\n`) } = options;
  const started = performance.now();
  const db = bench.db;

  const [{ n: existing } = { n: 0 }] = await bench.query<{ n: number }>('select count(*)::int as n from grid_units');
  if (existing > 0) throw new Error('the database is not empty; reset it first (seed:synthetic --reset, or drop the bench database)');

  await seedCategories(db);
  await seedCalendarFromPackage({ db, clock: { now: () => now } });
  const calendar = await loadWorkCalendar(db);
  const cats = (await db.select().from(categories).orderBy(asc(categories.sort))) as SynthCategory[];

  const residentCount = Math.min(200 * 600, Math.max(30 * 600, Math.round(total / 5)));
  const district = districtFor({ seed, residents: residentCount });
  const calendarRows = (await db.select().from(calendarDays)).map((d) => ({ date: d.date, kind: d.kind, name: d.name }));
  log(`district: ${district.units.length} units (${district.grids.length} grids), ${district.staff.length} staff, ${district.residents.length} residents`);

  // The small tables: plain COPY, ids as generated (paths were built from them).
  await copyAll(bench, gridUnits, ['id', 'code', 'name', 'level', 'parentId', 'path', 'households', 'createdAt'],
    district.units.map((u) => ({ ...u, createdAt: new Date(now.getTime() - 800 * 86_400_000) })));
  await copyAll(bench, staff, ['id', 'name', 'phone', 'chatKey', 'username', 'active', 'mustChangePassword'],
    district.staff.map((s) => ({ id: s.id, name: s.name, phone: s.phone, chatKey: `synth-staff-${s.id}`, username: s.username, active: true, mustChangePassword: false })));
  await copyAll(bench, staffRoles, ['staffId', 'unitId', 'role'],
    district.staff.flatMap((s) => s.roles.map((r) => ({ staffId: s.id, unitId: r.unitId, role: r.role }))));
  await copyAll(bench, chatGroups, ['id', 'roomId', 'topic', 'gridId', 'botAccount'],
    district.groups.map((g) => ({ id: g.id, roomId: `synth-room-${g.id}@chatroom`, topic: g.topic, gridId: g.gridId, botAccount: 'default' })));

  const detached = await detachIndexes(bench, BULK_TABLES);

  // The orders, generated on worker threads in chunks of days, streamed to one COPY per table.
  const spec: GeneratorSpec = {
    seed,
    nowMs: now.getTime(),
    residents: residentCount,
    categories: cats,
    calendarDays: calendarRows,
    coveredYears: calendar.coveredYears.slice(),
  };
  const chunks = chunkDays(dailyCounts({ count: total, now, months }), Math.max(2_000, Math.min(25_000, Math.ceil(total / 40))));
  const sinks = Object.fromEntries(
    await Promise.all(
      (Object.keys(COPY_TABLES) as (keyof typeof COPY_TABLES)[]).map(async (k) => [k, await bench.copyInto(`"${TABLE_NAMES[k]}"`, COPY_TABLES[k].columns)] as const),
    ),
  ) as Record<keyof typeof COPY_TABLES, CopySink>;
  const progress = createProgress('orders', total);
  let written = 0;
  const totals = await generateChunks({
    spec,
    chunks,
    workers,
    write: async (batch) => {
      await Promise.all((Object.keys(sinks) as (keyof typeof COPY_TABLES)[]).map((k) => (batch[k] ? sinks[k].write(batch[k]) : undefined)));
      written += batch.count;
      progress.update(written);
    },
  });
  await Promise.all(Object.values(sinks).map((s) => s.end()));
  const generateAndCopy = progress.done(written);
  const rows: Record<string, number> = {};
  const residentPoints = new Int32Array(district.residents.length + 1);
  for (const t of totals) {
    for (const [table, n] of Object.entries(t.rows)) rows[table] = (rows[table] ?? 0) + n;
    t.residentPoints.forEach((p, i) => (residentPoints[i] = (residentPoints[i] ?? 0) + p));
  }

  await copyAll(bench, residents, ['id', 'chatKey', 'chatName', 'name', 'phone', 'gridId', 'points', 'isFriend', 'source', 'createdAt'],
    district.residents.map((r) => ({
      id: r.id,
      chatKey: `synth-resident-${r.id}`,
      chatName: r.chatName,
      name: r.name,
      phone: r.phone,
      gridId: r.gridId,
      points: residentPoints[r.id] ?? 0,
      isFriend: r.isFriend,
      source: 'chat',
      createdAt: new Date(now.getTime() - 800 * 86_400_000),
    })));
  rows.residents = district.residents.length;
  const maxOrderId = written;

  const indexStarted = performance.now();
  log(`rebuilding ${detached.indexes.length} indexes and ${detached.foreignKeys.length} foreign keys`);
  await reattachIndexes(bench, detached, (what, s) => log(`  ${what}: ${s.toFixed(1)}s`));
  for (const [table, column] of [['grid_units', 'id'], ['staff', 'id'], ['staff_roles', 'id'], ['chat_groups', 'id'], ['residents', 'id'], ['work_orders', 'id']] as const) {
    await bench.query(`select setval(pg_get_serial_sequence('${table}', '${column}'), (select coalesce(max(${column}), 0) + 1 from ${table}), false)`);
  }
  await bench.query(`select setval('work_order_no_seq', (select coalesce(max(no), 1000) + 1 from work_orders), false)`);
  const indexes = (performance.now() - indexStarted) / 1000;

  const departmentRows = await addSyntheticDepartments(bench, log);
  rows.order_dispatches = departmentRows.dispatches ?? 0;

  // The figures' rollup, derived from the events by the product's own rebuild (what an upgrade would run).
  const statsStarted = performance.now();
  log('stats rebuild (rebuildStats)');
  const stats = await rebuildStats({
    deps: { db, clock: { now: () => now }, calendar: createCalendarProvider({ db }), categories: createCategoryProvider({ db }) },
  });
  const statsSeconds = (performance.now() - statsStarted) / 1000;
  log(`  ${stats.orders} orders derived in ${statsSeconds.toFixed(0)} s`);

  const analyzeStarted = performance.now();
  log('vacuum analyze');
  // VACUUM sets the visibility map (index-only scans), as autovacuum would on a live system.
  for (const table of ['grid_units', 'staff', 'staff_roles', 'chat_groups', 'categories', 'calendar_days', 'stats_daily', 'stats_order_facts', 'departments', 'department_members', 'dispatch_catalogue', 'order_dispatches', 'stats_department_facts', ...BULK_TABLES]) {
    await bench.query(`vacuum (analyze) ${table}`);
  }
  const analyze = (performance.now() - analyzeStarted) / 1000;

  const meta: SyntheticMeta = {
    version: GENERATOR_VERSION,
    orders: total,
    seed,
    months,
    now: now.toISOString(),
    grids: district.grids.length,
    units: district.units.length,
    staff: district.staff.length,
    residents: district.residents.length,
    maxOrderId,
  };
  await writeSyntheticMeta(bench, meta);
  const seconds = { total: (performance.now() - started) / 1000, generateAndCopy, indexes, stats: statsSeconds, analyze };
  return { ...meta, seconds, rows };
}

async function copyAll<T extends Parameters<typeof copyEncoder>[0]>(
  bench: BenchDb,
  table: T,
  keys: Parameters<typeof copyEncoder<T>>[1],
  rows: T['$inferInsert'][],
): Promise<void> {
  const { columns, encode } = copyEncoder(table, keys);
  const sink = await bench.copyInto(`"${getTableName(table)}"`, columns);
  for (let i = 0; i < rows.length; i += 5_000) await sink.write(rows.slice(i, i + 5_000).map(encode).join(''));
  await sink.end();
}

export { readSyntheticMeta };
