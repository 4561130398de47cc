import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { seedDemoOrders } from '../../src/seed/demo-orders';
import { DESKTOP, PHONE, hasChromium, logIn, setupBrowserSuite } from './console-browser';

const PASSWORD = 'Map-pages-2026!';

describe.skipIf(!hasChromium)('the maps in a real browser (no tiles configured)', () => {
  const cspErrors: string[] = [];
  const suite = setupBrowserSuite({
    shots: 'console',
    seed: async (ctx) => {
      await seedDemoOrders({ deps: ctx.orderDeps });
      const hash = await hashPassword(PASSWORD);
      for (const [name, username] of [['系统管理员', 'admin'], ['冯主任', 'feng']] as const) {
        await ctx.db.update(staff).set({ username, passwordHash: hash, mustChangePassword: false }).where(eq(staff.id, await ctx.staffId(name)));
      }
    },
  });
  const { shot } = suite;

  const open = async (username: string, viewport = DESKTOP): Promise<Page> => {
    const page = await suite.newPage({ viewport });
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
    page.on('pageerror', (e) => cspErrors.push(String(e)));
    await logIn(page, suite.base, { username, password: PASSWORD });
    await page.waitForURL('**/console/orders');
    return page;
  };

  it('the admin\'s map draws the twelve grids with their open counts and the orders clustered, without tiles', async () => {
    const page = await open('admin');
    await page.click('nav a[href="/console/map"]');
    await page.waitForSelector('#order-map[data-ready]');
    expect(await page.getAttribute('#order-map', 'data-error')).toBeNull();
    expect(await page.getAttribute('#order-map', 'data-ready')).toBe('8');
    // The plain ground, a scale, no tile images.
    expect(await page.getAttribute('#order-map', 'class')).toContain('map-plain');
    expect(await page.locator('.leaflet-control-scale').count()).toBe(1);
    expect(await page.locator('img.leaflet-tile').count()).toBe(0);
    // Twelve polygons, each labelled with its grid's name and open count.
    expect(await page.locator('.leaflet-overlay-pane path').count()).toBe(12);
    const labels = await page.locator('.grid-label').allTextContents();
    expect(labels).toHaveLength(12);
    expect(labels).toContain('柳岸社区第一网格3 件（超期 1）');
    // Markers and clusters: together they stand for all eight orders.
    const clusters = await page.locator('.leaflet-marker-pane .map-cluster').allTextContents();
    const singles = await page.locator('.leaflet-marker-pane .map-pin').count();
    expect(clusters.reduce((n, c) => n + Number(c), 0) + singles).toBe(8);
    expect(clusters.length).toBeGreaterThan(0);
    await page.screenshot({ path: shot('map'), fullPage: true });

    // A single marker opens a popup whose link is the order's page.
    await page.locator('.leaflet-marker-pane .map-pin').first().click();
    const link = page.locator('.leaflet-popup .map-popup a');
    await link.waitFor();
    const href = await link.getAttribute('href');
    // The popup fades in; the screenshot is taken once it is shown.
    await expect.poll(() => link.evaluate((a) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(a.closest('.leaflet-popup')).opacity)).toBe('1');
    expect(href).toMatch(/^\/console\/orders\/\d+$/);
    await page.screenshot({ path: shot('map-popup') });
    await link.click();
    await page.waitForURL(`**${href}`);
    await page.close();
  });

  it('a community officer sees only their three grids and their one order, on a phone too', async () => {
    const page = await open('feng', PHONE);
    await page.goto(`${suite.base}/console/map`);
    await page.waitForSelector('#order-map[data-ready]');
    expect(await page.getAttribute('#order-map', 'data-ready')).toBe('1');
    expect(await page.locator('.leaflet-overlay-pane path').count()).toBe(3);
    const labels = await page.locator('.grid-label').allTextContents();
    expect(labels.every((l) => l.startsWith('桂园社区'))).toBe(true);
    expect(await page.locator('#map-grids tbody tr').count()).toBe(3);
    await page.screenshot({ path: shot('map-officer-phone'), fullPage: true });
    await page.close();
  });

  it('an order page shows its point inside its grid\'s polygon', async () => {
    const [leak] = await suite.ctx.db.select({ no: workOrders.no }).from(workOrders).where(eq(workOrders.sourceMessageId, 'demo-order:leak'));
    const page = await open('admin');
    await page.goto(`${suite.base}/console/orders/${leak!.no}`);
    await page.waitForSelector('.map-order[data-ready]');
    expect(await page.locator('.map-order .leaflet-overlay-pane path').count()).toBe(1);
    expect(await page.locator('.map-order .leaflet-marker-pane .map-pin').count()).toBe(1);
    expect(await page.getAttribute('.map-order .map-pin', 'class')).toContain('pin-nearly_due');
    // The pin lies within the polygon's box on screen.
    const shape = (await page.locator('.map-order .leaflet-overlay-pane path').boundingBox())!;
    const pin = (await page.locator('.map-order .map-pin').boundingBox())!;
    const [cx, cy] = [pin.x + pin.width / 2, pin.y + pin.height / 2];
    expect(cx > shape.x && cx < shape.x + shape.width && cy > shape.y && cy < shape.y + shape.height).toBe(true);
    await page.locator('#order-location').screenshot({ path: shot('order-map') });
    await page.screenshot({ path: shot('order-map-page'), fullPage: true });
    await page.close();
  });

  it('Leaflet and the cluster plugin run under the console\'s CSP: no violation, no script error', () => {
    expect(cspErrors).toEqual([]);
  });
});
