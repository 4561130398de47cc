import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/passwords';
import { departmentMembers, departments } from '../../src/modules/departments/departments.table';
import { orderDispatches } from '../../src/modules/departments/order-dispatches.table';
import { staff } from '../../src/modules/people/staff.table';
import { refreshStats } from '../../src/modules/stats/stats.usecases';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { firstLogIn, hasChromium, logIn, setupBrowserSuite } from './console-browser';

const NEW_PASSWORD = 'Grid-line-2026!';
const HANDLER_PASSWORD = 'Gas-handler-2026!';

/**
 * Departments in a real browser: the admin imports them from a GBK file and sees them, dispatches a gas order to
 * the company from the order page's 派单 form; the company's handler logs in, sees only that order, signs for it and
 * resolves it in the console; the dashboard shows the company's figures.
 */
describe.skipIf(!hasChromium)('departments in a real browser', () => {
  const suite = setupBrowserSuite({ tempDir: 'gridline-dept-', shots: 'console' });

  it('the admin imports departments from a GBK file; the gas handler sees the company’s order; the dashboard shows the company', async () => {
    const { ctx, base, dir, shot } = suite;
    const page = await suite.newPage();
    await firstLogIn(page, base, { username: 'admin', oneTimePassword: ctx.adminPassword, password: NEW_PASSWORD });

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
    await page.screenshot({ path: shot('departments-import'), fullPage: true });

    // A handler with a console account, and an order the company holds (as the dispatch use case leaves it).
    const [li] = await ctx.db
      .insert(staff)
      .values({ name: '燃气李师傅', phone: '13700009901', username: 'gas.li', passwordHash: await hashPassword(HANDLER_PASSWORD), mustChangePassword: false })
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

    // The admin dispatches the gas order to the company from its page (the 派单 form: 主办, no 协办).
    await page.goto(`${base}/console/orders/${gasOrder.no}`);
    await page.selectOption('#dispatch-form select[name=departmentId]', { label: '城东燃气公司' });
    await page.click('#dispatch-form button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.textContent('.flash-ok')).toContain('已派单给城东燃气公司');
    expect(await page.textContent('#held-by')).toContain('城东燃气公司');
    await page.screenshot({ path: shot('order-dispatched'), fullPage: true });
    const [dispatched] = await ctx.db.select().from(workOrders).where(eq(workOrders.id, gasOrder.id));
    expect(dispatched).toMatchObject({ departmentId: gas!.id, assigneeId: li!.id, status: 'assigned' });

    // The company's handler logs in, sees only the company's order, signs for it and resolves it with a note.
    const handler = await suite.newPage();
    await logIn(handler, base, { username: 'gas.li', password: HANDLER_PASSWORD });
    await handler.waitForURL('**/console/orders');
    const rows = await handler.$$eval('tr[data-no]', (trs) => trs.map((tr) => tr.getAttribute('data-no')));
    expect(rows).toEqual([String(gasOrder.no)]);
    await handler.screenshot({ path: shot('department-handler-list'), fullPage: true });
    await handler.goto(`${base}/console/orders/${gasOrder.no}`);
    expect(await handler.textContent('#held-by')).toContain('城东燃气公司');
    await handler.click('details[data-action=accept] summary');
    await handler.click('details[data-action=accept] button[type=submit]');
    await handler.waitForSelector('.flash-ok');
    ctx.clock.advance(3 * 3_600_000);
    await handler.click('details[data-action=resolve] summary');
    await handler.fill('details[data-action=resolve] textarea[name=note]', '已更换老化软管，检测无泄漏');
    await handler.click('details[data-action=resolve] button[type=submit]');
    await handler.waitForSelector('.flash-ok');
    expect(await handler.textContent('dl.facts')).toContain('已办结');
    await handler.screenshot({ path: shot('department-order'), fullPage: true });
    const dispatches = await ctx.db.select().from(orderDispatches).where(eq(orderDispatches.orderId, gasOrder.id));
    expect(dispatches.map((d) => [d.status, d.signedAt !== null])).toEqual([['resolved', true]]);

    // The figures refresh; the dashboard shows the company.
    await refreshStats({ deps: ctx });
    await page.goto(`${base}/console/dashboard`);
    const table = await page.textContent('#department-figures');
    expect(table).toContain('城东燃气公司');
    expect(await page.textContent(`#department-figures tr[data-department="${gas!.id}"]`)).toMatch(/城东燃气公司\s*公共服务企业\s*1\s*0\s*1/u);
    await page.locator('#s-departments').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('dashboard-departments'), fullPage: true });
    await handler.close();
    await page.close();
  });
});
