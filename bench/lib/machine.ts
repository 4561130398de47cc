import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchDb } from './bench-db';

export type MachineInfo = {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  engine: string;
  /** Server settings that shape the figures (Postgres only). */
  settings: Record<string, string>;
  /** 1-minute load average at start and end: other work on the machine skews a run. */
  loadStart: number;
  loadEnd?: number;
};

export async function describeMachine(bench: BenchDb): Promise<MachineInfo> {
  const [version] = await bench.query<{ v: string }>('select version() as v');
  const settings: Record<string, string> = {};
  if (bench.kind === 'postgres') {
    const rows = await bench.query<{ name: string; setting: string; unit: string | null }>(
      `select name, setting, unit from pg_settings
        where name in ('shared_buffers', 'work_mem', 'synchronous_commit', 'max_connections', 'effective_cache_size', 'random_page_cost', 'jit')`,
    );
    for (const r of rows) settings[r.name] = r.unit ? `${r.setting} ${r.unit}` : r.setting;
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    engine: bench.kind === 'pglite' ? `PGlite (${(version?.v ?? '').split(' on ')[0]})` : (version?.v ?? '').split(' on ')[0]!,
    settings,
    loadStart: loadavg()[0]!,
  };
}

export function currentLoad(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}
