import { LEVEL_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
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

const DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const NUMERAL_RUN = /[0-9]+|[零〇一二两三四五六七八九十百千]+/g;

/** The value of a run of Chinese numerals (一 … 九千九百九十九, 十一, 二十, 一〇三), or null when it is not one. */
export function chineseNumeralValue(run: string): number | null {
  if (!run) return null;
  if ([...run].every((ch) => ch in DIGITS) && run.length > 1) return Number([...run].map((ch) => DIGITS[ch]).join(''));
  let total = 0;
  let digit: number | null = null;
  for (const ch of run) {
    if (ch in DIGITS) {
      if (DIGITS[ch] === 0) continue; // 一百零五: the zero only fills a place
      if (digit !== null) return null;
      digit = DIGITS[ch]!;
    } else if (ch in UNITS) {
      total += (digit ?? 1) * UNITS[ch]!;
      digit = null;
    } else {
      return null;
    }
  }
  return total + (digit ?? 0);
}

type Token = { n: number } | { s: string };

function tokens(name: string): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of name.matchAll(NUMERAL_RUN)) {
    if (m.index > last) out.push({ s: name.slice(last, m.index) });
    const run = m[0];
    const n = /^[0-9]+$/.test(run) ? Number(run) : chineseNumeralValue(run);
    out.push(n === null ? { s: run } : { n });
    last = m.index + run.length;
  }
  if (last < name.length) out.push({ s: name.slice(last) });
  return out;
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true });

/**
 * Orders names as people count: 第二 < 第十 < 第十一 < 第二十, 2 < 10, Chinese and Arabic numerals alike; the
 * rest by the Chinese collation. A number sorts before text at the same place.
 */
export function compareNatural(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if ('n' in x && 'n' in y) {
      if (x.n !== y.n) return x.n - y.n;
    } else if ('n' in x) {
      return -1;
    } else if ('n' in y) {
      return 1;
    } else {
      const c = collator.compare(x.s, y.s);
      if (c !== 0) return c;
    }
  }
  return ta.length - tb.length || collator.compare(a, b);
}

/**
 * Units top-down as a tree (each parent before its children, as the paths say), siblings in natural order of
 * their names (then by code, then id). A unit whose parent is not in the list is a root of it.
 */
export function sortTree<T extends { id: number; path: string; name: string; code?: string }>(units: readonly T[]): T[] {
  const present = new Set(units.map((u) => u.id));
  const children = new Map<number | null, T[]>();
  for (const u of units) {
    const parent = chainIds(u.path)[1];
    const key = parent !== undefined && present.has(parent) ? parent : null;
    children.set(key, [...(children.get(key) ?? []), u]);
  }
  const bySibling = (a: T, b: T) => compareNatural(a.name, b.name) || (a.code ?? '').localeCompare(b.code ?? '') || a.id - b.id;
  const out: T[] = [];
  const visit = (key: number | null) => {
    for (const u of (children.get(key) ?? []).sort(bySibling)) {
      out.push(u);
      visit(u.id);
    }
  };
  visit(null);
  return out;
}

/**
 * What to call a unit's level: as the unit names itself (东城镇 is a 镇, 青石村 a 村, 城关街道 a 街道), else the
 * generic name of its level. 居委会/村委会 read as 社区/村.
 */
export function levelName(unit: { name: string; level: UnitLevel }): string {
  const name = unit.name.trim();
  const found = consoleTexts.levelSuffixes[unit.level].find(([suffix]) => name.endsWith(suffix) && name.length > suffix.length);
  return found?.[1] ?? LEVEL_LABELS[unit.level];
}
