import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { PGlite } from '@electric-sql/pglite';
import { type Database, type DatabaseKind, migratePgliteDb, openPglite } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import { guardTransactions } from '../../src/db/transaction-guard';

export type TestDb = { db: Database; kind: DatabaseKind; close(): Promise<void> };

/** Which engine this suite runs on: set per vitest project (see vitest.config.ts). */
export const testDbKind: DatabaseKind = process.env.GRIDLINE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

let pgliteTemplate: Promise<Blob> | undefined;

/** Migrating PGlite takes a while; do it once per worker and start each test database from a copy of the files. */
function migratedPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const { client, db } = await openPglite({ dataDir: null });
    await migratePgliteDb(db);
    const blob = await (client as PGlite).dumpDataDir('none');
    await client.close();
    return blob;
  })();
  return pgliteTemplate;
}

/**
 * A fresh database that starts as a copy of one prepared once per worker by `prepare` (e.g. migrated and seeded
 * with the demo district): copying files is much faster than replaying hundreds of inserts for every test.
 */
const preparedTemplates = new Map<string, Promise<{ blob?: Blob; pgName?: string; value: unknown }>>();

export async function createPreparedTestDb<T>(
  key: string,
  prepare: (db: Database) => Promise<T>,
): Promise<TestDb & { prepared: T }> {
  let template = preparedTemplates.get(key);
  if (!template) {
    template = (async () => {
      if (testDbKind === 'pglite') {
        const { client, db } = await openPglite({ dataDir: null, loadDataDir: await migratedPgliteTemplate() });
        const value = await prepare(db);
        const blob = await (client as PGlite).dumpDataDir('none');
        await client.close();
        return { blob, value };
      }
      const { url, name } = await createPgDatabase(process.env.GRIDLINE_PG_TEMPLATE!);
      const client = postgres(url, { max: 2, onnotice: () => {} });
      const value = await prepare(guardTransactions(drizzle(client, { schema }) as unknown as Database));
      await client.end({ timeout: 5 });
      return { pgName: name, value };
    })();
    preparedTemplates.set(key, template);
  }
  const { blob, pgName, value } = await template;
  if (blob) {
    const { client, db } = await openPglite({ dataDir: null, loadDataDir: blob });
    return { db, kind: 'pglite', close: () => client.close(), prepared: value as T };
  }
  return { ...(await openPgCopy(pgName!)), prepared: value as T };
}

async function createPgDatabase(template: string): Promise<{ url: string; name: string }> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl || !template) throw new Error('the postgres test project needs TEST_DATABASE_URL and its global setup');
  const name = `gridline_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function dropPgDatabase(name: string): Promise<void> {
  const drop = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await drop.end({ timeout: 5 });
  }
}

async function openPgCopy(template: string): Promise<TestDb> {
  const { url, name } = await createPgDatabase(template);
  const client = postgres(url, { max: 5, onnotice: () => {} });
  const db = guardTransactions(drizzle(client, { schema }) as unknown as Database);
  return {
    db,
    kind: 'postgres',
    close: async () => {
      await client.end({ timeout: 5 });
      await dropPgDatabase(name);
    },
  };
}

/**
 * A fresh, migrated, empty database: an in-memory PGlite, or a new database on the real Postgres
 * (created from the template the global setup migrated, dropped on close).
 */
export async function createTestDb(): Promise<TestDb> {
  if (testDbKind === 'pglite') {
    const { client, db } = await openPglite({ dataDir: null, loadDataDir: await migratedPgliteTemplate() });
    return { db, kind: 'pglite', close: () => client.close() };
  }
  return openPgCopy(process.env.GRIDLINE_PG_TEMPLATE!);
}

/** The URL of a fresh database for tests that need a second connection pool (two job runners, two bots). */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const { url, name } = await createPgDatabase(process.env.GRIDLINE_PG_TEMPLATE!);
  return { url, drop: () => dropPgDatabase(name) };
}
