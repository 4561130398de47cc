/**
 * `npm run bench [-- --quick] [--orders N] [--only intake,queries,jobs,memory] [--seconds S] [--levels 1,8,32] [--reseed]`
 *
 * Runs on the Postgres DATABASE_URL names (the database is created when missing and holds the synthetic data
 * between runs; `--drop` drops it at the end), or on an embedded PGlite under data/bench/. Loads the synthetic
 * data when the database does not already hold the same load, then measures: console queries and job sweeps
 * (read-only, or rolled back), intake against its ceiling, and the memory of a bot and a console process.
 * Prints the table, writes bench/results/<date>-<engine>-<N>.json, and exits non-zero when a plan scans
 * work_orders sequentially. See docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intArg, parseArgs } from './lib/args';
import { type BenchDb, destroyBenchDb, dropDatabase, openBenchDb } from './lib/bench-db';
import { currentLoad, describeMachine } from './lib/machine';
import { benchIntake, removeIntakeRows } from './phases/intake';
import { benchJobs } from './phases/jobs';
import { benchMemory } from './phases/memory';
import { benchQueries } from './phases/queries';
import { readSyntheticMeta } from './synthetic/meta';
import { GENERATOR_VERSION, seedSynthetic } from './synthetic/load';
import { type BenchResults, renderMarkdown } from './report';

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const quick = Boolean(args.quick);
  const databaseUrl = process.env.DATABASE_URL;
  const engine = databaseUrl ? 'postgres' : 'pglite';
  const orders = intArg(args, 'orders', quick ? 20_000 : engine === 'postgres' ? 1_000_000 : 100_000);
  const seconds = intArg(args, 'seconds', quick ? 4 : 15);
  const phases = new Set(String(args.only ?? 'intake,queries,jobs,memory').split(','));
  const dataDir = process.env.BENCH_DATA_DIR ?? `data/bench/pglite-${orders}`;
  const where = { databaseUrl, dataDir };

  let bench: BenchDb = await openBenchDb({ ...where, poolSize: 10 });
  const started = new Date();
  const results: BenchResults = {
    date: started.toISOString(),
    quick,
    engine,
    orders,
    machine: await describeMachine(bench),
    seed: null,
    intake: null,
    queries: null,
    jobs: null,
    memory: null,
    failures: [],
  };
  log(`bench on ${results.machine.engine} at ${bench.location}, ${orders.toLocaleString('en-US')} orders, load ${currentLoad()}`);

  try {
    let meta = await readSyntheticMeta(bench);
    if (args.reseed || !meta || meta.orders !== orders || meta.version !== GENERATOR_VERSION) {
      // Replacing a database that holds orders is only done when asked: without a finished load it may be a
      // seed still running in another process, or somebody's data.
      if (!args.reseed && (await holdsOrders(bench))) {
        throw new Error(
          `${bench.location} holds orders but ${meta ? `a load of ${meta.orders} orders (generator v${meta.version})` : 'no finished synthetic load (a seed may still be running)'}; ` +
            `wait for it, pass --orders ${meta?.orders ?? 'N'} to use it, or --reseed to replace it`,
        );
      }
      await bench.close();
      await destroyBenchDb(where);
      bench = await openBenchDb({ ...where, poolSize: 10 });
      log(`loading ${orders.toLocaleString('en-US')} synthetic orders`);
      results.seed = await seedSynthetic(bench, { orders, log });
      meta = (await readSyntheticMeta(bench))!;
    } else {
      log(`reusing the synthetic load of ${meta.now}`);
      const leftover = await removeIntakeRows(bench, meta.maxOrderId);
      if (leftover) log(`removed ${leftover} orders left by an earlier run`);
    }
    const historyNow = new Date(meta.now);
    const runId = started.getTime().toString(36);

    // A phase that fails is recorded and the others still run: the results file is written either way.
    const phase = async (name: string, fn: () => Promise<void>) => {
      if (!phases.has(name)) return;
      log(name);
      try {
        await fn();
      } catch (error) {
        results.failures.push(`${name}: ${String(error).split('\n')[0]}`);
        log(`  ${name} failed: ${String(error)}`);
      }
    };
    await phase('queries', async () => {
      results.queries = await benchQueries({ bench, historyNow, maxOrderId: meta.maxOrderId, runs: quick ? 10 : 40, log });
      for (const q of results.queries) if (q.seqScanOnWorkOrders) results.failures.push(`${q.name}: a plan scans work_orders sequentially`);
    });
    await phase('jobs', async () => {
      try {
        results.jobs = await benchJobs({ bench, historyNow, log });
        for (const j of results.jobs) if (j.seqScanOnWorkOrders) results.failures.push(`${j.name}: a plan scans work_orders sequentially`);
      } finally {
        // The sweeps are rolled back, but their updates leave dead row versions of the open orders at the newest
        // end of work_orders' indexes, far below autovacuum's threshold on a million rows: the next run's list pages
        // would walk them (a grid leader's list page measured 70-85 ms p95 after two runs, 11 ms after a VACUUM).
        for (const table of ['work_orders', 'order_events', 'outbox']) await bench.query(`vacuum (analyze) ${table}`);
      }
    });
    await phase('intake', async () => {
      try {
        results.intake = await benchIntake({
          bench,
          historyNow,
          maxOrderId: meta.maxOrderId,
          levels: String(args.levels ?? '1,8,32').split(',').map(Number),
          seconds,
          warmupSeconds: quick ? 1 : 3,
          runId,
          log,
        });
      } finally {
        const removed = await removeIntakeRows(bench, meta.maxOrderId);
        log(`  removed the ${removed} orders the intake wrote`);
      }
    });
    await phase('memory', async () => {
      try {
        results.memory = await benchMemory({ bench, historyNow, seconds, runId, log });
        for (const m of results.memory) log(`  ${m.process}: peak ${m.peakRssMb} MB (${m.note})`);
      } finally {
        const removed = await removeIntakeRows(bench, meta.maxOrderId);
        log(`  removed the ${removed} orders written meanwhile`);
      }
    });
  } finally {
    results.machine.loadEnd = currentLoad();
    await bench.close();
    if (args.drop && databaseUrl) await dropDatabase(databaseUrl);
  }

  const markdown = renderMarkdown(results);
  console.log(markdown);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const name = `${started.toISOString().slice(0, 16).replace(/[:T]/g, '-')}-${engine}-${orders}${quick ? '-quick' : ''}`;
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  log(`results written to bench/results/${name}.json`);
  for (const failure of results.failures) log(`FAIL: ${failure}`);
  return results.failures.length ? 1 : 0;
}

async function holdsOrders(bench: BenchDb): Promise<boolean> {
  const [table] = await bench.query<{ found: boolean }>(`select to_regclass('public.work_orders') is not null as found`);
  if (!table?.found) return false;
  const [row] = await bench.query<{ any: boolean }>('select exists (select 1 from work_orders) as any');
  return Boolean(row?.any);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(2);
  },
);
