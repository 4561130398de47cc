/**
 * Who is speaking, and in which group, when the chat network's ids are not stable: web-protocol puppets
 * (wechat4u) give every contact and room a new id at each login. The bot keeps its own stable key per person
 * ("GL-R12", "GL-S3") and writes it as the contact's remark (alias) where it can, since remarks live on the
 * WeChat account and survive re-logins. Groups are re-attached by topic only when exactly one record can be
 * meant and its old room is gone. People are never re-attached by name alone: a display name is anyone's to
 * take, so a name points at a record for a member of staff to confirm (the console), and meanwhile the speaker
 * is a provisional resident.
 */

export type PersonKind = 'resident' | 'staff';

const KEY = /^GL-([RS])(\d+)(?![\d])/u;

export function stableKey(kind: PersonKind, id: number): string {
  return `GL-${kind === 'resident' ? 'R' : 'S'}${id}`;
}

/** The stable key in a remark ("GL-R12", or "GL-R12 陈阿姨" if a person edited it); null otherwise. */
export function parseStableKey(alias: string | null | undefined): { kind: PersonKind; id: number } | null {
  const m = alias ? KEY.exec(alias.trim()) : null;
  if (!m) return null;
  return { kind: m[1] === 'R' ? 'resident' : 'staff', id: Number(m[2]) };
}

/** A person on record, as the matching rules need them. */
export type KnownPerson = {
  kind: PersonKind;
  id: number;
  chatKey: string | null;
  chatContactId: string | null;
  /** The chat display name last seen (residents) or the staff member's name. */
  name: string | null;
  gridId: number | null;
  /** Whether `chatContactId` still names a contact in this login (false when null). */
  contactIdLive: boolean;
};

export type SeenContact = { id: string; name: string; alias: string | null };

export type PersonMatch =
  | { kind: 'matched'; person: KnownPerson; by: 'key' | 'contact_id'; rebind: boolean }
  /**
   * Only the display name points at this record. Anyone can take a name in a group, so the speaker is served as
   * a provisional resident linked to it, and sees or changes nothing of it until a member of staff confirms.
   */
  | { kind: 'unconfirmed'; candidate: KnownPerson }
  | { kind: 'new' }
  | { kind: 'ambiguous'; candidates: KnownPerson[] };

/**
 * The person named by the remark's key — only while the record still holds that key: an admin who unbinds a
 * member of staff clears it, and the remark left on the old contact then means nothing.
 */
function byKey(contact: SeenContact, known: readonly KnownPerson[], kind: PersonKind): KnownPerson | undefined {
  const key = parseStableKey(contact.alias);
  if (!key || key.kind !== kind) return undefined;
  return known.find((p) => p.kind === kind && p.id === key.id && p.chatKey === stableKey(kind, key.id));
}

/**
 * Which resident a contact is. In order: the stable key in the remark; the current contact id — these two are
 * the person. Then the name, among residents whose old contact is gone (a live contact with the same name is
 * someone else): never a match, only a suggestion. In a group the suggestion is the single such resident of the
 * group's grid, and only while the contact is the one member of the room with that name
 * (`roomMembersWithName`); a namesake elsewhere, several namesakes, or two members carrying the name are for an
 * admin to decide. Nobody with the name: a new resident.
 */
export function matchResident({
  contact,
  known,
  roomGridId = null,
  roomMembersWithName = null,
}: {
  contact: SeenContact;
  known: readonly KnownPerson[];
  roomGridId?: number | null;
  /** How many current members of the room carry the contact's name; null in a 1:1 chat. */
  roomMembersWithName?: number | null;
}): PersonMatch {
  const residents = known.filter((p) => p.kind === 'resident');
  const keyed = byKey(contact, residents, 'resident');
  if (keyed) return { kind: 'matched', person: keyed, by: 'key', rebind: keyed.chatContactId !== contact.id };

  const current = residents.find((p) => p.chatContactId === contact.id);
  if (current) return { kind: 'matched', person: current, by: 'contact_id', rebind: false };

  const free = freeNamesakes(contact, known);
  if (free.length === 0) return { kind: 'new' };
  const inGrid = roomGridId === null ? free : free.filter((p) => p.gridId === roomGridId);
  if (roomMembersWithName !== null && roomMembersWithName !== 1) return { kind: 'ambiguous', candidates: inGrid.length > 0 ? inGrid : free };
  if (inGrid.length === 1) return { kind: 'unconfirmed', candidate: inGrid[0]! };
  return { kind: 'ambiguous', candidates: inGrid.length > 1 ? inGrid : free };
}

/** Residents with the contact's name whose own contact is gone: whom a name alone could point at. */
export function freeNamesakes(contact: SeenContact, known: readonly KnownPerson[]): KnownPerson[] {
  return known.filter((p) => p.kind === 'resident' && p.name === contact.name && !p.contactIdLive && p.chatContactId !== contact.id);
}

export type StaffMatch =
  | { kind: 'matched'; person: KnownPerson; by: 'key' | 'contact_id'; rebind: boolean }
  /** Not bound; `namesake` when a bound member of staff with this name lost their contact (they must bind again). */
  | { kind: 'none'; namesake: KnownPerson | null };

/**
 * Which member of staff a contact is: only by the stable key or the bound contact id, never by name, since a
 * display name is anyone's to choose and staff commands carry authority. A bound namesake whose contact is gone
 * is reported so the bot can ask them to bind again with a fresh code.
 */
export function matchStaff({ contact, known }: { contact: SeenContact; known: readonly KnownPerson[] }): StaffMatch {
  const staff = known.filter((p) => p.kind === 'staff');
  const keyed = byKey(contact, staff, 'staff');
  if (keyed) return { kind: 'matched', person: keyed, by: 'key', rebind: keyed.chatContactId !== contact.id };
  const current = staff.find((p) => p.chatContactId === contact.id && p.chatKey !== null);
  if (current) return { kind: 'matched', person: current, by: 'contact_id', rebind: false };
  const namesake = staff.find((p) => p.name === contact.name && p.chatKey !== null && !p.contactIdLive) ?? null;
  return { kind: 'none', namesake };
}

/** A chat group on record. `knownNames`: names of people on record in its grid, to compare with the members. */
export type KnownGroup = {
  id: number;
  topic: string;
  roomId: string | null;
  roomIdLive: boolean;
  gridId: number | null;
  knownNames: readonly string[];
};

export type SeenRoom = { id: string; topic: string; memberNames: readonly string[] };

export type GroupMatch =
  | { kind: 'matched'; group: KnownGroup; by: 'room_id' | 'topic' | 'topic_members'; rebind: boolean }
  | { kind: 'new' }
  | { kind: 'ambiguous'; candidates: KnownGroup[] };

/** Members of a renamed group that must be on record in another group before the bot suspects it is that one. */
export const RENAMED_GROUP_MIN_OVERLAP = 3;

function overlap(room: SeenRoom, group: KnownGroup): number {
  const names = new Set(group.knownNames);
  return room.memberNames.filter((n) => names.has(n)).length;
}

/**
 * Which group a room is: its current id; else the one group with its topic whose old room is gone; among
 * several such groups, the one sharing clearly the most members. A room matching no topic is a new group —
 * unless it shares several members with a group whose room is gone (renamed while the bot was away), which
 * an admin confirms.
 */
export function matchGroup({ room, known }: { room: SeenRoom; known: readonly KnownGroup[] }): GroupMatch {
  const current = known.find((g) => g.roomId === room.id);
  if (current) return { kind: 'matched', group: current, by: 'room_id', rebind: false };

  const free = known.filter((g) => !g.roomIdLive);
  const sameTopic = free.filter((g) => g.topic === room.topic);
  if (sameTopic.length === 1) return { kind: 'matched', group: sameTopic[0]!, by: 'topic', rebind: true };
  if (sameTopic.length > 1) {
    const scored = sameTopic.map((g) => ({ g, score: overlap(room, g) })).sort((a, b) => b.score - a.score);
    const [best, second] = scored;
    if (best && best.score > 0 && best.score > (second?.score ?? 0)) {
      return { kind: 'matched', group: best.g, by: 'topic_members', rebind: true };
    }
    return { kind: 'ambiguous', candidates: sameTopic };
  }
  const suspects = free.filter((g) => overlap(room, g) >= RENAMED_GROUP_MIN_OVERLAP);
  return suspects.length > 0 ? { kind: 'ambiguous', candidates: suspects } : { kind: 'new' };
}
