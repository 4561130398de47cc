/**
 * A member's 企业微信 settings as the console edits them: the userid (WeCom's own rule: 1–64 letters, digits and
 * `_ - . @`) and which channel notices go to first.
 */

/** Which sender takes a notice to this member first (`staff.preferred_channel`). */
export type StaffChannel = 'wechat' | 'wecom';

export const STAFF_CHANNELS: readonly StaffChannel[] = ['wecom', 'wechat'];

const WECOM_USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/u;
/** Longer than this is refused before it is read at all. */
const MAX_FIELD = 200;

/**
 * The userid field as typed: full-width characters from a Chinese input method (`ｚｈａｎｇ３`, `＠`) made
 * half-width, spaces around dropped. Empty means no userid (unbind).
 */
export function readWecomUserId(raw: string): { ok: true; userId: string | null } | { ok: false } {
  if (raw.length > MAX_FIELD) return { ok: false };
  const value = raw.normalize('NFKC').trim();
  if (value === '') return { ok: true, userId: null };
  return WECOM_USER_ID.test(value) ? { ok: true, userId: value } : { ok: false };
}

export function isStaffChannel(value: unknown): value is StaffChannel {
  return STAFF_CHANNELS.includes(value as StaffChannel);
}

/**
 * The preference to store. It matters only when the member has both channels; otherwise it follows the one they
 * have, because the sender takes a row by the preference alone (outbox.repository `wecomRow`): a member with no
 * userid cannot be reached by the WeCom app, and one with a userid but no WeChat binding would have every notice
 * that went to the WeChat bot dead-lettered as unbound.
 */
export function preferredChannelOf({ wecomUserId, wechatBound, wanted }: { wecomUserId: string | null; wechatBound: boolean; wanted: StaffChannel }): StaffChannel {
  if (!wecomUserId) return 'wechat';
  if (!wechatBound) return 'wecom';
  return wanted;
}
