import { asc, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { createConsoleTest, type ConsoleTest } from './console-helpers';

/** What console.js sends for a chosen file: its bytes, base64, in the hidden csvFile field. */
const asUpload = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('grid CSV import: encodings and error lists', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
  });
  afterAll(async () => t?.close());

  const units = () => t.ctx.db.select().from(gridUnits).orderBy(asc(gridUnits.id));

  it('imports a GBK file as Excel on Chinese Windows saves it, names intact', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const csv = [
      'code,name,level,parent_code,households',
      'D01-T09,北岭镇,镇,D01,',
      'D01-T09-C01,北岭村,村,D01-T09,',
      'D01-T09-C01-G01,北岭村第一网格,网格,D01-T09-C01,66',
    ].join('\r\n');
    const res = await b.post('/console/grids/import', { csv: '', csvFile: asUpload(iconv.encode(csv, 'gbk')) });
    expect(res.statusCode).toBe(303);
    expect((await b.get(res.headers.location as string)).body).toContain('新建 3 个');
    const [grid] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T09-C01-G01'));
    expect(grid!.name).toBe('北岭村第一网格');
    expect(grid!.households).toBe(66);
    const [town] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T09'));
    expect(town!.name).toBe('北岭镇');
  });

  it('imports UTF-16 with BOM (Excel "Unicode text") and UTF-8 with BOM uploads', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('D01-T09-C01-G02,北岭村第二网格,网格,D01-T09-C01,12\r\n', 'utf-16le')]);
    expect((await b.post('/console/grids/import', { csv: '', csvFile: asUpload(utf16) })).statusCode).toBe(303);
    const utf8 = Buffer.from('\uFEFFD01-T09-C01-G03,北岭村第三网格,网格,D01-T09-C01,13\n', 'utf8');
    expect((await b.post('/console/grids/import', { csv: '', csvFile: asUpload(utf8) })).statusCode).toBe(303);
    const names = (await units()).filter((u) => u.code.startsWith('D01-T09-C01-G')).map((u) => u.name);
    expect(names).toEqual(['北岭村第一网格', '北岭村第二网格', '北岭村第三网格']);
  });

  it('refuses a file whose encoding it cannot tell, with a Chinese reason at the top, importing nothing', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const before = await units();
    const big5 = iconv.encode('D01-T08,臺北區中正里,town,D01,\n', 'big5');
    const res = await b.post('/console/grids/import', { csv: '', csvFile: asUpload(big5) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('无法确定文件的编码');
    expect(res.body.indexOf('无法确定文件的编码')).toBeLessThan(res.body.indexOf('<table'));
    expect(await units()).toEqual(before);
  });

  it('lists every bad line at the top of the page, the first 200 of them, and counts the rest', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const before = await units();
    const lines = ['code,name,level,parent_code,households'];
    for (let i = 1; i <= 250; i++) lines.push(`BAD-${i},坏行${i},grid,NOPE,`);
    const res = await b.post('/console/grids/import', { csv: lines.join('\n') });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('有 250 处错误');
    expect(res.body).toContain('第 2 行：上级编码 NOPE 不存在');
    expect(res.body).toContain('第 201 行：');
    expect(res.body).not.toContain('第 202 行：');
    expect(res.body).toContain('另有 50 处错误未列出');
    expect(res.body.indexOf('第 2 行：')).toBeLessThan(res.body.indexOf('<table'));
    expect(await units()).toEqual(before);
  });

  it('lists siblings in natural order and names levels as the units are (镇/村), on the grids and staff pages', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    // Inserted in this order, so their ids (and paths) sort 第二十 < 第十一 < 第十.
    const csv = ['D01-T09-C01-G20,北岭村第二十网格,网格,D01-T09-C01,', 'D01-T09-C01-G11,北岭村第十一网格,网格,D01-T09-C01,', 'D01-T09-C01-G10,北岭村第十网格,网格,D01-T09-C01,'].join('\n');
    expect((await b.post('/console/grids/import', { csv })).statusCode).toBe(303);
    const page = (await b.get('/console/grids')).body;
    const at = (code: string) => page.indexOf(`data-code="${code}"`);
    const order = ['G01', 'G02', 'G03', 'G10', 'G11', 'G20'].map((g) => at(`D01-T09-C01-${g}`));
    expect(order.every((pos) => pos > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    const row = (code: string) => page.slice(at(code), page.indexOf('</tr>', at(code)));
    expect(row('D01-T09')).toContain('>镇</td>');
    expect(row('D01-T09-C01')).toContain('>村</td>');
    expect(row('D01-T01')).toContain('>街道</td>'); // a 街道 stays a 街道
    expect(page).toContain('北岭镇（镇）');
    const staffPage = (await b.get('/console/staff')).body;
    expect(staffPage).toContain('北岭村（村）');
    expect(staffPage.indexOf('北岭村第二网格')).toBeLessThan(staffPage.indexOf('北岭村第十网格'));
  });
});
