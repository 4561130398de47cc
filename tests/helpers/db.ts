import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { PGlite } from '@electric-sql/pglite';
import { type Database, type DatabaseKind, migratePgliteDb, openPglite } from '../../src/db/client';
import * as schema from '../../src/db/schema';

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
 * A fresh, migrated, empty database: an in-memory PGlite, or a new database on the real Postgres
 * (created from the template the global setup migrated, dropped on close).
 */
export async function createTestDb(): Promise<TestDb> {
  if (testDbKind === 'pglite') {
    const { client, db } = await openPglite({ dataDir: null, loadDataDir: await migratedPgliteTemplate() });
    return { db, kind: 'pglite', close: () => client.close() };
  }
  const baseUrl = process.env.TEST_DATABASE_URL;
  const template = process.env.GRIDLINE_PG_TEMPLATE;
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
  const client = postgres(url.toString(), { max: 5, onnotice: () => {} });
  const db = drizzle(client, { schema }) as unknown as Database;
  return {
    db,
    kind: 'postgres',
    close: async () => {
      await client.end({ timeout: 5 });
      const drop = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await drop.end({ timeout: 5 });
      }
    },
  };
}

/** The URL of a fresh database for tests that need a second connection pool (two job runners, two bots). */
export async function createTestDatabaseUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const baseUrl = process.env.TEST_DATABASE_URL;
  const template = process.env.GRIDLINE_PG_TEMPLATE;
  if (!baseUrl || !template) throw new Error('needs the postgres test project');
  const name = `gridline_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end({ timeout: 5 });
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const drop = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await drop.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end({ timeout: 5 });
    },
  };
}
