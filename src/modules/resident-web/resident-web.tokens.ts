/**
 * The resident page's two tokens, both HMAC-SHA256 with a key derived from the session secret (so nothing new
 * needs configuring, and the cookie key itself is never used for anything else). Pure: no I/O.
 *
 * - The poster's grid token `<gridId>-<mac>`: the QR code carries it, never a bare grid id, so nobody can file
 *   into any grid by counting ids; rotating SESSION_SECRET invalidates every poster (print new ones).
 * - The tracking token `<linkId>-<mac>`: the MAC covers the link id and the link's random nonce, which never
 *   leaves the server, so a token cannot be forged or guessed, and revoking the link row kills it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const MAC_BYTES = 16; // 128 bits: not guessable

export function residentWebKey(sessionSecret: string): Buffer {
  return createHmac('sha256', sessionSecret).update('gridline/resident-web/v1').digest();
}

function mac(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest().subarray(0, MAC_BYTES).toString('base64url');
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const TOKEN = /^([1-9]\d{0,9})-([A-Za-z0-9_-]{22})$/;

function parse(token: string): { id: number; mac: string } | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  return id <= 2_147_483_647 ? { id, mac: m[2]! } : null;
}

export function gridToken(key: Buffer, gridId: number): string {
  return `${gridId}-${mac(key, `grid:${gridId}`)}`;
}

/** The grid id a poster's token names, or null when it is malformed or not ours. */
export function gridOfToken(key: Buffer, token: string): number | null {
  const p = parse(token);
  return p && sameMac(p.mac, mac(key, `grid:${p.id}`)) ? p.id : null;
}

export function trackingToken(key: Buffer, link: { id: number; nonce: string }): string {
  return `${link.id}-${mac(key, `track:${link.id}:${link.nonce}`)}`;
}

/** The link id a tracking token claims (to load its nonce), or null when it cannot be one. */
export function linkIdOfToken(token: string): { id: number; mac: string } | null {
  return parse(token);
}

export function trackingMacMatches(key: Buffer, link: { id: number; nonce: string }, given: string): boolean {
  return sameMac(given, mac(key, `track:${link.id}:${link.nonce}`));
}
