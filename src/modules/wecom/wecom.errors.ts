/**
 * What a WeCom errcode means for the caller:
 * - token: the access_token is invalid (40014) or expired (42001, 40082 for a suite): renew it and call again.
 * - rate: over a frequency limit (45009 API/member rate, 45033 concurrency, 45047 too many messages): try later.
 * - recipient: this member cannot be reached through the app (60111 no such userid, 81013 none of the recipients
 *   valid, 60102/60103, 81011 not in the app's range): retrying will not help; fall back to another channel.
 * - config: the app itself is misconfigured (40001 secret, 40013 corp id, 40056/301002 agent id, 60020 the server's
 *   IP is not in the app's 可信IP list, 48002 API forbidden): retrying helps once an admin fixes it.
 * - other: anything else (including -1 "system busy", network faults): retried with backoff.
 */
export type WecomErrorKind = 'token' | 'rate' | 'recipient' | 'config' | 'other';

const KINDS: Record<number, WecomErrorKind> = {
  40014: 'token',
  42001: 'token',
  40082: 'token',
  45009: 'rate',
  45033: 'rate',
  45047: 'rate',
  60111: 'recipient',
  81013: 'recipient',
  81011: 'recipient',
  60102: 'recipient',
  60103: 'recipient',
  40001: 'config',
  40013: 'config',
  40056: 'config',
  301002: 'config',
  60020: 'config',
  48002: 'config',
};

export function wecomErrorKind(errcode: number): WecomErrorKind {
  return KINDS[errcode] ?? 'other';
}
