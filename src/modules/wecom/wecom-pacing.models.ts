/**
 * WeCom's limit per member: an app may send one member at most N messages in any 60 s (30; past that WeCom drops
 * them with errcode 45009). A sliding window of the last N send times, as pure functions of `now` (ms).
 */
export type MemberWindow = { sentAt: number[] };

const MINUTE_MS = 60_000;

function recent(window: MemberWindow | undefined, now: number): number[] {
  return (window?.sentAt ?? []).filter((t) => t > now - MINUTE_MS && t <= now);
}

/** How long until one more message may go to this member (0 = now). */
export function memberWindowWait({ window, now, perMinute }: { window: MemberWindow | undefined; now: number; perMinute: number }): number {
  const sent = recent(window, now);
  if (sent.length < perMinute) return 0;
  const oldest = Math.min(...sent.slice(-perMinute));
  return Math.max(1, oldest + MINUTE_MS - now + 1);
}

export function noteMemberSend({ window, now, perMinute }: { window: MemberWindow | undefined; now: number; perMinute: number }): MemberWindow {
  return { sentAt: [...recent(window, now), now].slice(-perMinute) };
}
