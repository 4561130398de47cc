import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/passwords';
import { departmentMembers, departments } from '../../src/modules/departments/departments.table';
import { orderDispatches } from '../../src/modules/departments/order-dispatches.table';
import { staff } from '../../src/modules/people/staff.table';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { createTestContext, type TestContext } from '../helpers/context';
import { ARTIFACTS, DESKTOP, hasChromium, launchChromium, serveConsole } from './console-browser';

const NEW_PASSWORD = 'Grid-line-2026!';
const HANDLER_PASSWORD = 'Gas-handler-2026!';

/**
 * Departments in a real browser: the admin imports them from a GBK file and sees them, a gas company handler logs
 * in and sees only the order the company holds, and the dashboard shows the company's figures. The dispatch itself
 * is written as the departments core's use case records it (its console form is not wired yet).
 */
describe.skipIf(!hasChromium)('departments in a real browser', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'gridline-dept-'));

  beforeAll(async () => {
    ctx = await createTestContext({ hashPassword });
    ({ app, base } = await serveConsole(ctx));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = async (page: Page, username: string, password: string) => {
    await page.goto(`${base}/login`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
  };

  it('the admin imports departments from a GBK file; the gas handler sees the company’s order; the dashboard shows the company', async () => {
    const page = await browser.newPage({ viewport: DESKTOP, locale: 'zh-CN' });
    await login(page, 'admin', ctx.adminPassword);
    await page.waitForURL('**/console/password');
    await page.fill('input[name=current]', ctx.adminPassword);
    await page.fill('input[name=password]', NEW_PASSWORD);
    await page.fill('input[name=confirm]', NEW_PASSWORD);
    await page.click('form[action="/console/password"] button[type=submit]');
    await page.waitForURL('**/console/orders');

    const file = join(dir, '部门.csv');
    writeFileSync(file, iconv.encode('名称,编码,类型,服务区域编码,日历,签收时限小时,办结天数,退回时限小时\r\n城东燃气公司,GAS,公共服务企业,D01,每天,2,1,24\r\n区市政工程所,SZ,职能部门,D01,工作日,,,\r\n', 'gbk'));
    await page.goto(`${base}/console/departments`);
    await page.setInputFiles('input[type=file][data-bytes]', file);
    await expect.poll(() => page.inputValue('#department-csv-file')).not.toBe('');
    await page.click('form[action="/console/departments/import"] button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.textContent('.flash-ok')).toContain('新建 2 个部门');
    const [gas] = await ctx.db.select().from(departments).where(eq(departments.code, 'GAS'));
    expect(await page.textContent(`tr[data-department="${gas!.id}"]`)).toContain('城东燃气公司');
    await page.screenshot({ path: resolve(ARTIFACTS, 'console-departments-import.png'), fullPage: true });

    // A handler with a console account, and an order the company holds (as the dispatch use case leaves it).
    const [li] = await ctx.db
      .insert(staff)
      .values({ name: '燃气李师傅', phone: '13700000001', username: 'gas.li', passwordHash: await hashPassword(HANDLER_PASSWORD), mustChangePassword: false })
      .returning({ id: staff.id });
    await ctx.db.insert(departmentMembers).values({ departmentId: gas!.id, staffId: li!.id, role: 'handler' });
    const submit = async (key: string, text: string) => {
      const r = await submitDemand({
        deps: ctx.orderDeps,
        input: { sourceMessageId: `e2e-${key}`, channel: 'group', residentId: await ctx.residentId('陈阿姨'), gridId: await ctx.gridId('D01-T01-C01-G01'), text, categoryCode: 'safety_hazard', checkDuplicates: false },
      });
      if (r.outcome !== 'created') throw new Error(key);
      return r.order;
    };
    const gasOrder = await submit('gas', '楼道里燃气味很重，请尽快处理');
    await submit('lamp', '路灯坏了');
    const now = ctx.clock.now();
    await ctx.db.update(workOrders).set({ departmentId: gas!.id }).where(eq(workOrders.id, gasOrder.id));
    await ctx.db.insert(orderDispatches).values({
      orderId: gasOrder.id,
      departmentId: gas!.id,
      role: 'lead',
      status: 'signed',
      dispatcherUnitId: await ctx.gridId('D01-T01-C01'),
      dispatchedAt: now,
      signDeadlineAt: new Date(now.getTime() + 2 * 3_600_000),
      signedAt: new Date(now.getTime() + 10 * 60_000),
      deadlineAt: new Date(now.getTime() + 24 * 3_600_000),
    });

    const handler = await browser.newPage({ viewport: DESKTOP, locale: 'zh-CN' });
    await login(handler, 'gas.li', HANDLER_PASSWORD);
    await handler.waitForURL('**/console/orders');
    const rows = await handler.$$eval('tr[data-no]', (trs) => trs.map((tr) => tr.getAttribute('data-no')));
    expect(rows).toEqual([String(gasOrder.no)]);
    await handler.screenshot({ path: resolve(ARTIFACTS, 'console-department-handler-list.png'), fullPage: true });
    await handler.goto(`${base}/console/orders/${gasOrder.no}`);
    expect(await handler.textContent('#held-by')).toContain('城东燃气公司');
    await handler.screenshot({ path: resolve(ARTIFACTS, 'console-department-order.png'), fullPage: true });

    // The company resolves (through the real use case), the figures refresh, the dashboard shows the company.
    ctx.clock.advance(3 * 3_600_000);
    await ctx.db.update(orderDispatches).set({ status: 'resolved', resolvedAt: ctx.clock.now() }).where(eq(orderDispatches.orderId, gasOrder.id));
    await resolveOrder({ deps: ctx.orderDeps, ref: { no: gasOrder.no }, actor: await ctx.staffActor('张伟'), channel: 'direct', note: '已更换老化软管' });
    await refreshStats({ deps: ctx });
    await page.goto(`${base}/console/dashboard`);
    const table = await page.textContent('#department-figures');
    expect(table).toContain('城东燃气公司');
    expect(await page.textContent(`#department-figures tr[data-department="${gas!.id}"]`)).toMatch(/城东燃气公司\s*公共服务企业\s*1\s*0\s*1/u);
    await page.locator('#s-departments').scrollIntoViewIfNeeded();
    await page.screenshot({ path: resolve(ARTIFACTS, 'console-dashboard-departments.png'), fullPage: true });
    await handler.close();
    await page.close();
  });
});
