import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { acceptOrder, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { attachments, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { createTestContext } from '../helpers/context';
import { centreOf, posterPath } from '../http/resident-web.helpers';
import { ARTIFACTS, ON_PHONE, PHONE, hasChromium, logIn, setupBrowserSuite } from './console-browser';

/** A real 1×1 PNG, as a phone's photo picker would hand it over. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const PASSWORD = 'Admin-poster-2026';

describe.skipIf(!hasChromium)('扫码报事 in a real browser at phone size', () => {
  // The residents' pages need no staff log-in but the last test's, which sets its own password: the cheap hash.
  const suite = setupBrowserSuite({ context: () => createTestContext(), shots: 'resident' });
  const { shot } = suite;
  /** The no-script report's order and tracking link, revoked from the console in the last test. */
  let filedWithoutScript: { no: number; url: string } | undefined;

  /** No page may scroll sideways on a 390-pixel phone. */
  async function fitsPhone(page: Page) {
    const width = await page.evaluate('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(PHONE.width);
  }

  it('a resident files a report with a photo and their location, keeps the tracking link, follows the order and answers the 回访', async () => {
    const { ctx, base } = suite;
    const point = centreOf('D01-T01-C01-G02');
    const phone: BrowserContext = await suite.newContext({
      ...ON_PHONE,
      deviceScaleFactor: 2,
      geolocation: { latitude: point.lat, longitude: point.lng, accuracy: 20 },
      permissions: ['geolocation'],
    });
    const page = await phone.newPage();
    // The poster of 柳岸社区第一网格, scanned while standing in 第二网格.
    await page.goto(`${base}${await posterPath(ctx, 'D01-T01-C01-G01')}`);
    expect(await page.textContent('h1')).toContain('扫码报事');
    await expect(page.locator('#locate').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: shot('form'), fullPage: true });
    await fitsPhone(page);

    await page.fill('#text', '小区北门的路灯坏了一个星期了，晚上很黑，老人出门容易摔倒');
    await page.setInputFiles('#photos', { name: 'IMG_2041.png', mimeType: 'image/png', buffer: PNG });
    await page.tap('#locate');
    await page.locator('#locate-status', { hasText: '已获取位置' }).waitFor({ timeout: 10_000 });
    await page.fill('#location', '北门岗亭旁');
    await page.fill('#phone', '13912345678');
    await page.screenshot({ path: shot('form-filled'), fullPage: true });
    await Promise.all([page.waitForURL('**/t/*?new=filed'), page.tap('button[type=submit]')]);
    const trackingUrl = page.url().replace(/\?.*$/, '');
    const receipt = (await page.textContent('main'))!;
    expect(receipt).toMatch(/已受理，工单号 #\d+/);
    expect(receipt).toContain('请收藏或截图保存本页链接');
    expect(receipt).toContain('已上传照片 1 张');
    await page.screenshot({ path: shot('receipt'), fullPage: true });
    await fitsPhone(page);

    const no = Number(/工单号 #(\d+)/.exec(receipt)![1]);
    const [order] = await ctx.db.select().from(workOrders).where(eq(workOrders.no, no));
    expect(order!.gridId).toBe(await ctx.gridId('D01-T01-C01-G02'));
    expect(order!.lat).toBeCloseTo(point.lat, 5);
    expect(order!.channel).toBe('web');
    expect(await ctx.db.select().from(attachments).where(eq(attachments.orderId, order!.id))).toHaveLength(1);

    // Staff handle it; the resident opens the saved link again (a fresh tab, no cookies) and answers.
    const leader = await ctx.staffActor('刘洋');
    await acceptOrder({ deps: ctx.orderDeps, ref: { id: order!.id }, actor: leader, channel: 'direct' });
    await resolveOrder({ deps: ctx.orderDeps, ref: { id: order!.id }, actor: leader, channel: 'direct', note: '已更换北门路灯灯泡，并检查了线路' });
    const later = await (await suite.newContext({ ...ON_PHONE, deviceScaleFactor: 2 })).newPage();
    await later.goto(trackingUrl);
    expect(await later.textContent('main')).toContain('已更换北门路灯灯泡');
    expect(await later.textContent('main')).not.toContain('刘洋');
    await later.screenshot({ path: shot('survey'), fullPage: true });
    await fitsPhone(later);
    await later.tap('label.choice:has-text("基本满意")');
    await later.fill('#comment', '修好了，就是慢了点');
    await Promise.all([later.waitForURL('**?done=survey'), later.tap('form.survey button[type=submit]')]);
    expect(await later.textContent('main')).toContain('谢谢您的评价');
    await later.screenshot({ path: shot('closed'), fullPage: true });
    const [closed] = await ctx.db.select().from(workOrders).where(eq(workOrders.id, order!.id));
    expect(closed!.status).toBe('closed');
    expect(closed!.closure).toBe('basically_satisfied');
    await phone.close();
    await later.context().close();
  });

  it('without JavaScript the form still files the text, the phone number and a photo (only the location button needs it)', async () => {
    const { ctx, base } = suite;
    const context = await suite.newContext({ viewport: PHONE, isMobile: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}${await posterPath(ctx, 'D01-T01-C01-G03')}`);
    await expect(page.locator('#locate').isVisible()).resolves.toBe(false);
    await page.fill('#text', '3栋楼顶水箱漏水，楼道里全是水');
    await page.setInputFiles('#photos', { name: 'leak.png', mimeType: 'image/png', buffer: PNG });
    await page.fill('#phone', '13612345678');
    await Promise.all([page.waitForURL('**/t/*?new=filed'), page.click('button[type=submit]')]);
    expect(await page.textContent('main')).toContain('已上传照片 1 张');
    await page.screenshot({ path: shot('nojs-receipt'), fullPage: true });
    filedWithoutScript = { no: Number(/工单号 #(\d+)/.exec((await page.textContent('main'))!)![1]), url: page.url().replace(/\?.*$/, '') };
    await context.close();
  });

  it("an admin prints a grid's A4 poster (the browser's print to PDF gives one page) and revokes a resident's tracking link", async () => {
    const { ctx, base } = suite;
    await ctx.db.update(staff).set({ username: 'admin', passwordHash: await hashPassword(PASSWORD), mustChangePassword: false }).where(eq(staff.name, '系统管理员'));
    const page = await suite.newPage();
    await logIn(page, base, { username: 'admin', password: PASSWORD });
    await page.waitForURL('**/console/orders');
    await page.goto(`${base}/console/grids/${await ctx.gridId('D01-T01-C01-G01')}`);
    await Promise.all([page.waitForURL('**/poster'), page.click('a:has-text("扫码报事海报")')]);
    expect(await page.textContent('.poster')).toContain('柳岸社区第一网格');
    await page.screenshot({ path: shot('poster'), fullPage: true });
    const pdfPath = resolve(ARTIFACTS, 'resident-poster.pdf');
    await page.emulateMedia({ media: 'print' });
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pdf = (await readFile(pdfPath)).toString('latin1');
    expect(pdf.startsWith('%PDF')).toBe(true);
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);

    // A resident phones: the link was shared by mistake. The order page's 网页查询链接 card revokes it.
    const { no, url } = filedWithoutScript!;
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${base}/console/orders/${no}`);
    const card = page.locator('#tracking-links');
    expect(await card.textContent()).toContain('有效');
    await card.locator('summary:has-text("作废链接")').click();
    await card.locator('textarea[name=reason]').fill('居民来电说误把链接转发到了群里');
    await card.locator('input[name=confirm]').check();
    await card.screenshot({ path: shot('console-revoke') });
    await Promise.all([page.waitForURL(`**/console/orders/${no}`), card.locator('button[type=submit]').click()]);
    expect(await page.textContent('body')).toContain('已作废 1 个查询链接');
    expect(await page.locator('#tracking-links').textContent()).toContain('已作废');
    const old = await suite.newPage({ viewport: PHONE });
    await old.goto(url);
    expect(await old.textContent('main')).toContain('这个查询链接已被停用');
    await old.close();
    await page.close();
  });
});
