import { describe, expect, it } from 'vitest';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { ON_PHONE, PHONE, firstLogIn, hasChromium, logIn, setupBrowserSuite } from './console-browser';

const NEW_PASSWORD = 'Grid-line-2026!';

describe.skipIf(!hasChromium)('the console in a real browser', () => {
  const nos: number[] = [];
  const suite = setupBrowserSuite({
    shots: 'console',
    seed: async (ctx) => {
      const demands: [string, string, string, boolean?][] = [
        ['陈阿姨', 'D01-T01-C01-G01', '3号楼下面的路灯坏了好几天了，晚上很黑，老人出门不方便'],
        ['老王', 'D01-T01-C01-G01', '小区东门有人占道经营，早上堵得走不动'],
        ['杨大爷', 'D01-T01-C01-G02', '楼道里堆满了杂物，存在消防隐患 <script>alert(1)</script>'],
        ['彭同学', 'D01-T02-C02-G01', '5号楼电梯困人了，快来人', true],
      ];
      for (const [i, [resident, grid, text, urgent]] of demands.entries()) {
        const result = await submitDemand({
          deps: ctx.orderDeps,
          input: { sourceMessageId: `e2e-${i}`, channel: 'group', residentId: await ctx.residentId(resident), gridId: await ctx.gridId(grid), text, urgent, checkDuplicates: false },
        });
        if (result.outcome === 'created') nos.push(result.order.no);
        ctx.clock.advance(5 * 60_000);
      }
    },
  });
  const { shot } = suite;

  it('the admin logs in with the one-time password, changes it, filters the list and acts on an order', async () => {
    const { ctx, base } = suite;
    const page = await suite.newPage();
    await page.goto(`${base}/console/orders`);
    expect(page.url()).toContain('/login');
    await page.screenshot({ path: shot('login') });
    // Forced to change the one-time password first.
    await firstLogIn(page, base, { username: 'admin', oneTimePassword: ctx.adminPassword, password: NEW_PASSWORD });
    expect(await page.textContent('.flash-ok')).toContain('密码已修改');

    expect(await page.locator('tr[data-no]').count()).toBe(4);
    await page.screenshot({ path: shot('orders-desktop'), fullPage: true });

    // Filter: urgent only, then a Chinese word search.
    await page.selectOption('select[name=urgency]', 'urgent');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL('**urgency=urgent**');
    expect(await page.locator('tr[data-no]').count()).toBe(1);
    await page.goto(`${base}/console/orders?q=${encodeURIComponent('路灯')}`);
    expect(await page.locator('tr[data-no]').count()).toBe(1);
    expect(await page.locator('tr[data-no] td').nth(4).textContent()).toContain('路灯');

    // The resident's <script> is text on the page, not a script.
    await page.goto(`${base}/console/orders/${nos[2]}`);
    expect(await page.textContent('#order-text')).toContain('<script>alert(1)</script>');
    expect(await page.locator('#order-text script').count()).toBe(0);

    // Act on the lamp order: 督办, and the timeline shows it.
    await page.goto(`${base}/console/orders/${nos[0]}`);
    const before = await page.locator('#timeline li').count();
    await page.click('details[data-action=supervise] summary');
    await page.fill('details[data-action=supervise] textarea[name=note]', '请今天下班前修好，并回复居民');
    await page.click('details[data-action=supervise] button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.locator('#timeline li').count()).toBe(before + 1);
    expect(await page.locator('#timeline li[data-type=supervise]').textContent()).toContain('请今天下班前修好');
    await page.screenshot({ path: shot('order-desktop'), fullPage: true });
    await page.close();
  });

  it('a grid leader uses the console on a phone: sees their orders and signs for one', async () => {
    const { base } = suite;
    const page = await suite.newPage(ON_PHONE);
    // 张伟 gets an account the way an admin gives one: through the staff page, with a one-time password.
    const admin = await suite.newPage();
    await logIn(admin, base, { username: 'admin', password: NEW_PASSWORD });
    await admin.waitForURL('**/console/orders');
    await admin.goto(`${base}/console/staff`);
    await admin.click('a:text-is("张伟")');
    await admin.fill('input[name=username]', 'zhangwei');
    await admin.click('form[action$="/account"] button[type=submit]');
    const oneTime = /一次性密码：([A-Za-z0-9]+)/.exec((await admin.textContent('.flash-info')) ?? '')![1]!;
    await admin.screenshot({ path: shot('staff-desktop'), fullPage: true });
    await admin.close();

    await firstLogIn(page, base, { username: 'zhangwei', oneTimePassword: oneTime, password: 'Zhang-wei-2026' });
    expect(await page.locator('tr[data-no]').count()).toBe(2); // their grid's two orders only
    // On a phone the first order is in view without scrolling (the filters follow the table).
    const first = await page.locator('tr[data-no]').first().boundingBox();
    expect(first!.y + first!.height).toBeLessThanOrEqual(PHONE.height);
    expect((await page.locator('form.filters').boundingBox())!.y).toBeGreaterThan(first!.y);
    await page.screenshot({ path: shot('orders-phone'), fullPage: true });

    await page.click(`tr[data-no="${nos[1]}"] a >> nth=0`);
    await page.click('details[data-action=accept] summary');
    await page.click('details[data-action=accept] button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.locator('#timeline li[data-type=accept]').count()).toBe(1);
    expect(await page.textContent('dl.facts')).toContain('已签收');
    await page.screenshot({ path: shot('order-phone'), fullPage: true });
    await page.close();
  });
});
