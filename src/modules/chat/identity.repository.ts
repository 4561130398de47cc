import { and, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { residents } from '../people/residents.table';
import { staff } from '../people/staff.table';
import { chatGroups } from './chat.table';
import { type PersonKind, parseStableKey, stableKey } from './identity.models';
import { unmatchedIdentities } from './identity.table';

export type ResidentRow = typeof residents.$inferSelect;
export type StaffRow = typeof staff.$inferSelect;
export type ChatGroupRow = typeof chatGroups.$inferSelect;

const CANDIDATE_LIMIT = 50;

/** Residents and staff a contact could be: by the key in its remark, its current id, or its name. */
export async function loadPersonCandidates(
  db: Database,
  contact: { id: string; name: string; alias: string | null },
): Promise<{ residents: ResidentRow[]; staff: StaffRow[] }> {
  const key = parseStableKey(contact.alias);
  const residentWhere = or(
    eq(residents.chatContactId, contact.id),
    eq(residents.chatName, contact.name),
    key?.kind === 'resident' ? eq(residents.id, key.id) : undefined,
  );
  const staffWhere = or(
    eq(staff.chatContactId, contact.id),
    eq(staff.name, contact.name),
    key?.kind === 'staff' ? eq(staff.id, key.id) : undefined,
  );
  const [r, s] = await Promise.all([
    db.select().from(residents).where(residentWhere).limit(CANDIDATE_LIMIT),
    db.select().from(staff).where(and(staffWhere, eq(staff.active, true))).limit(CANDIDATE_LIMIT),
  ]);
  return { residents: r, staff: s };
}

/**
 * Ties a resident to the contact now speaking: the current id (taken from anyone who held it before, since
 * ids are reused by nobody else within a login), the display name, and the stable key.
 */
export async function bindResident(
  db: Database,
  { residentId, contactId, name, now, friend }: { residentId: number; contactId: string; name: string; now: Date; friend?: boolean },
): Promise<void> {
  await db
    .update(residents)
    .set({ chatContactId: null })
    .where(and(eq(residents.chatContactId, contactId), ne(residents.id, residentId)));
  await db
    .update(residents)
    .set({
      chatContactId: contactId,
      chatName: name,
      chatKey: sql`coalesce(${residents.chatKey}, ${stableKey('resident', residentId)})`,
      lastSeenAt: now,
      ...(friend ? { isFriend: true } : {}),
    })
    .where(eq(residents.id, residentId));
}

export async function createChatResident(
  db: Database,
  { contactId, name, gridId, now, friend }: { contactId: string; name: string; gridId: number | null; now: Date; friend: boolean },
): Promise<ResidentRow> {
  const [row] = await db
    .insert(residents)
    .values({ chatContactId: contactId, chatName: name, name, gridId, source: 'chat', lastSeenAt: now, isFriend: friend })
    .returning();
  const [keyed] = await db
    .update(residents)
    .set({ chatKey: stableKey('resident', row!.id) })
    .where(eq(residents.id, row!.id))
    .returning();
  return keyed!;
}

export async function bindStaffContact(db: Database, { staffId, contactId }: { staffId: number; contactId: string }): Promise<void> {
  await db.update(staff).set({ chatContactId: null }).where(and(eq(staff.chatContactId, contactId), ne(staff.id, staffId)));
  await db
    .update(staff)
    .set({ chatContactId: contactId, chatKey: stableKey('staff', staffId) })
    .where(eq(staff.id, staffId));
}

/** A valid one-time code names one active member of staff; using it clears it. */
export async function redeemBindCode(
  db: Database,
  { code, contactId, now }: { code: string; contactId: string; now: Date },
): Promise<StaffRow | null> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .update(staff)
      .set({ bindCode: null, bindCodeExpiresAt: null })
      .where(and(eq(staff.bindCode, code), eq(staff.active, true), gt(staff.bindCodeExpiresAt, now)))
      .returning();
    if (!found) return null;
    await bindStaffContact(tx, { staffId: found.id, contactId });
    const [bound] = await tx.select().from(staff).where(eq(staff.id, found.id));
    return bound ?? null;
  });
}

export async function loadGroupCandidates(
  db: Database,
  { botAccount, roomId, topic }: { botAccount: string; roomId: string; topic: string },
): Promise<ChatGroupRow[]> {
  return db
    .select()
    .from(chatGroups)
    .where(and(eq(chatGroups.botAccount, botAccount), or(eq(chatGroups.roomId, roomId), eq(chatGroups.topic, topic))));
}

export async function loadAllGroups(db: Database, { botAccount }: { botAccount: string }): Promise<ChatGroupRow[]> {
  return db.select().from(chatGroups).where(eq(chatGroups.botAccount, botAccount)).limit(5000);
}

/** Display names on record per grid, to compare a room's members with. */
export async function residentNamesByGrid(db: Database, gridIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (gridIds.length === 0) return out;
  const rows = await db
    .select({ gridId: residents.gridId, name: residents.chatName })
    .from(residents)
    .where(inArray(residents.gridId, gridIds));
  for (const r of rows) {
    if (r.gridId === null || !r.name) continue;
    out.set(r.gridId, [...(out.get(r.gridId) ?? []), r.name]);
  }
  return out;
}

export async function bindGroupRoom(db: Database, { groupId, roomId, topic }: { groupId: number; roomId: string; topic: string }): Promise<ChatGroupRow> {
  await db.update(chatGroups).set({ roomId: null }).where(and(eq(chatGroups.roomId, roomId), ne(chatGroups.id, groupId)));
  const [row] = await db.update(chatGroups).set({ roomId, topic }).where(eq(chatGroups.id, groupId)).returning();
  return row!;
}

export async function createChatGroup(
  db: Database,
  { botAccount, roomId, topic }: { botAccount: string; roomId: string; topic: string },
): Promise<ChatGroupRow> {
  const [row] = await db
    .insert(chatGroups)
    .values({ botAccount, roomId, topic, gridId: null })
    .onConflictDoUpdate({ target: chatGroups.roomId, set: { topic } })
    .returning();
  return row!;
}

export async function setGroupGrid(db: Database, { groupId, gridId }: { groupId: number; gridId: number }): Promise<void> {
  await db.update(chatGroups).set({ gridId }).where(eq(chatGroups.id, groupId));
}

export type UnmatchedCandidate = { type: 'resident' | 'group'; id: number; name: string | null; gridId: number | null };

/**
 * Records (or refreshes) a contact or room the bot could not decide on. Returns the provisional resident already
 * serving this contact, if any, so a second message does not create a second one.
 */
export async function recordUnmatched(
  db: Database,
  {
    botAccount,
    kind,
    chatId,
    name,
    alias,
    seenIn,
    reason,
    candidates,
    provisionalResidentId,
    now,
  }: {
    botAccount: string;
    kind: 'contact' | 'room';
    chatId: string;
    name: string;
    alias?: string | null;
    seenIn?: string | null;
    reason: string;
    candidates: UnmatchedCandidate[];
    provisionalResidentId?: number | null;
    now: Date;
  },
): Promise<void> {
  await db
    .insert(unmatchedIdentities)
    .values({
      botAccount,
      kind,
      chatId,
      name,
      alias: alias ?? null,
      seenIn: seenIn ?? null,
      reason,
      candidates,
      provisionalResidentId: provisionalResidentId ?? null,
      firstSeenAt: now,
      lastSeenAt: now,
    })
    .onConflictDoUpdate({
      target: [unmatchedIdentities.botAccount, unmatchedIdentities.kind, unmatchedIdentities.chatId],
      set: { lastSeenAt: now, candidates, name },
    });
}

/** Whether a resident is provisional, waiting for a member of staff to confirm who they are. */
export async function awaitsConfirmation(db: Database, { residentId }: { residentId: number }): Promise<boolean> {
  const [open] = await db
    .select({ id: unmatchedIdentities.id })
    .from(unmatchedIdentities)
    .where(and(eq(unmatchedIdentities.provisionalResidentId, residentId), isNull(unmatchedIdentities.resolvedAt)))
    .limit(1);
  return Boolean(open);
}

export function personKey(kind: PersonKind, id: number): string {
  return stableKey(kind, id);
}

/** The grid a resident first reported in becomes theirs (a later 1:1 demand needs no question). */
export async function rememberGrid(db: Database, { residentId, gridId }: { residentId: number; gridId: number }): Promise<void> {
  await db.update(residents).set({ gridId }).where(and(eq(residents.id, residentId), isNull(residents.gridId)));
}

/** A contact accepted the bot's friendship (or asked for it): 1:1 notices can reach them now. */
export async function markFriend(db: Database, { contactId }: { contactId: string }): Promise<number> {
  const updated = await db.update(residents).set({ isFriend: true }).where(eq(residents.chatContactId, contactId)).returning({ id: residents.id });
  return updated.length;
}

/** A group renamed while the bot is in it keeps its record; the topic follows (it is what re-attaches it later). */
export async function renameGroup(db: Database, { botAccount, roomId, topic }: { botAccount: string; roomId: string; topic: string }): Promise<void> {
  await db.update(chatGroups).set({ topic }).where(and(eq(chatGroups.botAccount, botAccount), eq(chatGroups.roomId, roomId)));
}
