/**
 * What may reach a log line. Query-string secrets (api_key, token, password …) are replaced in every logged URL,
 * and a database error is logged by what it is (SQL state, constraint, table, column, the statement's text)
 * and never by the values bound to it: drizzle's DrizzleQueryError and the drivers' errors carry the
 * parameters (a resident's name, phone, words) in their message and fields.
 */

const SECRET_PARAM = /^(api[_-]?key|apikey|key|token|access[_-]?token|secret|password|passwd|_csrf|code|signature|sig)$/i;

/** The URL with every secret query value replaced by "[redacted]" (the rest of the URL as it was). */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash === -1 ? undefined : hash);
  const redacted = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the name as written
      }
      return SECRET_PARAM.test(name.trim()) && eq !== -1 ? `${rawName}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q + 1)}${redacted}${hash === -1 ? '' : url.slice(hash)}`;
}

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null;
const str = (x: unknown) => (typeof x === 'string' ? x : undefined);

/** A database error: it carries a statement, or an SQLSTATE with a severity (Postgres, PGlite, postgres.js). */
function isDatabaseError(e: Obj): boolean {
  return typeof e.query === 'string' || (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && 'severity' in e);
}

/** The stack without its first line (the message, which may quote values). */
function framesOnly(stack: unknown): string | undefined {
  return typeof stack === 'string' ? stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n') : undefined;
}

/**
 * The `err` serializer of every logger: an ordinary error keeps its type, message, code and stack; a database
 * error (or one caused by it) keeps the statement, SQL state, constraint, table, column and routine, and loses
 * its message, parameters, detail and stack header.
 */
export function safeError(err: unknown, depth = 0): unknown {
  if (!isObj(err)) return err;
  const type = (err.constructor as { name?: string } | undefined)?.name ?? str(err.name) ?? 'Error';
  const cause = depth < 4 && isObj(err.cause) ? safeError(err.cause, depth + 1) : undefined;
  if (isDatabaseError(err) || (isObj(err.cause) && isDatabaseError(err.cause) && typeof err.query === 'string')) {
    const db = isObj(err.cause) && isDatabaseError(err.cause) ? err.cause : err;
    return {
      type,
      message: `database error${str(db.code) ? ` ${str(db.code)}` : ''}`,
      sql: str(err.query) ?? str(db.query),
      code: str(db.code),
      constraint: str(db.constraint) ?? str(db.constraint_name),
      table: str(db.table) ?? str(db.table_name),
      column: str(db.column) ?? str(db.column_name),
      routine: str(db.routine),
      stack: framesOnly(err.stack),
    };
  }
  return {
    type,
    message: str(err.message),
    code: typeof err.code === 'string' || typeof err.code === 'number' ? err.code : undefined,
    statusCode: typeof err.statusCode === 'number' ? err.statusCode : undefined,
    stack: str(err.stack),
    ...(cause ? { cause } : {}),
  };
}

type LoggedRequest = { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } };

/** Serializers for pino and Fastify's logger: requests with redacted URLs, errors without bound values. */
export const logSerializers = {
  err: (e: unknown) => safeError(e),
  error: (e: unknown) => safeError(e),
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};
