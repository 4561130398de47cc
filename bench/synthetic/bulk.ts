import type { BenchDb } from '../lib/bench-db';

/**
 * Bulk-load practice: the secondary indexes and foreign keys of the tables about to receive millions of rows
 * are taken off and put back afterwards exactly as the migrations defined them (read back from the catalog),
 * so the load does one sorted build per index and one validating join per key instead of millions of
 * single-row updates and look-ups.
 */
export type Detached = { indexes: { table: string; name: string; def: string }[]; foreignKeys: { table: string; name: string; def: string }[] };

export async function detachIndexes(bench: BenchDb, tables: string[]): Promise<Detached> {
  const indexes = await bench.query<{ table: string; name: string; def: string }>(
    `select t.relname as "table", i.relname as name, pg_get_indexdef(i.oid) as def
       from pg_index x
       join pg_class i on i.oid = x.indexrelid
       join pg_class t on t.oid = x.indrelid
       join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and t.relname = any($1)
        and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)
      order by t.relname, i.relname`,
    [tables],
  );
  const foreignKeys = await bench.query<{ table: string; name: string; def: string }>(
    `select t.relname as "table", c.conname as name, pg_get_constraintdef(c.oid) as def
       from pg_constraint c
       join pg_class t on t.oid = c.conrelid
       join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = 'public' and c.contype = 'f' and t.relname = any($1)
      order by t.relname, c.conname`,
    [tables],
  );
  for (const fk of foreignKeys) await bench.query(`alter table "${fk.table}" drop constraint "${fk.name}"`);
  for (const ix of indexes) await bench.query(`drop index "${ix.name}"`);
  return { indexes, foreignKeys };
}

/**
 * Rebuilds what detachIndexes took off. On Postgres the builds run on two connections at once (one per core;
 * GIN builds are single-threaded), with generous maintenance memory; the slowest (GIN) first.
 */
export async function reattachIndexes(
  bench: BenchDb,
  detached: Detached,
  onEach: (what: string, seconds: number) => void = () => {},
): Promise<void> {
  const settings = bench.kind === 'postgres' ? ["set local maintenance_work_mem = '1GB'", 'set local max_parallel_maintenance_workers = 1'] : [];
  const queue = [...detached.indexes].sort((a, b) => Number(/using gin/i.test(b.def)) - Number(/using gin/i.test(a.def)));
  const workers = bench.kind === 'postgres' ? 2 : 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let ix = queue.shift(); ix; ix = queue.shift()) {
        const started = performance.now();
        await bench.withSettings(settings, ix.def);
        onEach(ix.name, (performance.now() - started) / 1000);
      }
    }),
  );
  for (const fk of detached.foreignKeys) {
    const started = performance.now();
    await bench.withSettings(settings, `alter table "${fk.table}" add constraint "${fk.name}" ${fk.def}`);
    onEach(fk.name, (performance.now() - started) / 1000);
  }
}
