import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { derivePaths } from '../../src/modules/grids/grids.import.models';
import { createConsoleTest, type ConsoleTest } from './console-helpers';

describe('the grid tree pages', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
  });
  afterAll(async () => t?.close());

  const units = () => t.ctx.db.select().from(gridUnits).orderBy(asc(gridUnits.id));
  /** Every path equals the one derived from the parent links. */
  const pathsConsistent = async () => {
    const all = await units();
    const derived = derivePaths(all);
    return all.every((u) => derived.get(u.id) === u.path);
  };

  it('shows the tree and creates a grid under a community', async () => {
    const b = await t.as('系统管理员');
    const page = await b.get('/console/grids');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('柳岸社区第一网格');
    const community = await t.ctx.gridId('D01-T01-C01');
    const res = await b.post('/console/grids', { parentId: community, code: 'D01-T01-C01-G04', name: '柳岸社区第四网格', households: 88 });
    expect(res.statusCode).toBe(303);
    const [created] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T01-C01-G04'));
    expect(created!.level).toBe('grid');
    expect(created!.path).toBe(`${(await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.id, community)))[0]!.path}${created!.id}/`);
    expect(await pathsConsistent()).toBe(true);
  });

  it('moving a community to another town rewrites the paths of its whole subtree', async () => {
    const b = await t.as('系统管理员');
    const community = await t.ctx.gridId('D01-T01-C02');
    const town2 = await t.ctx.gridId('D01-T02');
    await b.follow(`/console/grids/${community}`);
    const res = await b.post(`/console/grids/${community}/move`, { parentId: town2 });
    expect(res.statusCode).toBe(303);
    const [town] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.id, town2));
    const [grid] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T01-C02-G01'));
    expect(grid!.path.startsWith(`${town!.path}${community}/`)).toBe(true);
    expect(await pathsConsistent()).toBe(true);
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'grid.move'));
    expect(audit).toHaveLength(1);
  });

  it('refuses to move a unit under a unit of the wrong level or under itself', async () => {
    const b = await t.as('系统管理员');
    const community = await t.ctx.gridId('D01-T01-C01');
    const grid = await t.ctx.gridId('D01-T01-C01-G01');
    await b.follow(`/console/grids/${community}`);
    const intoOwnGrid = await b.post(`/console/grids/${community}/move`, { parentId: grid });
    expect((await b.get(intoOwnGrid.headers.location as string)).body).toContain('不能移到自己或自己的下级之下');
    const otherCommunity = await t.ctx.gridId('D01-T02-C02');
    const wrongLevel = await b.post(`/console/grids/${community}/move`, { parentId: otherCommunity });
    expect((await b.get(wrongLevel.headers.location as string)).body).toContain('只能移到街道之下');
    expect(await pathsConsistent()).toBe(true);
  });

  it('exports the tree as CSV that imports back unchanged', async () => {
    const b = await t.as('系统管理员');
    const csv = await b.get('/console/grids.csv');
    expect(csv.statusCode).toBe(200);
    expect(csv.body.startsWith('\uFEFFcode,name,level,parent_code,households\r\n')).toBe(true);
    expect(csv.body).toContain('D01-T01-C01-G01,柳岸社区第一网格,grid,D01-T01-C01,180');
    const before = await units();
    await b.follow('/console/grids');
    const res = await b.post('/console/grids/import', { csv: csv.body });
    expect(res.statusCode).toBe(303);
    expect((await b.get(res.headers.location as string)).body).toContain(`新建 0 个，更新 ${before.length} 个`);
    expect(await units()).toEqual(before);
  });

  it('an import with errors reports each bad row by line and imports nothing', async () => {
    const b = await t.as('系统管理员');
    const before = await units();
    await b.follow('/console/grids');
    const csv = [
      'code,name,level,parent_code,households',
      'D01-T03,北岭街道,街道,D01,',
      'D01-T03-C01,北岭社区,community,D01-T03,',
      'D01-T03-C01-G01,北岭社区第一网格,grid,D01-T03-C01,abc',
      'D01-T03-C01-G02,,grid,D01-T03-C01,50',
      'D01-T03-C01-G03,北岭社区第三网格,grid,NOPE,50',
      'D01-T03-C01-G04,北岭社区第四网格,grid,D01-T03,50',
      'D01-T03,重复,town,D01,',
      'D01-T01-C01-G01,柳岸社区第一网格,community,D01-T01,',
    ].join('\n');
    const res = await b.post('/console/grids/import', { csv });
    expect(res.statusCode).toBe(400);
    for (const expected of [
      '第 4 行：户数“abc”无效',
      '第 5 行：名称不能为空',
      '第 6 行：上级编码 NOPE 不存在',
      '第 7 行：上级 D01-T03 的层级不对，应为社区',
      '第 8 行：编码 D01-T03 与第 2 行重复',
      '第 9 行：编码 D01-T01-C01-G01 已存在且是网格，不能改变层级',
    ]) {
      expect(res.body).toContain(expected);
    }
    expect(res.body).toContain('未导入任何数据');
    expect(await units()).toEqual(before);
  });

  it('a valid import creates new units and moves known ones in one go', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/grids');
    const csv = [
      'D01-T03,北岭街道,town,D01,',
      'D01-T03-C01,北岭社区,村,D01-T03,',
      'D01-T03-C01-G01,北岭社区第一网格,网格,D01-T03-C01,66',
      // An existing grid moved under the new community.
      'D01-T02-C01-G03,青石村第三网格,grid,D01-T03-C01,48',
    ].join('\r\n');
    const res = await b.post('/console/grids/import', { csv });
    expect(res.statusCode).toBe(303);
    const [moved] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T02-C01-G03'));
    const [newCommunity] = await t.ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T03-C01'));
    expect(newCommunity!.level).toBe('community');
    expect(moved!.parentId).toBe(newCommunity!.id);
    expect(moved!.path).toBe(`${newCommunity!.path}${moved!.id}/`);
    expect(await pathsConsistent()).toBe(true);
  });

  it('officers and grid leaders cannot open the grid pages', async () => {
    for (const name of ['吴书记', '张伟']) {
      const b = await t.as(name);
      expect((await b.get('/console/grids')).statusCode).toBe(403);
      expect((await b.post('/console/grids', { code: 'X1', name: 'x' })).statusCode).toBe(403);
    }
  });
});
