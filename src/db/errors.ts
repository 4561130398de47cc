/** SQL states that say the server or the connection went away for a moment, not that the statement is wrong. */
const PASSING_STATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);
/** postgres.js and Node socket codes for a lost or refused connection. */
const PASSING_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Whether a failed query is worth running again later (the database restarted, a connection broke, a
 * serialization conflict) rather than a fault in what was asked. Looks through wrapped causes.
 */
export function isPassingDbError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (PASSING_CODES.has(code) || PASSING_STATES.has(code) || code.startsWith('08'))) return true;
  }
  return false;
}
