/**
 * A family of additive counts (the grids' counts in stats.models, the departments' in department-facts.models) made
 * from its list of keys alone: its empty counts, its sums, and the names and SQL fragments its tables are declared
 * (countsColumns in stats.table), read and written with. Adding a count to a family is adding its key to the list,
 * and the migration drizzle-kit generates from it. Pure: no I/O.
 */

export type CountsOf<K extends string> = Record<K, number>;

export type CountFamily<K extends string> = {
  readonly keys: readonly K[];
  /** Every count 0, in key order. */
  empty: () => CountsOf<K>;
  /** Adds `other` (negated when `sign` is -1) into `into`, and returns `into`. */
  add: (into: CountsOf<K>, other: CountsOf<K>, sign?: 1 | -1) => CountsOf<K>;
  /** New counts: the sum of the list. */
  sum: (list: Iterable<CountsOf<K>>) => CountsOf<K>;
  isZero: (counts: CountsOf<K>) => boolean;
};

const KEY = /^[a-z][A-Za-z]*$/;

export function countFamily<const K extends string>(keys: readonly K[]): CountFamily<K> {
  for (const k of keys) if (!KEY.test(k)) throw new Error(`count key ${JSON.stringify(k)}: letters only, lower-case first`);
  // Copied, not built key by key: empty counts are made for the facts of every order a rebuild replays, and a
  // copy of one object is nearly as fast as a literal (setting them one by one in a loop is several times slower).
  const zero = Object.fromEntries(keys.map((k) => [k, 0])) as CountsOf<K>;
  const empty = (): CountsOf<K> => ({ ...zero });
  const add = (into: CountsOf<K>, other: CountsOf<K>, sign: 1 | -1 = 1): CountsOf<K> => {
    for (const k of keys) into[k] += sign * other[k];
    return into;
  };
  const sum = (list: Iterable<CountsOf<K>>): CountsOf<K> => {
    const total = empty();
    for (const counts of list) add(total, counts);
    return total;
  };
  const isZero = (counts: CountsOf<K>): boolean => keys.every((k) => counts[k] === 0);
  return { keys, empty, add, sum, isZero };
}

/** A count's column: its key in snake_case (`respInTime` → `resp_in_time`), as the tables name them. */
export function countColumn(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export type CountColumns<K extends string> = {
  /** The column of each count. */
  column: Record<K, string>;
  /** The columns in key order. */
  names: readonly string[];
  /** `a, b_c`: the columns in key order. */
  list: string;
  /** `a int, b_c int`: the columns' definition for `jsonb_to_recordset`. */
  types: string;
  /** `coalesce(sum(a), 0)::int as "a", …` (`sum(d.a)` with an alias): each count summed, named by its key. */
  sums: (alias?: string) => string;
  /** One set of counts by column name, for a row sent as JSON. */
  toRow: (counts: CountsOf<K>) => Record<string, number>;
  /** Counts from a row read with `sums` (a missing one is 0). */
  fromRow: (row: Record<string, unknown>) => CountsOf<K>;
};

/** The SQL names of a family's counts. The keys are letters only (checked by countFamily), safe to splice in. */
export function countColumns<K extends string>(family: CountFamily<K>): CountColumns<K> {
  const { keys } = family;
  const column = Object.fromEntries(keys.map((k) => [k, countColumn(k)])) as Record<K, string>;
  const names = keys.map((k) => column[k]);
  return {
    column,
    names,
    list: names.join(', '),
    types: names.map((c) => `${c} int`).join(', '),
    // postgres.js returns bigint sums as strings: each is cast to int.
    sums: (alias) => keys.map((k) => `coalesce(sum(${alias ? `${alias}.` : ''}${column[k]}), 0)::int as "${k}"`).join(', '),
    toRow: (counts) => Object.fromEntries(keys.map((k) => [column[k], counts[k]])),
    fromRow: (row) => {
      const counts = family.empty();
      for (const k of keys) counts[k] = Number(row[k] ?? 0);
      return counts;
    },
  };
}
