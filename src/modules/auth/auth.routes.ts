import { randomBytes, timingSafeEqual } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPlugin } from '../../http/app';
import { cookieSecure } from '../../http/views/flash';
import { html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { redirectWithFlash, sendPage } from '../../http/views/page';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { writeAudit } from '../audit/audit.usecases';
import { gridUnits } from '../grids/grids.table';
import { staff } from '../people/staff.table';
import { currentUser, loadUser, requireStaff, SESSION_COOKIE } from './auth.guard';
import {
  LOGIN_BACKOFF_PER_ACCOUNT,
  LOGIN_THROTTLE,
  LOGIN_THROTTLE_PER_IP,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  SESSION_ABSOLUTE_MS,
  afterAccountFailure,
  afterFailure,
  loginGate,
  passwordProblem,
  passwordUserInputs,
  throttleKeys,
} from './auth.models';
import { loadStrengthChecker } from './password-strength';
import { PasswordWorkBusyError, hashPassword, verifyPassword } from './passwords';
import {
  clearThrottle,
  createSession,
  deleteSession,
  deleteStaffSessions,
  findStaffByUsername,
  loadThrottle,
  purgeExpiredSessions,
  purgeThrottle,
  recordFailure,
} from './sessions.repository';

const t = consoleTexts;
const LOGIN_CSRF_COOKIE = 'gl_lcsrf';

/** Verifying against a fixed hash when the user does not exist keeps the timing the same (no user probing). */
let dummyHash: Promise<string> | undefined;

/** Old throttle rows are deleted on a failure, at most this often per process. */
const THROTTLE_PURGE_EVERY_MS = 60_000;
let lastThrottlePurge = 0;

/** Only paths of this site: `next=//evil.example` or `next=https://...` would be an open redirect. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login') ? next : '/console';
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function loginPage(
  request: FastifyRequest,
  reply: FastifyReply,
  { secure, error, next, username = '', status = 200 }: { secure: boolean; error?: string; next: string; username?: string; status?: number },
) {
  // Log-in CSRF (a forged log-in into the attacker's account): a double-submit token, since there is no session yet.
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(LOGIN_CSRF_COOKIE, token, { path: '/login', httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: 3600 });
  return sendPage(request, reply, {
    title: t.login.title,
    status,
    flash: error ? [{ kind: 'error', text: error }] : [],
    body: html`<form method="post" action="/login" class="card login stack">
      <input type="hidden" name="_csrf" value="${token}">
      <input type="hidden" name="next" value="${next}">
      <label class="field">${t.login.username}<input name="username" autocomplete="username" required autofocus value="${username}"></label>
      <label class="field">${t.login.password}<input name="password" type="password" autocomplete="current-password" required></label>
      <button type="submit">${t.login.submit}</button>
    </form>`,
  });
}

/** Log-in, log-out and the password change; the seeded admin is sent to the last before anything else. */
export const authRoutes: HttpPlugin = async (app, { ctx }) => {
  const secureFor = (request: FastifyRequest) => cookieSecure(request, ctx.config.COOKIE_SECURE);

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    if (await loadUser(ctx, request)) return reply.redirect(safeNext(request.query.next));
    return loginPage(request, reply, { secure: secureFor(request), next: safeNext(request.query.next) });
  });

  app.post<{ Body: Record<string, string | undefined> }>('/login', async (request, reply) => {
    const body = request.body ?? {};
    const username = String(body.username ?? '').trim().slice(0, 100);
    const password = String(body.password ?? '');
    const next = safeNext(body.next);
    const secure = secureFor(request);
    const cookie = request.cookies[LOGIN_CSRF_COOKIE];
    const unsigned = cookie ? request.unsignCookie(cookie) : { valid: false, value: null };
    if (!unsigned.valid || !unsigned.value || !same(unsigned.value, String(body._csrf ?? ''))) {
      return loginPage(request, reply, { secure, next, username, error: t.common.csrf, status: 403 });
    }

    const now = ctx.clock.now();
    const ip = request.ip;
    const keys = throttleKeys(username, ip);
    const counters = await loadThrottle({ db: ctx.db, keys: Object.values(keys) });
    const gate = loginGate({
      address: counters.get(keys.address),
      accountAtAddress: counters.get(keys.accountAtAddress),
      account: counters.get(keys.account),
      now,
    });
    if (!gate.allowed) {
      const waitMs = gate.until.getTime() - now.getTime();
      const error = gate.rule === 'account' ? t.login.slowDown(Math.max(1, Math.ceil(waitMs / 1000))) : t.login.throttled(Math.max(1, Math.ceil(waitMs / 60_000)));
      reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
      return loginPage(request, reply, { secure, next, username, error, status: 429 });
    }

    const found = username ? await findStaffByUsername(ctx.db, username) : undefined;
    let ok: boolean;
    try {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      // A password longer than any the change form accepts can not be right; it is not worth an argon2 run.
      const checkable = password.length <= MAX_PASSWORD_LENGTH;
      ok = found?.passwordHash && found.active && checkable
        ? await verifyPassword(found.passwordHash, password)
        : (await verifyPassword(await dummyHash, checkable ? password : ''), false);
    } catch (error) {
      if (!(error instanceof PasswordWorkBusyError)) throw error;
      reply.header('retry-after', '1');
      return loginPage(request, reply, { secure, next, username, error: t.login.busy, status: 503 });
    }
    if (!ok || !found) {
      await recordFailure({ db: ctx.db, key: keys.accountAtAddress, now, step: (s) => afterFailure(s, now, LOGIN_THROTTLE) });
      await recordFailure({ db: ctx.db, key: keys.address, now, step: (s) => afterFailure(s, now, LOGIN_THROTTLE_PER_IP) });
      await recordFailure({ db: ctx.db, key: keys.account, now, step: (s) => afterAccountFailure(s, now, LOGIN_BACKOFF_PER_ACCOUNT) });
      if (now.getTime() - lastThrottlePurge > THROTTLE_PURGE_EVERY_MS || now.getTime() < lastThrottlePurge) {
        lastThrottlePurge = now.getTime();
        await purgeThrottle({ db: ctx.db, now });
      }
      await writeAudit({
        db: ctx.db,
        now,
        entry: { actorStaffId: found?.id ?? null, action: 'auth.login_failed', targetType: 'staff', targetId: found?.id, data: { username }, ip },
      });
      return loginPage(request, reply, { secure, next, username, error: t.login.failed, status: 401 });
    }

    await clearThrottle({ db: ctx.db, key: keys.accountAtAddress });
    await purgeExpiredSessions({ db: ctx.db, now });
    const session = await createSession({ db: ctx.db, staffId: found.id, now, ip, userAgent: request.headers['user-agent'] });
    await writeAudit({ db: ctx.db, now, entry: { actorStaffId: found.id, action: 'auth.login', targetType: 'staff', targetId: found.id, ip } });
    reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/login' });
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      signed: true,
      maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
    });
    return reply.redirect(found.mustChangePassword ? '/console/password' : next, 303);
  });

  app.post('/logout', { preHandler: requireStaff({ ctx, allowMustChangePassword: true }) }, async (request, reply) => {
    const user = currentUser(request);
    await deleteSession({ db: ctx.db, sessionId: user.sessionId });
    await writeAudit({
      db: ctx.db,
      now: ctx.clock.now(),
      entry: { actorStaffId: user.staffId, action: 'auth.logout', targetType: 'staff', targetId: user.staffId, ip: request.ip },
    });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return redirectWithFlash(request, reply, '/login', { kind: 'info', text: t.login.loggedOut }, ctx.config.COOKIE_SECURE);
  });

  const passwordForm = (request: FastifyRequest, reply: FastifyReply, errors: string[] = [], status = 200) => {
    const user = currentUser(request);
    return sendPage(request, reply, {
      title: t.password.title,
      status,
      flash: [
        ...(user.mustChangePassword ? [{ kind: 'info' as const, text: t.password.mustChange }] : []),
        ...errors.map((text) => ({ kind: 'error' as const, text })),
      ],
      body: html`<form method="post" action="/console/password" class="card login stack">
        ${csrfField(user)}
        <input type="hidden" name="username" value="${user.username}" autocomplete="username">
        <label class="field">${t.password.current}<input name="current" type="password" autocomplete="current-password" required></label>
        <label class="field">${t.password.next}<input name="password" type="password" autocomplete="new-password" required minlength="10" maxlength="1000"></label>
        <label class="field">${t.password.confirm}<input name="confirm" type="password" autocomplete="new-password" required minlength="10" maxlength="1000"></label>
        <p class="muted small">${t.password.hint}</p>
        <button type="submit">${t.common.save}</button>
      </form>`,
    });
  };

  const guard = requireStaff({ ctx, allowMustChangePassword: true });
  app.get('/console/password', { preHandler: guard }, async (request, reply) => passwordForm(request, reply));

  app.post<{ Body: Record<string, string | undefined> }>('/console/password', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const body = request.body ?? {};
    const current = String(body.current ?? '');
    const password = String(body.password ?? '');
    const [row] = await ctx.db.select({ passwordHash: staff.passwordHash }).from(staff).where(eq(staff.id, user.staffId));
    let currentOk: boolean;
    try {
      currentOk = Boolean(row?.passwordHash) && current.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(row!.passwordHash!, current));
    } catch (error) {
      if (!(error instanceof PasswordWorkBusyError)) throw error;
      return passwordForm(request, reply, [t.password.busy], 503);
    }
    if (!currentOk) return passwordForm(request, reply, [t.password.wrongCurrent], 400);
    if (password !== String(body.confirm ?? '')) return passwordForm(request, reply, [t.password.mismatch], 400);
    const unitIds = user.roles.map((r) => r.unitId);
    const units = unitIds.length ? await ctx.db.select({ name: gridUnits.name }).from(gridUnits).where(inArray(gridUnits.id, unitIds)) : [];
    const inputs = passwordUserInputs({ username: user.username, name: user.name, units: units.map((u) => u.name) });
    // Only a password of a sane length is weighed (zxcvbn looks at the first 256 characters anyway).
    const strength = password.length >= MIN_PASSWORD_LENGTH && password.length <= MAX_PASSWORD_LENGTH
      ? (await loadStrengthChecker())(password, inputs)
      : { score: 0, warning: null, suggestions: [] };
    const problem = passwordProblem({ password, username: user.username, current, strength });
    if (problem) {
      const feedback = problem === 'too_weak' ? [strength.warning, ...strength.suggestions].filter((x): x is string => Boolean(x)) : [];
      return passwordForm(request, reply, [[t.password.problems[problem], ...feedback].join(' ')], 400);
    }

    await ctx.db
      .update(staff)
      .set({ passwordHash: await hashPassword(password), mustChangePassword: false })
      .where(eq(staff.id, user.staffId));
    // Anyone else holding a session of this account (the one-time password was printed on a console) is out.
    await deleteStaffSessions({ db: ctx.db, staffId: user.staffId, except: user.sessionId });
    await writeAudit({
      db: ctx.db,
      now: ctx.clock.now(),
      entry: { actorStaffId: user.staffId, action: 'auth.password_change', targetType: 'staff', targetId: user.staffId, ip: request.ip },
    });
    return redirectWithFlash(request, reply, '/console', { kind: 'ok', text: t.password.changed }, ctx.config.COOKIE_SECURE);
  });
};
