import type { MachineInfo } from './lib/machine';
import type { LatencyStats } from './lib/stats';
import type { IntakeLevel } from './phases/intake';
import type { SeedReport } from './synthetic/load';

export type QueryResult = {
  name: string;
  /** What it stands for in the product (which function or page). */
  source: string;
  runs: number;
  latency: LatencyStats;
  rows: number;
  /** Index names the plan uses, and whether any node scans work_orders sequentially. */
  indexes: string[];
  seqScanOnWorkOrders: boolean;
  plan: string;
  target?: number;
};

export type JobResult = {
  name: string;
  source: string;
  /** First sweep (catch-up) and a second right after (steady state), each in a rolled-back transaction. */
  firstMs: number;
  repeatMs: number;
  rowsTouched: number;
  indexes: string[];
  seqScanOnWorkOrders: boolean;
  plans: string[];
};

export type MemoryResult = { process: string; peakRssMb: number; rssAtEndMb: number; note: string; failed?: boolean };

export type BenchResults = {
  date: string;
  quick: boolean;
  engine: 'postgres' | 'pglite';
  orders: number;
  machine: MachineInfo;
  seed: SeedReport | null;
  intake: IntakeLevel[] | null;
  queries: QueryResult[] | null;
  jobs: JobResult[] | null;
  memory: MemoryResult[] | null;
  failures: string[];
};

const TARGETS = {
  intakeAt8: 1000,
  intakeRatio: 0.6,
  p99At1: 25,
  listP95: 50,
  dashboardP95: 300,
  sweepMs: 200,
  botRssMb: 250,
};

const mark = (ok: boolean) => (ok ? '✅' : '❌');

/** The results as the markdown tables docs/benchmarks.md shows. */
export function renderMarkdown(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(
    `### ${r.engine === 'postgres' ? 'Postgres' : 'PGlite'}, ${r.orders.toLocaleString('en-US')} orders${r.quick ? ' (quick)' : ''} — ${r.date.slice(0, 10)}`,
    '',
    `Machine: ${m.cores} × ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}; ${m.engine}` +
      (Object.keys(m.settings).length ? ` (${Object.entries(m.settings).map(([k, v]) => `${k}=${v}`).join(', ')})` : '') +
      `; load average ${m.loadStart.toFixed(2)} at start, ${m.loadEnd?.toFixed(2) ?? '?'} at end.`,
    '',
  );
  if (r.seed) {
    const s = r.seed;
    out.push(
      `Synthetic load: ${s.orders.toLocaleString('en-US')} orders over ${s.months} months, ${s.grids} grids, ${s.staff} staff, ${s.residents.toLocaleString('en-US')} residents; ` +
        Object.entries(s.rows).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ') +
        `. Loaded in ${s.seconds.total.toFixed(0)} s (generate+COPY ${s.seconds.generateAndCopy.toFixed(0)} s, indexes ${s.seconds.indexes.toFixed(0)} s, stats rebuild ${s.seconds.stats.toFixed(0)} s, vacuum/analyze ${s.seconds.analyze.toFixed(0)} s).`,
      '',
    );
  }
  if (r.intake) {
    out.push(
      '| intake (submitDemand) | orders/s | p50 ms | p95 ms | p99 ms | offered dup. | ceiling tx/s | ceiling p99 ms | intake/ceiling | CPU ms/order: app + db (ceiling) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    );
    for (const l of r.intake) {
      const target =
        l.submitters === 8
          ? ` ${mark(l.ordersPerSecond >= TARGETS.intakeAt8)} ≥${TARGETS.intakeAt8}/s, ${mark(l.ratio >= TARGETS.intakeRatio)} ≥${TARGETS.intakeRatio * 100}%`
          : l.submitters === 1
            ? ` ${mark(l.latency.p99 <= TARGETS.p99At1)} p99 ≤${TARGETS.p99At1} ms`
            : '';
      out.push(
        `| ${l.submitters} submitter${l.submitters > 1 ? 's' : ''} (${l.connections} conn.)${target} | ${l.ordersPerSecond} | ${l.latency.p50} | ${l.latency.p95} | ${l.latency.p99} | ${l.offeredDuplicates} | ${l.ceiling.transactionsPerSecond} | ${l.ceiling.latency.p99} | ${Math.round(l.ratio * 100)}% | ` +
          `${l.cpuMsPerOrder.node} + ${l.cpuMsPerOrder.db ?? '—'} (${l.cpuMsPerOrder.ceilingNode} + ${l.cpuMsPerOrder.ceilingDb ?? '—'}) |`,
      );
    }
    out.push('');
  }
  if (r.queries) {
    out.push('| console query | p50 ms | p95 ms | rows | target | indexes used |', '|---|---:|---:|---:|---|---|');
    for (const q of r.queries) {
      const target = q.target ? `${mark(q.latency.p95 <= q.target)} p95 ≤${q.target} ms` : '';
      out.push(`| ${q.name} | ${q.latency.p50} | ${q.latency.p95} | ${q.rows} | ${target}${q.seqScanOnWorkOrders ? ' ❌ seq scan' : ''} | ${q.indexes.join(', ')} |`);
    }
    out.push('');
  }
  if (r.jobs) {
    out.push('| job sweep | first ms | repeat ms | rows touched | target | indexes used |', '|---|---:|---:|---:|---|---|');
    for (const j of r.jobs) {
      out.push(
        `| ${j.name} | ${j.firstMs} | ${j.repeatMs} | ${j.rowsTouched} | ${mark(j.firstMs <= TARGETS.sweepMs)} ≤${TARGETS.sweepMs} ms${j.seqScanOnWorkOrders ? ' ❌ seq scan' : ''} | ${j.indexes.join(', ')} |`,
      );
    }
    out.push('');
  }
  if (r.memory) {
    out.push('| process | peak RSS MB | RSS at end MB | note |', '|---|---:|---:|---|');
    for (const p of r.memory) {
      const target = p.process.startsWith('bot') ? (p.failed ? ' ❌ did not start' : ` ${mark(p.peakRssMb <= TARGETS.botRssMb)} ≤${TARGETS.botRssMb} MB`) : '';
      out.push(`| ${p.process}${target} | ${p.peakRssMb} | ${p.rssAtEndMb} | ${p.note} |`);
    }
    out.push('');
  }
  if (r.failures.length) out.push('**Failures:**', ...r.failures.map((f) => `- ${f}`), '');
  return out.join('\n');
}
