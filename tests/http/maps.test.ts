import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { fromWgs84 } from '../../src/modules/grids/places.models';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { DEMO_ORDERS, seedDemoOrders } from '../../src/seed/demo-orders';
import { demoBoundary } from '../../src/seed/demo-district';
import { createConsoleTest, type ConsoleTest } from './console-helpers';

type Points = {
  type: string;
  datum: string;
  limit: number;
  cut: boolean;
  features: { type: string; geometry: { type: string; coordinates: [number, number] }; properties: { no: number; state: string; url: string; text: string } }[];
};
type Grids = { type: string; datum: string; features: { geometry: { type: string }; properties: { code: string; open: number; overdue: number; label: string } }[] };

const BASE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const TIANDITU =
  'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}';

/** The demo grid a point lies in (the rectangles tile the block, edges excluded). */
function demoGridOf([lng, lat]: [number, number]): string | null {
  for (const t of ['T01', 'T02']) for (const c of ['C01', 'C02']) for (const g of [1, 2, 3]) {
    const code = `D01-${t}-${c}-G0${g}`;
    const ring = demoBoundary(code)!.coordinates[0]!;
    if (lng > ring[0]![0]! && lng < ring[1]![0]! && lat > ring[0]![1]! && lat < ring[2]![1]!) return code;
  }
  return null;
}

describe('the map page and its GeoJSON feeds (no tiles configured)', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
    expect(await seedDemoOrders({ deps: t.ctx.orderDeps })).toBe(DEMO_ORDERS.length);
  });
  afterAll(async () => t?.close());

  it('the demo orders are created once, each inside its grid\'s rectangle, in the colours the map shows', async () => {
    expect(await seedDemoOrders({ deps: t.ctx.orderDeps })).toBe(0);
    const admin = await t.as('系统管理员');
    const points = (await admin.get('/console/map/orders.geojson')).json() as Points;
    expect(points.features).toHaveLength(DEMO_ORDERS.length);
    const rows = await t.ctx.db.select({ no: workOrders.no, gridId: workOrders.gridId }).from(workOrders);
    const codes = new Map((await t.ctx.db.select({ id: gridUnits.id, code: gridUnits.code }).from(gridUnits)).map((g) => [g.id, g.code]));
    for (const f of points.features) {
      const row = rows.find((r) => r.no === f.properties.no)!;
      expect(demoGridOf(f.geometry.coordinates), `#${f.properties.no}`).toBe(codes.get(row.gridId));
    }
    expect(new Set(points.features.map((f) => f.properties.state))).toEqual(new Set(['overdue', 'nearly_due', 'urgent', 'on_time']));
  });

  it('serves the page with the plain CSP, the Leaflet files from the package and a link in the navigation', async () => {
    const admin = await t.as('系统管理员');
    const page = await admin.get('/console/map');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(BASE_CSP);
    expect(page.body).toContain('<a href="/console/map" class="active" aria-current="page">地图</a>');
    expect(page.body).toContain('data-map="overview"');
    expect(page.body).toContain('data-tiles="{}"');
    expect(page.body).toContain('未配置底图');
    expect(page.body).toContain('<script src="/vendor/leaflet/leaflet.js" defer></script>');
    // Every grid of the district in the table, with its open count, linked to the list of its open orders.
    expect(page.body.match(/<tr><td><a href="\/console\/orders\?unit=/g)).toHaveLength(12);
    expect(page.body).toContain('status=submitted,assigned,accepted');

    const js = await admin.get('/vendor/leaflet/leaflet.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.body).toContain('1.9.4');
    expect((await admin.get('/vendor/leaflet/leaflet.markercluster.js')).statusCode).toBe(200);
    expect((await admin.get('/vendor/leaflet/images/layers.png')).headers['content-type']).toBe('image/png');
    expect((await admin.get('/vendor/leaflet/package.json')).statusCode).toBe(404);
    expect((await admin.get('/vendor/leaflet/..%2F..%2Fpackage.json')).statusCode).toBe(404);
    expect((await admin.get('/static/console-map.js')).statusCode).toBe(200);
  });

  it('an officer of one community sees only its points and grids, never another community\'s', async () => {
    const fetchAs = async (name: string) => {
      const b = await t.as(name);
      return { points: (await b.get('/console/map/orders.geojson')).json() as Points, grids: (await b.get('/console/map/grids.geojson')).json() as Grids };
    };
    const a = await fetchAs('王主任'); // 柳岸社区 (D01-T01-C01)
    const b = await fetchAs('冯主任'); // D01-T01-C02
    const inA = DEMO_ORDERS.filter((o) => o.grid.startsWith('D01-T01-C01-')).length;
    expect(a.points.features).toHaveLength(inA);
    expect(a.points.features.every((f) => demoGridOf(f.geometry.coordinates)!.startsWith('D01-T01-C01-'))).toBe(true);
    expect(a.grids.features.map((f) => f.properties.code)).toEqual(['D01-T01-C01-G01', 'D01-T01-C01-G02', 'D01-T01-C01-G03']);
    expect(b.points.features.map((f) => demoGridOf(f.geometry.coordinates))).toEqual(['D01-T01-C02-G01']);
    expect(b.grids.features.every((f) => f.properties.code.startsWith('D01-T01-C02-'))).toBe(true);
    // A's numbers are not in B's answer, and B's page table lists only B's grids.
    const aNos = new Set(a.points.features.map((f) => f.properties.no));
    expect(b.points.features.some((f) => aNos.has(f.properties.no))).toBe(false);
    const bPage = await (await t.as('冯主任')).get('/console/map');
    expect(bPage.body).not.toContain('D01-T01-C01-G01');
    // A leader sees their grid only.
    expect((await fetchAs('张伟')).points.features.every((f) => demoGridOf(f.geometry.coordinates) === 'D01-T01-C01-G01')).toBe(true);
  });

  it('the feeds are GeoJSON: WGS-84 [lng, lat] points with the order link, labelled grid polygons with open counts', async () => {
    const admin = await t.as('系统管理员');
    const res = await admin.get('/console/map/orders.geojson');
    expect(res.headers['content-type']).toContain('application/geo+json');
    expect(res.headers['cache-control']).toBe('no-store');
    const points = res.json() as Points;
    expect(points).toMatchObject({ type: 'FeatureCollection', datum: 'wgs84', cut: false, limit: 2000 });
    const f = points.features[0]!;
    expect(f).toMatchObject({ type: 'Feature', geometry: { type: 'Point' }, properties: { url: `/console/orders/${f.properties.no}` } });
    const [stored] = await t.ctx.db.select({ lat: workOrders.lat, lng: workOrders.lng }).from(workOrders).where(eq(workOrders.no, f.properties.no));
    expect(f.geometry.coordinates).toEqual([stored!.lng, stored!.lat]);

    const grids = (await admin.get('/console/map/grids.geojson')).json() as Grids;
    expect(grids.features).toHaveLength(12);
    const g1 = grids.features.find((g) => g.properties.code === 'D01-T01-C01-G01')!;
    const inG1 = DEMO_ORDERS.filter((o) => o.grid === 'D01-T01-C01-G01').length;
    expect(g1).toMatchObject({ geometry: { type: 'Polygon' }, properties: { open: inG1, overdue: 1 } });
    expect(g1.properties.label).toBe(`柳岸社区第一网格 · ${inG1} 件（超期 1）`);
  });

  it('bounds the points: ?limit keeps the newest and says it cut; a bad limit falls back to the maximum', async () => {
    const admin = await t.as('系统管理员');
    const two = (await admin.get('/console/map/orders.geojson?limit=2')).json() as Points;
    expect(two.features).toHaveLength(2);
    expect(two.cut).toBe(true);
    const newest = await t.ctx.db.select({ no: workOrders.no, createdAt: workOrders.createdAt }).from(workOrders);
    newest.sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || y.no - x.no);
    expect(two.features.map((f) => f.properties.no)).toEqual(newest.slice(0, 2).map((r) => r.no));
    for (const bad of ['0', '-1', '99999', 'abc']) {
      const res = (await admin.get(`/console/map/orders.geojson?limit=${bad}`)).json() as Points;
      expect(res.limit, bad).toBe(2000);
    }
  });

  it('an order page maps the point and the grid; an order without a point its grid only; nothing without either', async () => {
    const admin = await t.as('系统管理员');
    const [located] = await t.ctx.db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.sourceMessageId, 'demo-order:lamp'));
    const page = await admin.get(`/console/orders/${located!.no}`);
    expect(page.headers['content-security-policy']).toBe(BASE_CSP);
    expect(page.body).toContain('data-map="order"');
    expect(page.body).toMatch(/data-point="\[120\.14\d+,30\.24\d+\]"/);
    expect(page.body).toContain('data-grid="{&quot;type&quot;:&quot;Feature&quot;');
    expect(page.body).toContain('/vendor/leaflet/leaflet.css');

    const submit = async (key: string, gridCode: string) => {
      const r = await submitDemand({
        deps: t.ctx.orderDeps,
        input: { sourceMessageId: key, channel: 'group', residentId: await t.ctx.residentId('陈阿姨'), gridId: await t.ctx.gridId(gridCode), text: `${key} 楼道灯坏了`, checkDuplicates: false },
      });
      if (r.outcome !== 'created') throw new Error(r.outcome);
      return r.order.no;
    };
    const noPoint = await admin.get(`/console/orders/${await submit('map-no-point', 'D01-T01-C01-G02')}`);
    expect(noPoint.body).toContain('data-map="order"');
    expect(noPoint.body).not.toContain('data-point=');
    expect(noPoint.body).toContain('工单没有位置');

    await t.ctx.db.update(gridUnits).set({ boundary: null }).where(eq(gridUnits.code, 'D01-T01-C01-G03'));
    const nothing = await admin.get(`/console/orders/${await submit('map-nothing', 'D01-T01-C01-G03')}`);
    expect(nothing.statusCode).toBe(200);
    expect(nothing.body).not.toContain('data-map=');
    expect(nothing.body).not.toContain('/vendor/leaflet/');
  });

  it('anonymous visitors are sent to log in; the feeds, asked as a script asks, answer 401', async () => {
    const anonymous = t.app;
    const json = { accept: 'application/json' };
    expect((await anonymous.inject({ method: 'GET', url: '/console/map', headers: { accept: 'text/html' } })).statusCode).toBe(302);
    expect((await anonymous.inject({ method: 'GET', url: '/console/map/orders.geojson', headers: json })).statusCode).toBe(401);
    expect((await anonymous.inject({ method: 'GET', url: '/console/map/grids.geojson', headers: json })).statusCode).toBe(401);
  });
});

describe('tile configuration', () => {
  it('天地图 with a key: the template carries the key, and the map pages (only they) allow exactly its eight origins', async () => {
    const t = await createConsoleTest({
      env: { MAP_TILE_URL: TIANDITU, MAP_TILE_KEY: 'k3y+abc', MAP_TILE_SUBDOMAINS: '01234567', MAP_TILE_ATTRIBUTION: '天地图' },
    });
    try {
      await seedDemoOrders({ deps: t.ctx.orderDeps });
      const admin = await t.as('系统管理员');
      const page = await admin.get('/console/map');
      const origins = [...'01234567'].map((s) => `https://t${s}.tianditu.gov.cn`).join(' ');
      expect(page.headers['content-security-policy']).toBe(BASE_CSP.replace("img-src 'self' data:", `img-src 'self' data: ${origins}`));
      expect(page.body).toContain('tk=k3y%2Babc');
      expect(page.body).toContain('&quot;subdomains&quot;:&quot;01234567&quot;');
      expect(page.body).not.toContain('未配置底图');
      const [located] = await t.ctx.db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.sourceMessageId, 'demo-order:lamp'));
      expect((await admin.get(`/console/orders/${located!.no}`)).headers['content-security-policy']).toContain('https://t7.tianditu.gov.cn');
      // Pages without a map keep the plain policy.
      expect((await admin.get('/console/orders')).headers['content-security-policy']).toBe(BASE_CSP);
    } finally {
      await t.close();
    }
  });

  it('GCJ-02 tiles (高德): the feeds say so and shift the stored WGS-84 points and polygons onto them', async () => {
    const t = await createConsoleTest({ env: { MAP_TILE_URL: 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}', MAP_TILE_SUBDOMAINS: '1234', MAP_TILE_DATUM: 'gcj02' } });
    try {
      await seedDemoOrders({ deps: t.ctx.orderDeps });
      const admin = await t.as('系统管理员');
      const points = (await admin.get('/console/map/orders.geojson')).json() as Points;
      expect(points.datum).toBe('gcj02');
      const f = points.features[0]!;
      const [stored] = await t.ctx.db.select({ lat: workOrders.lat, lng: workOrders.lng }).from(workOrders).where(eq(workOrders.no, f.properties.no));
      const [x, y] = fromWgs84({ lat: stored!.lat!, lng: stored!.lng!, datum: 'gcj02' });
      expect(f.geometry.coordinates[0]).toBeCloseTo(x, 7);
      expect(f.geometry.coordinates[1]).toBeCloseTo(y, 7);
      // Hangzhou: GCJ-02 lies about 470 m east and 250 m south of WGS-84.
      expect(f.geometry.coordinates[0] - stored!.lng!).toBeGreaterThan(0.004);
      const grids = (await admin.get('/console/map/grids.geojson')).json() as Grids & { features: { geometry: { coordinates: number[][][] } }[] };
      expect(grids.datum).toBe('gcj02');
      expect(grids.features[0]!.geometry.coordinates[0]![0]![0]).toBeGreaterThan(120.144);
    } finally {
      await t.close();
    }
  });

  it('an offline tile folder is served under /map-tiles, only z/x/y inside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridline-tiles-'));
    mkdirSync(join(dir, '3', '6'), { recursive: true });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a00000000049454e44ae426082', 'hex');
    writeFileSync(join(dir, '3', '6', '3.png'), png);
    const t = await createConsoleTest({ env: { MAP_TILE_DIR: dir } });
    try {
      const admin = await t.as('系统管理员');
      const page = await admin.get('/console/map');
      expect(page.body).toContain('&quot;template&quot;:&quot;/map-tiles/{z}/{x}/{y}&quot;');
      expect(page.headers['content-security-policy']).toBe(BASE_CSP);
      const tile = await t.app.inject({ method: 'GET', url: '/map-tiles/3/6/3' });
      expect(tile.statusCode).toBe(200);
      expect(tile.headers['content-type']).toBe('image/png');
      expect(tile.rawPayload.equals(png)).toBe(true);
      for (const url of ['/map-tiles/3/6/4', '/map-tiles/3/8/3', '/map-tiles/3/..%2F..%2F/3', '/map-tiles/-1/0/0', '/map-tiles/40/0/0']) {
        expect([400, 404], url).toContain((await t.app.inject({ method: 'GET', url })).statusCode);
      }
    } finally {
      await t.close();
    }
  });
});
