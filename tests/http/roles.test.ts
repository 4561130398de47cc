import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp, type HttpPlugin } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { Browser, createConsoleTest, type ConsoleTest } from './console-helpers';

type Who = 'admin' | 'otherTownOfficer' | 'otherGridLeader' | 'anonymous';
type Expect = Record<Who, number>;

const PAGE: Expect = { admin: 200, otherTownOfficer: 200, otherGridLeader: 200, anonymous: 302 };
const ADMIN_PAGE: Expect = { admin: 200, otherTownOfficer: 403, otherGridLeader: 403, anonymous: 302 };
const HIDDEN_ORDER: Expect = { admin: 200, otherTownOfficer: 404, otherGridLeader: 404, anonymous: 302 };
/** Admin POSTs here carry empty or harmless forms: refused with a message (303) or shown again (400), never 401/403. */
const ADMIN_POST = (admin: number): Expect => ({ admin, otherTownOfficer: 403, otherGridLeader: 403, anonymous: 401 });

describe('every role × every console route', () => {
  let t: ConsoleTest;
  const routes: { method: string; url: string }[] = [];
  let orderNo = 0;
  let browsers: Record<Exclude<Who, 'anonymous'>, Browser>;

  beforeAll(async () => {
    t = await createConsoleTest();
    // A second app over the same context, recording every route registered.
    const recorder: HttpPlugin = async (app) => {
      app.addHook('onRoute', (r: RouteOptions) => {
        for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
      });
    };
    (recorder as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
    const recorded = await buildHttpApp({ ctx: t.ctx, plugins: [recorder, ...consolePlugins] });
    await recorded.close();

    const result = await submitDemand({
      deps: t.ctx.orderDeps,
      input: { sourceMessageId: 'roles-1', channel: 'group', residentId: await t.ctx.residentId('陈阿姨'), gridId: await t.ctx.gridId('D01-T01-C01-G01'), text: '3号楼路灯坏了' },
    });
    if (result.outcome !== 'created') throw new Error('no order');
    orderNo = result.order.no;
    browsers = {
      admin: await t.as('系统管理员'),
      otherTownOfficer: await t.as('郑镇长'),
      otherGridLeader: await t.as('刘洋'),
    };
  });
  afterAll(async () => t?.close());

  const matrix = (): [string, string, Expect][] => [
    ['GET', '/console', { admin: 302, otherTownOfficer: 302, otherGridLeader: 302, anonymous: 302 }],
    ['GET', '/console/orders', PAGE],
    ['GET', '/console/orders.csv', PAGE],
    ['GET', `/console/orders/${orderNo}`, HIDDEN_ORDER],
    ['GET', `/console/orders/${orderNo}/attachments/1`, { admin: 404, otherTownOfficer: 404, otherGridLeader: 404, anonymous: 302 }],
    ['POST', `/console/orders/${orderNo}/supervise`, { admin: 303, otherTownOfficer: 404, otherGridLeader: 404, anonymous: 401 }],
    // Empty selection: refused with a message; an order out of reach is listed as such (tests/http/order-batch.test.ts).
    ['POST', '/console/orders/batch', { admin: 303, otherTownOfficer: 303, otherGridLeader: 303, anonymous: 401 }],
    ['GET', '/console/password', PAGE],
    ['POST', '/console/password', { admin: 400, otherTownOfficer: 400, otherGridLeader: 400, anonymous: 401 }],
    ['GET', '/console/grids', ADMIN_PAGE],
    ['GET', '/console/grids.csv', ADMIN_PAGE],
    ['GET', '/console/grids.geojson', ADMIN_PAGE],
    ['POST', '/console/grids/boundaries', ADMIN_POST(400)],
    ['GET', '/console/grids/1', ADMIN_PAGE],
    ['POST', '/console/grids', ADMIN_POST(303)],
    ['POST', '/console/grids/import', ADMIN_POST(400)],
    ['POST', '/console/grids/1', ADMIN_POST(303)],
    ['POST', '/console/grids/1/move', ADMIN_POST(303)],
    ['GET', '/console/staff', ADMIN_PAGE],
    ['GET', '/console/staff/2', ADMIN_PAGE],
    ['POST', '/console/staff', ADMIN_POST(303)],
    ['POST', '/console/staff/2', ADMIN_POST(303)],
    ['POST', '/console/staff/2/roles', ADMIN_POST(303)],
    ['POST', '/console/staff/2/roles/999/delete', ADMIN_POST(404)],
    ['POST', '/console/staff/2/account', ADMIN_POST(303)],
    ['POST', '/console/staff/2/bind-code', ADMIN_POST(303)],
    ['POST', '/console/staff/2/unbind', ADMIN_POST(303)],
    ['POST', '/console/staff/2/wecom', ADMIN_POST(303)],
    ['POST', '/console/staff/import', ADMIN_POST(400)],
    ['GET', '/console/groups', ADMIN_PAGE],
    ['POST', '/console/groups', ADMIN_POST(303)],
    ['POST', '/console/groups/1', ADMIN_POST(303)],
    ['GET', '/console/identities', ADMIN_PAGE],
    ['POST', '/console/identities/999', ADMIN_POST(404)],
    ['GET', '/console/categories', ADMIN_PAGE],
    ['POST', '/console/categories', ADMIN_POST(303)],
    ['POST', '/console/categories/1', ADMIN_POST(303)],
    ['GET', '/console/calendar', ADMIN_PAGE],
    ['POST', '/console/calendar', ADMIN_POST(400)],
    ['GET', '/console/outbox', ADMIN_PAGE],
    ['POST', '/console/outbox/999/retry', ADMIN_POST(303)],
    ['GET', '/console/bot', ADMIN_PAGE],
    ['GET', '/console/audit', ADMIN_PAGE],
    ['GET', '/console/reports', { admin: 200, otherTownOfficer: 200, otherGridLeader: 403, anonymous: 302 }],
    ['GET', '/console/map', PAGE],
    ['GET', '/console/map/orders.geojson', PAGE],
    ['GET', '/console/map/grids.geojson', PAGE],
    ['GET', '/console/departments', ADMIN_PAGE],
    ['POST', '/console/departments', ADMIN_POST(303)],
    ['POST', '/console/departments/import', ADMIN_POST(303)],
    ['GET', '/console/departments/catalogue', ADMIN_PAGE],
    ['POST', '/console/departments/catalogue', ADMIN_POST(303)],
    ['POST', '/console/departments/catalogue/999/delete', ADMIN_POST(404)],
    ['GET', '/console/departments/999', { ...ADMIN_PAGE, admin: 404 }],
    ['POST', '/console/departments/999', ADMIN_POST(404)],
    ['POST', '/console/departments/999/members', ADMIN_POST(404)],
    ['POST', '/console/departments/999/members/999/delete', ADMIN_POST(404)],
    ['POST', `/console/orders/${orderNo}/dispatch`, { admin: 303, otherTownOfficer: 404, otherGridLeader: 404, anonymous: 401 }],
    // 作废链接 with an empty form: refused with a message (tests/http/resident-web.test.ts revokes one).
    ['POST', `/console/orders/${orderNo}/tracking-links/revoke`, { admin: 303, otherTownOfficer: 404, otherGridLeader: 404, anonymous: 401 }],
    // Unit 1 is the district, which has no poster: only grids do.
    ['GET', '/console/grids/1/poster', { ...ADMIN_PAGE, admin: 404 }],
    ['GET', '/console/grids/1/poster.png', { ...ADMIN_PAGE, admin: 404 }],
    ['POST', '/logout', { admin: 303, otherTownOfficer: 303, otherGridLeader: 303, anonymous: 401 }],
  ];

  const call = async (who: Who, method: string, url: string) => {
    const b = who === 'anonymous' ? new Browser(t.app, '10.99.0.1') : browsers[who];
    return method === 'GET' ? b.get(url) : b.post(url, {}, { csrf: who !== 'anonymous' });
  };

  it('each role gets exactly the expected answer from each console route', async () => {
    const failures: string[] = [];
    // Logging out is last, or the sessions would be gone.
    for (const [method, url, expected] of matrix()) {
      for (const who of ['anonymous', 'otherGridLeader', 'otherTownOfficer', 'admin'] as Who[]) {
        const res = await call(who, method, url);
        if (res.statusCode !== expected[who]) failures.push(`${who} ${method} ${url}: ${res.statusCode}, expected ${expected[who]}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('officers and leaders inside the order\'s area see it and may act as their role allows', async () => {
    const officer = await t.as('吴书记');
    const leader = await t.as('张伟');
    expect((await officer.get(`/console/orders/${orderNo}`)).statusCode).toBe(200);
    const page = await leader.get(`/console/orders/${orderNo}`);
    expect(page.statusCode).toBe(200);
    leader.takeCsrf(page.body);
    expect((await leader.post(`/console/orders/${orderNo}/accept`, {})).statusCode).toBe(303);
  });

  it('the matrix covers every console route of this module, and no route at all answers an anonymous visitor', async () => {
    const covered = new Set(matrix().map(([m, u]) => `${m} ${u.replace(String(orderNo), ':no')}`));
    const normalise = (url: string) =>
      url
        .replace(/\/console\/grids\/:id/, '/console/grids/1')
        .replace(/\/console\/departments\/catalogue\/:id/, '/console/departments/catalogue/999')
        .replace(/\/console\/departments\/:id/, '/console/departments/999')
        .replace(/\/members\/:memberId/, '/members/999')
        .replace(/\/console\/staff\/:id/, '/console/staff/2')
        .replace(/\/roles\/:roleId/, '/roles/999')
        .replace(/\/console\/groups\/:id/, '/console/groups/1')
        .replace(/\/console\/identities\/:id/, '/console/identities/999')
        .replace(/\/console\/categories\/:id/, '/console/categories/1')
        .replace(/\/console\/outbox\/:id/, '/console/outbox/999')
        .replace(/\/attachments\/:id/, '/attachments/1')
        .replace(/\/:action$/, '/supervise');
    const mine = routes.filter((r) => /^\/(console|logout)/.test(r.url) && !/dashboard|stats|figures/.test(r.url));
    const missing = mine.filter((r) => !covered.has(`${r.method} ${normalise(r.url)}`)).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);

    // Every /console route, this module's or another's, refuses an anonymous visitor.
    for (const r of routes.filter((x) => x.url.startsWith('/console'))) {
      const url = normalise(r.url).replace(':no', String(orderNo)).replace(/:[a-zA-Z]+/g, '1');
      const res = await call('anonymous', r.method, url);
      expect([302, 401], `${r.method} ${url}`).toContain(res.statusCode);
    }
  });
});
