import type { UnitLevel, UnitNode } from '../../src/modules/grids/grids.models';
import type { RoleAtUnit, StaffRole } from '../../src/modules/people/people.models';
import type { Rng } from '../lib/rng';
import { COMMUNITY_STEMS, DISTRICT_NAME, FAMILIAR, GIVEN_NAMES, SURNAMES, TOWN_NAMES, chineseNumber } from './names';

export type SynthUnit = UnitNode & { households: number | null };
export type SynthStaff = { id: number; name: string; phone: string; username: string | null; roles: RoleAtUnit[] };
export type SynthResident = { id: number; name: string; chatName: string; phone: string | null; gridId: number; isFriend: boolean };
export type SynthGroup = { id: number; topic: string; gridId: number };

export type SynthDistrict = {
  units: SynthUnit[];
  unitsById: Map<number, SynthUnit>;
  grids: SynthUnit[];
  staff: SynthStaff[];
  residents: SynthResident[];
  /** Resident ids per grid id. */
  residentsByGrid: Map<number, number[]>;
  groups: SynthGroup[];
  groupByGrid: Map<number, number>;
};

export type TreeShape = { towns: number; communities: number; gridsPerCommunity: number };

/** A city district of the size the issue asks for: 1 district, 8 towns, 60 communities, 600 grids. */
export const DEFAULT_SHAPE: TreeShape = { towns: 8, communities: 60, gridsPerCommunity: 10 };

/**
 * Builds the grid tree, its staff ("1+X+Y" per grid, officers above; a few grids without a leader or without
 * anyone, so routing up the tree happens as in real data), residents and one chat group per grid. Ids are
 * assigned here, so paths are known before anything is written.
 */
export function buildDistrict({ rng, shape = DEFAULT_SHAPE, residents }: { rng: Rng; shape?: TreeShape; residents: number }): SynthDistrict {
  const units: SynthUnit[] = [];
  const add = (name: string, code: string, level: UnitLevel, parent: SynthUnit | null, households: number | null) => {
    const id = units.length + 1;
    const unit: SynthUnit = { id, parentId: parent?.id ?? null, level, path: `${parent?.path ?? '/'}${id}/`, code, name, households };
    units.push(unit);
    return unit;
  };
  const district = add(DISTRICT_NAME, 'S01', 'district', null, null);
  const towns = Array.from({ length: shape.towns }, (_, t) =>
    add(TOWN_NAMES[t % TOWN_NAMES.length]! + (t >= TOWN_NAMES.length ? String(t) : ''), `S01-T${pad(t + 1)}`, 'town', district, null),
  );
  const grids: SynthUnit[] = [];
  for (let c = 0; c < shape.communities; c++) {
    const town = towns[c % towns.length]!;
    const stem = COMMUNITY_STEMS[c % COMMUNITY_STEMS.length]! + (c >= COMMUNITY_STEMS.length ? String(c) : '');
    const isVillage = town.name.endsWith('镇') && rng.chance(0.6);
    const community = add(`${stem}${isVillage ? '村' : '社区'}`, `${town.code}-C${pad(c + 1)}`, 'community', town, null);
    for (let g = 1; g <= shape.gridsPerCommunity; g++) {
      const households = isVillage ? rng.int(30, 120) : rng.int(80, 250);
      grids.push(add(`${community.name}第${chineseNumber(g)}网格`, `${community.code}-G${pad(g)}`, 'grid', community, households));
    }
  }
  const unitsById = new Map(units.map((u) => [u.id, u]));

  const staff: SynthStaff[] = [];
  const usedNames = new Set<string>();
  const personName = () => {
    for (;;) {
      const name = rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
      if (!usedNames.has(name) || usedNames.size > 2000) {
        usedNames.add(name);
        return name;
      }
    }
  };
  const hire = (roles: { unit: SynthUnit; role: StaffRole }[], username: string | null = null) => {
    const id = staff.length + 1;
    staff.push({
      id,
      name: personName(),
      phone: `139${String(10_000_000 + id).slice(-8)}`,
      username,
      roles: roles.map((r) => ({ unitId: r.unit.id, unitPath: r.unit.path, level: r.unit.level, role: r.role })),
    });
  };
  hire([{ unit: district, role: 'admin' }], 'admin');
  for (let i = 0; i < 3; i++) hire([{ unit: district, role: 'officer' }], `district${i + 1}`);
  for (const town of towns) for (let i = 0; i < 2; i++) hire([{ unit: town, role: 'officer' }]);
  for (const community of units.filter((u) => u.level === 'community')) {
    hire([{ unit: community, role: 'officer' }]);
    if (rng.chance(0.5)) hire([{ unit: community, role: 'officer' }]);
  }
  for (const grid of grids) {
    const r = rng.next();
    if (r < 0.01) continue; // nobody: orders go to the community
    if (r < 0.04) hire([{ unit: grid, role: 'assistant' }]); // no leader: the assistant answers
    else {
      hire([{ unit: grid, role: 'leader' }]);
      if (rng.chance(0.9)) hire([{ unit: grid, role: 'assistant' }]);
    }
    if (rng.chance(0.7)) hire([{ unit: grid, role: 'informant' }]);
  }

  // Residents in proportion to households, at least a handful per grid.
  const totalHouseholds = grids.reduce((s, g) => s + (g.households ?? 0), 0);
  const residentsList: SynthResident[] = [];
  const residentsByGrid = new Map<number, number[]>();
  for (const grid of grids) {
    const count = Math.max(5, Math.round((residents * (grid.households ?? 0)) / totalHouseholds));
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const id = residentsList.length + 1;
      const surname = rng.pick(SURNAMES);
      const name = surname + rng.pick(GIVEN_NAMES);
      residentsList.push({
        id,
        name,
        chatName: rng.chance(0.5) ? `${surname}${rng.pick(FAMILIAR)}` : name,
        phone: rng.chance(0.3) ? `137${String(10_000_000 + id).slice(-8)}` : null,
        gridId: grid.id,
        isFriend: rng.chance(0.45),
      });
      ids.push(id);
    }
    residentsByGrid.set(grid.id, ids);
  }

  const groups = grids.map((g, i) => ({ id: i + 1, topic: `${g.name}居民群`, gridId: g.id }));
  return {
    units,
    unitsById,
    grids,
    staff,
    residents: residentsList,
    residentsByGrid,
    groups,
    groupByGrid: new Map(groups.map((g) => [g.gridId, g.id])),
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
