import { and, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { categories } from '../categories/categories.table';
import { staff } from '../people/staff.table';
import { workOrders } from '../work-orders/work-orders.table';

/** The WeCom userid a notice to this member goes to: null when they are unbound or inactive. */
export async function wecomTargetOf(db: Database, staffId: number): Promise<{ userId: string } | null> {
  const [s] = await db.select({ userId: staff.wecomUserId, active: staff.active }).from(staff).where(eq(staff.id, staffId));
  return s?.userId && s.active ? { userId: s.userId } : null;
}

/**
 * The member holding a WeCom userid, whatever its case: WeCom treats userids as one ignoring case, and an admin may
 * type it otherwise than WeCom sends it (unique that way too: `staff_wecom_user_id_lower_idx`).
 */
export const sameWecomUser = (userId: string) => sql`lower(${staff.wecomUserId}) = lower(${userId})`;

/** The member bound to a WeCom userid (active or not: an inactive one is refused by the use cases). */
export async function staffByWecomUser(db: Database, userId: string): Promise<{ id: number; name: string; active: boolean } | null> {
  const [s] = await db.select({ id: staff.id, name: staff.name, active: staff.active }).from(staff).where(sameWecomUser(userId));
  return s ?? null;
}

/** What the new-order card shows, and whether the order still waits for this member's 接单. */
export async function cardFactsOf(db: Database, { orderId, staffId }: { orderId: number; staffId: number }) {
  const [o] = await db
    .select({ no: workOrders.no, text: workOrders.text, status: workOrders.status, assigneeId: workOrders.assigneeId, categoryName: categories.name })
    .from(workOrders)
    .leftJoin(categories, eq(categories.id, workOrders.categoryId))
    .where(eq(workOrders.id, orderId));
  if (!o) return null;
  return { no: o.no, text: o.text, status: o.status, categoryName: o.categoryName ?? '', waitsForMember: o.status === 'assigned' && o.assigneeId === staffId };
}

/**
 * Binds a WeCom userid to the member holding a live bind code (the console's 绑定码, as for WeChat), and makes
 * WeCom their preferred channel. One statement: the code is spent whoever else tries it. Null when no live code
 * matches, or the userid is bound to someone else already.
 */
export async function bindWecomUser(db: Database, { code, userId, now }: { code: string; userId: string; now: Date }): Promise<{ id: number; name: string } | null> {
  const taken = await staffByWecomUser(db, userId);
  if (taken) return null;
  const [bound] = await db
    .update(staff)
    .set({ wecomUserId: userId, preferredChannel: 'wecom', bindCode: null, bindCodeExpiresAt: null })
    .where(and(eq(staff.bindCode, code), eq(staff.active, true), gt(staff.bindCodeExpiresAt, now)))
    .returning({ id: staff.id, name: staff.name });
  return bound ?? null;
}
