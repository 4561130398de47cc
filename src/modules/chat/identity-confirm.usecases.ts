import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { rows } from '../../db/sql';
import { residents } from '../people/residents.table';
import { inboundMessages } from './chat.table';
import { stableKey } from './identity.models';
import { type UnmatchedCandidate, bindGroupRoom, bindResident } from './identity.repository';
import { type UnmatchedIdentityRow, unmatchedIdentities } from './identity.table';

export type ConfirmOutcome =
  | { kind: 'not_found' }
  | { kind: 'invalid' }
  | { kind: 'confirmed'; entry: UnmatchedIdentityRow; resolution: string; mergedOrders: number };

/**
 * A member of staff decides who an unmatched contact or room is. A contact confirmed as a resident on record
 * becomes that resident: the chat id is bound to the record, and everything the provisional resident did
 * meanwhile (orders, "+1"s, survey answers, events, points, notices, stored messages) is merged into it, so
 * nothing reported while unconfirmed is lost. 'new' keeps the provisional resident as a resident in their own
 * right. One transaction; an entry already decided is not found.
 */
export async function confirmIdentity({
  db,
  entryId,
  resolution,
  staffId,
  now,
}: {
  db: Database;
  entryId: number;
  resolution: string;
  staffId: number | null;
  now: Date;
}): Promise<ConfirmOutcome> {
  return db.transaction(async (tx) => {
    const [entry] = await tx
      .select()
      .from(unmatchedIdentities)
      .where(and(eq(unmatchedIdentities.id, entryId), isNull(unmatchedIdentities.resolvedAt)))
      .for('update');
    if (!entry) return { kind: 'not_found' } as const;
    const candidates = (Array.isArray(entry.candidates) ? entry.candidates : []) as UnmatchedCandidate[];
    const chosen = candidates.find((c) => `${c.type}:${c.id}` === resolution);
    if (!chosen && !(resolution === 'new' && entry.kind === 'contact')) return { kind: 'invalid' } as const;

    let mergedOrders = 0;
    if (chosen?.type === 'resident') {
      const from = entry.provisionalResidentId;
      if (from !== null && from !== chosen.id) mergedOrders = await mergeResident(tx, { from, into: chosen.id });
      await bindResident(tx, { residentId: chosen.id, contactId: entry.chatId, name: entry.name, now });
    }
    if (chosen?.type === 'group') await bindGroupRoom(tx, { groupId: chosen.id, roomId: entry.chatId, topic: entry.name });
    await tx
      .update(unmatchedIdentities)
      .set({ resolvedAt: now, resolvedByStaffId: staffId, resolution })
      .where(eq(unmatchedIdentities.id, entryId));
    return { kind: 'confirmed', entry, resolution, mergedOrders } as const;
  });
}

/**
 * Moves everything a provisional resident owns to the resident they turned out to be, and retires the
 * provisional record (no chat key, contact or name left, so nothing matches it again; the row stays for the
 * audit trail). Returns how many orders moved.
 */
async function mergeResident(tx: Database, { from, into }: { from: number; into: number }): Promise<number> {
  const moved = await rows<{ id: number }>(tx, sql`update work_orders set resident_id = ${into} where resident_id = ${from} returning id`);
  await tx.execute(sql`
    insert into order_supporters (order_id, resident_id, chat_group_id, at)
    select order_id, ${into}, chat_group_id, at from order_supporters where resident_id = ${from}
    on conflict do nothing`);
  await tx.execute(sql`delete from order_supporters where resident_id = ${from}`);
  await tx.execute(sql`update survey_answers set resident_id = ${into} where resident_id = ${from}`);
  await tx.execute(sql`update order_events set actor_resident_id = ${into} where actor_resident_id = ${from}`);
  // Points are paid once per reason and order: a payment both records hold is kept once.
  await tx.execute(sql`
    delete from points_ledger p where p.resident_id = ${from} and exists (
      select 1 from points_ledger q where q.resident_id = ${into} and q.reason = p.reason and q.order_id = p.order_id)`);
  await tx.execute(sql`update points_ledger set resident_id = ${into} where resident_id = ${from}`);
  await tx.execute(sql`update outbox set resident_id = ${into} where resident_id = ${from}`);
  await tx
    .update(inboundMessages)
    .set({ fromKey: stableKey('resident', into) })
    .where(eq(inboundMessages.fromKey, stableKey('resident', from)));
  const [old] = await tx.select().from(residents).where(eq(residents.id, from));
  await tx
    .update(residents)
    .set({
      points: sql`(select coalesce(sum(delta), 0)::int from points_ledger where resident_id = ${into})`,
      gridId: sql`coalesce(${residents.gridId}, ${old?.gridId ?? null}::int)`,
      ...(old?.isFriend ? { isFriend: true } : {}),
    })
    .where(eq(residents.id, into));
  await tx.update(residents).set({ chatKey: null, chatContactId: null, chatName: null, points: 0 }).where(eq(residents.id, from));
  return moved.length;
}
