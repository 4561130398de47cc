/**
 * The embedded PGlite side of the database client. Loaded only when a process runs on PGlite (or a test asks
 * for it): its WebAssembly build costs some 50 MB of memory that a process on Postgres should not carry.
 */
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database } from './client';
import * as schema from './schema';
import { guardTransactions } from './transaction-guard';

/**
 * Opens an embedded PGlite (in memory when dataDir is null), with pg_trgm loaded (on every open); does not migrate.
 * The database is guarded (transaction-guard.ts): on one connection, the outer database used inside a transaction
 * can only deadlock.
 */
export async function openPglite({ dataDir, loadDataDir }: { dataDir: string | null; loadDataDir?: Blob }) {
  const client = new PGlite({ dataDir: dataDir ?? undefined, extensions: { pg_trgm }, loadDataDir });
  await client.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  return { client, db: guardTransactions(drizzle(client, { schema }) as unknown as Database) };
}

export async function migratePgliteDb(db: Database, migrationsFolder: string): Promise<void> {
  await migrate(db as never, { migrationsFolder });
}
