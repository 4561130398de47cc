import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { createConsoleTest, type ConsoleTest } from './console-helpers';

const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const feature = (code: string, coordinates: unknown, type = 'Polygon') => ({ type: 'Feature', properties: { code }, geometry: { type, coordinates } });
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('grid boundaries: GeoJSON import and export on the grid page', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
  });
  afterAll(async () => t?.close());

  const boundaryOf = async (code: string) => (await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, code)))[0]!.boundary;

  it('exports the demo boundaries as a FeatureCollection that imports back unchanged', async () => {
    const b = await t.as('系统管理员');
    const res = await b.get('/console/grids.geojson');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const doc = res.json() as { type: string; features: { properties: { code: string }; geometry: unknown }[] };
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features).toHaveLength(12);
    const first = doc.features.find((f) => f.properties.code === 'D01-T01-C01-G01')!;
    expect(first.geometry).toEqual(await boundaryOf('D01-T01-C01-G01'));

    await b.follow('/console/grids');
    const back = await b.post('/console/grids/boundaries', { geojson: '', geojsonFile: Buffer.from(res.body).toString('base64') });
    expect(back.statusCode).toBe(303);
    expect((await b.get(back.headers.location as string)).body).toContain('已导入 12 个网格的边界');
    expect(await boundaryOf('D01-T01-C01-G01')).toEqual(first.geometry);
  });

  it('imports a MultiPolygon for one grid and leaves the others as they were', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const before = await boundaryOf('D01-T01-C01-G02');
    const multi = [[rect(120.3, 30.3, 120.31, 30.31)], [rect(120.32, 30.3, 120.33, 30.31)]];
    const res = await b.post('/console/grids/boundaries', { geojson: collection(feature('D01-T02-C02-G03', multi, 'MultiPolygon')) });
    expect(res.statusCode).toBe(303);
    expect(await boundaryOf('D01-T02-C02-G03')).toEqual({ type: 'MultiPolygon', coordinates: multi });
    expect(await boundaryOf('D01-T01-C01-G02')).toEqual(before);
    expect(await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'grid.boundary_import'))).toHaveLength(2);
  });

  it('lists every bad feature by index at the top and writes nothing', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const before = await boundaryOf('D01-T01-C01-G01');
    const open = [[[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01]]];
    const res = await b.post('/console/grids/boundaries', {
      geojson: collection(
        feature('D01-T01-C01-G01', [rect(120, 30, 120.01, 30.01)]),
        feature('D01-T01-C01-G02', open),
        feature('D01-T01-C01', [rect(120, 30, 120.01, 30.01)]),
        feature('D01-T01-C01-G03', [rect(120, 30, 181, 30.01)]),
      ),
    });
    expect(res.statusCode).toBe(400);
    const top = res.body.slice(res.body.indexOf('id="boundary-errors"'), res.body.indexOf('</div>', res.body.indexOf('id="boundary-errors"')));
    expect(top).toContain('有 3 处错误');
    expect(top).toContain('features[1]');
    expect(top).toContain('未闭合');
    expect(top).toContain('features[2]');
    expect(top).toContain('不是网格');
    expect(top).toContain('features[3]');
    expect(top).toContain('经度 181');
    expect(top).not.toContain('features[0]');
    expect(res.body.indexOf('id="boundary-errors"')).toBeLessThan(res.body.indexOf('<table'));
    expect(await boundaryOf('D01-T01-C01-G01')).toEqual(before);
  });

  it('is for admins only', async () => {
    const leader = await t.as('张伟');
    expect((await leader.get('/console/grids.geojson')).statusCode).toBe(403);
    const officer = await t.as('吴书记');
    expect((await officer.get('/console/grids.geojson')).statusCode).toBe(403);
  });
});
