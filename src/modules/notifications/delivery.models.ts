/**
 * How an outbox message reaches its recipient, as a pure function of what is known about them: staff 1:1 by their
 * bound chat identity; a resident 1:1 when they are the bot's friend (a personal account can only message its
 * friends), otherwise in their group with an @-mention; a group message in its group.
 */

/** A person as the chat network knows them. `name` is their chat name ('' when the chat never saw them). */
export type ChatPerson = { name: string; chatKey: string | null; chatContactId: string | null };

export type ChatRoomRef = { groupId: number; roomId: string | null; topic: string };

export type RecipientFacts =
  | { recipientType: 'staff'; staff: (ChatPerson & { active: boolean }) | null }
  | {
      recipientType: 'resident';
      resident: (ChatPerson & { isFriend: boolean }) | null;
      /** The row's group, else the resident's grid's group: where a non-friend is answered. */
      group: ChatRoomRef | null;
    }
  | { recipientType: 'group'; group: ChatRoomRef | null }
  | { recipientType: string };

export type UnreachableReason =
  | 'staff_unknown'
  | 'staff_inactive'
  | 'staff_unbound'
  | 'resident_unknown'
  | 'resident_no_channel'
  | 'group_unknown'
  | 'recipient_type_unknown';

export type Route =
  | { via: 'direct'; contact: ChatPerson }
  | { via: 'room'; room: ChatRoomRef; mention: ChatPerson | null }
  | { via: 'none'; reason: UnreachableReason };

function hasChatIdentity(p: ChatPerson): boolean {
  return Boolean(p.chatKey || p.chatContactId);
}

export function chooseRoute(facts: RecipientFacts): Route {
  if (facts.recipientType === 'staff' && 'staff' in facts) {
    const s = facts.staff;
    if (!s) return { via: 'none', reason: 'staff_unknown' };
    if (!s.active) return { via: 'none', reason: 'staff_inactive' };
    // Staff are reached only 1:1: work orders carry residents' details that do not belong in a group.
    if (!hasChatIdentity(s)) return { via: 'none', reason: 'staff_unbound' };
    return { via: 'direct', contact: s };
  }
  if (facts.recipientType === 'resident' && 'resident' in facts) {
    const r = facts.resident;
    if (!r) return { via: 'none', reason: 'resident_unknown' };
    if (r.isFriend && hasChatIdentity(r)) return { via: 'direct', contact: r };
    // A resident the chat never saw (e.g. one who came through Open311: no chat identity, no chat name) is not
    // announced in a group they may not even be in.
    if (facts.group && (hasChatIdentity(r) || r.name.trim() !== '')) return { via: 'room', room: facts.group, mention: r };
    return { via: 'none', reason: 'resident_no_channel' };
  }
  if (facts.recipientType === 'group' && 'group' in facts) {
    if (!facts.group) return { via: 'none', reason: 'group_unknown' };
    return { via: 'room', room: facts.group, mention: null };
  }
  return { via: 'none', reason: 'recipient_type_unknown' };
}

/**
 * The text of a group message that @-mentions people. Web-protocol puppets (wechat4u) have no real mention: the
 * "@name " in the text is all the resident sees, so it is always written out.
 */
export function withMentions(text: string, names: string[]): string {
  const shown = names.map((n) => n.trim()).filter(Boolean);
  if (shown.length === 0) return text;
  return `${shown.map((n) => `@${n}`).join(' ')} ${text}`;
}
