import type { Database } from './client';
import { assertOutsideTransaction } from './transaction-guard';

/**
 * A value read through the outer database and cached per process for `ttlMs`, reloaded at once after
 * `invalidate()`; a failed load is not kept. It is called only outside a transaction (the guard throws otherwise,
 * warm cache or not), the rule every provider follows.
 */
export type CachedProvider<T> = { get(): Promise<T>; invalidate(): void };

export function createCachedProvider<T>({ db, ttlMs, name, load }: { db: Database; ttlMs: number; name: string; load: (db: Database) => Promise<T> }): CachedProvider<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return {
    get() {
      assertOutsideTransaction(db, `${name}.get()`);
      const now = Date.now(); // cache age, not business time
      if (!cached || now - cached.at > ttlMs) {
        const value = load(db);
        cached = { at: now, value };
        value.catch(() => {
          cached = undefined;
        });
      }
      return cached.value;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
