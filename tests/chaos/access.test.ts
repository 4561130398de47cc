/**
 * Access under hostile requests: the simulator and Open311 next to the console's role matrix
 * (tests/http/roles.test.ts), forged X-Forwarded-For against the log-in throttle, and forged or missing Origin
 * on every state-changing route. Budget: about a minute on PGlite (each test has its own timeout).
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorPlugin } from '../../bots/simulator/simulator.routes';
import { parseConfig, simulatorServed } from '../../src/config/config';
import { buildHttpApp, type HttpPlugin } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { auditLog } from '../../src/modules/audit/audit.table';
import { loginThrottle } from '../../src/modules/auth/sessions.table';
import { staff } from '../../src/modules/people/staff.table';
import { type BotHarness, GROUP, startBotHarness } from '../bots/helpers';
import { Browser, createConsoleTest, type ConsoleTest, TEST_PASSWORD } from '../http/console-helpers';

const EVIL = 'https://evil.example';
const json = { 'content-type': 'application/json' };

describe('the simulator is served only where it is safe, and only to its own page', () => {
  let h: BotHarness;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await startBotHarness();
    app = await buildHttpApp({ ctx: h.t, plugins: [...consolePlugins, simulatorPlugin(h.world)] });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('SIMULATOR=auto serves it on a loopback HOST only; on and off say so', () => {
    const served = (env: Record<string, string>) => simulatorServed(parseConfig(env));
    expect(served({})).toBe(true);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) expect(served({ HOST: host }), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'gridline.example']) expect(served({ HOST: host }), host).toBe(false);
    expect(served({ HOST: '0.0.0.0', SIMULATOR: 'on' })).toBe(true);
    expect(served({ HOST: '127.0.0.1', SIMULATOR: 'off' })).toBe(false);
  });

  it('a staff command from another site, a form post or a rebound host name is refused and never said', { timeout: 60_000 }, async () => {
    const before = h.world.transcript().length;
    const attack = { from: '张伟', text: '进展 1001 已处理', mentionBot: false };
    const refused = [
      // The reproduced attack: a cross-origin HTML form (urlencoded; a browser adds Origin and Sec-Fetch-Site).
      { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: EVIL, 'sec-fetch-site': 'cross-site' }, payload: 'from=张伟&text=进展 1001 已处理' },
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'from=张伟&text=进展 1001 已处理' },
      { headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(attack) },
      { headers: { ...json, origin: EVIL }, payload: JSON.stringify(attack) },
      { headers: { ...json, origin: 'null' }, payload: JSON.stringify(attack) },
      { headers: { ...json, 'sec-fetch-site': 'cross-site' }, payload: JSON.stringify(attack) },
      { headers: { ...json, 'sec-fetch-site': 'same-site', origin: 'http://other.localhost' }, payload: JSON.stringify(attack) },
      // DNS rebinding: evil.example resolving to 127.0.0.1, same-origin as far as the browser knows.
      { headers: { ...json, host: 'evil.example:3000', origin: 'http://evil.example:3000' }, payload: JSON.stringify(attack) },
    ];
    for (const r of refused) {
      const res = await app.inject({ method: 'POST', url: '/api/simulator/messages', ...r });
      expect([403, 415], JSON.stringify(r.headers)).toContain(res.statusCode);
    }
    await h.world.settle();
    expect(h.world.transcript().slice(before)).toEqual([]);
  });

  it('its own page (same origin, JSON) and a local script (no Origin) are answered', { timeout: 60_000 }, async () => {
    const own = await app.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      headers: { ...json, host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' },
      payload: JSON.stringify({ from: '陈阿姨', room: GROUP, text: '咨询 垃圾几点收', mentionBot: true }),
    });
    expect(own.statusCode).toBe(200);
    const script = await app.inject({ method: 'POST', url: '/api/simulator/messages', headers: json, payload: JSON.stringify({ from: '陈阿姨', text: '你好' }) });
    expect(script.statusCode).toBe(200);
  });

  it('the transcript and contacts are not readable from another site or host name', async () => {
    for (const url of ['/api/simulator/transcript', '/api/simulator/contacts']) {
      expect((await app.inject({ url, headers: { 'sec-fetch-site': 'cross-site' } })).statusCode, url).toBe(403);
      expect((await app.inject({ url, headers: { host: 'evil.example' } })).statusCode, url).toBe(403);
      expect((await app.inject({ url, headers: { 'sec-fetch-site': 'same-origin' } })).statusCode, url).toBe(200);
    }
  });
});

describe('the mock world on a database that has held real chat bindings', () => {
  let h: BotHarness;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await startBotHarness({
      before: async (t) => {
        await t.db.update(staff).set({ chatContactId: 'wxid_realleader01', chatKey: 'GL-S-real' }).where(eq(staff.id, await t.staffId('张伟')));
      },
    });
    app = await buildHttpApp({ ctx: h.t, plugins: [simulatorPlugin(h.world)] });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('binds nobody, offers no staff to speak as, and leaves the real binding alone', async () => {
    expect(h.world.contacts().staff).toEqual([]);
    const res = await app.inject({ method: 'POST', url: '/api/simulator/messages', headers: json, payload: JSON.stringify({ from: '张伟', text: '进展 1001 已处理' }) });
    expect(res.statusCode).toBe(400);
    const [row] = await h.t.db.select().from(staff).where(eq(staff.id, await h.t.staffId('张伟')));
    expect(row!.chatContactId).toBe('wxid_realleader01');
    const mockBound = await h.t.db.select({ id: staff.id }).from(staff).where(like(staff.chatContactId, 's%'));
    expect(mockBound).toEqual([]);
  });
});

/** Posts a form as a logged-in browser, with extra headers (Origin, Sec-Fetch-Site, X-Forwarded-For). */
async function postAs(b: Browser, url: string, form: Record<string, string>, headers: Record<string, string> = {}, remoteAddress = b.ip) {
  return b.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams({ ...(b.csrf ? { _csrf: b.csrf } : {}), ...form }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
    remoteAddress,
  });
}

describe('forged Origin on the console and Open311', () => {
  let t: ConsoleTest;
  const routes: { method: string; url: string }[] = [];
  beforeAll(async () => {
    t = await createConsoleTest({ env: { OPEN311_API_KEYS: 'k-test-1' } });
    const recorder: HttpPlugin = async (app) => {
      app.addHook('onRoute', (r: RouteOptions) => {
        for (const method of [r.method].flat()) if (method === 'POST') routes.push({ method, url: r.url });
      });
    };
    (recorder as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
    await (await buildHttpApp({ ctx: t.ctx, plugins: [recorder, ...consolePlugins] })).close();
  }, 120_000);
  afterAll(async () => t?.close());

  it('every state-changing console route refuses a cross-site request, even one carrying the session and its token', { timeout: 120_000 }, async () => {
    const admin = await t.as('系统管理员');
    const consoleRoutes = routes.filter((r) => !r.url.startsWith('/open311/'));
    expect(consoleRoutes.length).toBeGreaterThan(20);
    const failures: string[] = [];
    for (const r of consoleRoutes) {
      const url = r.url.replace(/:[a-zA-Z]+/g, '1');
      const forged: Record<string, string>[] = [{ origin: EVIL }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
      for (const headers of forged) {
        const res = await postAs(admin, url, {}, headers);
        if (res.statusCode !== 403) failures.push(`${url} ${JSON.stringify(headers)}: ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // Still logged in, and the same browser's own forms work (same origin, or no Origin at all).
    const page = await admin.follow('/console/password');
    expect(page.statusCode).toBe(200);
    const own = await postAs(admin, '/console/outbox/999/retry', {}, { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' });
    expect(own.statusCode).toBe(303);
    expect((await postAs(admin, '/console/outbox/999/retry', {})).statusCode).toBe(303);
  });

  it('a forged log-in from another site is refused before the password is weighed', async () => {
    const b = new Browser(t.app, '10.40.0.1');
    b.takeCsrf((await b.get('/login')).body);
    await t.account('吴书记', 'wushuji');
    const res = await postAs(b, '/login', { username: 'wushuji', password: TEST_PASSWORD }, { origin: EVIL });
    expect(res.statusCode).toBe(403);
    expect(b.cookies.has('gl_sid')).toBe(false);
  });

  it('Open311: reads are public, a write needs its key; another site’s server may call it (no cookies are used)', async () => {
    const services = (await t.app.inject({ url: '/open311/v2/services.json' })).json() as { service_code: string }[];
    const who: Record<string, string>[] = [{}, { origin: EVIL, 'sec-fetch-site': 'cross-site' }];
    for (const headers of who) {
      expect((await t.app.inject({ url: '/open311/v2/services.json', headers })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/open311/v2/requests.json', headers })).statusCode).toBe(200);
      const body = new URLSearchParams({ service_code: services[0]!.service_code, description: '路灯不亮', address_string: '柳岸社区第一网格' });
      const noKey = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
      expect([400, 401, 403]).toContain(noKey.statusCode);
      body.set('api_key', 'k-test-1');
      const keyed = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
      expect(keyed.statusCode, keyed.body).toBeLessThan(300);
    }
  });
});

describe('forged X-Forwarded-For and the log-in throttle', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
    await t.account('吴书记', 'wushuji');
  }, 120_000);
  afterAll(async () => t?.close());

  const tryLogin = async (ip: string, username: string, password: string, headers: Record<string, string> = {}, app = t.app) => {
    const b = new Browser(app, ip);
    b.takeCsrf((await b.get('/login')).body);
    return postAs(b, '/login', { username, password }, headers);
  };

  it('with TRUST_PROXY off a rotated X-Forwarded-For buys nothing: 40 guesses, 4 weighed, the rest refused', { timeout: 120_000 }, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await tryLogin('10.50.0.1', 'wushuji', `guess-${i}`, { 'x-forwarded-for': `198.51.100.${i + 1}` })).statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(36);
    const keys = (await t.ctx.db.select({ key: loginThrottle.key }).from(loginThrottle)).map((r) => r.key);
    expect(keys.some((k) => k.includes('198.51.100.'))).toBe(false);
    expect(keys).toContain('ip:10.50.0.1');
  });

  it('a stranger’s failures never lock the owner out: the right password from a clean address gets in at once', { timeout: 120_000 }, async () => {
    // One address hammering (spaced past the back-off, so every try is weighed until the address locks) …
    for (let i = 0; i < 35; i++) {
      await tryLogin('10.60.0.1', 'wushuji', `guess-${i}`);
      t.ctx.clock.advance(4_100);
    }
    expect((await tryLogin('10.60.0.1', 'wushuji', TEST_PASSWORD)).statusCode).toBe(429);
    // … and thirty fresh addresses with one guess each, the last a moment ago.
    for (let i = 0; i < 30; i++) expect((await tryLogin(`10.61.0.${i + 1}`, 'wushuji', `spray-${i}`)).statusCode).toBe(401);
    expect((await tryLogin('10.62.0.1', 'wushuji', TEST_PASSWORD)).statusCode).toBe(303);
  });

  it('with TRUST_PROXY=1 only the last hop counts; earlier, client-written entries are ignored', { timeout: 60_000 }, async () => {
    const behind = await buildHttpApp({ ctx: { ...t.ctx, config: { ...t.ctx.config, TRUST_PROXY: 1 } }, plugins: consolePlugins });
    try {
      const res = await tryLogin('10.0.0.2', 'nobody-here', 'wrong-guess-1', { 'x-forwarded-for': '203.0.113.7, 192.0.2.44' }, behind);
      expect(res.statusCode).toBe(401);
      const [audit] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login_failed')).orderBy(auditLog.id).limit(1).offset(0);
      expect(audit).toBeDefined();
      const keys = (await t.ctx.db.select({ key: loginThrottle.key }).from(loginThrottle)).map((r) => r.key);
      expect(keys).toContain('ip:192.0.2.44');
      expect(keys.some((k) => k.includes('203.0.113.7') || k.includes('10.0.0.2'))).toBe(false);
    } finally {
      await behind.close();
    }
  });

  it('old throttle rows are deleted on a later failure', { timeout: 60_000 }, async () => {
    t.ctx.clock.advance(31 * 60_000);
    await tryLogin('10.70.0.1', 'someone', 'wrong-guess');
    const keys = (await t.ctx.db.select({ key: loginThrottle.key }).from(loginThrottle)).map((r) => r.key);
    expect(keys.sort()).toEqual(['acct:someone', 'ip:10.70.0.1', 'user:someone|ip:10.70.0.1']);
  });

  it('a flood of log-ins is answered quickly with 503 beyond the argon2 gate, never a 500', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => (await tryLogin(`10.80.${i}.1`, `flood${i}`, 'wrong-guess')).statusCode),
    );
    expect(statuses.every((s) => s === 401 || s === 503), statuses.join(',')).toBe(true);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});
