import { readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import type { Database } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import type { Clock } from '../../src/shared/clock';
import { createJiebaTokenizer } from '../../src/shared/text/tokenizer';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { inArray } from 'drizzle-orm';
import { type DailyDelta, addToRollups, loadStoredFacts } from '../../src/modules/stats/stats.repository';
import { addCounts, countsByDay, emptyCounts, isZero } from '../../src/modules/stats/stats.models';
import { statsOrderFacts } from '../../src/modules/stats/stats.table';
import type { BenchDb } from '../lib/bench-db';
import { type LatencyStats, latencyStats, round, runFor } from '../lib/stats';
import { createIntakeWorkload } from './intake-workload';

export type IntakeLevel = {
  submitters: number;
  /** Connections in the pool (PGlite: always one). */
  connections: number;
  seconds: number;
  calls: number;
  created: number;
  offeredDuplicates: number;
  errors: number;
  ordersPerSecond: number;
  latency: LatencyStats;
  ceiling: { transactionsPerSecond: number; latency: LatencyStats; errors: number };
  /** Intake orders/s over ceiling transactions/s. */
  ratio: number;
  /** CPU milliseconds per order (this process, and the Postgres backends when measurable): intake and ceiling. */
  cpuMsPerOrder: { node: number; db: number | null; ceilingNode: number; ceilingDb: number | null };
};

/** A pool of `size` connections through the same driver the product uses (PGlite: the one connection). */
export async function openPool(bench: BenchDb, size: number) {
  if (bench.kind === 'pglite') {
    const pg = (bench.db as unknown as { $client: PGlite }).$client;
    return { db: bench.db, kind: bench.kind, raw: { pglite: pg, sql: null }, close: async () => {} };
  }
  const sql = postgres(bench.url!, { max: size, onnotice: () => {}, connection: { application_name: POOL_NAME } });
  const db = drizzle(sql, { schema }) as unknown as Database;
  return { db, kind: bench.kind, raw: { pglite: null, sql }, close: () => sql.end({ timeout: 5 }) };
}

const POOL_NAME = 'gridline-bench-pool';

/**
 * CPU seconds spent so far by this process and by the Postgres backends serving the pool (from /proc, when the
 * server runs on this machine): what each order costs, whatever else the machine is doing.
 */
async function cpuSeconds(bench: BenchDb): Promise<{ node: number; db: number | null }> {
  const { user, system } = process.cpuUsage();
  const node = (user + system) / 1e6;
  if (bench.kind === 'pglite') return { node, db: null };
  const pids = await bench.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = $1`, [POOL_NAME]);
  let ticks = 0;
  for (const { pid } of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return { node, db: null };
    }
  }
  return { node, db: ticks / 100 };
}

/** The bench's clock: the synthetic history's "now", running on in real time from the start of the run. */
export function benchClock(historyNow: Date): Clock {
  const offset = historyNow.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/**
 * Intake at each concurrency: the real submitDemand (classification, duplicate check, order, events, outbox,
 * points, the summary read back) from `submitters` concurrent async loops on one pool of as many connections;
 * then, on the same pool, the ceiling: the same rows written by plain SQL, one transaction each.
 */
export async function benchIntake({
  bench,
  historyNow,
  maxOrderId,
  levels,
  seconds,
  warmupSeconds,
  runId,
  log,
}: {
  bench: BenchDb;
  historyNow: Date;
  maxOrderId: number;
  levels: number[];
  seconds: number;
  warmupSeconds: number;
  runId: string;
  log: (line: string) => void;
}): Promise<IntakeLevel[]> {
  const workload = await createIntakeWorkload({ bench, seed: 7 });
  const clock = benchClock(historyNow);
  const ceilingRows = await prepareCeilingRows({ bench, workload, clock });
  const results: IntakeLevel[] = [];
  for (const submitters of levels) {
    // Each level starts from the loaded data: in a short burst of a thousand orders a second, 600 grids would
    // otherwise collect far more recent orders each than a real grid ever has for the duplicate check to read.
    await removeIntakeRows(bench, maxOrderId, { vacuum: false });
    const pool = await openPool(bench, submitters);
    try {
      const config = parseConfig({ DATA_DIR: '/tmp/gridline-bench', SEED_DEMO: 'false' });
      const ctx = createAppContext({ config, db: pool.db, dbKind: pool.kind, clock });
      let created = 0;
      let offered = 0;
      let seq = 0;
      const submit = async () => {
        const input = workload.next(`bench-${runId}-${submitters}-${seq++}`);
        const result = await submitDemand({ deps: ctx.orderDeps, input });
        if (result.outcome === 'created') created++;
        else if (result.outcome === 'possible_duplicates') offered++;
      };
      await runFor({ workers: submitters, ms: warmupSeconds * 1000, fn: submit });
      created = 0;
      offered = 0;
      const cpu0 = await cpuSeconds(bench);
      const intake = await runFor({ workers: submitters, ms: seconds * 1000, fn: submit });
      const cpu1 = await cpuSeconds(bench);
      if (intake.errors) log(`  intake errors: ${intake.errors} (first: ${String(intake.firstError)})`);

      let k = 0;
      const ceiling = await runFor({
        workers: submitters,
        ms: seconds * 1000,
        fn: () => writeCeilingRows(pool.raw, ceilingRows[k++ % ceilingRows.length]!, `ceil-${runId}-${submitters}-${k}`),
      });
      const cpu2 = await cpuSeconds(bench);
      if (ceiling.errors) log(`  ceiling errors: ${ceiling.errors} (first: ${String(ceiling.firstError)})`);
      const ordersPerSecond = created / intake.seconds;
      const ceilingTps = ceiling.latencies.length / ceiling.seconds;
      const level: IntakeLevel = {
        submitters,
        connections: pool.kind === 'pglite' ? 1 : submitters,
        seconds: round(intake.seconds, 1),
        calls: intake.latencies.length,
        created,
        offeredDuplicates: offered,
        errors: intake.errors,
        ordersPerSecond: round(ordersPerSecond, 0),
        latency: latencyStats(intake.latencies),
        ceiling: { transactionsPerSecond: round(ceilingTps, 0), latency: latencyStats(ceiling.latencies), errors: ceiling.errors },
        ratio: round(ordersPerSecond / ceilingTps, 2),
        cpuMsPerOrder: {
          node: round(((cpu1.node - cpu0.node) * 1000) / Math.max(1, intake.latencies.length), 2),
          db: cpu1.db === null || cpu0.db === null ? null : round(((cpu1.db - cpu0.db) * 1000) / Math.max(1, intake.latencies.length), 2),
          ceilingNode: round(((cpu2.node - cpu1.node) * 1000) / Math.max(1, ceiling.latencies.length), 2),
          ceilingDb: cpu2.db === null || cpu1.db === null ? null : round(((cpu2.db - cpu1.db) * 1000) / Math.max(1, ceiling.latencies.length), 2),
        },
      };
      log(
        `  ${submitters} submitters: ${level.ordersPerSecond} orders/s (p50 ${level.latency.p50} p95 ${level.latency.p95} p99 ${level.latency.p99} ms; ` +
          `${offered} offered duplicates) — ceiling ${level.ceiling.transactionsPerSecond} tx/s (p99 ${level.ceiling.latency.p99} ms) — ratio ${level.ratio}; ` +
          `CPU ms/order node ${level.cpuMsPerOrder.node} db ${level.cpuMsPerOrder.db}, ceiling node ${level.cpuMsPerOrder.ceilingNode} db ${level.cpuMsPerOrder.ceilingDb}`,
      );
      results.push(level);
    } finally {
      await pool.close();
    }
  }
  return results;
}

type CeilingRow = {
  residentId: number;
  gridId: number;
  assigneeId: number;
  categoryId: number;
  chatGroupId: number | null;
  text: string;
  searchTokens: string;
  receipt: string;
  assignment: string;
};

/** The values the ceiling writes, computed before timing: the ceiling measures the database, not our code. */
async function prepareCeilingRows({ bench, workload, clock }: { bench: BenchDb; workload: Awaited<ReturnType<typeof createIntakeWorkload>>; clock: Clock }) {
  const leaders = await bench.query<{ unit_id: number; staff_id: number }>(
    `select unit_id, min(staff_id) as staff_id from staff_roles where role in ('leader', 'assistant') group by unit_id`,
  );
  const leaderOf = new Map(leaders.map((l) => [l.unit_id, l.staff_id]));
  const [fallback] = await bench.query<{ staff_id: number }>(`select min(staff_id) as staff_id from staff_roles where role = 'admin'`);
  const [category] = await bench.query<{ id: number }>(`select id from categories order by sort limit 1`);
  const tokenize = createJiebaTokenizer();
  void clock;
  return Array.from({ length: 2000 }, (_, i): CeilingRow => {
    const input = workload.next(`prep-${i}`);
    return {
      residentId: input.residentId,
      gridId: input.gridId,
      assigneeId: leaderOf.get(input.gridId) ?? fallback!.staff_id,
      categoryId: category!.id,
      chatGroupId: input.chatGroupId ?? null,
      text: input.text,
      searchTokens: tokenize(input.text).join(' '),
      receipt: `已受理 #${100000 + i} 环境卫生，网格长张伟将于11月26日前办理。回复"查询 ${100000 + i}"可查看进度。`,
      assignment: `【新工单】#${100000 + i} 环境卫生\n柳岸社区第一网格\n居民反映：${input.text}\n请于11月23日14:00前签收（回复"接单 ${100000 + i}"），11月26日前办结。`,
    };
  });
}

/**
 * The rows submitDemand writes for a new order, by plain SQL: the order (already assigned), 2 events, 2 outbox
 * rows, the points (ledger and total). The statements are shaped as the use case's, minus its ON CONFLICT
 * guards; what the ceiling leaves out is the use case's reads (message id, grid chain, duplicate candidates).
 */
async function writeCeilingRows(raw: { pglite: PGlite | null; sql: postgres.Sql | null }, r: CeilingRow, key: string): Promise<void> {
  // ISO strings: postgres.js sends untyped parameters of unsafe() as text and refuses a Date.
  const nowMs = Date.now();
  const now = new Date(nowMs).toISOString();
  const sign = new Date(nowMs + 2 * 3_600_000).toISOString();
  const deadline = new Date(nowMs + 3 * 86_400_000).toISOString();
  const submitData = JSON.stringify({ categoryId: r.categoryId, urgency: 'normal', classification: { matched: [], urgentTerms: [], confidence: 0.5 } });
  const orderSql = `insert into work_orders (resident_id, grid_id, unit_id, level, assignee_id, category_id, urgency, status, text, search_tokens,
      channel, chat_group_id, source_message_id, created_at, assigned_at, sign_deadline_at, deadline_at, updated_at, version)
    values ($1, $2, $2, 'grid', $3, $4, 'normal', 'assigned', $5, $6, 'group', $7, $8, $9, $9, $10, $11, $9, 1) returning id, no`;
  const orderParams = [r.residentId, r.gridId, r.assigneeId, r.categoryId, r.text, r.searchTokens, r.chatGroupId, key, now, sign, deadline];
  const eventsSql = `insert into order_events (order_id, type, actor_kind, actor_resident_id, channel, note, from_status, to_status,
      from_assignee_id, to_assignee_id, from_unit_id, to_unit_id, data, at)
    values ($1, 'submit', 'resident', $2, 'group', $3, null, 'submitted', null, null, null, $4, $5::jsonb, $6),
           ($1, 'assign', 'system', null, 'group', null, 'submitted', 'assigned', null, $7, $4, $4, null, $6)`;
  const outboxSql = `insert into outbox (bot_account, kind, order_id, recipient_type, staff_id, resident_id, chat_group_id, text)
    values ('default', 'receipt', $1, 'resident', null, $2, $3, $4), ('default', 'assignment', $1, 'staff', $5, null, null, $6)`;
  // The ledger row and the resident's total in one statement, as awardPoints writes them.
  const pointsSql = `with awarded as (insert into points_ledger (resident_id, delta, reason, order_id, at) values ($1, 2, 'report', $2, $3) returning delta)
    update residents set points = points + 2 from awarded where id = $1`;
  if (raw.sql) {
    // Prepared, as submitDemand's statements are (one round trip each), and the three writes after the order
    // sent together (pipelined on the connection), as submitDemand sends them: the ceiling stays a ceiling.
    const prepared = { prepare: true };
    await raw.sql.begin(async (tx) => {
      const [order] = await tx.unsafe(orderSql, orderParams as never[], prepared);
      const id = order!.id as number;
      await Promise.all([
        tx.unsafe(eventsSql, [id, r.residentId, r.text, r.gridId, submitData, now, r.assigneeId] as never[], prepared),
        tx.unsafe(outboxSql, [id, r.residentId, r.chatGroupId, r.receipt, r.assigneeId, r.assignment] as never[], prepared),
        tx.unsafe(pointsSql, [r.residentId, id, now] as never[], prepared),
      ]);
    });
    return;
  }
  await raw.pglite!.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number }>(orderSql, orderParams);
    const id = rows[0]!.id;
    await tx.query(eventsSql, [id, r.residentId, r.text, r.gridId, submitData, now, r.assigneeId]);
    await tx.query(outboxSql, [id, r.residentId, r.chatGroupId, r.receipt, r.assigneeId, r.assignment]);
    await tx.query(pointsSql, [r.residentId, id, now]);
  });
}

/**
 * Takes out what the intake wrote (orders above the loaded ones, with their events, notices and points), so the
 * next phases and the next run see the synthetic data as loaded.
 */
export async function removeIntakeRows(bench: BenchDb, maxOrderId: number, { vacuum = true } = {}): Promise<number> {
  const [{ n } = { n: 0 }] = await bench.query<{ n: number }>(`select count(*)::int as n from work_orders where id > $1`, [maxOrderId]);
  await bench.query(
    `update residents r set points = r.points - x.total
       from (select resident_id, sum(delta)::int as total from points_ledger where order_id > $1 group by resident_id) x
      where r.id = x.resident_id`,
    [maxOrderId],
  );
  await forgetInStats(bench, maxOrderId);
  await bench.query(`delete from points_ledger where order_id > $1`, [maxOrderId]);
  await bench.query(`delete from attachments where order_id > $1`, [maxOrderId]);
  await bench.query(`update inbound_messages set order_id = null where order_id > $1`, [maxOrderId]);
  await bench.query(`delete from outbox where order_id > $1`, [maxOrderId]);
  await bench.query(`delete from order_events where order_id > $1`, [maxOrderId]);
  await bench.query(`delete from order_supporters where order_id > $1`, [maxOrderId]);
  await bench.query(`delete from survey_answers where order_id > $1`, [maxOrderId]);
  await bench.query(`delete from work_orders where id > $1`, [maxOrderId]);
  if (vacuum && n > 0) for (const table of ['work_orders', 'order_events', 'outbox', 'points_ledger', 'residents']) await bench.query(`vacuum (analyze) ${table}`);
  return n;
}

/**
 * A console page refreshes the figures, so the orders the bench wrote may be counted in the rollup: take their
 * stored facts back out of it (the rollup is the sum of the stored facts), then drop the facts.
 */
async function forgetInStats(bench: BenchDb, maxOrderId: number): Promise<void> {
  const ids = (await bench.query<{ order_id: number }>(`select order_id from stats_order_facts where order_id > $1`, [maxOrderId])).map((r) => r.order_id);
  if (ids.length === 0) return;
  await bench.db.transaction(async (tx) => {
    const deltas = new Map<string, DailyDelta>();
    for (const stored of await loadStoredFacts(tx, ids)) {
      for (const [day, counts] of countsByDay(stored.facts)) {
        const key = `${day}|${stored.gridId}|${stored.categoryId}`;
        let delta = deltas.get(key);
        if (!delta) deltas.set(key, (delta = { day, gridId: stored.gridId, categoryId: stored.categoryId, counts: emptyCounts() }));
        addCounts(delta.counts, counts, -1);
      }
    }
    await addToRollups(tx, [...deltas.values()].filter((d) => !isZero(d.counts)));
    await tx.delete(statsOrderFacts).where(inArray(statsOrderFacts.orderId, ids));
  });
}
