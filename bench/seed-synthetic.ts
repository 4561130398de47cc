/**
 * `npm run seed:synthetic -- --orders 1000000 [--reset] [--seed 20261123] [--months 24]`
 *
 * Loads N synthetic orders (two years of a 600-grid district) into the database DATABASE_URL names (created if
 * missing), or into an embedded PGlite under data/bench/ (BENCH_DATA_DIR). See docs/benchmarks.md.
 */
import { destroyBenchDb, openBenchDb } from './lib/bench-db';
import { intArg, parseArgs } from './lib/args';
import { seedSynthetic } from './synthetic/load';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const orders = intArg(args, 'orders', 100_000);
  const where = { databaseUrl: process.env.DATABASE_URL, dataDir: process.env.BENCH_DATA_DIR };
  if (args.reset) await destroyBenchDb(where);
  const bench = await openBenchDb({ ...where, poolSize: 10 });
  try {
    process.stderr.write(`loading ${orders.toLocaleString('en-US')} orders into ${bench.kind} (${bench.location})\n`);
    const report = await seedSynthetic(bench, {
      orders,
      seed: intArg(args, 'seed', 20261123),
      months: intArg(args, 'months', 24),
      workers: intArg(args, 'workers', 2),
    });
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await bench.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
