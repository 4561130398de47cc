import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { countColumns, countFamily } from '../../../src/modules/stats/counts.models';
import { DEPARTMENT_COUNT_KEYS, departmentCounts } from '../../../src/modules/stats/department-facts.models';
import { statsDepartmentFacts } from '../../../src/modules/stats/department-stats.table';
import { COUNT_KEYS, gridCounts } from '../../../src/modules/stats/stats.models';
import { statsDaily, statsMonthly, statsWeekly } from '../../../src/modules/stats/stats.table';

const family = countFamily(['opened', 'closedOnTime'] as const);

describe('a family of counts', () => {
  it('starts every count at zero, in the order of its keys, and each empty set is its own', () => {
    const a = family.empty();
    expect(a).toEqual({ opened: 0, closedOnTime: 0 });
    expect(Object.keys(a)).toEqual(['opened', 'closedOnTime']);
    a.opened = 5;
    expect(family.empty().opened).toBe(0);
  });

  it('adds one set into another, or takes it away', () => {
    const into = { opened: 3, closedOnTime: 1 };
    expect(family.add(into, { opened: 2, closedOnTime: 4 })).toBe(into);
    expect(into).toEqual({ opened: 5, closedOnTime: 5 });
    family.add(into, { opened: 5, closedOnTime: 1 }, -1);
    expect(into).toEqual({ opened: 0, closedOnTime: 4 });
  });

  it('sums a list into new counts, leaving the list as it was', () => {
    const list = [
      { opened: 1, closedOnTime: 0 },
      { opened: 2, closedOnTime: 7 },
    ];
    expect(family.sum(list)).toEqual({ opened: 3, closedOnTime: 7 });
    expect(list[0]).toEqual({ opened: 1, closedOnTime: 0 });
    expect(family.sum([])).toEqual({ opened: 0, closedOnTime: 0 });
  });

  it('knows counts that are all zero', () => {
    expect(family.isZero(family.empty())).toBe(true);
    expect(family.isZero({ opened: 0, closedOnTime: -1 })).toBe(false);
  });

  it('refuses a key that is not letters alone (keys become SQL names)', () => {
    expect(() => countFamily(['resp_late'])).toThrow(/letters only/);
    expect(() => countFamily(['a"; drop table x; --'])).toThrow(/letters only/);
    expect(() => countFamily(['Opened'])).toThrow(/letters only/);
  });
});

describe('the columns of a family of counts', () => {
  const columns = countColumns(family);

  it('are the keys in snake_case, in key order', () => {
    expect(columns.column).toEqual({ opened: 'opened', closedOnTime: 'closed_on_time' });
    expect(columns.names).toEqual(['opened', 'closed_on_time']);
    expect(columns.list).toBe('opened, closed_on_time');
    expect(columns.types).toBe('opened int, closed_on_time int');
  });

  it('sum each count as an int named by its key, with or without a table alias', () => {
    expect(columns.sums()).toBe('coalesce(sum(opened), 0)::int as "opened", coalesce(sum(closed_on_time), 0)::int as "closedOnTime"');
    expect(columns.sums('d')).toBe('coalesce(sum(d.opened), 0)::int as "opened", coalesce(sum(d.closed_on_time), 0)::int as "closedOnTime"');
  });

  it('write counts by column and read them back by key, numbers given as strings included', () => {
    expect(columns.toRow({ opened: 2, closedOnTime: 3 })).toEqual({ opened: 2, closed_on_time: 3 });
    expect(columns.fromRow({ opened: '12', closedOnTime: 4, grid_id: 9 })).toEqual({ opened: 12, closedOnTime: 4 });
    expect(columns.fromRow({ opened: null })).toEqual({ opened: 0, closedOnTime: 0 });
  });
});

/**
 * The columns of a table as the migrations left it (the snapshot drizzle-kit wrote with the last one), but for
 * its keys: a count added to a family without its migration is missing here.
 */
const migrated = (() => {
  const dir = resolve(import.meta.dirname, '../../../src/db/migrations/meta');
  const journal = JSON.parse(readFileSync(resolve(dir, '_journal.json'), 'utf8')) as { entries: { idx: number }[] };
  const last = String(journal.entries.at(-1)!.idx).padStart(4, '0');
  return JSON.parse(readFileSync(resolve(dir, `${last}_snapshot.json`), 'utf8')) as {
    tables: Record<string, { columns: Record<string, { type: string; notNull: boolean; default?: unknown }> }>;
  };
})();
const migratedCountColumns = (table: string, keys: string[]) =>
  Object.entries(migrated.tables[`public.${table}`]!.columns)
    .filter(([name]) => !keys.includes(name))
    .map(([name, c]) => ({ name, type: c.type, notNull: c.notNull, default: c.default }));
const asMigrated = (names: readonly string[]) => names.map((name) => ({ name, type: 'integer', notNull: true, default: 0 }));

describe('each family of counts is the count columns of its tables, as migrated', () => {
  it('the grids’ counts: the three rollups', () => {
    const { names } = countColumns(gridCounts);
    expect(names).toHaveLength(COUNT_KEYS.length);
    expect(migratedCountColumns('stats_daily', ['day', 'grid_id', 'category_id'])).toEqual(asMigrated(names));
    expect(migratedCountColumns('stats_monthly', ['month', 'grid_id', 'category_id'])).toEqual(asMigrated(names));
    expect(migratedCountColumns('stats_weekly', ['week', 'grid_id'])).toEqual(asMigrated(names));
  });

  it('the departments’ counts: stats_department_facts', () => {
    const { names } = countColumns(departmentCounts);
    expect(names).toHaveLength(DEPARTMENT_COUNT_KEYS.length);
    expect(migratedCountColumns('stats_department_facts', ['order_id', 'department_id', 'day', 'grid_id'])).toEqual(asMigrated(names));
  });

  it('the tables declare the same columns (drizzle-kit generates a migration from them)', () => {
    const declared = (table: Parameters<typeof getTableColumns>[0]) => Object.values(getTableColumns(table)).map((c) => c.name);
    for (const [table, name] of [
      [statsDaily, 'stats_daily'],
      [statsMonthly, 'stats_monthly'],
      [statsWeekly, 'stats_weekly'],
      [statsDepartmentFacts, 'stats_department_facts'],
    ] as const) {
      expect(declared(table).sort()).toEqual(Object.keys(migrated.tables[`public.${name}`]!.columns).sort());
    }
  });
});
