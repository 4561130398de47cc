import { randomInt } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { LEVEL_LABELS, ROLE_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { oneTimePassword } from '../../seed/demo';
import { BIND_CODE_TTL_MS } from '../auth/auth.models';
import { deleteStaffSessions } from '../auth/sessions.repository';
import type { UnitLevel } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import type { StaffRole } from './people.models';
import { type StaffImportError, planStaffImport } from './staff.import.models';
import { isStaffChannel, preferredChannelOf } from './staff-wecom.models';
import { staff, staffRoles } from './staff.table';

const e = consoleTexts.staff.errors;
type Refusal = { ok: false; message: string };

/** Where each role may be held: the grid team at grids, officers above them, admins anywhere. */
export const ROLE_LEVELS: Record<StaffRole, readonly UnitLevel[]> = {
  leader: ['grid'],
  assistant: ['grid'],
  informant: ['grid'],
  officer: ['community', 'town', 'district'],
  admin: ['grid', 'community', 'town', 'district'],
};

const PHONE = /^[0-9+\-\s]{5,20}$/;
const USERNAME = /^[A-Za-z0-9._-]{3,40}$/;

export function isUniqueViolation(error: unknown): boolean {
  const err = error as { code?: string; cause?: { code?: string } };
  return err?.code === '23505' || err?.cause?.code === '23505';
}

function checkPerson({ name, phone }: { name: string; phone: string | null }): Refusal | null {
  if (!name.trim() || [...name.trim()].length > 30) return { ok: false, message: e.name };
  if (phone && !PHONE.test(phone)) return { ok: false, message: e.phone };
  return null;
}

async function checkRole(db: Database, role: StaffRole, unitId: number): Promise<Refusal | null> {
  const [unit] = await db.select({ level: gridUnits.level }).from(gridUnits).where(eq(gridUnits.id, unitId));
  if (!unit) return { ok: false, message: e.role };
  if (!ROLE_LEVELS[role].includes(unit.level)) {
    return { ok: false, message: e.roleLevel(ROLE_LABELS[role], ROLE_LEVELS[role].map((l) => LEVEL_LABELS[l]).join('、')) };
  }
  return null;
}

export async function createStaff({
  db,
  name,
  phone,
  role,
  unitId,
}: {
  db: Database;
  name: string;
  phone: string | null;
  role: StaffRole;
  unitId: number;
}): Promise<{ ok: true; id: number } | Refusal> {
  const bad = checkPerson({ name, phone }) ?? (await checkRole(db, role, unitId));
  if (bad) return bad;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(staff).values({ name: name.trim(), phone: phone || null }).returning({ id: staff.id });
    await tx.insert(staffRoles).values({ staffId: row!.id, unitId, role });
    return { ok: true as const, id: row!.id };
  });
}

/** Name, phone and whether the person is active; deactivating ends their console sessions at once. */
export async function updateStaff({
  db,
  id,
  name,
  phone,
  active,
  actorStaffId,
}: {
  db: Database;
  id: number;
  name: string;
  phone: string | null;
  active: boolean;
  actorStaffId: number;
}): Promise<{ ok: true } | Refusal | undefined> {
  const bad = checkPerson({ name, phone });
  if (bad) return bad;
  if (id === actorStaffId && !active) return { ok: false, message: e.selfDeactivate };
  const updated = await db.update(staff).set({ name: name.trim(), phone: phone || null, active }).where(eq(staff.id, id)).returning({ id: staff.id });
  if (updated.length === 0) return undefined;
  if (!active) await deleteStaffSessions({ db, staffId: id });
  return { ok: true };
}

export async function addRole({ db, staffId, role, unitId }: { db: Database; staffId: number; role: StaffRole; unitId: number }): Promise<{ ok: true } | Refusal> {
  const bad = await checkRole(db, role, unitId);
  if (bad) return bad;
  const inserted = await db.insert(staffRoles).values({ staffId, unitId, role }).onConflictDoNothing().returning({ id: staffRoles.id });
  return inserted.length ? { ok: true } : { ok: false, message: e.roleExists };
}

export async function removeRole({
  db,
  staffId,
  roleId,
  actorStaffId,
}: {
  db: Database;
  staffId: number;
  roleId: number;
  actorStaffId: number;
}): Promise<{ ok: true; role: StaffRole; unitId: number } | Refusal | undefined> {
  const [found] = await db.select().from(staffRoles).where(and(eq(staffRoles.id, roleId), eq(staffRoles.staffId, staffId)));
  if (!found) return undefined;
  // An admin taking away their own admin role could lock everyone out of the set-up pages.
  if (staffId === actorStaffId && found.role === 'admin') return { ok: false, message: e.selfAdmin };
  await db.delete(staffRoles).where(eq(staffRoles.id, roleId));
  return { ok: true, role: found.role, unitId: found.unitId };
}

/**
 * Gives a member of staff a console account (or a new one-time password): the password is returned once to be
 * shown to the admin, stored only as a hash, and must be changed at first log-in. Existing sessions end.
 */
export async function setConsoleAccount({
  db,
  id,
  username,
  hashPassword,
}: {
  db: Database;
  id: number;
  username: string;
  hashPassword: (plain: string) => Promise<string>;
}): Promise<{ ok: true; username: string; password: string } | Refusal | undefined> {
  if (!USERNAME.test(username)) return { ok: false, message: e.username };
  const password = oneTimePassword();
  try {
    const updated = await db
      .update(staff)
      .set({ username, passwordHash: await hashPassword(password), mustChangePassword: true })
      .where(eq(staff.id, id))
      .returning({ id: staff.id });
    if (updated.length === 0) return undefined;
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, message: e.usernameTaken(username) };
    throw error;
  }
  await deleteStaffSessions({ db, staffId: id });
  return { ok: true, username, password };
}

/**
 * A fresh 6-digit code for `绑定 483920`, valid 24 hours. Codes are unique while they exist (a collision with
 * another person's live code is retried); an expired code of someone else is taken over.
 */
export async function issueBindCode({ db, id, now }: { db: Database; id: number; now: Date }): Promise<{ code: string; expiresAt: Date } | undefined> {
  const expiresAt = new Date(now.getTime() + BIND_CODE_TTL_MS);
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = String(randomInt(100000, 1000000));
    try {
      return await db.transaction(async (tx) => {
        await tx
          .update(staff)
          .set({ bindCode: null, bindCodeExpiresAt: null })
          .where(and(eq(staff.bindCode, code), sql`${staff.bindCodeExpiresAt} <= ${now.toISOString()}::timestamptz`));
        const updated = await tx.update(staff).set({ bindCode: code, bindCodeExpiresAt: expiresAt }).where(eq(staff.id, id)).returning({ id: staff.id });
        return updated.length ? { code, expiresAt } : undefined;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error('could not find a free bind code');
}

/**
 * Forgets the person's chat identity (a lost phone, a wrong binding); they bind again with a new code. A member
 * bound to 企业微信 gets their notices there from now on (see preferredChannelOf: WeChat no longer reaches them).
 */
export async function unbindChat({ db, id }: { db: Database; id: number }): Promise<boolean> {
  const updated = await db
    .update(staff)
    .set({ chatKey: null, chatContactId: null, preferredChannel: sql`case when ${staff.wecomUserId} is null then 'wechat' else 'wecom' end` })
    .where(eq(staff.id, id))
    .returning({ id: staff.id });
  return updated.length > 0;
}

export async function listStaff(db: Database) {
  const rows = await db
    .select({
      id: staff.id,
      name: staff.name,
      phone: staff.phone,
      username: staff.username,
      chatKey: staff.chatKey,
      wecomUserId: staff.wecomUserId,
      active: staff.active,
      roleId: staffRoles.id,
      role: staffRoles.role,
      unitId: staffRoles.unitId,
      unitName: gridUnits.name,
      unitPath: gridUnits.path,
    })
    .from(staff)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .leftJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .orderBy(asc(staff.id), asc(gridUnits.path));
  const people = new Map<number, { id: number; name: string; phone: string | null; username: string | null; bound: boolean; wecomUserId: string | null; active: boolean; roles: { id: number; role: StaffRole; unitId: number; unitName: string; unitPath: string }[] }>();
  for (const r of rows) {
    const p = people.get(r.id) ?? { id: r.id, name: r.name, phone: r.phone, username: r.username, bound: r.chatKey !== null, wecomUserId: r.wecomUserId, active: r.active, roles: [] };
    if (r.roleId !== null && r.role && r.unitId !== null) {
      p.roles.push({ id: r.roleId, role: r.role, unitId: r.unitId, unitName: r.unitName ?? '', unitPath: r.unitPath ?? '' });
    }
    people.set(r.id, p);
  }
  return [...people.values()];
}

/**
 * Imports staff from a CSV (see planStaffImport): all rows or none. New people are created without console
 * accounts or chat bindings (those stay one-time, per person); a role a person already holds is left as it is. A
 * 企业微信 userid binds a person who has none (a new person then gets their notices on WeCom: preferredChannelOf);
 * `wecom` lists who was bound, for the import's audit entry.
 */
export async function importStaff({
  db,
  text,
}: {
  db: Database;
  text: string;
}): Promise<
  | { ok: true; people: number; roles: number; unchanged: number; wecom: { staffId: number; wecomUserId: string }[] }
  | { ok: false; errors: StaffImportError[] }
> {
  const unitRows = await db.select({ id: gridUnits.id, code: gridUnits.code, level: gridUnits.level }).from(gridUnits);
  const people = await db.select({ id: staff.id, name: staff.name, phone: staff.phone, wecomUserId: staff.wecomUserId }).from(staff);
  const staffByPhone = new Map(people.filter((p) => p.phone).map((p) => [p.phone!.replace(/\s+/gu, ''), p]));
  const wecomHolders = new Map(people.filter((p) => p.wecomUserId).map((p) => [p.wecomUserId!.toLowerCase(), p]));
  const plan = planStaffImport({ text, units: new Map(unitRows.map((u) => [u.code, u])), staffByPhone, wecomHolders, roleLevels: ROLE_LEVELS });
  if (!plan.ok) return plan;
  const unitId = new Map(unitRows.map((u) => [u.code, u.id]));
  try {
    return await db.transaction(async (tx) => {
      const idOfPhone = new Map([...staffByPhone].map(([phone, p]) => [phone, p.id]));
      let created = 0;
      let roles = 0;
      const wecom: { staffId: number; wecomUserId: string }[] = [];
      for (const row of plan.rows) {
        let id = row.phone ? idOfPhone.get(row.phone) : undefined;
        if (id === undefined) {
          const [inserted] = await tx.insert(staff).values({ name: row.name, phone: row.phone }).returning({ id: staff.id });
          id = inserted!.id;
          created++;
          if (row.phone) idOfPhone.set(row.phone, id);
        }
        const added = await tx.insert(staffRoles).values({ staffId: id, unitId: unitId.get(row.unitCode)!, role: row.role }).onConflictDoNothing().returning({ id: staffRoles.id });
        roles += added.length;
        if (row.wecomUserId) {
          const [person] = await tx.select().from(staff).where(eq(staff.id, id));
          if (person && person.wecomUserId === null) {
            const preferredChannel = preferredChannelOf({
              wecomUserId: row.wecomUserId,
              wechatBound: Boolean(person.chatKey || person.chatContactId),
              wanted: isStaffChannel(person.preferredChannel) ? person.preferredChannel : 'wechat',
            });
            await tx.update(staff).set({ wecomUserId: row.wecomUserId, preferredChannel }).where(eq(staff.id, id));
            wecom.push({ staffId: id, wecomUserId: row.wecomUserId });
          }
        }
      }
      return { ok: true as const, people: created, roles, unchanged: plan.rows.length - roles, wecom };
    });
  } catch (error) {
    // A userid bound on a member's page (or by the app) between the check and the import.
    if (isUniqueViolation(error)) return { ok: false, errors: [{ line: 0, message: e.importRace }] };
    throw error;
  }
}
