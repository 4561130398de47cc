import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { residents } from '../../src/modules/people/residents.table';
import { acceptOrder, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { attachments, orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { createTestContext, type TestContext } from '../helpers/context';
import { demoBoundary } from '../../src/seed/demo-district';

const KEY = 'test-key-1';
const JURISDICTION = 'demo.gridline';

type Setup = { t: TestContext; app: FastifyInstance };

async function setup(env: Record<string, string> = {}): Promise<Setup> {
  const t = await createTestContext({ env: { OPEN311_API_KEYS: `${KEY}, test-key-2`, OPEN311_JURISDICTION_ID: JURISDICTION, ...env } });
  return { t, app: await buildHttpApp({ ctx: t, plugins: consolePlugins }) };
}

/**
 * Checks the XML is well-formed with a real validator (fast-xml-parser), then parses it with every value kept as
 * text and the five XML entities decoded.
 */
function xml(body: string): Record<string, unknown> {
  expect(body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  expect(XMLValidator.validate(body)).toBe(true);
  // What that validator does not check: characters XML 1.0 forbids, and a single root element.
  // eslint-disable-next-line no-control-regex
  expect(body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
  const parsed = new XMLParser({
    ignoreDeclaration: true,
    parseTagValue: false,
    isArray: (tag: string) => ['service', 'request', 'error'].includes(tag),
  }).parse(body) as Record<string, unknown>;
  expect(Object.keys(parsed)).toHaveLength(1);
  return parsed;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function post(app: FastifyInstance, format: 'json' | 'xml', fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: form(fields), headers: { ...FORM, ...headers } });
}

/** The middle of a demo grid's boundary (the seed's rectangles, WGS-84), as Open311 lat/long strings. */
function centreOf(code: string): { lat: string; long: string } {
  const ring = demoBoundary(code)!.coordinates[0]!;
  const [x0, y0] = ring[0]!;
  const [x1, y1] = ring[2]!;
  return { lat: String((y0! + y1!) / 2), long: String((x0! + x1!) / 2) };
}

const streetlight = {
  api_key: KEY,
  jurisdiction_id: JURISDICTION,
  service_code: 'streetlight',
  description: '柳岸社区3号楼门口的路灯不亮了',
  address_string: '示范区东湖街道柳岸社区第一网格 3号楼',
  first_name: '李',
  last_name: '四',
  phone: '137-1234-5678',
  media_url: 'https://example.org/photos/3.jpg',
};

describe('Open311 GeoReport v2', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(async () => {
    await s?.app.close();
    await s?.t.close();
  });

  describe('services', () => {
    it('lists the active categories in JSON, with their codes as service codes', async () => {
      const res = await s.app.inject('/open311/v2/services.json');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const services = res.json() as { service_code: string; service_name: string; metadata: boolean; type: string }[];
      expect(services.find((x) => x.service_code === 'streetlight')).toMatchObject({ service_name: '路灯照明', metadata: false, type: 'realtime' });
      expect(services).toHaveLength(15);
    });

    it('lists the same services as well-formed XML', async () => {
      const res = await s.app.inject('/open311/v2/services.xml');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      const doc = xml(res.body) as { services: { service: { service_code: string; service_name: string }[] } };
      expect(doc.services.service).toHaveLength(15);
      expect(doc.services.service[0]).toMatchObject({ service_code: 'streetlight', service_name: '路灯照明' });
    });
  });

  describe('POST requests', () => {
    it('files a form-encoded request into the same pipeline as the chat, returning the order number', async () => {
      const res = await post(s.app, 'json', streetlight);
      expect(res.statusCode).toBe(201);
      const [created] = res.json() as { service_request_id: string; service_notice: string; account_id: null }[];
      expect(created!.service_request_id).toMatch(/^\d+$/);
      expect(created!.account_id).toBeNull();

      const [order] = await s.t.db.select().from(workOrders).where(eq(workOrders.no, Number(created!.service_request_id)));
      expect(order).toMatchObject({ channel: 'open311', gridId: await s.t.gridId('D01-T01-C01-G01'), status: 'assigned', text: streetlight.description });
      expect(order!.assigneeId).toBe(await s.t.staffId('张伟'));
      const [resident] = await s.t.db.select().from(residents).where(eq(residents.id, order!.residentId));
      expect(resident).toMatchObject({ source: 'open311', phone: '13712345678', name: '李 四', chatKey: null });
      const events = await s.t.db.select().from(orderEvents).where(eq(orderEvents.orderId, order!.id));
      expect(events.map((e) => [e.type, e.channel])).toEqual([['submit', 'open311'], ['assign', 'open311']]);
      const media = await s.t.db.select().from(attachments).where(eq(attachments.orderId, order!.id));
      expect(media.map((m) => [m.kind, m.url])).toEqual([['link', streetlight.media_url]]);
    });

    it('accepts JSON too, finds the resident again by phone, and answers in XML', async () => {
      const res = await s.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.xml',
        payload: { ...streetlight, service_code: 'sanitation', description: '垃圾桶满了', media_url: undefined, address_string: undefined, address_id: 'D01-T01-C01-G02' },
      });
      expect(res.statusCode).toBe(201);
      const doc = xml(res.body) as { service_requests: { request: { service_request_id: string; service_notice: string }[] } };
      const no = Number(doc.service_requests.request[0]!.service_request_id);
      const [order] = await s.t.db.select().from(workOrders).where(eq(workOrders.no, no));
      expect(order!.gridId).toBe(await s.t.gridId('D01-T01-C01-G02'));
      const same = await s.t.db.select().from(residents).where(and(eq(residents.source, 'open311'), eq(residents.phone, '13712345678')));
      expect(same).toHaveLength(1);
      expect(order!.residentId).toBe(same[0]!.id);
    });

    it('takes the API key from the X-Api-Key header as well', async () => {
      const { api_key: _unused, ...rest } = streetlight;
      void _unused;
      const res = await post(s.app, 'json', { ...rest, description: '另一处路灯也坏了' }, { 'x-api-key': 'test-key-2' });
      expect(res.statusCode).toBe(201);
    });

    it('refuses a missing or wrong API key with 403 in the spec’s error shape, in both formats', async () => {
      const { api_key: _unused, ...noKey } = streetlight;
      void _unused;
      const missing = await post(s.app, 'json', noKey);
      expect(missing.statusCode).toBe(403);
      expect(missing.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
      const wrong = await post(s.app, 'xml', { ...streetlight, api_key: 'test-key-3' });
      expect(wrong.statusCode).toBe(403);
      const doc = xml(wrong.body) as { errors: { error: { code: string; description: string }[] } };
      expect(doc.errors.error).toEqual([{ code: '403', description: expect.stringContaining('api_key') }]);
      expect(await s.t.db.select().from(workOrders).where(eq(workOrders.text, streetlight.description))).toHaveLength(1);
    });

    it('answers each invalid request with 400 or 404 and a description, and files nothing', async () => {
      const before = (await s.t.db.select().from(workOrders)).length;
      const cases: [Record<string, string>, number, string][] = [
        [{ ...streetlight, service_code: '' }, 400, 'service_code'],
        [{ ...streetlight, service_code: 'no_such_code' }, 404, 'service_code'],
        [{ ...streetlight, description: '   ' }, 400, 'description'],
        [{ ...streetlight, address_string: '' }, 400, 'address_string'],
        [{ ...streetlight, address_string: '某小区' }, 400, '网格'],
        [{ ...streetlight, lat: '91', long: '120' }, 400, 'lat'],
        [{ ...streetlight, media_url: 'javascript:alert(1)' }, 400, 'media_url'],
        [{ ...streetlight, phone: '1'.repeat(41) }, 400, 'phone'],
        [{ ...streetlight, description: '灯'.repeat(2001) }, 400, 'description'],
        [{ ...streetlight, jurisdiction_id: 'elsewhere' }, 404, 'jurisdiction_id'],
      ];
      for (const [fields, status, mention] of cases) {
        for (const format of ['json', 'xml'] as const) {
          const res = await post(s.app, format, fields);
          expect(res.statusCode, `${JSON.stringify(fields)} ${format}`).toBe(status);
          const errors =
            format === 'json'
              ? (res.json() as { code: number; description: string }[])
              : (xml(res.body) as { errors: { error: { code: string; description: string }[] } }).errors.error.map((x) => ({ ...x, code: Number(x.code) }));
          expect(errors).toEqual([{ code: status, description: expect.stringContaining(mention) }]);
        }
      }
      expect((await s.t.db.select().from(workOrders)).length).toBe(before);
    });

    it('answers a client’s retry with the same Idempotency-Key with the first request, not a second one', async () => {
      const fields = { ...streetlight, description: '楼道声控灯不亮', phone: '13900001111' };
      const first = await post(s.app, 'json', fields, { 'idempotency-key': 'call-centre-778' });
      const again = await post(s.app, 'json', fields, { 'idempotency-key': 'call-centre-778' });
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(200);
      expect(again.json()[0].service_request_id).toBe(first.json()[0].service_request_id);
      expect(await s.t.db.select().from(workOrders).where(eq(workOrders.text, '楼道声控灯不亮'))).toHaveLength(1);
      // Keys are per client: another client's same key is another request.
      const other = await post(s.app, 'json', { ...fields, api_key: 'test-key-2' }, { 'idempotency-key': 'call-centre-778' });
      expect(other.statusCode).toBe(201);
      expect(other.json()[0].service_request_id).not.toBe(first.json()[0].service_request_id);
    });

    it('keeps XML well-formed whatever the resident typed', async () => {
      const text = '门口<b>积水</b> & "深" \'约\' 20cm\u0007，]]> 请处理';
      const res = await post(s.app, 'json', { ...streetlight, service_code: 'road_facility', description: text });
      const no = res.json()[0].service_request_id as string;
      const one = await s.app.inject(`/open311/v2/requests/${no}.xml?api_key=${KEY}`);
      const doc = xml(one.body) as { service_requests: { request: { description: string }[] } };
      expect(doc.service_requests.request[0]!.description).toBe(text.replace('\u0007', ''));
    });
  });

  describe('GET requests', () => {
    it('gives one request by id in both formats, open while being handled and closed once resolved', async () => {
      const created = await post(s.app, 'json', { ...streetlight, description: '小区东门路灯坏了' });
      const no = Number(created.json()[0].service_request_id);
      const open = await s.app.inject(`/open311/v2/requests/${no}.json`);
      expect(open.statusCode).toBe(200);
      expect(open.json()).toEqual([
        expect.objectContaining({ service_request_id: String(no), status: 'open', status_notes: '已派单，等待签收', service_code: 'streetlight', agency_responsible: '柳岸社区第一网格', requested_datetime: '2026-11-23T10:00:00+08:00', expected_datetime: '2026-12-01T00:00:00+08:00' }),
      ]);

      const leader = await s.t.staffActor('张伟');
      await acceptOrder({ deps: s.t.orderDeps, ref: { no }, actor: leader, channel: 'direct' });
      await resolveOrder({ deps: s.t.orderDeps, ref: { no }, actor: leader, channel: 'direct', note: '已更换灯泡' });
      const closed = await s.app.inject(`/open311/v2/requests/${no}.xml`);
      const doc = xml(closed.body) as { service_requests: { request: { status: string; status_notes: string }[] } };
      expect(doc.service_requests.request[0]).toMatchObject({ status: 'closed', status_notes: '已办结，等待回访' });
    });

    it('does not show what residents wrote, or where, without an API key; with one it does', async () => {
      const pub = (await s.app.inject('/open311/v2/requests.json')).json() as Record<string, unknown>[];
      expect(pub.length).toBeGreaterThan(3);
      for (const r of pub) for (const k of ['description', 'address', 'lat', 'long', 'media_url', 'address_id']) expect(r).not.toHaveProperty(k);
      expect(JSON.stringify(pub)).not.toContain('路灯不亮');
      expect(JSON.stringify(pub)).not.toContain('1371234');

      const full = (await s.app.inject(`/open311/v2/requests.json?api_key=${KEY}`)).json() as Record<string, unknown>[];
      expect(full.find((r) => r.description === streetlight.description)).toMatchObject({ address: streetlight.address_string, address_id: 'D01-T01-C01-G01', media_url: streetlight.media_url });
      expect((await s.app.inject('/open311/v2/requests.json?api_key=nope')).statusCode).toBe(403);
    });

    it('filters by service_request_id (overriding the rest), status, service_code and dates', async () => {
      const all = (await s.app.inject('/open311/v2/requests.json')).json() as { service_request_id: string; status: string; service_code: string }[];
      const [a, b] = all.map((r) => r.service_request_id);
      const byId = (await s.app.inject(`/open311/v2/requests.json?service_request_id=${a},${b}&status=closed&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z`)).json() as unknown[];
      expect(byId).toHaveLength(2);

      const closed = (await s.app.inject('/open311/v2/requests.json?status=closed')).json() as { status: string }[];
      expect(closed.length).toBe(1);
      const open = (await s.app.inject('/open311/v2/requests.json?status=open')).json() as { status: string }[];
      expect(open.length).toBe(all.length - 1);
      expect((await s.app.inject('/open311/v2/requests.json?status=open,closed')).json()).toHaveLength(all.length);

      const sanitation = (await s.app.inject('/open311/v2/requests.json?service_code=sanitation')).json() as { service_code: string }[];
      expect(sanitation.map((r) => r.service_code)).toEqual(['sanitation']);

      const inWindow = await s.app.inject('/open311/v2/requests.json?start_date=2026-11-23T09:00:00%2B08:00&end_date=2026-11-23T11:00:00%2B08:00');
      expect(inWindow.json()).toHaveLength(all.length);
      const before = await s.app.inject('/open311/v2/requests.json?start_date=2026-10-01T00:00:00Z&end_date=2026-11-01T00:00:00Z');
      expect(before.json()).toEqual([]);
    });

    it('refuses a window over 90 days, a malformed date and an unknown id in the spec’s shape', async () => {
      const long = await s.app.inject('/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-11-01T00:00:00Z');
      expect(long.statusCode).toBe(400);
      expect(long.json()).toEqual([{ code: 400, description: expect.stringContaining('90') }]);
      const bad = await s.app.inject('/open311/v2/requests.xml?start_date=yesterday');
      expect(bad.statusCode).toBe(400);
      expect((xml(bad.body) as { errors: { error: unknown[] } }).errors.error).toHaveLength(1);
      const missing = await s.app.inject('/open311/v2/requests/999999.xml');
      expect(missing.statusCode).toBe(404);
      expect(xml(missing.body)).toEqual({ errors: { error: [{ code: '404', description: expect.stringContaining('service_request_id') }] } });
      const json404 = await s.app.inject('/open311/v2/requests/999999.json');
      expect(json404.json()).toEqual([{ code: 404, description: expect.stringContaining('service_request_id') }]);
    });

    it('answers unknown paths and formats with the spec’s 404', async () => {
      for (const url of ['/open311/v2/services.csv', '/open311/v2/nothing.json', '/open311/v2/requests/12a.json']) {
        const res = await s.app.inject(url);
        expect(res.statusCode, url).toBe(404);
      }
      expect((await s.app.inject('/open311/v2/nothing.json')).json()).toEqual([{ code: 404, description: expect.any(String) }]);
    });
  });

  describe('the OpenAPI docs', () => {
    it('describe every Open311 path and nothing of the console, at /docs/json', async () => {
      const res = await s.app.inject('/docs/json');
      expect(res.statusCode).toBe(200);
      const spec = res.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(spec.openapi).toMatch(/^3\./);
      expect(Object.keys(spec.paths).sort()).toEqual(
        ['/open311/v2/requests.{format}', '/open311/v2/requests/{id}.{format}', '/open311/v2/services.{format}'].sort(),
      );
      expect(Object.keys(spec.paths['/open311/v2/requests.{format}']!).sort()).toEqual(['get', 'post']);
      expect(JSON.stringify(spec)).toContain('service_code');
    });

    it('serve Swagger UI from the installed package', async () => {
      const res = await s.app.inject('/docs/');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('swagger-ui');
      expect(res.body).not.toMatch(/https?:\/\/(?!localhost)[a-z0-9.-]+\.(com|net|org|io)\//i);
    });
  });
});

describe('Open311 with a default grid', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ OPEN311_DEFAULT_GRID: 'D01-T02-C02-G01' });
  });
  afterAll(async () => {
    await s?.app.close();
    await s?.t.close();
  });

  it('routes a lat/long-only request by the polygon it falls in, before the default grid', async () => {
    const res = await post(s.app, 'json', { api_key: KEY, service_code: 'road_facility', description: '桂园社区路口井盖缺失', ...centreOf('D01-T01-C02-G02') });
    expect(res.statusCode).toBe(201);
    const [order] = await s.t.db.select().from(workOrders).where(eq(workOrders.no, Number(res.json()[0].service_request_id)));
    expect(order!.gridId).toBe(await s.t.gridId('D01-T01-C02-G02'));
    expect(order!.assigneeId).toBe(await s.t.staffId('何静'));
  });

  it('files a request with only coordinates outside every boundary in the configured grid, and one naming a grid in that grid', async () => {
    const point = await post(s.app, 'json', { api_key: KEY, service_code: 'road_facility', description: '路面塌陷了一个坑', lat: '30.12', long: '120.34' });
    expect(point.statusCode).toBe(201);
    const [order] = await s.t.db.select().from(workOrders).where(eq(workOrders.no, Number(point.json()[0].service_request_id)));
    expect(order).toMatchObject({ gridId: await s.t.gridId('D01-T02-C02-G01'), lat: 30.12, lng: 120.34, locationText: null });

    const named = await post(s.app, 'json', { api_key: KEY, service_code: 'road_facility', description: '井盖松动', address_string: '青石村第二网格村口' });
    const [other] = await s.t.db.select().from(workOrders).where(eq(workOrders.no, Number(named.json()[0].service_request_id)));
    expect(other!.gridId).toBe(await s.t.gridId('D01-T02-C01-G02'));
  });
});

describe('Open311 by point, without a default grid', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(async () => {
    await s?.app.close();
    await s?.t.close();
  });

  it('a lat/long-only request lands in the grid whose polygon holds it; one outside every polygon is refused with 400', async () => {
    const inside = await post(s.app, 'json', { api_key: KEY, service_code: 'road_facility', description: '青石村路灯杆歪了', ...centreOf('D01-T02-C01-G03') });
    expect(inside.statusCode).toBe(201);
    const [order] = await s.t.db.select().from(workOrders).where(eq(workOrders.no, Number(inside.json()[0].service_request_id)));
    expect(order).toMatchObject({ gridId: await s.t.gridId('D01-T02-C01-G03'), locationText: null });

    const before = (await s.t.db.select().from(workOrders)).length;
    const outside = await post(s.app, 'xml', { api_key: KEY, service_code: 'road_facility', description: '路面塌陷了一个坑', lat: '30.12', long: '120.34' });
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('网格');
    expect(await s.t.db.select().from(workOrders)).toHaveLength(before);
  });
});

describe('Open311 as strict clients and careless forms send it', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(async () => s.t.close());

  it('a start_date alone in the future is an empty list, not a date-range error', async () => {
    const future = new Date(s.t.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const res = await s.app.inject(`/open311/v2/requests.json?start_date=${encodeURIComponent(future)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
  });

  it('takes a phone number with parentheses and finds the resident again by its digits', async () => {
    const first = await post(s.app, 'json', { ...streetlight, description: '路灯一闪一闪', phone: '(0571) 8888-1234' });
    expect(first.statusCode).toBe(201);
    const again = await post(s.app, 'json', { ...streetlight, description: '井盖松动了', phone: '0571 88881234' });
    expect(again.statusCode).toBe(201);
    const found = await s.t.db.select().from(residents).where(and(eq(residents.source, 'open311'), eq(residents.phone, '057188881234')));
    expect(found).toHaveLength(1);
  });

  it('files a description with a NUL byte or a lone surrogate, cleaned, instead of failing with 500', async () => {
    const cases: [string, string][] = [
      ['路灯\u0000不亮了', '路灯不亮了'],
      ['路灯\uD83D不亮了', '路灯\uFFFD不亮了'],
    ];
    for (const [description, stored] of cases) {
      for (const body of [{ payload: form({ ...streetlight, description }), headers: FORM }, { payload: { ...streetlight, description }, headers: {} }]) {
        const res = await s.app.inject({ method: 'POST', url: '/open311/v2/requests.json', ...body });
        expect(res.statusCode, description).toBeLessThan(300);
      }
      expect(await s.t.db.select().from(workOrders).where(eq(workOrders.text, stored))).toHaveLength(2);
    }
  });
});
