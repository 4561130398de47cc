import { and, asc, eq, inArray } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { departmentMembers, departments, dispatchCatalogue } from '../../src/modules/departments/departments.table';
import { orderDispatches } from '../../src/modules/departments/order-dispatches.table';
import { categories } from '../../src/modules/categories/categories.table';
import { staff } from '../../src/modules/people/staff.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type ConsoleTest, createConsoleTest } from './console-helpers';

const asUpload = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const listed = (body: string) => [...body.matchAll(/<tr data-no="(\d+)">/g)].map((m) => Number(m[1]));

describe('the department pages (部门), the 派单目录 and the department CSV import', () => {
  let t: ConsoleTest;
  const byCode = async (code: string) => (await t.ctx.db.select().from(departments).where(eq(departments.code, code)))[0];

  beforeAll(async () => {
    t = await createConsoleTest();
  });
  afterAll(async () => t?.close());

  it('an admin creates a department, edits its limits and deactivates it; every change is audited', async () => {
    const b = await t.as('系统管理员');
    const page = await b.follow('/console/departments');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('还没有部门');
    const res = await b.post('/console/departments', {
      name: '城东燃气公司',
      code: 'GAS',
      kind: 'company',
      unitId: await t.ctx.gridId('D01'),
      calendar: 'every_day',
      signLimitHours: '1',
      limitDays: '',
      returnLimitHours: '12',
    });
    expect(res.statusCode).toBe(303);
    const gas = (await byCode('GAS'))!;
    expect(gas).toMatchObject({ name: '城东燃气公司', kind: 'company', calendar: 'every_day', signLimitHours: 1, limitDays: null, returnLimitHours: 12, active: true });
    expect(res.headers.location).toBe(`/console/departments/${gas.id}`);
    const detail = await b.follow(res.headers.location as string);
    expect(detail.body).toContain('已新建部门“城东燃气公司”');
    expect(detail.body).toContain('还没有人员');

    const edit = await b.post(`/console/departments/${gas.id}`, {
      name: '城东燃气公司',
      code: 'GAS',
      kind: 'company',
      unitId: gas.unitId,
      calendar: 'every_day',
      signLimitHours: '2',
      limitDays: '1',
      returnLimitHours: '24',
      active: '0',
    });
    expect(edit.statusCode).toBe(303);
    expect(await byCode('GAS')).toMatchObject({ signLimitHours: 2, limitDays: 1, returnLimitHours: 24, active: false });
    const list = await b.follow('/console/departments');
    expect(list.body).toMatch(/<tr data-department="\d+">[\s\S]*城东燃气公司[\s\S]*公共服务企业[\s\S]*停用/u);
    const audits = await t.ctx.db.select({ action: auditLog.action }).from(auditLog).where(inArray(auditLog.action, ['department.create', 'department.update']));
    expect(audits.map((a) => a.action).sort()).toEqual(['department.create', 'department.update']);
  });

  it('refuses bad input in words and changes nothing: a bad code, a taken code, a limit out of range, an unknown area', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/departments');
    const unitId = await t.ctx.gridId('D01');
    const base = { name: '区城管局', code: 'CG', kind: 'department', unitId, calendar: 'working', signLimitHours: '2', limitDays: '', returnLimitHours: '24' };
    const tries: [Record<string, string | number>, string][] = [
      [{ ...base, code: '城管 局' }, '编码只能用字母、数字'],
      [{ ...base, code: 'GAS' }, '该编码已被其他部门使用'],
      [{ ...base, signLimitHours: '0' }, '签收时限（小时）应为 1 至 72 的整数'],
      [{ ...base, limitDays: '999' }, '应为 1 至 60 的整数'],
      [{ ...base, unitId: 999999 }, '请选择服务区域'],
      [{ ...base, kind: 'bank' }, '请选择类型'],
      [{ ...base, name: '' }, '名称不能为空'],
    ];
    for (const [form, words] of tries) {
      const res = await b.post('/console/departments', form);
      expect(res.statusCode).toBe(303);
      expect((await b.follow(res.headers.location as string)).body).toContain(words);
    }
    expect(await byCode('CG')).toBeUndefined();
  });

  it('adds staff to a department as handler and head, changes a role, and removes a member', async () => {
    const b = await t.as('系统管理员');
    const gas = (await byCode('GAS'))!;
    await b.follow(`/console/departments/${gas.id}`);
    const [li] = await t.ctx.db.insert(staff).values({ name: '燃气李师傅', phone: '13700000001' }).returning({ id: staff.id });
    const [wang] = await t.ctx.db.insert(staff).values({ name: '燃气王经理', phone: '13700000002' }).returning({ id: staff.id });
    expect((await b.post(`/console/departments/${gas.id}/members`, { staffId: li!.id, role: 'handler' })).statusCode).toBe(303);
    expect((await b.post(`/console/departments/${gas.id}/members`, { staffId: wang!.id, role: 'handler' })).statusCode).toBe(303);
    expect((await b.post(`/console/departments/${gas.id}/members`, { staffId: wang!.id, role: 'head' })).statusCode).toBe(303);
    const members = await t.ctx.db.select({ staffId: departmentMembers.staffId, role: departmentMembers.role, id: departmentMembers.id }).from(departmentMembers).orderBy(asc(departmentMembers.staffId));
    expect(members.map((m) => [m.staffId, m.role])).toEqual([[li!.id, 'handler'], [wang!.id, 'head']]);
    const page = await b.follow(`/console/departments/${gas.id}`);
    expect(page.body).toContain('燃气李师傅 · 经办人');
    expect(page.body).toContain('燃气王经理 · 负责人');
    // A member of nobody, a bad role: refused.
    const bad = await b.post(`/console/departments/${gas.id}/members`, { staffId: 999999, role: 'handler' });
    expect((await b.follow(bad.headers.location as string)).body).toContain('请选择工作人员');
    const badRole = await b.post(`/console/departments/${gas.id}/members`, { staffId: li!.id, role: 'boss' });
    expect((await b.follow(badRole.headers.location as string)).body).toContain('请选择身份');
    await b.follow(`/console/departments/${gas.id}`);
    const removed = await b.post(`/console/departments/${gas.id}/members/${members[1]!.id}/delete`, {});
    expect(removed.statusCode).toBe(303);
    expect((await t.ctx.db.select().from(departmentMembers)).map((m) => m.staffId)).toEqual([li!.id]);
    // Someone else's department id in the URL: not found.
    expect((await b.post(`/console/departments/999999/members/${members[0]!.id}/delete`, {})).statusCode).toBe(404);
  });

  it('edits the 派单目录: a category everywhere or in an area, lead or assist; the same entry twice is refused', async () => {
    const b = await t.as('系统管理员');
    const gas = (await byCode('GAS'))!;
    await t.ctx.db.update(departments).set({ active: true }).where(eq(departments.id, gas.id));
    const page = await b.follow('/console/departments/catalogue');
    expect(page.body).toContain('派单目录为空');
    const [hazard] = await t.ctx.db.execute<{ id: number }>(`select id from categories where code = 'safety_hazard'` as never).then((r) => ((r as unknown as { rows?: { id: number }[] }).rows ?? (r as unknown as { id: number }[])));
    const everywhere = await b.post('/console/departments/catalogue', { categoryId: hazard!.id, unitId: '', departmentId: gas.id, role: 'lead' });
    expect(everywhere.statusCode).toBe(303);
    const town = await t.ctx.gridId('D01-T01');
    await b.post('/console/departments/catalogue', { categoryId: hazard!.id, unitId: town, departmentId: gas.id, role: 'assist' });
    const twice = await b.post('/console/departments/catalogue', { categoryId: hazard!.id, unitId: '', departmentId: gas.id, role: 'assist' });
    expect((await b.follow(twice.headers.location as string)).body).toContain('目录中已有相同的项');
    const entries = await t.ctx.db.select().from(dispatchCatalogue).orderBy(asc(dispatchCatalogue.id));
    expect(entries.map((e) => [e.unitId, e.role])).toEqual([[null, 'lead'], [town, 'assist']]);
    const shown = await b.follow('/console/departments/catalogue');
    expect(shown.body).toMatch(/安全隐患[\s\S]*全区[\s\S]*城东燃气公司[\s\S]*主办/u);
    expect(shown.body).toContain('东湖街道');
    await b.post(`/console/departments/catalogue/${entries[1]!.id}/delete`, {});
    expect((await t.ctx.db.select().from(dispatchCatalogue)).length).toBe(1);
    expect((await b.post('/console/departments/catalogue/999999/delete', {})).statusCode).toBe(404);
  });

  it('imports departments from a GBK file saved by Excel, and a second import updates them by code', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/departments');
    const csv = [
      '名称,编码,类型,服务区域编码,日历,签收时限小时,办结天数,退回时限小时',
      '区供电公司,POWER,公共服务企业,D01,每天,2,2,24',
      '区市政工程所,SZ,职能部门,D01,工作日,,,',
      '柳岸物业,WY-LA,物业公司,D01-T01-C01',
      '城东燃气公司,GAS,企业,D01,每天,1,1,12',
    ].join('\r\n');
    const res = await b.post('/console/departments/import', { csv: '', csvFile: asUpload(iconv.encode(csv, 'gbk')) });
    expect(res.statusCode).toBe(303);
    expect((await b.get(res.headers.location as string)).body).toContain('新建 3 个部门，更新 1 个');
    expect(await byCode('POWER')).toMatchObject({ name: '区供电公司', kind: 'company', calendar: 'every_day', signLimitHours: 2, limitDays: 2 });
    expect(await byCode('SZ')).toMatchObject({ name: '区市政工程所', kind: 'department', calendar: 'working', signLimitHours: 2, limitDays: null, returnLimitHours: 24 });
    expect(await byCode('WY-LA')).toMatchObject({ name: '柳岸物业', kind: 'property', unitId: await t.ctx.gridId('D01-T01-C01') });
    expect(await byCode('GAS')).toMatchObject({ signLimitHours: 1, limitDays: 1, returnLimitHours: 12 });
  });

  it('lists every bad line of an import at the top of the page and imports nothing', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/departments');
    const before = (await t.ctx.db.select().from(departments)).length;
    const csv = [
      '名称,编码,类型,服务区域编码',
      '区园林所,YL,职能部门,D01',
      ',NONAME,职能部门,D01',
      '区水务,水务,职能部门,D01',
      '区环卫,HW,银行,D01',
      '区交警,JJ,职能部门,NOPE',
      '区住建,ZJ,职能部门,D01,每周',
      '区教育,JY,职能部门,D01,工作日,100',
      '区园林二所,YL,职能部门,D01',
      '太少,X',
    ].join('\n');
    const res = await b.post('/console/departments/import', { csv: '', csvFile: asUpload(iconv.encode(csv, 'gbk')) });
    expect(res.statusCode).toBe(400);
    const top = res.body.slice(0, res.body.indexOf('<h2'));
    for (const [line, words] of [
      [3, '名称不能为空'],
      [4, '编码“水务”不合规'],
      [5, '类型“银行”无法识别'],
      [6, '服务区域编码“NOPE”不存在'],
      [7, '日历“每周”无法识别'],
      [8, '签收时限（小时）“100”应为 1 至 72 的整数'],
      [9, '编码“YL”与第 2 行重复'],
      [10, '应为 4 至 8 列，实际 2 列'],
    ] as const) {
      expect(top).toMatch(new RegExp(`第 ${line} 行：[^<]*${words}`, 'u'));
    }
    expect(top).toContain('有 8 处错误，未导入任何数据');
    expect(res.body).toContain('区园林所,YL,职能部门,D01');
    expect((await t.ctx.db.select().from(departments)).length).toBe(before);
  });

  it('refuses a file in an encoding it cannot tell, before reading a line', async () => {
    const b = await t.as('系统管理员');
    await b.follow('/console/departments');
    const res = await b.post('/console/departments/import', { csv: '', csvFile: asUpload(iconv.encode('區供電公司,POWER2,公共服務企業,D01\r\n', 'big5')) });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/role="alert"[\s\S]*编码/u);
    expect(await byCode('POWER2')).toBeUndefined();
  });

  it('is for admins only', async () => {
    const officer = await t.as('王主任');
    await officer.follow('/console/orders');
    expect((await officer.get('/console/departments')).statusCode).toBe(403);
    expect((await officer.post('/console/departments/import', { csv: '区园林所,YL2,职能部门,D01' })).statusCode).toBe(403);
    expect((await officer.post('/console/departments/catalogue', { categoryId: 1, departmentId: 1, role: 'lead' })).statusCode).toBe(403);
    expect(await byCode('YL2')).toBeUndefined();
  });
});

describe('department scope: department staff see the orders their department holds, and nothing else', () => {
  let t: ConsoleTest;
  const no: Record<string, number> = {};
  let gas: number;
  let power: number;

  beforeAll(async () => {
    t = await createConsoleTest();
    const district = await t.ctx.gridId('D01');
    const [g] = await t.ctx.db.insert(departments).values({ code: 'GAS', name: '城东燃气公司', kind: 'company', unitId: district }).returning({ id: departments.id });
    const [p] = await t.ctx.db.insert(departments).values({ code: 'POWER', name: '区供电公司', kind: 'company', unitId: district }).returning({ id: departments.id });
    gas = g!.id;
    power = p!.id;
    const [li] = await t.ctx.db.insert(staff).values({ name: '燃气李师傅', phone: '13700000001' }).returning({ id: staff.id });
    const [zhao] = await t.ctx.db.insert(staff).values({ name: '供电赵师傅', phone: '13700000003' }).returning({ id: staff.id });
    await t.ctx.db.insert(departmentMembers).values([
      { departmentId: gas, staffId: li!.id, role: 'handler' },
      { departmentId: power, staffId: zhao!.id, role: 'handler' },
    ]);
    const submit = async (key: string, grid: string, text: string) => {
      const r = await submitDemand({
        deps: t.ctx.orderDeps,
        input: { sourceMessageId: `scope-${key}`, channel: 'group', residentId: await t.ctx.residentId('陈阿姨'), gridId: await t.ctx.gridId(grid), text, checkDuplicates: false },
      });
      if (r.outcome !== 'created') throw new Error(key);
      no[key] = r.order.no;
      t.ctx.clock.advance(60_000);
    };
    await submit('gas1', 'D01-T01-C01-G01', '楼道里燃气味很重');
    await submit('gas2', 'D01-T02-C01-G01', '厨房燃气表漏气');
    await submit('power', 'D01-T01-C01-G01', '整栋楼停电了');
    await submit('lamp', 'D01-T01-C01-G01', '路灯坏了');
    // What the dispatch use case leaves on the order: the department holding it (分流交办).
    await t.ctx.db.update(workOrders).set({ departmentId: gas }).where(inArray(workOrders.no, [no.gas1!, no.gas2!]));
    await t.ctx.db.update(workOrders).set({ departmentId: power }).where(eq(workOrders.no, no.power!));
  });
  afterAll(async () => t?.close());

  it('a gas company handler sees the gas orders in both towns, not the power company’s nor the grid’s own', async () => {
    const b = await t.as('燃气李师傅');
    const res = await b.get('/console/orders');
    expect(res.statusCode).toBe(200);
    expect(listed(res.body)).toEqual([no.gas2, no.gas1]);
    expect(res.body).toContain('共 2 条');
    expect((await b.get(`/console/orders/${no.gas1}`)).statusCode).toBe(200);
    expect((await b.get(`/console/orders/${no.power}`)).statusCode).toBe(404);
    expect((await b.get(`/console/orders/${no.lamp}`)).statusCode).toBe(404);
    // The filter offers their own department only, and a filter cannot widen the scope.
    expect(res.body).toContain('城东燃气公司');
    expect(res.body).not.toContain('区供电公司');
    expect(listed((await b.get(`/console/orders?department=${power}`)).body)).toEqual([]);
    // Set-up pages stay closed.
    expect((await b.get('/console/departments')).statusCode).toBe(403);
  });

  it('the power company handler sees only the power order; an order the department no longer holds leaves its list', async () => {
    const b = await t.as('供电赵师傅');
    expect(listed((await b.get('/console/orders')).body)).toEqual([no.power]);
    await t.ctx.db.update(workOrders).set({ departmentId: null }).where(eq(workOrders.no, no.power!));
    expect(listed((await b.get('/console/orders')).body)).toEqual([]);
    expect((await b.get(`/console/orders/${no.power}`)).statusCode).toBe(404);
    await t.ctx.db.update(workOrders).set({ departmentId: power }).where(eq(workOrders.no, no.power!));
  });

  it('the grid leader still sees the dispatched orders of the grid, and the admin filters the list by department', async () => {
    const leader = await t.as('张伟');
    expect(listed((await leader.get('/console/orders')).body)).toEqual([no.lamp, no.power, no.gas1]);
    const admin = await t.as('系统管理员');
    const res = await admin.get(`/console/orders?department=${gas}`);
    expect(listed(res.body)).toEqual([no.gas2, no.gas1]);
    expect(res.body).toMatch(/<option value="\d+">区供电公司<\/option>/u);
  });

  it('the order page shows the department holding the order, and offers officers a 派单 form with the catalogue’s suggestion', async () => {
    const [hazard] = (await t.ctx.db.select({ id: categories.id }).from(categories).where(eq(categories.code, 'other')));
    await t.ctx.db.update(workOrders).set({ categoryId: hazard!.id }).where(eq(workOrders.no, no.lamp!));
    await t.ctx.db.insert(dispatchCatalogue).values([
      { categoryId: hazard!.id, unitId: null, departmentId: gas, role: 'lead' },
      { categoryId: hazard!.id, unitId: null, departmentId: power, role: 'assist' },
    ]);
    const officer = await t.as('王主任');
    const page = await officer.follow(`/console/orders/${no.lamp}`);
    expect(page.body).toContain('派单目录建议：城东燃气公司；协办：区供电公司');
    expect(page.body).toMatch(/name="departmentId"[^]*?<option value="\d+" selected>城东燃气公司<\/option>/u);
    expect(page.body).toMatch(/name="assistIds" multiple[^]*?<option value="\d+" selected>区供电公司<\/option>/u);
    // The held department on a dispatched order's page; a grid leader gets no form.
    const leader = await t.as('张伟');
    const held = await leader.follow(`/console/orders/${no.gas1}`);
    expect(held.body).toContain('承办部门：城东燃气公司');
    expect(held.body).not.toContain('id="dispatch-form"');
    // The form's input is checked: a lead that is also an assist, or no lead, is refused in words.
    const same = await officer.post(`/console/orders/${no.lamp}/dispatch`, { departmentId: gas, assistIds: [gas] });
    expect((await officer.follow(same.headers.location as string)).body).toContain('协办部门不能与主办部门相同');
    const none = await officer.post(`/console/orders/${no.lamp}/dispatch`, { departmentId: '' });
    expect((await officer.follow(none.headers.location as string)).body).toContain('请选择部门');
    // An order outside the officer's scope is not found, as everywhere else.
    const [other] = (await t.ctx.db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.no, no.gas2!)));
    expect((await officer.post(`/console/orders/${other!.no}/dispatch`, { departmentId: gas })).statusCode).toBe(404);

    // The form runs the dispatch: 主办 to the company's handler, 协办 recorded, the step audited.
    const sent = await officer.post(`/console/orders/${no.lamp}/dispatch`, { departmentId: gas, assistIds: [power], note: '请现场核实' });
    expect((await officer.follow(sent.headers.location as string)).body).toContain('已派单给城东燃气公司');
    const [lamp] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.lamp!));
    expect(lamp!.departmentId).toBe(gas);
    const rows = await t.ctx.db.select().from(orderDispatches).where(eq(orderDispatches.orderId, lamp!.id));
    expect(rows.map((r) => [r.departmentId, r.role, r.status]).sort()).toEqual(
      [
        [gas, 'lead', 'dispatched'],
        [power, 'assist', 'dispatched'],
      ].sort(),
    );
    const [entry] = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'order.dispatch'), eq(auditLog.targetId, String(no.lamp))));
    expect(entry).toBeDefined();
  });
});
