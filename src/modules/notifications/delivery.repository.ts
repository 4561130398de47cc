import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { chatGroups } from '../chat/chat.table';
import { residents } from '../people/residents.table';
import { staff } from '../people/staff.table';
import { isPrivateReport } from '../chat/privacy.models';
import { workOrders } from '../work-orders/work-orders.table';
import type { ChatRoomRef, RecipientFacts } from './delivery.models';
import { type GroupBudgetFacts, INTERMEDIATE_KINDS } from './noise.models';
import { outbox } from './outbox.table';
import type { OutboxRow } from './outbox.repository';

async function loadGroup(db: Database, id: number): Promise<ChatRoomRef | null> {
  const [g] = await db
    .select({ groupId: chatGroups.id, roomId: chatGroups.roomId, topic: chatGroups.topic })
    .from(chatGroups)
    .where(eq(chatGroups.id, id));
  return g ?? null;
}

/** The group of a grid served by this bot account (the oldest, when a grid has several). */
async function loadGridGroup(db: Database, gridId: number, botAccount: string): Promise<ChatRoomRef | null> {
  const [g] = await db
    .select({ groupId: chatGroups.id, roomId: chatGroups.roomId, topic: chatGroups.topic })
    .from(chatGroups)
    .where(and(eq(chatGroups.gridId, gridId), eq(chatGroups.botAccount, botAccount)))
    .orderBy(asc(chatGroups.id))
    .limit(1);
  return g ?? null;
}

/** What the route rule needs to know about a row's recipient, read at send time (friendship and bindings change). */
export async function loadRecipientFacts({
  db,
  row,
}: {
  db: Database;
  row: Pick<OutboxRow, 'recipientType' | 'staffId' | 'residentId' | 'chatGroupId' | 'botAccount'>;
}): Promise<RecipientFacts> {
  if (row.recipientType === 'staff') {
    if (row.staffId === null) return { recipientType: 'staff', staff: null };
    const [s] = await db
      .select({ name: staff.name, chatKey: staff.chatKey, chatContactId: staff.chatContactId, active: staff.active })
      .from(staff)
      .where(eq(staff.id, row.staffId));
    return { recipientType: 'staff', staff: s ?? null };
  }
  if (row.recipientType === 'resident') {
    if (row.residentId === null) return { recipientType: 'resident', resident: null, group: null };
    const [r] = await db
      .select({
        chatName: residents.chatName,
        chatKey: residents.chatKey,
        chatContactId: residents.chatContactId,
        isFriend: residents.isFriend,
        gridId: residents.gridId,
      })
      .from(residents)
      .where(eq(residents.id, row.residentId));
    if (!r) return { recipientType: 'resident', resident: null, group: null };
    let group = row.chatGroupId !== null ? await loadGroup(db, row.chatGroupId) : null;
    if (!group && r.gridId !== null) group = await loadGridGroup(db, r.gridId, row.botAccount);
    return {
      recipientType: 'resident',
      resident: { name: r.chatName ?? '', chatKey: r.chatKey, chatContactId: r.chatContactId, isFriend: r.isFriend },
      group,
    };
  }
  if (row.recipientType === 'group') {
    return { recipientType: 'group', group: row.chatGroupId === null ? null : await loadGroup(db, row.chatGroupId) };
  }
  return { recipientType: row.recipientType };
}

/**
 * What the group budget needs about a resident notice's order, read at send time: its number (for the compact
 * line), whether it is a private report, and whether its one intermediate group line is spent. Null when the
 * order is gone.
 */
export async function loadGroupBudgetFacts({
  db,
  row,
}: {
  db: Database;
  row: Pick<OutboxRow, 'id' | 'orderId'>;
}): Promise<(GroupBudgetFacts & { no: number }) | null> {
  if (row.orderId === null) return null;
  const [order] = await db.select({ no: workOrders.no, text: workOrders.text }).from(workOrders).where(eq(workOrders.id, row.orderId));
  if (!order) return null;
  const [spent] = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        eq(outbox.orderId, row.orderId),
        eq(outbox.recipientType, 'resident'),
        eq(outbox.deliveredVia, 'room'),
        inArray(outbox.kind, [...INTERMEDIATE_KINDS]),
        ne(outbox.id, row.id),
      ),
    )
    .limit(1);
  return { no: order.no, privateOrder: isPrivateReport(order.text), intermediateSpent: spent !== undefined };
}
