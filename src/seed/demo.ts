import { randomInt } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { Clock } from '../shared/clock';
import { seedCalendarFromPackage } from '../modules/calendar/calendar.repository';
import { DEMO_CATEGORIES } from '../modules/categories/categories.seed';
import { categories } from '../modules/categories/categories.table';
import { chatGroups } from '../modules/chat/chat.table';
import { childPath } from '../modules/grids/grids.models';
import { gridUnits } from '../modules/grids/grids.table';
import { residents } from '../modules/people/residents.table';
import { staff, staffRoles } from '../modules/people/staff.table';
import { seedDemoDepartments } from './demo-departments';
import { DEMO_RESIDENTS, DEMO_STAFF, DEMO_TREE, type DemoUnit, demoBoundary, demoGroupTopic } from './demo-district';

const LEVELS = ['district', 'town', 'community', 'grid'] as const;

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(gridUnits);
  return (row?.n ?? 0) === 0;
}

/** A one-time password people can type: no 0/O or 1/l. */
export function oneTimePassword(length = 12): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** Inserts a unit tree under `parent`, returning code → id and path. */
export async function insertUnitTree(
  db: Database,
  unit: DemoUnit,
  depth = 0,
  parent: { id: number; path: string } | null = null,
  out = new Map<string, { id: number; path: string; name: string }>(),
) {
  const level = LEVELS[depth];
  if (!level) throw new Error(`the tree is deeper than ${LEVELS.length} levels at ${unit.code}`);
  const [row] = await db
    .insert(gridUnits)
    .values({ code: unit.code, name: unit.name, level, parentId: parent?.id ?? null, path: '/', households: unit.households ?? null, boundary: level === 'grid' ? demoBoundary(unit.code) : null })
    .returning({ id: gridUnits.id });
  const path = childPath(parent?.path ?? null, row!.id);
  await db.update(gridUnits).set({ path }).where(eq(gridUnits.id, row!.id));
  out.set(unit.code, { id: row!.id, path, name: unit.name });
  for (const child of unit.children ?? []) await insertUnitTree(db, child, depth + 1, { id: row!.id, path }, out);
  return out;
}

export async function seedCategories(db: Database): Promise<void> {
  await db
    .insert(categories)
    .values(DEMO_CATEGORIES.map((c) => ({ ...c })))
    .onConflictDoNothing({ target: categories.code });
}

/**
 * Loads the demo district into an empty database: the grid tree, staff (the admin with a one-time password),
 * residents, one chat group per grid, the categories and the holiday calendar. Returns the admin's password,
 * to be printed once; null when the database was not empty (nothing is touched).
 */
/** What the operator is told once after the demo loads: the admin's one-time password is not shown again. */
export function demoLoadedNotice({ username, password }: { username: string; password: string }): string {
  return (
    `Demo data loaded. Console admin: ${username} / one-time password: ${password}\n` +
    `(shown only now; you will be asked to change it at first log-in)`
  );
}

export async function seedDemo({
  db,
  clock,
  hashPassword,
  departments = false,
}: {
  db: Database;
  clock: Clock;
  hashPassword: (plain: string) => Promise<string>;
  /**
   * Also the departments, companies, 物业 and the 派单目录 (src/seed/demo-departments.ts). `npm start` loads them;
   * tests ask for them where they test 分流交办, so the grid tree's own suites keep routing in the tree.
   */
  departments?: boolean;
}): Promise<{ username: string; password: string } | null> {
  if (!(await isDatabaseEmpty(db))) return null;
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const units = await insertUnitTree(tx, DEMO_TREE);
    const unit = (code: string) => {
      const u = units.get(code);
      if (!u) throw new Error(`demo data names an unknown unit ${code}`);
      return u;
    };
    for (const person of DEMO_STAFF) {
      const [row] = await tx
        .insert(staff)
        .values({
          name: person.name,
          phone: person.phone,
          username: person.username ?? null,
          passwordHash: person.username ? passwordHash : null,
          mustChangePassword: Boolean(person.username),
        })
        .returning({ id: staff.id });
      await tx.insert(staffRoles).values(person.roles.map((r) => ({ staffId: row!.id, unitId: unit(r.unit).id, role: r.role })));
    }
    for (const r of DEMO_RESIDENTS) {
      await tx.insert(residents).values({ name: r.name, chatName: r.name, phone: r.phone ?? null, gridId: unit(r.grid).id });
    }
    for (const [code, u] of units) {
      if (/-G\d+$/.test(code)) await tx.insert(chatGroups).values({ topic: demoGroupTopic(u.name), gridId: u.id });
    }
    await seedCategories(tx);
    await seedCalendarFromPackage({ db: tx, clock });
    if (departments) await seedDemoDepartments(tx);
  });
  return { username: 'admin', password };
}
