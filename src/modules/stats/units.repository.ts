import { sql } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { gridUnits } from '../grids/grids.table';

export type UnitRow = { id: number; name: string; code: string; level: 'grid' | 'community' | 'town' | 'district'; parentId: number | null; path: string };

export async function loadUnit(db: Database, id: number): Promise<UnitRow | undefined> {
  const [found] = await db.select(unitColumns).from(gridUnits).where(eq(gridUnits.id, id));
  return found;
}

/** The unit with `path` and everything under it. */
export async function loadSubtree(db: Database, path: string): Promise<UnitRow[]> {
  return treeOrder(await db.select(unitColumns).from(gridUnits).where(sql`${gridUnits.path} like ${`${path}%`}`));
}

export async function loadAllUnits(db: Database): Promise<UnitRow[]> {
  return treeOrder(await db.select(unitColumns).from(gridUnits));
}

/** Depth first, siblings by code ("/1/10/" sorts before "/1/9/" as text, so paths will not do). */
export function treeOrder(units: readonly UnitRow[]): UnitRow[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<number | null, UnitRow[]>();
  for (const u of units) {
    const parent = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: UnitRow[] = [];
  const visit = (parent: number | null) => {
    for (const u of (children.get(parent) ?? []).sort((a, b) => a.code.localeCompare(b.code))) {
      out.push(u);
      visit(u.id);
    }
  };
  visit(null);
  return out;
}

const unitColumns = {
  id: gridUnits.id,
  name: gridUnits.name,
  code: gridUnits.code,
  level: gridUnits.level,
  parentId: gridUnits.parentId,
  path: gridUnits.path,
};
