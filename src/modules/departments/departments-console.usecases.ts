/**
 * What the console does with departments: list, create and edit them, their members, the 派单目录 and the CSV
 * import. The dispatch rules themselves (who takes an order, limits, 退回) live in departments.models.ts.
 */
import { and, asc, count, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { departmentTexts } from '../../i18n/zh-CN.departments-console';
import { categories } from '../categories/categories.table';
import { gridUnits } from '../grids/grids.table';
import { staff } from '../people/staff.table';
import { type DepartmentFields, type DepartmentImportError, planDepartmentImport } from './department-import.models';
import { departmentMembers, departments, dispatchCatalogue } from './departments.table';

type Refusal = { ok: false; message: string };
const t = departmentTexts;

export type DepartmentListRow = {
  id: number;
  code: string;
  name: string;
  kind: DepartmentFields['kind'];
  unitId: number;
  unitName: string;
  calendar: DepartmentFields['calendar'];
  signLimitHours: number;
  limitDays: number | null;
  returnLimitHours: number;
  active: boolean;
  members: number;
};

export async function listDepartments(db: Database): Promise<DepartmentListRow[]> {
  const memberCounts = db
    .select({ departmentId: departmentMembers.departmentId, n: count().as('n') })
    .from(departmentMembers)
    .groupBy(departmentMembers.departmentId)
    .as('m');
  const found = await db
    .select({
      id: departments.id,
      code: departments.code,
      name: departments.name,
      kind: departments.kind,
      unitId: departments.unitId,
      unitName: gridUnits.name,
      calendar: departments.calendar,
      signLimitHours: departments.signLimitHours,
      limitDays: departments.limitDays,
      returnLimitHours: departments.returnLimitHours,
      active: departments.active,
      members: sql<number>`coalesce(${memberCounts.n}, 0)::int`,
    })
    .from(departments)
    .innerJoin(gridUnits, eq(gridUnits.id, departments.unitId))
    .leftJoin(memberCounts, eq(memberCounts.departmentId, departments.id))
    .orderBy(asc(departments.code));
  return found.map((r) => ({ ...r, members: Number(r.members) }));
}

export async function loadDepartment(db: Database, id: number): Promise<DepartmentListRow | undefined> {
  return (await listDepartments(db)).find((d) => d.id === id);
}

/** Creates (no id) or updates a department; the code stays unique. */
export async function saveDepartment({
  db,
  id,
  fields,
  active = true,
}: {
  db: Database;
  id?: number;
  fields: DepartmentFields;
  active?: boolean;
}): Promise<{ ok: true; id: number } | Refusal | undefined> {
  const [unit] = await db.select({ id: gridUnits.id }).from(gridUnits).where(eq(gridUnits.id, fields.unitId));
  if (!unit) return { ok: false, message: t.errors.unit };
  const [taken] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.code, fields.code), id === undefined ? undefined : ne(departments.id, id)));
  if (taken) return { ok: false, message: t.errors.codeTaken };
  if (id === undefined) {
    const [row] = await db.insert(departments).values({ ...fields, active }).returning({ id: departments.id });
    return { ok: true, id: row!.id };
  }
  const updated = await db.update(departments).set({ ...fields, active }).where(eq(departments.id, id)).returning({ id: departments.id });
  return updated[0] ? { ok: true, id } : undefined;
}

export type MemberRow = { id: number; staffId: number; name: string; phone: string | null; username: string | null; role: 'handler' | 'head' };

export async function listMembers(db: Database, departmentId: number): Promise<MemberRow[]> {
  return db
    .select({
      id: departmentMembers.id,
      staffId: staff.id,
      name: staff.name,
      phone: staff.phone,
      username: staff.username,
      role: departmentMembers.role,
    })
    .from(departmentMembers)
    .innerJoin(staff, eq(staff.id, departmentMembers.staffId))
    .where(eq(departmentMembers.departmentId, departmentId))
    .orderBy(asc(departmentMembers.role), asc(staff.name));
}

/** Adds a member of staff to a department, or changes their role there. */
export async function addMember({
  db,
  departmentId,
  staffId,
  role,
}: {
  db: Database;
  departmentId: number;
  staffId: number;
  role: 'handler' | 'head';
}): Promise<{ ok: true } | Refusal> {
  const [person] = await db.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId));
  if (!person) return { ok: false, message: t.errors.staff };
  await db
    .insert(departmentMembers)
    .values({ departmentId, staffId, role })
    .onConflictDoUpdate({ target: [departmentMembers.departmentId, departmentMembers.staffId], set: { role } });
  return { ok: true };
}

export async function removeMember({ db, departmentId, memberId }: { db: Database; departmentId: number; memberId: number }): Promise<boolean> {
  const removed = await db
    .delete(departmentMembers)
    .where(and(eq(departmentMembers.id, memberId), eq(departmentMembers.departmentId, departmentId)))
    .returning({ id: departmentMembers.id });
  return removed.length > 0;
}

export type CatalogueRow = {
  id: number;
  categoryId: number;
  categoryName: string;
  unitId: number | null;
  unitName: string | null;
  departmentId: number;
  departmentName: string;
  role: 'lead' | 'assist';
};

export async function listCatalogue(db: Database): Promise<CatalogueRow[]> {
  return db
    .select({
      id: dispatchCatalogue.id,
      categoryId: dispatchCatalogue.categoryId,
      categoryName: categories.name,
      unitId: dispatchCatalogue.unitId,
      unitName: gridUnits.name,
      departmentId: dispatchCatalogue.departmentId,
      departmentName: departments.name,
      role: dispatchCatalogue.role,
    })
    .from(dispatchCatalogue)
    .innerJoin(categories, eq(categories.id, dispatchCatalogue.categoryId))
    .innerJoin(departments, eq(departments.id, dispatchCatalogue.departmentId))
    .leftJoin(gridUnits, eq(gridUnits.id, dispatchCatalogue.unitId))
    .orderBy(asc(categories.name), asc(gridUnits.path), asc(dispatchCatalogue.role), asc(departments.code));
}

export async function addCatalogueEntry({
  db,
  categoryId,
  unitId,
  departmentId,
  role,
}: {
  db: Database;
  categoryId: number;
  unitId: number | null;
  departmentId: number;
  role: 'lead' | 'assist';
}): Promise<{ ok: true; id: number } | Refusal> {
  const [category] = await db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId));
  if (!category) return { ok: false, message: t.errors.category };
  const [department] = await db.select({ id: departments.id }).from(departments).where(eq(departments.id, departmentId));
  if (!department) return { ok: false, message: t.errors.department };
  if (unitId !== null) {
    const [unit] = await db.select({ id: gridUnits.id }).from(gridUnits).where(eq(gridUnits.id, unitId));
    if (!unit) return { ok: false, message: t.errors.unit };
  }
  const [same] = await db
    .select({ id: dispatchCatalogue.id })
    .from(dispatchCatalogue)
    .where(
      and(
        eq(dispatchCatalogue.categoryId, categoryId),
        eq(dispatchCatalogue.departmentId, departmentId),
        unitId === null ? isNull(dispatchCatalogue.unitId) : eq(dispatchCatalogue.unitId, unitId),
      ),
    );
  if (same) return { ok: false, message: t.errors.entryExists };
  const [row] = await db.insert(dispatchCatalogue).values({ categoryId, unitId, departmentId, role }).returning({ id: dispatchCatalogue.id });
  return { ok: true, id: row!.id };
}

export async function removeCatalogueEntry({ db, id }: { db: Database; id: number }): Promise<boolean> {
  const removed = await db.delete(dispatchCatalogue).where(eq(dispatchCatalogue.id, id)).returning({ id: dispatchCatalogue.id });
  return removed.length > 0;
}

/**
 * Imports departments from a CSV (see planDepartmentImport): all rows or none, in one transaction. A code on
 * record updates that department; the others are created.
 */
export async function importDepartments({
  db,
  text,
}: {
  db: Database;
  text: string;
}): Promise<{ ok: true; created: number; updated: number } | { ok: false; errors: DepartmentImportError[] }> {
  const units = await db.select({ id: gridUnits.id, code: gridUnits.code }).from(gridUnits);
  const plan = planDepartmentImport({ text, unitsByCode: new Map(units.map((u) => [u.code, u.id])) });
  if (!plan.ok) return plan;
  return db.transaction(async (tx) => {
    const codes = plan.rows.map((r) => r.code);
    const existing = codes.length ? await tx.select({ code: departments.code }).from(departments).where(inArray(departments.code, codes)) : [];
    const known = new Set(existing.map((r) => r.code));
    for (const { line: _line, ...fields } of plan.rows) {
      await tx
        .insert(departments)
        .values(fields)
        .onConflictDoUpdate({
          target: departments.code,
          set: {
            name: fields.name,
            kind: fields.kind,
            unitId: fields.unitId,
            calendar: fields.calendar,
            signLimitHours: fields.signLimitHours,
            limitDays: fields.limitDays,
            returnLimitHours: fields.returnLimitHours,
          },
        });
    }
    return { ok: true as const, created: plan.rows.length - known.size, updated: known.size };
  });
}
