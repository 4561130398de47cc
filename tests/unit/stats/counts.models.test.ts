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

/** The count columns of a table: all but its keys, by property name → SQL name. */
const countColumnsOf = (table: Parameters<typeof getTableColumns>[0], keys: string[]) =>
  Object.fromEntries(
    Object.entries(getTableColumns(table))
      .filter(([name]) => !keys.includes(name))
      .map(([name, col]) => [name, col.name]),
  );

describe('each family of counts matches its tables exactly', () => {
  it('the grids’ counts are the count columns of the three rollups', () => {
    const { column } = countColumns(gridCounts);
    expect(Object.keys(column)).toEqual([...COUNT_KEYS]);
    expect(countColumnsOf(statsDaily, ['day', 'gridId', 'categoryId'])).toEqual(column);
    expect(countColumnsOf(statsMonthly, ['month', 'gridId', 'categoryId'])).toEqual(column);
    expect(countColumnsOf(statsWeekly, ['week', 'gridId'])).toEqual(column);
  });

  it('the departments’ counts are the count columns of stats_department_facts', () => {
    const { column } = countColumns(departmentCounts);
    expect(Object.keys(column)).toEqual([...DEPARTMENT_COUNT_KEYS]);
    expect(countColumnsOf(statsDepartmentFacts, ['orderId', 'departmentId', 'day', 'gridId'])).toEqual(column);
  });
});
