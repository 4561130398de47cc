import { rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { join, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { type Database, type DatabaseHandle, openDatabase } from '../../src/db/client';

/**
 * The database a bench run works on: the Postgres that DATABASE_URL names (created if missing), or an embedded
 * PGlite under data/bench/. Besides the drizzle handle the product code takes, it gives the bench raw SQL, COPY
 * and the server's description for the report.
 */
export type BenchDb = {
  kind: 'pglite' | 'postgres';
  db: Database;
  /** Where it is: the URL without credentials, or the PGlite folder. */
  location: string;
  url: string | null;
  dataDir: string | null;
  query<T extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a statement with session settings (SET LOCAL ...) on one connection, in a transaction. */
  withSettings<T extends Record<string, unknown>>(settings: string[], text: string): Promise<T[]>;
  copyInto(table: string, columns: string[]): Promise<CopySink>;
  close(): Promise<void>;
};

export type CopySink = { write(text: string): Promise<void>; end(): Promise<void> };

export async function openBenchDb({
  databaseUrl,
  dataDir,
  poolSize = 10,
}: {
  databaseUrl?: string;
  dataDir?: string;
  poolSize?: number;
}): Promise<BenchDb> {
  if (databaseUrl) {
    await ensureDatabase(databaseUrl);
    const handle = await openDatabase({ databaseUrl, dataDir: '/nonexistent', poolSize });
    const sql = (handle.db as unknown as { $client: postgres.Sql }).$client;
    return {
      kind: 'postgres',
      db: handle.db,
      location: redact(databaseUrl),
      url: databaseUrl,
      dataDir: null,
      query: async (text, params = []) => (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as never,
      withSettings: (settings, text) =>
        sql.begin(async (tx) => {
          for (const s of settings) await tx.unsafe(s);
          return (await tx.unsafe(text)) as never;
        }) as never,
      copyInto: async (table, columns) => {
        const stream = await sql.unsafe(`COPY ${table} (${columns.join(', ')}) FROM STDIN`).writable();
        let failed: Error | undefined;
        let wake: (() => void) | undefined;
        stream.on('error', (error) => {
          failed ??= error;
          wake?.();
        });
        stream.on('drain', () => wake?.());
        return {
          async write(text) {
            if (failed) throw failed;
            if (!stream.write(text)) await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
            if (failed) throw failed;
          },
          async end() {
            stream.end();
            await finished(stream);
          },
        };
      },
      close: () => handle.close(),
    };
  }
  const folder = resolve(dataDir ?? 'data/bench/pglite');
  const handle: DatabaseHandle = await openDatabase({ dataDir: folder });
  const pg = (handle.db as unknown as { $client: PGlite }).$client;
  return {
    kind: 'pglite',
    db: handle.db,
    location: join(folder, 'pglite'),
    url: null,
    dataDir: folder,
    query: async (text, params = []) => (await pg.query(text, params)).rows as never,
    withSettings: (settings, text) =>
      pg.transaction(async (tx) => {
        for (const s of settings) await tx.exec(s);
        return (await tx.query(text)).rows as never;
      }) as never,
    copyInto: async (table, columns) => {
      // PGlite reads COPY data from a blob; it is fed in slices so memory stays bounded.
      let parts: string[] = [];
      let size = 0;
      const flush = async () => {
        if (size === 0) return;
        const blob = new Blob(parts);
        parts = [];
        size = 0;
        await pg.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob });
      };
      return {
        async write(text) {
          parts.push(text);
          size += text.length;
          if (size > 8_000_000) await flush();
        },
        end: flush,
      };
    },
    close: () => handle.close(),
  };
}

/**
 * Starts over: drops the bench database (or deletes the PGlite folder), so the next open migrates a fresh one.
 * Truncating would not do: an interrupted load leaves its indexes detached.
 */
export async function destroyBenchDb({ databaseUrl, dataDir }: { databaseUrl?: string; dataDir?: string }): Promise<void> {
  if (databaseUrl) return dropDatabase(databaseUrl);
  const folder = resolve(dataDir ?? 'data/bench/pglite');
  rmSync(join(folder, 'pglite'), { recursive: true, force: true });
}

/** Creates the database the URL names when the server does not have it yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`the bench database name must be a plain identifier, got "${name}"`);
  url.pathname = '/postgres';
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    const [found] = await admin`select 1 from pg_database where datname = ${name}`;
    if (!found) await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export function redact(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password = '';
  return url.toString();
}

/**
 * COPY text-format encoding of a drizzle table's rows: the columns named by their TypeScript keys (so a renamed
 * column fails the typecheck, not the load), values escaped as COPY wants them.
 */
export function copyEncoder<T extends PgTable>(table: T, keys: readonly (keyof T['$inferInsert'] & string)[]) {
  const columns = getTableColumns(table);
  const sqlNames = keys.map((k) => {
    const column = (columns as Record<string, { name: string }>)[k];
    if (!column) throw new Error(`no column ${k}`);
    return `"${column.name}"`;
  });
  return {
    columns: sqlNames,
    encode(row: T['$inferInsert']): string {
      let line = '';
      for (let i = 0; i < keys.length; i++) {
        if (i > 0) line += '\t';
        line += copyValue((row as Record<string, unknown>)[keys[i]!]);
      }
      return `${line}\n`;
    },
  };
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? escape(value) : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return isoTimestamp(value.getTime());
  return escape(JSON.stringify(value));
}

const dayPrefixes = new Map<number, string>();
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** Date#toISOString, several times faster: it costs ~2 µs a call, and a load formats tens of millions. */
export function isoTimestamp(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${prefix}${two(h)}:${two(m)}:${two(sec)}.${three(rest - sec * 1000)}Z`;
}

function escape(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
