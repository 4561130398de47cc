import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import type { BenchDb } from './bench-db';

export type CapturedQuery = { sql: string; params: unknown[] };

/**
 * A pool whose drizzle handle can record the SQL the product's functions send, so the bench can EXPLAIN exactly
 * what listOrders, getOrderPage, loadDashboard or a job runs, without knowing how they build it.
 */
export type CapturingPool = {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Runs `fn` and returns what it sent. */
  capture<T>(fn: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }>;
  /** EXPLAIN (ANALYZE, BUFFERS) of a read; EXPLAIN of a write (which must not run). */
  explain(query: CapturedQuery): Promise<string>;
  close(): Promise<void>;
};

export async function openCapturingPool(bench: BenchDb, size: number): Promise<CapturingPool> {
  let recording: CapturedQuery[] | null = null;
  const logger: Logger = {
    logQuery(query, params) {
      recording?.push({ sql: query, params });
    },
  };
  const capture = async <T>(fn: () => Promise<T>) => {
    const queries: CapturedQuery[] = [];
    recording = queries;
    try {
      return { result: await fn(), queries };
    } finally {
      recording = null;
    }
  };
  if (bench.kind === 'pglite') {
    const pg = (bench.db as unknown as { $client: PGlite }).$client;
    const db = drizzlePglite(pg, { schema, logger }) as unknown as Database;
    return {
      db,
      kind: 'pglite',
      capture,
      explain: async (q) => {
        const result = await pg.query<Record<string, string>>(`${explainPrefix(q.sql)} ${q.sql}`, q.params.map(plain));
        return result.rows.map((r) => Object.values(r)[0]).join('\n');
      },
      close: async () => {},
    };
  }
  const sql = postgres(bench.url!, { max: size, onnotice: () => {} });
  const db = drizzlePostgres(sql, { schema, logger }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    capture,
    explain: async (q) => {
      const result = await sql.unsafe(`${explainPrefix(q.sql)} ${q.sql}`, q.params.map(plain) as never[]);
      return result.map((r) => Object.values(r)[0] as string).join('\n');
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

function explainPrefix(text: string): string {
  return /^\s*(select|with)\b/i.test(text) && !/\bfor\s+update\b/i.test(text) ? 'explain (analyze, buffers)' : 'explain';
}

function plain(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

export type PlanFacts = { indexes: string[]; seqScanOnWorkOrders: boolean; seqScans: string[] };

/** What a plan reads: the indexes it uses and the tables it scans whole. */
export function planFacts(plan: string): PlanFacts {
  const indexes = new Set<string>();
  for (const m of plan.matchAll(/(?:Index Scan|Index Only Scan)(?: Backward)? using (\S+)/g)) indexes.add(m[1]!);
  for (const m of plan.matchAll(/Bitmap Index Scan on (\S+)/g)) indexes.add(m[1]!);
  const seqScans = [...new Set([...plan.matchAll(/Seq Scan on (\S+)/g)].map((m) => m[1]!))];
  return { indexes: [...indexes].sort(), seqScanOnWorkOrders: seqScans.includes('work_orders'), seqScans };
}

/** Execution time reported by EXPLAIN ANALYZE, in ms, or null. */
export function planExecutionMs(plan: string): number | null {
  const m = /Execution Time: ([\d.]+) ms/.exec(plan);
  return m ? Number(m[1]) : null;
}
