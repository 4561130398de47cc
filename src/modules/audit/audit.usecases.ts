import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { staff } from '../people/staff.table';
import { auditLog } from './audit.table';

export type AuditEntry = {
  actorStaffId: number | null;
  /** Dotted verb: 'order.escalate', 'grid.move', 'staff.bind_code', 'auth.login', ... */
  action: string;
  targetType: string;
  targetId?: string | number | null;
  data?: Record<string, unknown> | null;
  ip?: string | null;
};

/** Writes one audit entry. Pass the transaction as `db` when the change itself runs in one. */
export async function writeAudit({ db, entry, now }: { db: Database; entry: AuditEntry; now: Date }): Promise<void> {
  await db.insert(auditLog).values({
    actorStaffId: entry.actorStaffId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId == null ? null : String(entry.targetId),
    data: entry.data ?? null,
    ip: entry.ip ?? null,
    at: now,
  });
}

export type AuditFilters = { action?: string; targetType?: string; targetId?: string; actorStaffId?: number; from?: Date; to?: Date };

/** Newest first, keyset-paged by id (`before`), with the actor's name. */
export async function listAudit({
  db,
  filters,
  before,
  limit = 50,
}: {
  db: Database;
  filters: AuditFilters;
  before?: number;
  limit?: number;
}) {
  return db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      data: auditLog.data,
      ip: auditLog.ip,
      actorStaffId: auditLog.actorStaffId,
      actorName: staff.name,
    })
    .from(auditLog)
    .leftJoin(staff, eq(staff.id, auditLog.actorStaffId))
    .where(
      and(
        filters.action ? sql`${auditLog.action} like ${`${filters.action}%`}` : undefined,
        filters.targetType ? eq(auditLog.targetType, filters.targetType) : undefined,
        filters.targetId ? eq(auditLog.targetId, filters.targetId) : undefined,
        filters.actorStaffId ? eq(auditLog.actorStaffId, filters.actorStaffId) : undefined,
        filters.from ? gte(auditLog.at, filters.from) : undefined,
        filters.to ? lt(auditLog.at, filters.to) : undefined,
        before ? lt(auditLog.id, before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit);
}
