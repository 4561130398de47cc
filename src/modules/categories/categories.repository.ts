import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { assertOutsideTransaction } from '../../db/transaction-guard';
import { categories } from './categories.table';

export type CategoryRecord = typeof categories.$inferSelect;

/**
 * Categories are read on every demand and change rarely: cached per process for `ttlMs`, reloaded at once
 * after `invalidate()` (the console's category page calls it).
 *
 * The rule for every provider (categories, calendar): it reads through the outer database, so it is called
 * only outside a transaction. A use case loads what it needs before `db.transaction` and passes the values in
 * (applyCommand hands `categoryOf` and `calendar` to its steps). Calling one inside a transaction throws, warm
 * cache or not (transaction-guard.ts): on single-connection PGlite a cold read there would wait forever.
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
    assertOutsideTransaction(db, 'categories.all()');
    const now = Date.now(); // cache age, not business time
    if (!cached || now - cached.at > ttlMs) {
      // .then() runs the query once; a drizzle builder kept as such would run again at every await.
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
