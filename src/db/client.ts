import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { acquireLockFile } from './lock';
import * as schema from './schema';
import { guardTransactions } from './transaction-guard';

export type Schema = typeof schema;
/** The drizzle database, whichever driver is behind it. A transaction has the same query API. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = 'pglite' | 'postgres';

export type DatabaseHandle = {
  db: Database;
  kind: DatabaseKind;
  close(): Promise<void>;
};

export const migrationsFolder = resolve(fileURLToPath(new URL('.', import.meta.url)), 'migrations');

/** An arbitrary constant: the advisory lock that serialises migrations of several instances on one Postgres. */
const MIGRATION_LOCK = 727_001;

/** Opens an embedded PGlite (in memory when dataDir is null), with pg_trgm loaded and the transaction guard; does not migrate. */
export async function openPglite(options: { dataDir: string | null; loadDataDir?: Blob }) {
  return (await import('./pglite')).openPglite(options);
}

/**
 * Opens the database the config names: postgres.js for a postgres:// URL, else an embedded PGlite under
 * DATA_DIR/pglite guarded by a lock file. Runs the committed migrations.
 */
export async function openDatabase({
  databaseUrl,
  dataDir,
  migrate = true,
  poolSize = 10,
}: {
  databaseUrl?: string;
  dataDir: string;
  migrate?: boolean;
  poolSize?: number;
}): Promise<DatabaseHandle> {
  if (databaseUrl) {
    if (migrate) await migrateServer(databaseUrl);
    const client = postgres(databaseUrl, { max: poolSize, onnotice: () => {} });
    // Guarded on Postgres too: the same code runs on PGlite, where the misuse it stops would freeze the process.
    const db = guardTransactions(drizzlePostgres(client, { schema }) as unknown as Database);
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }

  const folder = join(dataDir, 'pglite');
  mkdirSync(folder, { recursive: true });
  const release = acquireLockFile(join(dataDir, 'pglite.lock'));
  try {
    const { client, db } = await openPglite({ dataDir: folder });
    if (migrate) await migratePgliteDb(db);
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Migrates a Postgres server under an advisory lock, so instances starting together migrate once. */
export async function migrateServer(databaseUrl: string): Promise<void> {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`CREATE EXTENSION IF NOT EXISTS pg_trgm`;
    await client`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
    await client`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function migratePgliteDb(db: Database): Promise<void> {
  await (await import('./pglite')).migratePgliteDb(db, migrationsFolder);
}

export async function ping(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
