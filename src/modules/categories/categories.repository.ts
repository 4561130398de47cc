import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { categories } from './categories.table';

export type CategoryRecord = typeof categories.$inferSelect;

/**
 * Categories are read on every demand and change rarely: cached per process for `ttlMs`, reloaded at once
 * after `invalidate()` (the console's category page calls it).
 */
export type CategoryProvider = {
  all(): Promise<CategoryRecord[]>;
  byId(id: number): Promise<CategoryRecord | undefined>;
  byCode(code: string): Promise<CategoryRecord | undefined>;
  invalidate(): void;
};

export function createCategoryProvider({ db, ttlMs = 60_000 }: { db: Database; ttlMs?: number }): CategoryProvider {
  let cached: { at: number; value: Promise<CategoryRecord[]> } | undefined;
  const all = () => {
    const now = Date.now(); // cache age, not business time
    if (!cached || now - cached.at > ttlMs) {
      // .then() runs the query once; a drizzle builder kept as such would run again at every await (and, inside
      // a transaction on single-connection PGlite, wait forever for the outer connection).
      const value = db
        .select()
        .from(categories)
        .orderBy(asc(categories.sort), asc(categories.id))
        .then((rows) => rows);
      cached = { at: now, value };
      value.catch(() => {
        cached = undefined;
      });
    }
    return cached.value;
  };
  return {
    all,
    byId: async (id) => (await all()).find((c) => c.id === id),
    byCode: async (code) => (await all()).find((c) => c.code === code),
    invalidate: () => {
      cached = undefined;
    },
  };
}

export async function getCategoryByCode(db: Database, code: string) {
  const [row] = await db.select().from(categories).where(eq(categories.code, code));
  return row;
}
