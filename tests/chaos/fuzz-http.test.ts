import fc from 'fast-check';
import type { FastifyInstance, FastifyPluginAsync, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorPlugin } from '../../bots/simulator/simulator.routes';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { type BotHarness, startBotHarness } from '../bots/helpers';
import { Browser, TEST_PASSWORD } from '../http/console-helpers';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { eq } from 'drizzle-orm';
import { InputCounter, hostileTextWithHuge, hostileValue } from './fuzz-inputs';

const REQUESTS_PER_ROUTE = Number(process.env.GRIDLINE_FUZZ_PER_ROUTE ?? 60);
const MAX_MS = 1000;

/** Field names the routes read (query strings, forms, JSON bodies, Open311): a generated request uses some of them. */
const FIELDS = [
  'id', 'no', 'q', 'status', 'category', 'unit', 'level', 'assignee', 'from', 'to', 'after', 'before', 'actor', 'action', 'month',
  'overdue', 'urgency', 'note', 'staffId', 'intoNo', 'categoryId', 'name', 'code', 'phone', 'households', 'parentId', 'gridId', 'unitId',
  'role', 'resolution', 'active', 'username', 'limitWorkingDays', 'urgentLimitHours', 'sort', 'kind', 'text', 'csv', 'date', 'year',
  'service_code', 'service_request_id', 'description', 'address_string', 'address_id', 'lat', 'long', 'start_date', 'end_date',
  'first_name', 'last_name', 'email', 'media_url', 'jurisdiction_id', 'since', 'room', 'mentionBot', 'wait', 'period', 'next',
];

/** Routes that would end the fuzzing session itself; they are fuzzed without a session instead. */
const SESSION_ENDING = /\/(logout|password)\b/;

type Route = { method: string; url: string };

/** Collects every route as it is added: a plugin that skips encapsulation, so its onRoute hook sees them all. */
function routeCollector(into: Route[]): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD' && method !== 'OPTIONS') into.push({ method, url: route.url });
    });
  };
  (plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
  return plugin;
}

const fields = fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 });
const request = fc.record({
  params: fc.array(hostileValue, { minLength: 4, maxLength: 4 }),
  query: fields,
  body: fc.oneof(fields, fc.dictionary(fc.constantFrom(...FIELDS), hostileTextWithHuge(40), { maxKeys: 3 })),
  json: fc.boolean(),
  session: fc.boolean(),
});

describe('every HTTP route under hostile bodies and query strings', () => {
  let h: BotHarness;
  let app: FastifyInstance;
  const routes: Route[] = [];
  let admin: Browser;

  beforeAll(async () => {
    h = await startBotHarness();
    await h.t.db.update(staff).set({ username: 'fuzz-admin', passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: false }).where(eq(staff.id, await h.t.staffId('系统管理员')));
    app = await buildHttpApp({ ctx: h.t, plugins: [routeCollector(routes), ...consolePlugins, simulatorPlugin(h.world)] });
    await app.ready();
    admin = new Browser(app, '10.9.0.1');
    const res = await admin.login('fuzz-admin', TEST_PASSWORD);
    expect(res.statusCode).toBe(303);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('answers every generated request without a 500, each in under a second', { timeout: 420_000 }, async () => {
    expect(routes.length).toBeGreaterThan(40);
    const count = new InputCounter();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const route of routes) {
      const samples = fc.sample(request, { numRuns: REQUESTS_PER_ROUTE, seed: Number(process.env.GRIDLINE_FUZZ_SEED ?? 42) + routes.indexOf(route) });
      for (const r of samples) {
        let i = 0;
        // A URL carries bytes: a lone surrogate goes as U+FFFD, and "%FF" (invalid UTF-8) now and then as it is.
        const segment = (v: string) => (v.startsWith('%') ? '%FF%FE' : encodeURIComponent((v as string & { toWellFormed(): string }).toWellFormed()));
        const path = route.url.replace(/:(\w+)/g, () => segment(r.params[i++ % 4]!)).replace(/\*$/, segment(r.params[3]!));
        const query = new URLSearchParams(Object.entries(r.query)).toString();
        const url = `${path}${query ? `?${query}` : ''}`;
        const useSession = r.session && !SESSION_ENDING.test(route.url);
        const body = { ...r.body, ...(useSession && admin.csrf ? { _csrf: admin.csrf } : {}) };
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
        const headers: Record<string, string> = {};
        if (useSession) headers.cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
        let payload: string | undefined;
        if (hasBody) {
          headers['content-type'] = r.json ? 'application/json' : 'application/x-www-form-urlencoded';
          payload = r.json ? JSON.stringify(body) : new URLSearchParams(Object.entries(body)).toString();
        }
        const started = performance.now();
        const res = await app.inject({ method: route.method as 'GET', url, headers, payload, remoteAddress: '10.9.0.1' });
        const ms = performance.now() - started;
        count.add(ms, `${route.method} ${url}`);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500 || ms > MAX_MS) {
          failures.push(`${res.statusCode} ${ms.toFixed(0)}ms ${route.method} ${url.slice(0, 200)} ${(payload ?? '').slice(0, 200)} → ${res.body.slice(0, 200)}`);
        }
      }
      // A fuzzed request may have ended the session (a role removed, an account changed): log in again.
      if ((await admin.get('/console')).statusCode !== 200) await admin.login('fuzz-admin', TEST_PASSWORD);
    }
    console.log(`fuzz-http: ${routes.length} routes, ${count.n} requests, slowest ${count.slowest.ms.toFixed(0)} ms: ${count.slowest.what}; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    // The session must have carried: most generated requests reached a handler, not the log-in page.
    expect([...statuses].filter(([s]) => s === 200 || s === 303 || s === 400 || s === 404).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(count.n / 3);
    expect(failures).toEqual([]);
  });
});
