import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { departmentTexts } from '../../i18n/zh-CN.departments';
import { responsibleAt } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import { type OutboxDraft, reopenReason } from '../notifications/notifications.models';
import { residents } from '../people/residents.table';
import { loadStaffAtUnits } from '../work-orders/work-orders.repository';
import type { OrderEventDraft, OrderState } from '../work-orders/work-orders.models';
import { servesPlace } from './departments.models';
import { departmentNames } from './departments.repository';
import { departments } from './departments.table';
import { type DispatchStatus, orderDispatches } from './order-dispatches.table';

/** One order's change as a command left it: what the dispatch record and the grid leader must learn of it. */
export type DispatchChange = {
  before: OrderState;
  after: OrderState;
  events: readonly OrderEventDraft[];
  text: string;
  categoryName: string;
};

const ENDED: readonly OrderState['status'][] = ['cancelled', 'merged', 'invalid', 'closed'];

/** What a change does to the department's open 主办 dispatch, or null when it leaves it as it is. */
export function dispatchEffect(change: Pick<DispatchChange, 'before' | 'after' | 'events'>):
  | { status: DispatchStatus; returnReason?: string | null; returnedByStaffId?: number | null }
  | { deadlineAt: Date | null }
  | null {
  const { before, after, events } = change;
  if (before.departmentId == null) return null;
  const returned = events.find((e) => e.type === 'return' && e.data?.departmentId === before.departmentId);
  if (returned) return { status: 'returned', returnReason: returned.note, returnedByStaffId: returned.actorStaffId };
  if (after.departmentId !== before.departmentId || ENDED.includes(after.status)) return { status: 'withdrawn' };
  if (after.status === 'resolved' && before.status !== 'resolved') return { status: 'resolved' };
  if (after.status === 'accepted' && before.status === 'assigned') return { status: 'signed' };
  if (after.deadlineAt?.getTime() !== before.deadlineAt?.getTime()) return { deadlineAt: after.deadlineAt };
  return null;
}

/**
 * Keeps the dispatch record in step with the order, whatever changed it (the chat's 接单/进展/办结/退回, the
 * console, a job), inside the command's transaction: the department's 主办 dispatch is signed, resolved,
 * returned or withdrawn with the order, and its 协办 end with it. Returns the grid leader's notices: he stays the
 * resident's contact and hears what the department did. Orders no department holds cost nothing here.
 */
export async function syncDispatches({ tx, changes, now }: { tx: Database; changes: readonly DispatchChange[]; now: Date }): Promise<OutboxDraft[]> {
  const held = changes.filter((c) => c.before.departmentId != null);
  if (held.length === 0) return [];
  const drafts: OutboxDraft[] = [];
  const names = await departmentNames(tx, held.map((c) => c.before.departmentId!));
  for (const change of held) {
    const { before, after } = change;
    const departmentId = before.departmentId!;
    const effect = dispatchEffect(change);
    if (effect) await applyEffect(tx, { orderId: after.id, departmentId, effect, now });
    drafts.push(...(await leaderNotices(tx, { change, department: names.get(departmentId) ?? '' })));
    const returned = change.events.find((e) => e.type === 'return' && e.data?.departmentId === departmentId);
    if (returned && after.assigneeId !== null) {
      drafts.push({
        kind: 'assignment',
        orderId: after.id,
        recipientType: 'staff',
        staffId: after.assigneeId,
        text: departmentTexts.redispatchHint({ no: after.no, dispute: returned.data?.dispute === true, departments: await servingNames(tx, after.gridId, departmentId) }),
      });
    }
  }
  return drafts;
}

async function applyEffect(
  tx: Database,
  { orderId, departmentId, effect, now }: { orderId: number; departmentId: number; effect: NonNullable<ReturnType<typeof dispatchEffect>>; now: Date },
): Promise<void> {
  const open = and(eq(orderDispatches.orderId, orderId), inArray(orderDispatches.status, ['dispatched', 'signed']));
  const lead = and(open, eq(orderDispatches.role, 'lead'), eq(orderDispatches.departmentId, departmentId));
  if ('deadlineAt' in effect) {
    await tx.update(orderDispatches).set({ deadlineAt: effect.deadlineAt }).where(lead);
    return;
  }
  switch (effect.status) {
    case 'signed':
      await tx.update(orderDispatches).set({ status: 'signed', signedAt: now }).where(lead);
      return;
    case 'resolved':
      // The 协办 end with the order: their part is done when it is.
      await tx.update(orderDispatches).set({ status: 'resolved', resolvedAt: now, signedAt: now }).where(and(lead, eq(orderDispatches.status, 'dispatched')));
      await tx.update(orderDispatches).set({ status: 'resolved', resolvedAt: now }).where(open);
      return;
    case 'returned':
      await tx
        .update(orderDispatches)
        .set({ status: 'returned', returnedAt: now, returnReason: effect.returnReason ?? null, returnedByStaffId: effect.returnedByStaffId ?? null })
        .where(lead);
      await tx.update(orderDispatches).set({ status: 'withdrawn' }).where(open);
      return;
    default:
      await tx.update(orderDispatches).set({ status: 'withdrawn' }).where(open);
  }
}

/** The grid's own contact (its leader, else an assistant), who follows the resident while a department works. */
export async function gridContact(tx: Database, gridId: number): Promise<number | null> {
  const [grid] = await tx
    .select({ id: gridUnits.id, parentId: gridUnits.parentId, level: gridUnits.level, path: gridUnits.path, code: gridUnits.code, name: gridUnits.name })
    .from(gridUnits)
    .where(eq(gridUnits.id, gridId));
  if (!grid) return null;
  return responsibleAt({ unit: grid, staff: await loadStaffAtUnits(tx, [gridId]) })?.staffId ?? null;
}

async function residentByChat(tx: Database, residentId: number): Promise<boolean> {
  const [row] = await tx.select({ chatKey: residents.chatKey, contact: residents.chatContactId }).from(residents).where(eq(residents.id, residentId));
  return Boolean(row?.chatKey || row?.contact);
}

async function leaderNotices(tx: Database, { change, department }: { change: DispatchChange; department: string }): Promise<OutboxDraft[]> {
  const { after, events } = change;
  const wanted = events.filter((e) => ['accept', 'progress', 'resolve', 'return', 'request_extension', 'reopen'].includes(e.type));
  if (wanted.length === 0) return [];
  const leader = await gridContact(tx, after.gridId);
  if (leader === null) return [];
  const out: OutboxDraft[] = [];
  const to = (text: string) => out.push({ kind: 'status', orderId: after.id, recipientType: 'staff', staffId: leader, text });
  for (const e of wanted) {
    // The leader's own act needs no telling (he may 进展 an order a department holds: he is on it).
    if (e.actorStaffId === leader) continue;
    switch (e.type) {
      case 'accept':
        if (e.data?.implicit !== true) to(departmentTexts.toLeader.accepted({ no: after.no, department }));
        break;
      case 'progress':
        to(departmentTexts.toLeader.progress({ no: after.no, department, note: e.note ?? '' }));
        break;
      case 'resolve':
        to(departmentTexts.toLeader.resolved({ no: after.no, department, note: e.note ?? '', residentByChat: await residentByChat(tx, after.residentId) }));
        break;
      case 'return':
        to(departmentTexts.toLeader.returned({ no: after.no, department, reason: e.note ?? '', to: await unitName(tx, after.unitId) }));
        break;
      case 'request_extension':
        to(departmentTexts.toLeader.extension({ no: after.no, department, days: Number(e.data?.days ?? 0), reason: e.note ?? '' }));
        break;
      case 'reopen': {
        // The resident said the department's work did not do it: her contact hears it, unless the order is now his.
        if (after.assigneeId === leader) break;
        const survey = events.find((x) => x.type === 'survey');
        to(departmentTexts.toLeader.reopened({ no: after.no, department, ...reopenReason(survey?.data), comment: survey?.note ?? null, to: await unitName(tx, after.unitId) }));
        break;
      }
    }
  }
  return out;
}

async function unitName(tx: Database, unitId: number): Promise<string> {
  const [row] = await tx.select({ name: gridUnits.name }).from(gridUnits).where(eq(gridUnits.id, unitId));
  return row?.name ?? '';
}

/** Names of the other active departments serving the order's grid, for the re-dispatch hint. */
async function servingNames(tx: Database, gridId: number, exceptId: number): Promise<string[]> {
  const [grid] = await tx.select({ path: gridUnits.path }).from(gridUnits).where(eq(gridUnits.id, gridId));
  if (!grid) return [];
  const rows = await tx
    .select({ id: departments.id, name: departments.name, active: departments.active, unitPath: gridUnits.path })
    .from(departments)
    .innerJoin(gridUnits, eq(gridUnits.id, departments.unitId));
  return rows.filter((d) => d.id !== exceptId && servesPlace(d, grid.path)).map((d) => d.name);
}
