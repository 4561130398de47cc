import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client';
import { LEVEL_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { escapeLike } from '../work-orders/console/orders.queries';
import { type UnitLevel, childLevel, childPath, isAncestorOrSelf, sortTree } from './grids.models';
import { type ImportError, derivePaths, parentLevelOf, planGridImport } from './grids.import.models';
import { type Boundary, type BoundaryError, planBoundaryImport } from './places.models';
import { gridUnits } from './grids.table';

const e = consoleTexts.grids.errors;

export type UnitRow = typeof gridUnits.$inferSelect;
export type Refusal = { ok: false; message: string };

const CODE = /^[A-Za-z0-9_-]{1,40}$/;

function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

function checkFields({ code, name, households }: { code: string; name: string; households: number | null }): Refusal | null {
  if (!CODE.test(code)) return { ok: false, message: e.code(code) };
  if (!name.trim() || [...name].length > 50) return { ok: false, message: e.name };
  if (households !== null && (!Number.isInteger(households) || households < 0 || households > 100_000)) {
    return { ok: false, message: e.households(String(households)) };
  }
  return null;
}

/** A new unit under `parentId` (its level is the one below the parent's), or a new district when parentId is null. */
export async function createUnit({
  db,
  parentId,
  code,
  name,
  households,
}: {
  db: Database;
  parentId: number | null;
  code: string;
  name: string;
  households: number | null;
}): Promise<{ ok: true; unit: UnitRow } | Refusal> {
  const bad = checkFields({ code, name, households });
  if (bad) return bad;
  try {
    return await db.transaction(async (tx) => {
      let level: UnitLevel = 'district';
      let parentPath: string | null = null;
      if (parentId !== null) {
        const [parent] = await tx.select().from(gridUnits).where(eq(gridUnits.id, parentId));
        const below = parent ? childLevel(parent.level) : null;
        if (!parent || !below) return { ok: false as const, message: e.parentUnknown(String(parentId)) };
        level = below;
        parentPath = parent.path;
      }
      const [row] = await tx
        .insert(gridUnits)
        .values({ code, name: name.trim(), level, parentId, path: '/', households })
        .returning();
      const [unit] = await tx
        .update(gridUnits)
        .set({ path: childPath(parentPath, row!.id) })
        .where(eq(gridUnits.id, row!.id))
        .returning();
      return { ok: true as const, unit: unit! };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: e.codeTaken(code) };
    throw error;
  }
}

export async function updateUnit({
  db,
  id,
  code,
  name,
  households,
}: {
  db: Database;
  id: number;
  code: string;
  name: string;
  households: number | null;
}): Promise<{ ok: true; unit: UnitRow } | Refusal | undefined> {
  const bad = checkFields({ code, name, households });
  if (bad) return bad;
  try {
    const [unit] = await db.update(gridUnits).set({ code, name: name.trim(), households }).where(eq(gridUnits.id, id)).returning();
    return unit ? { ok: true, unit } : undefined;
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: e.codeTaken(code) };
    throw error;
  }
}

/**
 * Moves a unit (with its whole subtree) under another parent of the level above it. The paths of the subtree
 * are rewritten in one statement by prefix, in the same transaction as the parent link.
 */
export async function moveUnit({ db, id, parentId }: { db: Database; id: number; parentId: number }): Promise<{ ok: true; unit: UnitRow; parent: UnitRow } | Refusal | undefined> {
  return db.transaction(async (tx) => {
    const [unit] = await tx.select().from(gridUnits).where(eq(gridUnits.id, id)).for('update');
    if (!unit) return undefined;
    const [parent] = await tx.select().from(gridUnits).where(eq(gridUnits.id, parentId));
    if (!parent) return { ok: false as const, message: e.parentUnknown(String(parentId)) };
    const expected = parentLevelOf(unit.level);
    if (expected === null) return { ok: false as const, message: e.rootMove };
    if (isAncestorOrSelf(unit.path, parent.path)) return { ok: false as const, message: e.moveIntoSelf };
    if (parent.level !== expected) return { ok: false as const, message: e.moveLevel(LEVEL_LABELS[expected]) };
    const oldPrefix = unit.path;
    const newPrefix = childPath(parent.path, unit.id);
    await tx.update(gridUnits).set({ parentId }).where(eq(gridUnits.id, id));
    await tx
      .update(gridUnits)
      .set({ path: sql`${newPrefix} || substr(${gridUnits.path}, ${oldPrefix.length + 1})` })
      .where(sql`${gridUnits.path} like ${`${escapeLike(oldPrefix)}%`}`);
    const [moved] = await tx.select().from(gridUnits).where(eq(gridUnits.id, id));
    return { ok: true as const, unit: moved!, parent };
  });
}

/**
 * Imports a grid-tree CSV all or nothing: every row is checked first (row-level errors, nothing written), then
 * in one transaction new units are inserted, known codes updated (name, households, parent), and the paths of
 * the whole tree re-derived from the parent links.
 */
export async function importGrids({
  db,
  text,
}: {
  db: Database;
  text: string;
}): Promise<{ ok: true; created: number; updated: number } | { ok: false; errors: ImportError[] }> {
  return db.transaction(async (tx) => {
    // Serialises imports and moves against each other: the plan is checked against what is there now.
    await tx.execute(sql`lock table ${gridUnits} in share row exclusive mode`);
    const all = await tx.select().from(gridUnits);
    const byCode = new Map(all.map((u) => [u.code, u]));
    const plan = planGridImport({ text, existing: byCode });
    if (!plan.ok) return plan;
    let created = 0;
    let updated = 0;
    for (const row of plan.rows) {
      const parentId = row.parentCode ? byCode.get(row.parentCode)!.id : null;
      const known = byCode.get(row.code);
      if (known) {
        await tx.update(gridUnits).set({ name: row.name, households: row.households, parentId }).where(eq(gridUnits.id, known.id));
        byCode.set(row.code, { ...known, name: row.name, households: row.households, parentId });
        updated++;
      } else {
        const [inserted] = await tx
          .insert(gridUnits)
          .values({ code: row.code, name: row.name, level: row.level, parentId, path: '/', households: row.households })
          .returning();
        byCode.set(row.code, inserted!);
        created++;
      }
    }
    const units = [...byCode.values()];
    const paths = derivePaths(units);
    for (const unit of units) {
      const path = paths.get(unit.id)!;
      if (path !== unit.path) await tx.update(gridUnits).set({ path }).where(eq(gridUnits.id, unit.id));
    }
    return { ok: true as const, created, updated };
  });
}

const parentUnit = alias(gridUnits, 'parent');

/** The tree top-down, siblings in natural order (第二 before 第十), with each unit's parent code: what the CSV export writes. */
export async function listUnits(db: Database, { under }: { under?: string } = {}) {
  const rows = await db
    .select({
      id: gridUnits.id,
      code: gridUnits.code,
      name: gridUnits.name,
      level: gridUnits.level,
      parentId: gridUnits.parentId,
      path: gridUnits.path,
      households: gridUnits.households,
      parentCode: parentUnit.code,
    })
    .from(gridUnits)
    .leftJoin(parentUnit, eq(parentUnit.id, gridUnits.parentId))
    .where(under ? and(sql`${gridUnits.path} like ${`${escapeLike(under)}%`}`) : undefined)
    .orderBy(asc(gridUnits.path));
  return sortTree(rows);
}

/**
 * Imports grid boundaries (a GeoJSON FeatureCollection, WGS-84) all or nothing: every feature is checked
 * against the units there are (see planBoundaryImport), then the boundaries are written in one transaction.
 * Grids the file does not name keep theirs.
 */
export async function importBoundaries({ db, text }: { db: Database; text: string }): Promise<{ ok: true; updated: number } | { ok: false; errors: BoundaryError[] }> {
  return db.transaction(async (tx) => {
    // The same lock as the CSV import, so a grid cannot be renamed between the check and the write.
    await tx.execute(sql`lock table ${gridUnits} in share row exclusive mode`);
    const all = await tx.select({ code: gridUnits.code, level: gridUnits.level }).from(gridUnits);
    const plan = planBoundaryImport({ text, units: new Map(all.map((u) => [u.code, u])) });
    if (!plan.ok) return plan;
    for (const row of plan.rows) await tx.update(gridUnits).set({ boundary: row.geometry }).where(eq(gridUnits.code, row.code));
    return { ok: true as const, updated: plan.rows.length };
  });
}

/** Every grid with a boundary, for the export and point-in-polygon routing. */
export async function gridBoundaries(db: Database): Promise<{ id: number; code: string; name: string; boundary: Boundary }[]> {
  const rows = await db
    .select({ id: gridUnits.id, code: gridUnits.code, name: gridUnits.name, boundary: gridUnits.boundary })
    .from(gridUnits)
    .where(and(eq(gridUnits.level, 'grid'), isNotNull(gridUnits.boundary)))
    .orderBy(asc(gridUnits.code));
  return rows.filter((r): r is typeof r & { boundary: Boundary } => r.boundary !== null);
}
