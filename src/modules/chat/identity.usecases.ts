import type { Database } from '../../db/client';
import type { ChatProbe, IncomingMessage } from './conversation.types';
import {
  type KnownGroup,
  type KnownPerson,
  matchGroup,
  matchResident,
  matchStaff,
  parseStableKey,
  stableKey,
} from './identity.models';
import {
  type ChatGroupRow,
  type ResidentRow,
  type StaffRow,
  bindGroupRoom,
  bindResident,
  bindStaffContact,
  createChatGroup,
  createChatResident,
  loadAllGroups,
  loadGroupCandidates,
  awaitsConfirmation,
  loadPersonCandidates,
  recordUnmatched,
  residentNamesByGrid,
} from './identity.repository';

type Room = NonNullable<IncomingMessage['room']>;

async function liveness(ids: (string | null)[], current: string, check: (id: string) => Promise<boolean>): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const id of new Set(ids)) {
    if (!id || id === current) continue;
    try {
      out.set(id, await check(id));
    } catch {
      out.set(id, false);
    }
  }
  return out;
}

/**
 * The group a room is, re-attaching it after a re-login. With `write` false nothing is changed (used to decide
 * whether group chatter is for the bot at all). A room the bot has never seen becomes a new, unbound group; an
 * uncertain one too, with an entry for the console.
 */
export async function resolveGroup({
  db,
  botAccount,
  room,
  probe,
  now,
  write,
}: {
  db: Database;
  botAccount: string;
  room: Room;
  probe: ChatProbe;
  now: Date;
  write: boolean;
}): Promise<ChatGroupRow | null> {
  let rows = await loadGroupCandidates(db, { botAccount, roomId: room.id, topic: room.topic });
  const exact = rows.find((g) => g.roomId === room.id);
  if (exact) {
    if (write && exact.topic !== room.topic) return bindGroupRoom(db, { groupId: exact.id, roomId: room.id, topic: room.topic });
    return exact;
  }
  if (rows.length === 0) {
    if (!write) return null;
    // Cold path, once per room: a renamed group is looked for among all groups whose room is gone.
    rows = await loadAllGroups(db, { botAccount });
  }
  const live = await liveness(rows.map((g) => g.roomId), room.id, probe.isLiveRoom);
  const names = await residentNamesByGrid(db, [...new Set(rows.map((g) => g.gridId).filter((g): g is number => g !== null))]);
  const known: KnownGroup[] = rows.map((g) => ({
    id: g.id,
    topic: g.topic,
    roomId: g.roomId,
    roomIdLive: g.roomId !== null && (live.get(g.roomId) ?? false),
    gridId: g.gridId,
    knownNames: g.gridId === null ? [] : (names.get(g.gridId) ?? []),
  }));
  const needsMembers = known.filter((g) => !g.roomIdLive && g.topic === room.topic).length !== 1;
  const memberNames = needsMembers ? await room.memberNames() : [];
  const match = matchGroup({ room: { id: room.id, topic: room.topic, memberNames }, known });
  if (match.kind === 'matched') {
    const row = rows.find((g) => g.id === match.group.id)!;
    return write ? bindGroupRoom(db, { groupId: row.id, roomId: room.id, topic: room.topic }) : row;
  }
  if (!write) return null;
  const created = await createChatGroup(db, { botAccount, roomId: room.id, topic: room.topic });
  if (match.kind === 'ambiguous') {
    await recordUnmatched(db, {
      botAccount,
      kind: 'room',
      chatId: room.id,
      name: room.topic,
      reason: match.candidates.some((c) => c.topic === room.topic) ? 'same_topic' : 'renamed_group',
      candidates: match.candidates.map((c) => ({ type: 'group', id: c.id, name: c.topic, gridId: c.gridId })),
      now,
    });
  }
  return created;
}

export type ResolvedSpeaker = {
  resident: ResidentRow | null;
  /**
   * The resident is provisional: the name pointed at someone on record (or at several), which a member of staff
   * has not confirmed yet. They see and change only what they themselves reported meanwhile.
   */
  unconfirmed: boolean;
  staff: StaffRow | null;
  /** A bound member of staff with this contact's name whose binding was lost: they must bind again. */
  staffNamesake: StaffRow | null;
  /** The remark to set so that this person is recognised after a re-login. */
  alias: string | null;
};

/**
 * Who is speaking. Staff only by their key or bound contact id. A resident as matchResident decides; with
 * `write`, a new one is created (in the group's grid), one found by remark gets the new contact id, and one the
 * name only points at is served as a provisional resident recorded for the console — never silently merged.
 */
export async function resolveSpeaker({
  db,
  botAccount,
  contact,
  group,
  probe,
  now,
  write,
  direct,
  roomMemberNames = null,
}: {
  db: Database;
  botAccount: string;
  contact: IncomingMessage['contact'];
  group: ChatGroupRow | null;
  probe: ChatProbe;
  now: Date;
  write: boolean;
  direct: boolean;
  /** The current members' names of the room the message came from (read only when a name is all there is). */
  roomMemberNames?: (() => Promise<string[]>) | null;
}): Promise<ResolvedSpeaker> {
  const candidates = await loadPersonCandidates(db, contact);
  const live = await liveness(
    [...candidates.residents.map((r) => r.chatContactId), ...candidates.staff.map((s) => s.chatContactId)],
    contact.id,
    probe.isLiveContact,
  );
  const isLive = (id: string | null) => id !== null && (id === contact.id || (live.get(id) ?? false));
  const known: KnownPerson[] = [
    ...candidates.residents.map((r) => ({
      kind: 'resident' as const,
      id: r.id,
      chatKey: r.chatKey,
      chatContactId: r.chatContactId,
      name: r.chatName,
      gridId: r.gridId,
      contactIdLive: isLive(r.chatContactId),
    })),
    ...candidates.staff.map((s) => ({
      kind: 'staff' as const,
      id: s.id,
      chatKey: s.chatKey,
      chatContactId: s.chatContactId,
      name: s.name,
      gridId: null,
      contactIdLive: isLive(s.chatContactId),
    })),
  ];

  const staffMatch = matchStaff({ contact, known });
  let staffRow: StaffRow | null = null;
  if (staffMatch.kind === 'matched') {
    staffRow = candidates.staff.find((s) => s.id === staffMatch.person.id) ?? null;
    if (write && staffMatch.rebind && staffRow) await bindStaffContact(db, { staffId: staffRow.id, contactId: contact.id });
  }
  const staffNamesake =
    staffMatch.kind === 'none' && staffMatch.namesake ? (candidates.staff.find((s) => s.id === staffMatch.namesake!.id) ?? null) : null;

  let residentMatch = matchResident({ contact, known, roomGridId: group?.gridId ?? null });
  if (residentMatch.kind === 'unconfirmed' && write && roomMemberNames) {
    const named = (await roomMemberNames()).filter((n) => n === contact.name).length;
    residentMatch = matchResident({ contact, known, roomGridId: group?.gridId ?? null, roomMembersWithName: named });
  }
  let resident: ResidentRow | null = null;
  let unconfirmed = false;
  const friend = direct || contact.friend === true;
  if (residentMatch.kind === 'matched') {
    resident = candidates.residents.find((r) => r.id === residentMatch.person.id) ?? null;
    if (write && resident) {
      const stale = residentMatch.rebind || resident.chatName !== contact.name || (friend && !resident.isFriend) || resident.chatKey === null;
      if (stale) {
        await bindResident(db, { residentId: resident.id, contactId: contact.id, name: contact.name, now, friend });
        resident = {
          ...resident,
          chatContactId: contact.id,
          chatName: contact.name,
          chatKey: resident.chatKey ?? stableKey('resident', resident.id),
          isFriend: resident.isFriend || friend,
        };
      }
    }
    if (resident) unconfirmed = await awaitsConfirmation(db, { residentId: resident.id });
  } else if (write && !staffRow) {
    // Staff speaking as themselves need no resident record until they report something (see ensureResident).
    const pointedAt = residentMatch.kind === 'unconfirmed' ? [residentMatch.candidate] : residentMatch.kind === 'ambiguous' ? residentMatch.candidates : null;
    resident = await createResidentFor({ db, botAccount, contact, group, now, friend, pointedAt, reason: residentMatch.kind === 'unconfirmed' ? 'name_match' : 'same_name' });
    unconfirmed = pointedAt !== null;
  }

  const alias = staffRow ? stableKey('staff', staffRow.id) : resident ? stableKey('resident', resident.id) : null;
  const current = parseStableKey(contact.alias);
  const aliasNeeded = alias !== null && (!current || stableKey(current.kind, current.id) !== alias) ? alias : null;
  return { resident, unconfirmed, staff: staffRow, staffNamesake, alias: aliasNeeded };
}

async function createResidentFor({
  db,
  botAccount,
  contact,
  group,
  now,
  friend,
  pointedAt,
  reason,
}: {
  db: Database;
  botAccount: string;
  contact: IncomingMessage['contact'];
  group: ChatGroupRow | null;
  now: Date;
  friend: boolean;
  /** Residents on record the name points at: the new resident is provisional, listed for the console. */
  pointedAt: KnownPerson[] | null;
  reason: 'name_match' | 'same_name';
}): Promise<ResidentRow> {
  const created = await createChatResident(db, { contactId: contact.id, name: contact.name, gridId: group?.gridId ?? null, now, friend });
  if (pointedAt) {
    await recordUnmatched(db, {
      botAccount,
      kind: 'contact',
      chatId: contact.id,
      name: contact.name,
      alias: contact.alias,
      seenIn: group?.topic ?? null,
      reason,
      candidates: pointedAt.map((c) => ({ type: 'resident', id: c.id, name: c.name, gridId: c.gridId })),
      provisionalResidentId: created.id,
      now,
    });
  }
  return created;
}

/** A member of staff reporting a demand does so as a resident of their own; created on first need. */
export async function ensureResident({
  db,
  speaker,
  contact,
  group,
  now,
  direct,
}: {
  db: Database;
  speaker: ResolvedSpeaker;
  contact: IncomingMessage['contact'];
  group: ChatGroupRow | null;
  now: Date;
  direct: boolean;
}): Promise<ResidentRow> {
  if (speaker.resident) return speaker.resident;
  const friend = direct || contact.friend === true;
  const created = await createChatResident(db, { contactId: contact.id, name: contact.name, gridId: group?.gridId ?? null, now, friend });
  speaker.resident = created;
  return created;
}
