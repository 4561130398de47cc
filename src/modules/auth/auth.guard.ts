import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AppContext } from '../../app-context';
import { consoleTexts } from '../../i18n/zh-CN.console';
import type { StaffRole } from '../people/people.models';
import { type ConsoleUser, hasRole } from './auth.models';
import { loadSessionUser } from './sessions.repository';

export const SESSION_COOKIE = 'gl_sid';

const users = new WeakMap<FastifyRequest, ConsoleUser>();

/** The logged-in user of a request that passed `requireStaff`; throws when the route forgot the guard. */
export function currentUser(request: FastifyRequest): ConsoleUser {
  const user = users.get(request);
  if (!user) throw new Error(`route ${request.routeOptions.url} uses currentUser without requireStaff`);
  return user;
}

/** The user when the request carried a session that `requireStaff` or `loadUser` resolved. */
export function maybeUser(request: FastifyRequest): ConsoleUser | undefined {
  return users.get(request);
}

/** Resolves the session cookie without requiring one (for pages that look different when logged in). */
export async function loadUser(ctx: AppContext, request: FastifyRequest): Promise<ConsoleUser | undefined> {
  const existing = users.get(request);
  if (existing) return existing;
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return undefined;
  const unsigned = request.unsignCookie(cookie);
  if (!unsigned.valid || !unsigned.value) return undefined;
  const user = await loadSessionUser({ db: ctx.db, token: unsigned.value, now: ctx.clock.now() });
  if (user) users.set(request, user);
  return user;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The CSRF token a request sent: the `_csrf` form field, or the x-csrf-token header for scripts. */
function sentCsrf(request: FastifyRequest): string {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : '';
}

function wantsHtml(request: FastifyRequest): boolean {
  return request.method === 'GET' && !String(request.headers.accept ?? '').startsWith('application/json');
}

/** A plain error page without the layout's dependencies (the guard runs before any page). */
function refuse(reply: FastifyReply, status: number, text: string) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<link rel="stylesheet" href="/static/console.css"><title>${status}</title></head><body><main><h1>${status}</h1>` +
        `<div class="flash flash-error">${text}</div><p><a href="/console">${consoleTexts.common.back}</a></p></main></body></html>`,
    );
}

/**
 * The console's gate, as a preHandler: a valid session (else to the log-in page, or 401), the CSRF token on every
 * POST, a changed one-time password (else to the password page), and one of `roles` when given (else 403). Scope
 * (which grids) is each route's business: see `scopeOf` and answer 404 for records outside it.
 */
export function requireStaff({
  ctx,
  roles,
  allowMustChangePassword = false,
}: {
  ctx: AppContext;
  roles?: readonly StaffRole[];
  allowMustChangePassword?: boolean;
}): preHandlerAsyncHookHandler {
  return async function guard(request, reply) {
    const user = await loadUser(ctx, request);
    if (!user) {
      if (wantsHtml(request)) {
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      }
      return refuse(reply, 401, consoleTexts.login.expired);
    }
    if (UNSAFE.has(request.method) && !sameToken(sentCsrf(request), user.csrfToken)) {
      return refuse(reply, 403, consoleTexts.common.csrf);
    }
    if (user.mustChangePassword && !allowMustChangePassword) {
      if (request.method === 'GET') return reply.redirect('/console/password');
      return refuse(reply, 403, consoleTexts.password.mustChange);
    }
    if (roles && !hasRole(user, roles)) return refuse(reply, 403, consoleTexts.common.forbidden);
  };
}
