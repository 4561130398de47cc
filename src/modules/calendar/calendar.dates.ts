/**
 * China-time date arithmetic on `YYYY-MM-DD` strings. Pure: no I/O, no clock.
 *
 * Business dates are China dates (Asia/Shanghai). China has had no DST since 1991, so a fixed +08:00 offset is
 * exact for every date this product handles, and it keeps the result independent of the server's TZ setting.
 */

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds since the epoch of 00:00 UTC on that date, or null when the string is not a real `YYYY-MM-DD` date. */
function utcMidnight(date: string): number | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const [, y, m, d] = match;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2027-02-30 over to March; a round trip tells real dates from impossible ones.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms;
}

export function isValidIsoDate(date: string): boolean {
  return utcMidnight(date) !== null;
}

function requireUtcMidnight(date: string): number {
  const ms = utcMidnight(date);
  if (ms === null) throw new RangeError(`Not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return ms;
}

function formatUtcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The China (UTC+8) calendar date of an instant, as `YYYY-MM-DD`. */
export function chinaDate(d: Date): string {
  return formatUtcDate(d.getTime() + CHINA_OFFSET_MS);
}

/** The instant 00:00 China time (+08:00) begins on `date`. */
export function chinaDayStart(date: string): Date {
  return new Date(requireUtcMidnight(date) - CHINA_OFFSET_MS);
}

/** `date` moved by `n` calendar days (n may be negative). */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`addDays needs a whole number of days, got ${n}`);
  return formatUtcDate(requireUtcMidnight(date) + n * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, as `Date#getDay`. */
export function dayOfWeek(date: string): number {
  return new Date(requireUtcMidnight(date)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const dow = dayOfWeek(date);
  return dow === 0 || dow === 6;
}

export function yearOf(date: string): number {
  requireUtcMidnight(date);
  return Number(date.slice(0, 4));
}
