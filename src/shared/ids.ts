import { z } from 'zod';

/**
 * Ids and order numbers are Postgres `integer` columns: anything above 2^31 - 1 makes the query itself fail
 * (a 500, an aborted download, "系统开了个小差"). Numbers are bounded where they are parsed, so a number too large
 * to be any row's is simply one that names nothing: "not found", like any other unknown number.
 */
export const MAX_DB_INT = 2_147_483_647;

export function isDbId(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= MAX_DB_INT;
}

/** A positive id from a path segment, query or form field ("12", " 12 "); undefined for anything else or out of range. */
export function parseDbId(value: unknown): number | undefined {
  if (typeof value === 'number') return isDbId(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\s*\d{1,10}\s*$/u.test(value)) return undefined;
  const n = Number(value);
  return isDbId(n) ? n : undefined;
}

/** The one id type of route schemas: a positive integer that fits the database (a string is parsed, as forms send). */
export const dbId = z.preprocess((v) => (typeof v === 'string' && /^\s*\d+\s*$/u.test(v) ? Number(v) : v), z.number().int().min(1).max(MAX_DB_INT));

/** Years a date filter may name: far enough either way for any real record, near enough for Postgres and Date. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;
