import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from './client';

/**
 * Inside `db.transaction(cb)` the database is reached through `tx` only. On PGlite there is one connection and
 * the transaction holds it, so a query through the outer `db` awaited from inside the callback waits for the
 * transaction to end, which waits for the query: the whole process freezes (every request, /healthz included).
 * On Postgres the same call takes a second pooled connection, reads outside the transaction and can exhaust the
 * pool. The guard turns either into an immediate, named error.
 *
 * How: `transaction()` runs its callback in an AsyncLocalStorage scope naming the database it was opened from;
 * every entry point of that database (select, insert, update, delete, execute, with, $count, query,
 * transaction) checks the scope first. A request that did not start inside the transaction's async context (an
 * unrelated chat message, a page) is not in the scope and simply waits its turn for PGlite's connection, as
 * before. The check is one AsyncLocalStorage lookup per statement built.
 */
type Scope = { db: object; parent: Scope | undefined };

const scopes = new AsyncLocalStorage<Scope>();

export class OuterDatabaseInTransactionError extends Error {
  constructor(what: string) {
    super(
      `${what} through the outer database while a transaction opened from it is in progress in this async context: ` +
        'use the transaction (tx) instead, or load it before the transaction and pass the value in ' +
        '(on single-connection PGlite this call would wait forever)',
    );
    this.name = 'OuterDatabaseInTransactionError';
  }
}

function inTransactionOf(db: object): boolean {
  for (let scope = scopes.getStore(); scope; scope = scope.parent) if (scope.db === db) return true;
  return false;
}

/** Throws when called inside a transaction opened from `db` (a provider states its rule with it). */
export function assertOutsideTransaction(db: Database, what: string): void {
  if (inTransactionOf(db)) throw new OuterDatabaseInTransactionError(what);
}

const GUARDED = Symbol('gridline.transactionGuard');
const STATEMENTS = ['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete', 'execute', 'with', '$count', 'refreshMaterializedView'] as const;

/**
 * The same database, with the guard above. Inherits everything else from `db` (so drizzle's migrator and
 * `instanceof` still work). Wrapping twice returns the first wrapper.
 */
export function guardTransactions(db: Database): Database {
  if ((db as unknown as Record<symbol, unknown>)[GUARDED]) return db;
  const guarded = Object.create(db) as Database;
  const own = guarded as unknown as Record<string | symbol, unknown>;
  const inner = db as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of STATEMENTS) {
    const method = inner[name]!;
    own[name] = (...args: unknown[]) => {
      if (inTransactionOf(guarded)) throw new OuterDatabaseInTransactionError(`db.${name}()`);
      return method.apply(db, args);
    };
  }
  Object.defineProperty(guarded, 'query', {
    get() {
      if (inTransactionOf(guarded)) throw new OuterDatabaseInTransactionError('db.query');
      return db.query;
    },
  });
  guarded.transaction = ((callback: (tx: unknown) => Promise<unknown>, config?: unknown) => {
    if (inTransactionOf(guarded)) throw new OuterDatabaseInTransactionError('db.transaction()');
    const parent = scopes.getStore();
    return db.transaction((tx) => scopes.run({ db: guarded, parent }, () => callback(tx)), config as never);
  }) as Database['transaction'];
  own[GUARDED] = true;
  return guarded;
}
