/**
 * `tsx bench/profile-intake.ts [--submitters 8] [--seconds 10]`: runs submitDemand alone against the bench
 * database, for `node --cpu-prof` or to read per-statement timings (BENCH_TRACE_SQL=1). A tool for finding
 * what bounds intake; the figures belong to `npm run bench`.
 */
import { createAppContext } from '../src/app-context.factory';
import { parseConfig } from '../src/config/config';
import { submitDemand } from '../src/modules/work-orders/intake/submit-demand.usecases';
import { intArg, parseArgs } from './lib/args';
import { openBenchDb } from './lib/bench-db';
import { latencyStats, runFor } from './lib/stats';
import { benchClock, openPool } from './phases/intake';
import { createIntakeWorkload } from './phases/intake-workload';
import { readSyntheticMeta } from './synthetic/meta';
import { removeIntakeRows } from './phases/intake';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const submitters = intArg(args, 'submitters', 1);
  const seconds = intArg(args, 'seconds', 10);
  const bench = await openBenchDb({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR });
  const meta = await readSyntheticMeta(bench);
  if (!meta) throw new Error('no synthetic load');
  const pool = await openPool(bench, submitters);
  const ctx = createAppContext({ config: parseConfig({ DATA_DIR: '/tmp/gridline-bench' }), db: pool.db, dbKind: pool.kind, clock: benchClock(new Date(meta.now)) });
  const workload = await createIntakeWorkload({ bench, seed: 11 });
  let seq = 0;
  const run = await runFor({
    workers: submitters,
    ms: seconds * 1000,
    fn: async () => {
      await submitDemand({ deps: ctx.orderDeps, input: workload.next(`prof-${Date.now()}-${seq++}`) });
    },
  });
  console.log({ calls: run.latencies.length, perSecond: run.latencies.length / run.seconds, errors: run.errors, firstError: run.firstError, latency: latencyStats(run.latencies) });
  await pool.close();
  await removeIntakeRows(bench, meta.maxOrderId);
  await bench.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
