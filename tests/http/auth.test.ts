import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { auditLog } from '../../src/modules/audit/audit.table';
import { staff } from '../../src/modules/people/staff.table';
import { Browser, createConsoleTest, type ConsoleTest } from './console-helpers';

describe('console accounts', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
  });
  afterAll(async () => t?.close());

  it('an anonymous visitor asking for a console page is sent to the log-in page', async () => {
    const b = new Browser(t.app);
    const res = await b.get('/console/orders?status=assigned');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fconsole%2Forders%3Fstatus%3Dassigned');
  });

  it('the log-in page is in Chinese and sets no session', async () => {
    const b = new Browser(t.app);
    const res = await b.get('/login');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('用户名');
    expect(b.cookies.has('gl_sid')).toBe(false);
  });

  it('the seeded admin logs in with the one-time password and must change it before anything else', async () => {
    const b = new Browser(t.app, '10.9.9.9');
    const res = await b.login('admin', t.ctx.adminPassword);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/console/password');
    const session = b.cookies.get('gl_sid');
    expect(session).toBeTruthy();

    // Every other page sends them back to the password form.
    const orders = await b.get('/console/orders');
    expect(orders.statusCode).toBe(302);
    expect(orders.headers.location).toBe('/console/password');

    const form = await b.get('/console/password');
    expect(form.body).toContain('首次登录请先修改一次性密码');
    b.takeCsrf(form.body);

    const weak = await b.post('/console/password', { current: t.ctx.adminPassword, password: 'short', confirm: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('至少 10 位');

    const wrong = await b.post('/console/password', { current: 'nope', password: 'Nine-lives-2026', confirm: 'Nine-lives-2026' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('当前密码不正确');

    const ok = await b.post('/console/password', { current: t.ctx.adminPassword, password: 'Nine-lives-2026', confirm: 'Nine-lives-2026' });
    expect(ok.statusCode).toBe(303);
    const [row] = await t.ctx.db.select().from(staff).where(eq(staff.username, 'admin'));
    expect(row!.mustChangePassword).toBe(false);

    const after = await b.get('/console/password');
    expect(after.statusCode).toBe(200);
    expect(after.body).not.toContain('首次登录请先修改一次性密码');

    // The one-time password no longer works; the new one does.
    const again = new Browser(t.app, '10.9.9.10');
    expect((await again.login('admin', t.ctx.adminPassword)).statusCode).toBe(401);
    expect((await again.login('admin', 'Nine-lives-2026')).statusCode).toBe(303);

    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'auth.password_change'));
    expect(audit).toHaveLength(1);
  });

  it('a POST without the session CSRF token is refused and changes nothing', async () => {
    const b = await t.as('周主任');
    const res = await b.post('/console/password', { current: 'x', password: 'Another-pass-1', confirm: 'Another-pass-1', _csrf: 'forged' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('页面已过期');
    const missing = await b.post('/logout', {}, { csrf: false });
    expect(missing.statusCode).toBe(403);
    // Still logged in.
    expect((await b.get('/console/password')).statusCode).toBe(200);
  });

  it('a log-in form posted without its own token is refused (log-in CSRF)', async () => {
    const b = new Browser(t.app, '10.7.7.7');
    const res = await b.post('/login', { username: 'admin', password: 'whatever', _csrf: 'x' });
    expect(res.statusCode).toBe(403);
    expect(b.cookies.has('gl_sid')).toBe(false);
  });

  it('after five wrong passwords for one user from one address, even the right one is refused for a while', async () => {
    await t.account('吴书记', 'wushuji');
    const b = new Browser(t.app, '10.5.5.5');
    for (let i = 0; i < 5; i++) {
      expect((await b.login('wushuji', 'wrong-password')).statusCode).toBe(401);
      // Past the account's back-off (at most 4 s), so each try is weighed.
      t.ctx.clock.advance(5_000);
    }
    const blocked = await b.login('wushuji', 'Test-passw0rd-ok');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('登录失败次数过多');
    // Another address is not blocked for that user.
    expect((await new Browser(t.app, '10.5.5.6').login('wushuji', 'Test-passw0rd-ok')).statusCode).toBe(303);
    // After the lock ends, the right password works again.
    t.ctx.clock.advance(16 * 60_000);
    expect((await b.login('wushuji', 'Test-passw0rd-ok')).statusCode).toBe(303);
  });

  it('logging out ends the session on the server: the old cookie no longer opens a page', async () => {
    const b = await t.as('郑镇长');
    const cookie = b.cookies.get('gl_sid')!;
    expect((await b.get('/console/password')).statusCode).toBe(200);
    const out = await b.post('/logout', {});
    expect(out.statusCode).toBe(303);
    const replay = await t.app.inject({ method: 'GET', url: '/console/password', headers: { cookie: `gl_sid=${cookie}` } });
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it('the session cookie is httpOnly, SameSite=Lax and signed; Secure behind an https proxy that is trusted', async () => {
    await t.account('冯主任', 'fengzhuren');
    const loginVia = async (app: typeof t.app) => {
      const b = new Browser(app, '10.3.3.3');
      b.takeCsrf((await b.get('/login')).body);
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        payload: new URLSearchParams({ username: 'fengzhuren', password: 'Test-passw0rd-ok', _csrf: b.csrf! }).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-forwarded-proto': 'https',
        },
        remoteAddress: '10.3.3.3',
      });
      return String([res.headers['set-cookie']].flat().find((c) => String(c).startsWith('gl_sid=')));
    };
    // TRUST_PROXY off (the default): a client's X-Forwarded-Proto is not believed.
    expect(await loginVia(t.app)).not.toMatch(/Secure/i);
    const behindProxy = await buildHttpApp({ ctx: { ...t.ctx, config: { ...t.ctx.config, TRUST_PROXY: 1 } }, plugins: consolePlugins });
    try {
      const setCookie = await loginVia(behindProxy);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).toMatch(/Secure/i);
      // Signed: value.signature
      expect(setCookie.split(';')[0]!.split('=')[1]).toMatch(/\./);
    } finally {
      await behindProxy.close();
    }
  });

  it('a tampered session cookie is not accepted', async () => {
    const b = await t.as('陈支书');
    const cookie = b.cookies.get('gl_sid')!;
    const tampered = cookie.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    const res = await t.app.inject({ method: 'GET', url: '/console/password', headers: { cookie: `gl_sid=${tampered}` } });
    expect(res.statusCode).toBe(302);
  });

  it('the next parameter cannot send the user to another site', async () => {
    const b = new Browser(t.app, '10.4.4.4');
    await t.account('褚主任', 'chuzhuren');
    const page = await b.get('/login?next=//evil.example/x');
    expect(page.body).toContain('name="next" value="/console"');
    b.takeCsrf(page.body);
    const res = await b.post('/login', { username: 'chuzhuren', password: 'Test-passw0rd-ok', next: 'https://evil.example' });
    expect(res.headers.location).toBe('/console');
  });
});
