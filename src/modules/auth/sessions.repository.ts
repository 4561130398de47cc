import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { departmentMembers, departments } from '../departments/departments.table';
import { gridUnits } from '../grids/grids.table';
import type { RoleAtUnit, StaffRole } from '../people/people.models';
import { staff, staffRoles } from '../people/staff.table';
import type { UnitLevel } from '../grids/grids.models';
import {
  type ConsoleUser,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  SESSION_TOUCH_MS,
  LOGIN_THROTTLE_RETENTION_MS,
  type ThrottleState,
  sessionExpired,
} from './auth.models';
import { consoleSessions, loginThrottle } from './sessions.table';

const token = () => randomBytes(32).toString('base64url');
export const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

/** Opens a session; returns the token for the cookie (only its hash is stored). */
export async function createSession({
  db,
  staffId,
  now,
  ip,
  userAgent,
}: {
  db: Database;
  staffId: number;
  now: Date;
  ip?: string;
  userAgent?: string;
}): Promise<{ token: string; csrfToken: string }> {
  const t = token();
  const csrfToken = token();
  await db.insert(consoleSessions).values({
    id: hashToken(t),
    staffId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    ip: ip ?? null,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  return { token: t, csrfToken };
}

/** The user behind a session token, with their roles; undefined when unknown, expired or the account is off. */
export async function loadSessionUser({ db, token: t, now }: { db: Database; token: string; now: Date }): Promise<ConsoleUser | undefined> {
  const id = hashToken(t);
  const [found] = await db
    .select({ session: consoleSessions, staff })
    .from(consoleSessions)
    .innerJoin(staff, eq(staff.id, consoleSessions.staffId))
    .where(eq(consoleSessions.id, id));
  if (!found) return undefined;
  if (sessionExpired(found.session, now) || !found.staff.active || !found.staff.username) {
    await db.delete(consoleSessions).where(eq(consoleSessions.id, id));
    return undefined;
  }
  if (now.getTime() - found.session.lastSeenAt.getTime() > SESSION_TOUCH_MS) {
    await db.update(consoleSessions).set({ lastSeenAt: now }).where(eq(consoleSessions.id, id));
  }
  return {
    staffId: found.staff.id,
    name: found.staff.name,
    username: found.staff.username,
    mustChangePassword: found.staff.mustChangePassword,
    roles: await loadRoles(db, found.staff.id),
    departments: await loadDepartmentMemberships(db, found.staff.id),
    sessionId: id,
    csrfToken: found.session.csrfToken,
  };
}

/** The active departments the member of staff works for (分流交办): their orders are in the user's scope. */
export async function loadDepartmentMemberships(db: Database, staffId: number): Promise<{ departmentId: number; role: 'handler' | 'head' }[]> {
  return db
    .select({ departmentId: departmentMembers.departmentId, role: departmentMembers.role })
    .from(departmentMembers)
    .innerJoin(departments, eq(departments.id, departmentMembers.departmentId))
    .where(and(eq(departmentMembers.staffId, staffId), eq(departments.active, true)));
}

export async function loadRoles(db: Database, staffId: number): Promise<RoleAtUnit[]> {
  const rows = await db
    .select({ unitId: staffRoles.unitId, role: staffRoles.role, unitPath: gridUnits.path, level: gridUnits.level })
    .from(staffRoles)
    .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .where(eq(staffRoles.staffId, staffId));
  return rows.map((r) => ({ unitId: r.unitId, role: r.role as StaffRole, unitPath: r.unitPath, level: r.level as UnitLevel }));
}

export async function deleteSession({ db, sessionId }: { db: Database; sessionId: string }): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.id, sessionId));
}

/** Ends a user's other sessions (after a password change, or when an admin disables the account). */
export async function deleteStaffSessions({ db, staffId, except }: { db: Database; staffId: number; except?: string }): Promise<void> {
  await db
    .delete(consoleSessions)
    .where(and(eq(consoleSessions.staffId, staffId), except ? ne(consoleSessions.id, except) : undefined));
}

/** Removes sessions past their limits; cheap, called now and then at log-in. */
export async function purgeExpiredSessions({ db, now }: { db: Database; now: Date }): Promise<void> {
  await db
    .delete(consoleSessions)
    .where(
      or(
        lt(consoleSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
        lt(consoleSessions.createdAt, new Date(now.getTime() - SESSION_ABSOLUTE_MS)),
      ),
    );
}

// --- log-in throttle ---------------------------------------------------------------------------------------

export async function loadThrottle({ db, keys }: { db: Database; keys: string[] }): Promise<Map<string, ThrottleState>> {
  const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, keys));
  return new Map(rows.map((r) => [r.key, { failures: r.failures, windowStartedAt: r.windowStartedAt, lockedUntil: r.lockedUntil }]));
}

/**
 * Counts one failure for a key. The read-modify-write runs under a row lock, so concurrent failures on several
 * instances all count.
 */
export async function recordFailure({
  db,
  key,
  now,
  step,
}: {
  db: Database;
  key: string;
  now: Date;
  /** The counter after this failure (auth.models: afterFailure, afterAccountFailure). */
  step: (before: ThrottleState | undefined) => ThrottleState;
}): Promise<ThrottleState> {
  return db.transaction(async (tx) => {
    await tx
      .insert(loginThrottle)
      .values({ key, failures: 0, windowStartedAt: now, lockedUntil: null })
      .onConflictDoNothing({ target: loginThrottle.key });
    const [row] = await tx.select().from(loginThrottle).where(eq(loginThrottle.key, key)).for('update');
    const before = row && row.failures > 0 ? { failures: row.failures, windowStartedAt: row.windowStartedAt, lockedUntil: row.lockedUntil } : undefined;
    const next = step(before);
    await tx
      .update(loginThrottle)
      .set({ failures: next.failures, windowStartedAt: next.windowStartedAt, lockedUntil: next.lockedUntil })
      .where(eq(loginThrottle.key, key));
    return next;
  });
}

/**
 * Deletes counters no rule looks at any more (window over, no lock running). Rotating addresses leave a row per
 * address behind; this keeps the table to the last quarter hour's.
 */
export async function purgeThrottle({ db, now }: { db: Database; now: Date }): Promise<number> {
  const rows = await db
    .delete(loginThrottle)
    .where(
      and(
        lt(loginThrottle.windowStartedAt, new Date(now.getTime() - LOGIN_THROTTLE_RETENTION_MS)),
        or(isNull(loginThrottle.lockedUntil), lt(loginThrottle.lockedUntil, now)),
      ),
    )
    .returning({ key: loginThrottle.key });
  return rows.length;
}

export async function clearThrottle({ db, key }: { db: Database; key: string }): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key));
}

export async function findStaffByUsername(db: Database, username: string) {
  const [row] = await db
    .select()
    .from(staff)
    .where(sql`lower(${staff.username}) = lower(${username})`);
  return row;
}
