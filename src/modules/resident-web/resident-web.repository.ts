import { and, asc, count, eq, gte, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { ROLE_LABELS } from '../../i18n/zh-CN';
import { categories } from '../categories/categories.table';
import { gridUnits } from '../grids/grids.table';
import { residents } from '../people/residents.table';
import { staff, staffRoles } from '../people/staff.table';
import { attachments, orderEvents, workOrders } from '../work-orders/work-orders.table';
import type { DuplicateCandidate } from '../work-orders/intake/submit-demand.usecases';
import type { GridWithPath, TimelineEvent, WebReportPayload } from './resident-web.models';
import { webReports, webTrackingLinks } from './resident-web.table';

export async function loadGridUnit(db: Database, id: number) {
  const [row] = await db
    .select({ id: gridUnits.id, name: gridUnits.name, code: gridUnits.code, path: gridUnits.path, level: gridUnits.level })
    .from(gridUnits)
    .where(eq(gridUnits.id, id));
  return row;
}

export async function loadPlacedGrids(db: Database): Promise<GridWithPath[]> {
  return db
    .select({ id: gridUnits.id, code: gridUnits.code, path: gridUnits.path, boundary: gridUnits.boundary })
    .from(gridUnits)
    .where(eq(gridUnits.level, 'grid'));
}

/** The outcome of a `web_reports` row that records photos added on a tracking page (not a report). */
export const UPLOAD_OUTCOME = 'photos';

/** Reports received from one address since a moment (the per-address limits); tracking-page uploads are not reports. */
export async function reportsSince(db: Database, { address, since }: { address: string; since: Date }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(webReports)
    .where(and(eq(webReports.address, address), gte(webReports.createdAt, since), ne(webReports.outcome, UPLOAD_OUTCOME)));
  return Number(row?.n ?? 0);
}

/** Photos added on tracking pages from one address since a moment, each upload counting at least one. */
export async function uploadsSince(db: Database, { address, since }: { address: string; since: Date }): Promise<number> {
  const [row] = await db
    .select({ n: sql<string>`coalesce(sum(greatest(1, jsonb_array_length(${webReports.payload} -> 'photos'))), 0)` })
    .from(webReports)
    .where(and(eq(webReports.address, address), gte(webReports.createdAt, since), eq(webReports.outcome, UPLOAD_OUTCOME)));
  return Number(row?.n ?? 0);
}

export async function insertReport(
  db: Database,
  row: { key: string; address: string; gridId: number; payload: WebReportPayload; now: Date; upload?: { orderId: number; residentId: number } },
): Promise<number> {
  const [created] = await db
    .insert(webReports)
    .values({
      key: row.key,
      address: row.address,
      gridId: row.gridId,
      payload: row.payload,
      createdAt: row.now,
      ...(row.upload ? { outcome: UPLOAD_OUTCOME, orderId: row.upload.orderId, residentId: row.upload.residentId } : {}),
    })
    .returning({ id: webReports.id });
  return created!.id;
}

export async function deleteReport(db: Database, id: number): Promise<void> {
  await db.delete(webReports).where(eq(webReports.id, id));
}

export async function updateReport(
  db: Database,
  id: number,
  set: Partial<{ payload: WebReportPayload; outcome: string; orderId: number | null; residentId: number; gridId: number }>,
): Promise<void> {
  await db.update(webReports).set(set).where(eq(webReports.id, id));
}

export async function reportByKey(db: Database, key: string) {
  const [row] = await db.select().from(webReports).where(eq(webReports.key, key));
  return row;
}

/**
 * The resident page's resident with this phone number, or a new one. Only residents who came through this page
 * are matched (as Open311 does): a number typed into a form must not attach orders to a chat resident.
 */
export async function findOrCreateWebResident(
  db: Database,
  { phone, gridId, now }: { phone: string | null; gridId: number; now: Date },
): Promise<number> {
  if (phone) {
    const [existing] = await db
      .select({ id: residents.id })
      .from(residents)
      .where(and(eq(residents.source, 'web'), eq(residents.phone, phone)))
      .orderBy(asc(residents.id))
      .limit(1);
    if (existing) {
      await db.update(residents).set({ lastSeenAt: now }).where(eq(residents.id, existing.id));
      return existing.id;
    }
  }
  const [created] = await db
    .insert(residents)
    .values({ phone, gridId, source: 'web', lastSeenAt: now, createdAt: now })
    .returning({ id: residents.id });
  return created!.id;
}

/** The link of this resident to this order, made once (a second report of the same order gets the same link). */
export async function ensureLink(db: Database, { orderId, residentId, nonce, now }: { orderId: number; residentId: number; nonce: string; now: Date }) {
  await db.insert(webTrackingLinks).values({ orderId, residentId, nonce, createdAt: now }).onConflictDoNothing();
  const [row] = await db
    .select({ id: webTrackingLinks.id, nonce: webTrackingLinks.nonce })
    .from(webTrackingLinks)
    .where(and(eq(webTrackingLinks.orderId, orderId), eq(webTrackingLinks.residentId, residentId)));
  return row!;
}

export async function loadLink(db: Database, id: number) {
  const [row] = await db.select().from(webTrackingLinks).where(eq(webTrackingLinks.id, id));
  return row;
}

/** Revokes the order's links still in force (one already revoked keeps its time); how many it revoked. */
export async function revokeLinks(db: Database, { orderId, now }: { orderId: number; now: Date }): Promise<number> {
  const rows = await db
    .update(webTrackingLinks)
    .set({ revokedAt: now })
    .where(and(eq(webTrackingLinks.orderId, orderId), isNull(webTrackingLinks.revokedAt)))
    .returning({ id: webTrackingLinks.id });
  return rows.length;
}

/** The order's tracking links (the reporter's and those of residents who joined it), oldest first. */
export async function linksOfOrder(db: Database, orderId: number) {
  return db
    .select({ id: webTrackingLinks.id, residentId: webTrackingLinks.residentId, createdAt: webTrackingLinks.createdAt, revokedAt: webTrackingLinks.revokedAt })
    .from(webTrackingLinks)
    .where(eq(webTrackingLinks.orderId, orderId))
    .orderBy(asc(webTrackingLinks.id));
}

/** The order as its tracking page shows it. */
export async function trackedOrder(db: Database, orderId: number) {
  const [row] = await db
    .select({
      id: workOrders.id,
      no: workOrders.no,
      status: workOrders.status,
      text: workOrders.text,
      residentId: workOrders.residentId,
      urgency: workOrders.urgency,
      deadlineAt: workOrders.deadlineAt,
      closedAt: workOrders.closedAt,
      assigneeId: workOrders.assigneeId,
      unitId: workOrders.unitId,
      gridId: workOrders.gridId,
      createdAt: workOrders.createdAt,
      categoryName: categories.name,
      unitName: gridUnits.name,
    })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .innerJoin(gridUnits, eq(gridUnits.id, workOrders.unitId))
    .where(eq(workOrders.id, orderId));
  return row;
}

/** A member of staff's name and the role they hold at a unit (the first, when several). */
export async function staffAtUnit(db: Database, { staffId, unitId }: { staffId: number; unitId: number | null }) {
  const rows = await db
    .select({ name: staff.name, role: staffRoles.role, unitId: staffRoles.unitId })
    .from(staff)
    .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .where(eq(staff.id, staffId));
  const row = rows.find((r) => r.unitId === unitId) ?? rows[0];
  return row ? { name: row.name, role: row.role ? ROLE_LABELS[row.role] : '工作人员' } : undefined;
}

/** The order's timeline with each staff actor's name and role (filtered by `publicTimeline` before it is shown). */
export async function timelineOf(db: Database, { orderId, residentId }: { orderId: number; residentId: number }): Promise<TimelineEvent[]> {
  const events = await db
    .select({
      type: orderEvents.type,
      at: orderEvents.at,
      note: orderEvents.note,
      actorStaffId: orderEvents.actorStaffId,
      actorResidentId: orderEvents.actorResidentId,
      toUnitId: orderEvents.toUnitId,
    })
    .from(orderEvents)
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(asc(orderEvents.at), asc(orderEvents.id));
  const staffIds = [...new Set(events.map((e) => e.actorStaffId).filter((id): id is number => id !== null))];
  const names = new Map<number, { name: string; role: string }>();
  if (staffIds.length) {
    const rows = await db
      .select({ id: staff.id, name: staff.name, role: staffRoles.role })
      .from(staff)
      .leftJoin(staffRoles, eq(staffRoles.staffId, staff.id))
      .where(inArray(staff.id, staffIds));
    for (const r of rows) if (!names.has(r.id)) names.set(r.id, { name: r.name, role: r.role ? ROLE_LABELS[r.role] : '工作人员' });
  }
  return events.map((e) => {
    const who = e.actorStaffId !== null ? names.get(e.actorStaffId) : undefined;
    return { type: e.type, at: e.at, note: e.note, staffName: who?.name ?? null, staffRole: who?.role ?? null, byResident: e.actorResidentId === residentId };
  });
}

/** Residents' photos on the order: all of them, and those added through the resident page (`web:` source ids). */
export async function residentPhotos(db: Database, orderId: number): Promise<{ all: number; web: number }> {
  const rows = await db
    .select({ src: attachments.sourceMessageId })
    .from(attachments)
    .where(and(eq(attachments.orderId, orderId), eq(attachments.kind, 'image'), isNull(attachments.addedByStaffId)));
  return { all: rows.length, web: rows.filter((r) => r.src?.startsWith('web:')).length };
}

/** What the duplicate question shows of each offered order: its category, day and status (never its text). */
export async function candidateFacts(db: Database, candidates: readonly DuplicateCandidate[]) {
  if (candidates.length === 0) return [];
  const rows = await db
    .select({ id: workOrders.id, category: categories.name, createdAt: workOrders.createdAt, status: workOrders.status })
    .from(workOrders)
    .innerJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(inArray(workOrders.id, candidates.map((c) => c.id)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return candidates.flatMap((c) => {
    const row = byId.get(c.id);
    return row ? [{ ...c, category: row.category, createdAt: row.createdAt, status: row.status }] : [];
  });
}
