import type { SQL } from 'drizzle-orm';
import type { Database } from './client';

/**
 * Runs raw SQL and returns its rows. `db.execute()` returns an array with postgres.js and `{ rows }` with PGlite;
 * this hides the difference. Cast counts to int in SQL: postgres.js returns bigint as a string.
 */
export async function rows<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function one<T extends Record<string, unknown>>(db: Database, query: SQL): Promise<T | undefined> {
  return (await rows<T>(db, query))[0];
}
