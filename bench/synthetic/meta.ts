import type { BenchDb } from '../lib/bench-db';

/**
 * What a synthetic load put in the database, kept beside it (in a table of the bench's own, outside the product
 * schema), so a later bench run can reuse a million orders instead of loading them again.
 */
export type SyntheticMeta = {
  version: number;
  orders: number;
  seed: number;
  months: number;
  /** The instant the history ends at. */
  now: string;
  grids: number;
  units: number;
  staff: number;
  residents: number;
  /** Orders above this id were written by a bench run (intake), not by the load. */
  maxOrderId: number;
};

export async function readSyntheticMeta(bench: BenchDb): Promise<SyntheticMeta | null> {
  const [exists] = await bench.query<{ found: boolean }>(`select to_regclass('public.bench_synthetic') is not null as found`);
  if (!exists?.found) return null;
  const [row] = await bench.query<{ value: SyntheticMeta | string }>(`select value from bench_synthetic where key = 'load'`);
  if (!row) return null;
  return typeof row.value === 'string' ? (JSON.parse(row.value) as SyntheticMeta) : row.value;
}

export async function writeSyntheticMeta(bench: BenchDb, meta: SyntheticMeta): Promise<void> {
  await bench.query('create table if not exists bench_synthetic (key text primary key, value jsonb not null)');
  await bench.query(
    `insert into bench_synthetic (key, value) values ('load', $1::jsonb) on conflict (key) do update set value = excluded.value`,
    [JSON.stringify(meta)],
  );
}
