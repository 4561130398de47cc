import type { StaffRole } from '../people/people.models';

export type UnitLevel = 'grid' | 'community' | 'town' | 'district';

/** Bottom to top. */
export const UNIT_LEVELS: readonly UnitLevel[] = ['grid', 'community', 'town', 'district'];

export function levelRank(level: UnitLevel): number {
  return UNIT_LEVELS.indexOf(level);
}

export type UnitNode = {
  id: number;
  parentId: number | null;
  level: UnitLevel;
  path: string;
  code: string;
  name: string;
};

/** The materialised path of a unit under its parent: "/1/" for a root, "/1/3/" below it. */
export function childPath(parentPath: string | null, id: number): string {
  return `${parentPath ?? '/'}${id}/`;
}

/** True when `ancestorPath` is the path of the unit itself or of one above it. */
export function isAncestorOrSelf(ancestorPath: string, path: string): boolean {
  return path.startsWith(ancestorPath);
}

export function isStrictAncestor(ancestorPath: string, path: string): boolean {
  return path !== ancestorPath && path.startsWith(ancestorPath);
}

/** Ids of the unit and every unit above it, bottom first, read off the path. */
export function chainIds(path: string): number[] {
  return path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .reverse();
}

/** The level a child of `level` has, or null for a grid. */
export function childLevel(level: UnitLevel): UnitLevel | null {
  const rank = levelRank(level);
  return rank > 0 ? (UNIT_LEVELS[rank - 1] ?? null) : null;
}

export type StaffAtUnit = { staffId: number; unitId: number; role: StaffRole; active: boolean };

export type Assignment = { staffId: number; unitId: number; level: UnitLevel };

/** Who answers for a unit, in order of preference: a grid's leader, else an assistant; above, an officer. */
const RESPONSIBLE_ROLES: Record<UnitLevel, StaffRole[]> = {
  grid: ['leader', 'assistant'],
  community: ['officer'],
  town: ['officer'],
  district: ['officer', 'admin'],
};

/**
 * The responsible person at the unit itself, or null. Ties go to the one with fewer open orders (when `load`
 * is given), then to the lowest id, so the choice is deterministic.
 */
export function responsibleAt({
  unit,
  staff,
  load,
}: {
  unit: UnitNode;
  staff: StaffAtUnit[];
  load?: ReadonlyMap<number, number>;
}): Assignment | null {
  for (const role of RESPONSIBLE_ROLES[unit.level]) {
    const candidates = staff
      .filter((s) => s.active && s.unitId === unit.id && s.role === role)
      .sort((a, b) => (load?.get(a.staffId) ?? 0) - (load?.get(b.staffId) ?? 0) || a.staffId - b.staffId);
    const first = candidates[0];
    if (first) return { staffId: first.staffId, unitId: unit.id, level: unit.level };
  }
  return null;
}

/**
 * Routes to the first unit from `chain[0]` upwards that has someone responsible: an order is never left
 * without an assignee while anyone at all staffs the chain. As a last resort an admin anywhere in the chain
 * takes it. Returns null only for a chain nobody staffs.
 */
export function routeUp({
  chain,
  staff,
  load,
}: {
  /** Units bottom first: the unit to start at, then its parent, ..., the district. */
  chain: UnitNode[];
  staff: StaffAtUnit[];
  load?: ReadonlyMap<number, number>;
}): Assignment | null {
  for (const unit of chain) {
    const found = responsibleAt({ unit, staff, load });
    if (found) return found;
  }
  for (const unit of [...chain].reverse()) {
    const admin = staff
      .filter((s) => s.active && s.unitId === unit.id && s.role === 'admin')
      .sort((a, b) => a.staffId - b.staffId)[0];
    if (admin) return { staffId: admin.staffId, unitId: unit.id, level: unit.level };
  }
  return null;
}

/** The chain (bottom first) from a unit up to the root, given every unit of that chain by id. */
export function chainOf(unitId: number, unitsById: ReadonlyMap<number, UnitNode>): UnitNode[] {
  const chain: UnitNode[] = [];
  let current = unitsById.get(unitId);
  while (current) {
    chain.push(current);
    current = current.parentId === null ? undefined : unitsById.get(current.parentId);
  }
  return chain;
}

/**
 * Who is responsible from the parent of `chain[0]` (the order's unit) up: the approver of extension requests,
 * and whom a 上报 or 退回 goes to.
 */
export function responsibleAbove({ chain, staff }: { chain: UnitNode[]; staff: StaffAtUnit[] }): Assignment | null {
  const above = chain.slice(1);
  return above.length ? routeUp({ chain: above, staff }) : null;
}
