import { describe, expect, it } from 'vitest';
import {
  type StaffAtUnit,
  type UnitLevel,
  type UnitNode,
  UNIT_LEVELS,
  chainIds,
  chainOf,
  childLevel,
  childPath,
  isAncestorOrSelf,
  isStrictAncestor,
  levelRank,
  responsibleAt,
  routeUp,
} from '../../../src/modules/grids/grids.models';
import type { StaffRole } from '../../../src/modules/people/people.models';

function unit(id: number, parent: UnitNode | null, level: UnitLevel): UnitNode {
  return { id, parentId: parent?.id ?? null, level, path: childPath(parent?.path ?? null, id), code: `U${id}`, name: `${level} ${id}` };
}

const district = unit(1, null, 'district');
const town = unit(2, district, 'town');
const community = unit(3, town, 'community');
const grid = unit(4, community, 'grid');
const otherGrid = unit(5, community, 'grid');
/** Bottom first, as routing walks it. */
const chain = [grid, community, town, district];

function at(u: UnitNode, role: StaffRole, staffId: number, active = true): StaffAtUnit {
  return { staffId, unitId: u.id, role, active };
}

describe('who answers for a unit', () => {
  it('a grid with a leader goes to the leader, before any assistant', () => {
    const staff = [at(grid, 'assistant', 1), at(grid, 'leader', 2)];
    expect(responsibleAt({ unit: grid, staff })).toEqual({ staffId: 2, unitId: grid.id, level: 'grid' });
  });

  it('a grid without a leader goes to an assistant', () => {
    expect(responsibleAt({ unit: grid, staff: [at(grid, 'assistant', 1), at(grid, 'informant', 3)] })).toEqual({
      staffId: 1,
      unitId: grid.id,
      level: 'grid',
    });
  });

  it('informants never answer for a grid, nor does staff of another grid', () => {
    expect(responsibleAt({ unit: grid, staff: [at(grid, 'informant', 3), at(otherGrid, 'leader', 4)] })).toBeNull();
  });

  it('an inactive leader is skipped for an active assistant', () => {
    expect(responsibleAt({ unit: grid, staff: [at(grid, 'leader', 2, false), at(grid, 'assistant', 5)] })?.staffId).toBe(5);
  });

  it('a community or town is answered for by its officer only', () => {
    expect(responsibleAt({ unit: community, staff: [at(community, 'officer', 7)] })).toEqual({ staffId: 7, unitId: 3, level: 'community' });
    expect(responsibleAt({ unit: community, staff: [at(community, 'leader', 8), at(community, 'admin', 9)] })).toBeNull();
    expect(responsibleAt({ unit: town, staff: [at(town, 'officer', 10)] })?.level).toBe('town');
  });

  it('a district is answered for by its officer, else by its admin', () => {
    expect(responsibleAt({ unit: district, staff: [at(district, 'admin', 9), at(district, 'officer', 12)] })?.staffId).toBe(12);
    expect(responsibleAt({ unit: district, staff: [at(district, 'admin', 9)] })?.staffId).toBe(9);
  });

  it('between equals, the one with fewer open orders gets it, then the lowest id', () => {
    const staff = [at(grid, 'leader', 3), at(grid, 'leader', 1), at(grid, 'leader', 2)];
    expect(responsibleAt({ unit: grid, staff })?.staffId).toBe(1);
    expect(responsibleAt({ unit: grid, staff, load: new Map([[1, 5], [2, 1], [3, 1]]) })?.staffId).toBe(2);
    // Someone missing from the load map has no open orders.
    expect(responsibleAt({ unit: grid, staff, load: new Map([[1, 5], [2, 1]]) })?.staffId).toBe(3);
  });

  it('load never overrides the order of roles: a busy leader still comes before an idle assistant', () => {
    const staff = [at(grid, 'leader', 2), at(grid, 'assistant', 1)];
    expect(responsibleAt({ unit: grid, staff, load: new Map([[2, 40], [1, 0]]) })?.staffId).toBe(2);
  });
});

describe('routing up the grid tree', () => {
  const everyone = [at(grid, 'leader', 2), at(community, 'officer', 7), at(town, 'officer', 10), at(district, 'officer', 12)];

  it('a staffed grid keeps its own order', () => {
    expect(routeUp({ chain, staff: everyone })).toEqual({ staffId: 2, unitId: grid.id, level: 'grid' });
  });

  it('a grid with no active staff of its own sends the order to the community officer', () => {
    const staff = [at(grid, 'leader', 2, false), at(grid, 'informant', 3), ...everyone.slice(1)];
    expect(routeUp({ chain, staff })).toEqual({ staffId: 7, unitId: community.id, level: 'community' });
  });

  it('nobody at grid or community sends it to the town', () => {
    expect(routeUp({ chain, staff: everyone.slice(2) })).toEqual({ staffId: 10, unitId: town.id, level: 'town' });
  });

  it('an inactive officer is skipped on the way up', () => {
    expect(routeUp({ chain, staff: [at(community, 'officer', 7, false), ...everyone.slice(2)] })?.staffId).toBe(10);
  });

  it('the load tie-break applies at the level that takes the order', () => {
    const staff = [at(community, 'officer', 7), at(community, 'officer', 8)];
    expect(routeUp({ chain, staff, load: new Map([[7, 3], [8, 2]]) })?.staffId).toBe(8);
  });

  it('escalation routes from the level above: the chain starts where it is told to', () => {
    expect(routeUp({ chain: chain.slice(1), staff: everyone })).toEqual({ staffId: 7, unitId: community.id, level: 'community' });
  });

  it('when nobody is responsible anywhere, an admin in the chain takes it, the highest first', () => {
    expect(routeUp({ chain, staff: [at(community, 'admin', 20)] })).toEqual({ staffId: 20, unitId: community.id, level: 'community' });
    expect(routeUp({ chain, staff: [at(community, 'admin', 20), at(town, 'admin', 21)] })).toEqual({
      staffId: 21,
      unitId: town.id,
      level: 'town',
    });
  });

  it('an admin outside the chain or inactive does not take it', () => {
    expect(routeUp({ chain: [grid, community, town], staff: [at(district, 'admin', 20), at(town, 'admin', 21, false)] })).toBeNull();
  });

  it('a chain nobody staffs, or no chain at all, routes to nobody', () => {
    expect(routeUp({ chain, staff: [at(grid, 'informant', 3), at(otherGrid, 'leader', 4)] })).toBeNull();
    expect(routeUp({ chain: [], staff: everyone })).toBeNull();
  });
});

describe('the chain of units above a unit', () => {
  const unitsById = new Map([district, town, community, grid, otherGrid].map((u) => [u.id, u] as const));

  it('chainOf climbs from the unit to the root, bottom first', () => {
    expect(chainOf(grid.id, unitsById).map((u) => u.id)).toEqual([4, 3, 2, 1]);
    expect(chainOf(town.id, unitsById).map((u) => u.id)).toEqual([2, 1]);
    expect(chainOf(district.id, unitsById)).toEqual([district]);
  });

  it('chainOf of an unknown unit is empty, and it stops where the map runs out', () => {
    expect(chainOf(99, unitsById)).toEqual([]);
    expect(chainOf(grid.id, new Map([[grid.id, grid], [community.id, community]])).map((u) => u.id)).toEqual([4, 3]);
  });

  it('chainIds reads the same chain off a path', () => {
    expect(chainIds(grid.path)).toEqual([4, 3, 2, 1]);
    expect(chainIds('/1/')).toEqual([1]);
    expect(chainIds('/1/2/3/44/')).toEqual([44, 3, 2, 1]);
    expect(chainIds('/')).toEqual([]);
  });

  it('chainOf and chainIds agree for every unit', () => {
    for (const u of unitsById.values()) expect(chainOf(u.id, unitsById).map((c) => c.id)).toEqual(chainIds(u.path));
  });
});

describe('paths and levels', () => {
  it('a child’s path is its parent’s path with its id appended', () => {
    expect(childPath(null, 1)).toBe('/1/');
    expect(childPath('/1/', 2)).toBe('/1/2/');
    expect(grid.path).toBe('/1/2/3/4/');
  });

  it('a unit is its own ancestor-or-self but not its own strict ancestor', () => {
    expect(isAncestorOrSelf(grid.path, grid.path)).toBe(true);
    expect(isStrictAncestor(grid.path, grid.path)).toBe(false);
    expect(isAncestorOrSelf(community.path, grid.path)).toBe(true);
    expect(isStrictAncestor(district.path, grid.path)).toBe(true);
  });

  it('a unit below or beside is no ancestor, nor is one whose id merely shares the first digits', () => {
    expect(isAncestorOrSelf(grid.path, community.path)).toBe(false);
    expect(isAncestorOrSelf(otherGrid.path, grid.path)).toBe(false);
    expect(isAncestorOrSelf('/1/2/3/4/', '/1/2/3/44/')).toBe(false);
    expect(isStrictAncestor('/1/', '/11/')).toBe(false);
  });

  it('levels rank from grid up to district', () => {
    expect(UNIT_LEVELS.map(levelRank)).toEqual([0, 1, 2, 3]);
    expect(levelRank('grid')).toBeLessThan(levelRank('community'));
    expect(levelRank('town')).toBeLessThan(levelRank('district'));
  });

  it('each level’s children are one level down, and a grid has none', () => {
    expect(childLevel('district')).toBe('town');
    expect(childLevel('town')).toBe('community');
    expect(childLevel('community')).toBe('grid');
    expect(childLevel('grid')).toBeNull();
  });
});
