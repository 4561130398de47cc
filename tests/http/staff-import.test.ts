import { and, asc, desc, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { staff, staffRoles } from '../../src/modules/people/staff.table';
import { type ConsoleTest, createConsoleTest } from './console-helpers';

/** What console.js sends for a chosen file: its bytes, base64, in the hidden csvFile field. */
const asUpload = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The refused import's page lists exactly these line errors at the top, and says nothing was imported. */
function expectLineErrors(body: string, errors: readonly (readonly [number, string])[]) {
  const top = body.slice(0, body.indexOf('<table'));
  for (const [line, words] of errors) expect(top).toMatch(new RegExp(`第 ${line} 行：[^<]*${words}`, 'u'));
  expect(top).toContain(`有 ${errors.length} 处错误，未导入任何数据`);
}

describe('staff CSV import (人员批量导入)', () => {
  let t: ConsoleTest;
  beforeAll(async () => {
    t = await createConsoleTest();
  });
  afterAll(async () => t?.close());

  const rolesOf = async (name: string) => {
    const rows = await t.ctx.db
      .select({ role: staffRoles.role, unit: gridUnits.code })
      .from(staffRoles)
      .innerJoin(staff, eq(staff.id, staffRoles.staffId))
      .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
      .where(eq(staff.name, name))
      .orderBy(asc(gridUnits.code), asc(staffRoles.role));
    return rows.map((r) => `${r.role}@${r.unit}`);
  };

  it('imports a GBK file from Excel: new people with their roles, a known phone gets a second role, and a re-import changes nothing', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/staff');
    const csv = [
      '姓名,电话,单位编码,职务',
      '马晓红,139 0000 0901,D01-T01-C01-G02,网格员',
      '马晓红,13900000901,D01-T01-C01-G03,信息员',
      '牛建国,,D01-T01-C01,干部',
      '张伟,13900000101,D01-T01-C01-G02,assistant',
    ].join('\r\n');
    const [zhang] = await t.ctx.db.select().from(staff).where(eq(staff.name, '张伟'));
    expect(zhang!.phone).toBe('13900000101');
    const before = await rolesOf('张伟');

    const res = await b.post('/console/staff/import', { csv: '', csvFile: asUpload(iconv.encode(csv, 'gbk')) });
    expect(res.statusCode).toBe(303);
    expect((await b.get(res.headers.location as string)).body).toContain('新增人员 2 人，增加职务 4 项');
    expect(await rolesOf('马晓红')).toEqual(['assistant@D01-T01-C01-G02', 'informant@D01-T01-C01-G03']);
    expect(await rolesOf('牛建国')).toEqual(['officer@D01-T01-C01']);
    expect((await rolesOf('张伟')).sort()).toEqual([...before, 'assistant@D01-T01-C01-G02'].sort());
    expect((await t.ctx.db.select().from(staff).where(eq(staff.name, '马晓红'))).map((s) => s.phone)).toEqual(['13900000901']);

    // The same file again: the people with phones are known, nothing doubles (牛建国 has no phone: someone new).
    const again = await b.post('/console/staff/import', { csv: csv.split('\r\n').filter((l) => !l.startsWith('牛建国')).join('\n') });
    expect(again.statusCode).toBe(303);
    expect((await b.get(again.headers.location as string)).body).toContain('新增人员 0 人，增加职务 0 项，3 行已存在未变');
    expect(await rolesOf('马晓红')).toHaveLength(2);
  });

  it('lists every bad line at the top of the page and imports nothing', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/staff');
    const count = async () => (await t.ctx.db.select().from(staff)).length;
    const before = await count();
    const csv = [
      'name,phone,unit,role',
      '好人,13900000999,D01-T01-C01-G01,网格员',
      ',13900000998,D01-T01-C01-G01,网格员',
      '李四,abc,D01-T01-C01-G01,网格员',
      '王五,13900000997,NOPE,网格员',
      '赵六,13900000996,D01-T01-C01-G01,保安',
      '钱七,13900000995,D01-T01-C01,网格长',
      '孙八,13900000101,D01-T01-C01-G01,网格员',
      '多两列,1,2,3,4,5',
    ].join('\n');
    const res = await b.post('/console/staff/import', { csv });
    expect(res.statusCode).toBe(400);
    expectLineErrors(res.body, [
      [3, '姓名不能为空'],
      [4, '电话“abc”格式不对'],
      [5, '没有编码为“NOPE”的单位'],
      [6, '职务“保安”无法识别'],
      [7, '网格长只能设在网格'],
      [8, '已属于“张伟”'],
      [9, '应为 4 列'],
    ]);
    // The text stays in the form to be corrected.
    expect(res.body).toContain('好人,13900000999');
    expect(await count()).toBe(before);
  });

  it('an optional fifth column binds 企业微信 userids: new people and known people without one, audited, once', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/staff');
    const csv = [
      '姓名,电话,单位编码,职务,企业微信账号',
      '吴新,13900000801,D01-T01-C01-G02,网格员,ｗｕｘｉｎ',
      '吴新,13900000801,D01-T01-C01-G03,信息员,WuXin',
      '郑明,13900000802,D01-T01-C01-G02,网格员',
      '秦岚,13900000803,D01-T01-C01-G02,网格员,',
      '张伟,13900000101,D01-T01-C01-G03,信息员,zhangwei',
    ].join('\n');
    const res = await b.post('/console/staff/import', { csv });
    expect(res.statusCode).toBe(303);
    expect((await b.get(res.headers.location as string)).body).toContain('新增人员 3 人，增加职务 5 项，绑定企业微信 2 人');
    const person = async (name: string) => (await t.ctx.db.select().from(staff).where(eq(staff.name, name)))[0]!;
    expect(await person('吴新')).toMatchObject({ wecomUserId: 'wuxin', preferredChannel: 'wecom' });
    expect(await person('张伟')).toMatchObject({ wecomUserId: 'zhangwei', preferredChannel: 'wecom' });
    expect(await person('郑明')).toMatchObject({ wecomUserId: null, preferredChannel: 'wechat' });
    expect(await person('秦岚')).toMatchObject({ wecomUserId: null });
    const [audit] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'staff.import')).orderBy(desc(auditLog.id)).limit(1);
    expect((audit!.data as { wecom: unknown[] }).wecom).toEqual([
      { staffId: (await person('吴新')).id, wecomUserId: 'wuxin' },
      { staffId: (await person('张伟')).id, wecomUserId: 'zhangwei' },
    ]);

    // The same file again binds nobody twice.
    const again = await b.post('/console/staff/import', { csv });
    expect(again.statusCode).toBe(303);
    const page = (await b.get(again.headers.location as string)).body;
    expect(page).toContain('新增人员 0 人，增加职务 0 项，5 行已存在未变');
    expect(page).not.toContain('绑定企业微信');
  });

  it('refuses a userid that is malformed, someone else’s, or would replace a person’s own, and imports nothing', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/staff');
    const count = async () => (await t.ctx.db.select().from(staff)).length;
    const before = await count();
    const csv = [
      '甲,13900000811,D01-T01-C01-G02,网格员,张 三',
      '乙,13900000812,D01-T01-C01-G02,网格员,ZHANGWEI',
      '张伟,13900000101,D01-T01-C01-G01,网格员,zhang.wei2',
      '丙,13900000813,D01-T01-C01-G02,网格员,bing',
      '丁,,D01-T01-C01-G02,网格员,Bing',
      '戊,13900000814,D01-T01-C01-G02,网格员,wu1',
      '戊,13900000814,D01-T01-C01-G03,信息员,wu2',
    ].join('\n');
    const res = await b.post('/console/staff/import', { csv });
    expect(res.statusCode).toBe(400);
    expectLineErrors(res.body, [
      [1, '企业微信账号“张 三”格式不对'],
      [2, '企业微信账号 ZHANGWEI 已绑定到“张伟”'],
      [3, '“张伟”已绑定企业微信账号 zhangwei；要更换请在其人员页面修改'],
      [5, '企业微信账号 Bing 在第 4 行已用于另一个人'],
      [7, '电话 13900000814 的人员在文件里有两个不同的企业微信账号'],
    ]);
    expect(await count()).toBe(before);
    expect((await t.ctx.db.select().from(staff).where(and(eq(staff.name, '张伟'))))[0]?.wecomUserId).toBe('zhangwei');
  });

  it('is for admins only', async () => {
    const officer = await t.as('王主任');
    await officer.follow('/console/orders');
    const res = await officer.post('/console/staff/import', { csv: '甲,,D01-T01-C01-G01,网格员' });
    expect(res.statusCode).toBe(403);
    expect((await t.ctx.db.select().from(staff).where(eq(staff.name, '甲')))).toEqual([]);
  });
});
