import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorPlugin } from '../../bots/simulator/simulator.routes';
import { buildHttpApp } from '../../src/http/app';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { type BotHarness, GROUP, startBotHarness } from '../bots/helpers';
import { hasChromium, listen, logIn, setupBrowserSuite } from './console-browser';

/** A real 1×1 PNG: the console's thumbnail must decode in the browser. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const SILK = Buffer.concat([Buffer.from([0x02]), Buffer.from('#!SILK_V3 voice')]);
const PASSWORD = 'Wang-zhuren-2026';

describe.skipIf(!hasChromium)('photos, voice and a place through the simulator page, shown on the console', () => {
  // The bot on its mock network, its context the console's; the simulator page served beside the console.
  let h: BotHarness;
  let sim: FastifyInstance;
  let simBase = '';
  const suite = setupBrowserSuite({ context: async () => (h = await startBotHarness()).t, close: () => h.close() });
  beforeAll(async () => {
    sim = await buildHttpApp({ ctx: h.t, plugins: [simulatorPlugin(h.world)] });
    simBase = await listen(sim);
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** Sends what the form holds and waits for the bot's answer with `expected` in the log. */
  async function sendAndSee(page: Page, expected: string) {
    await page.click('#send');
    await page.locator('#log li.bot', { hasText: expected }).first().waitFor({ timeout: 15_000 });
  }

  it('a resident reports, then sends a photo, a place and a silk voice note from the page; a wrong file is refused in Chinese', async () => {
    const page = await suite.newPage();
    await page.goto(`${simBase}/simulator`);
    await page.selectOption('#from', '陈阿姨');
    await page.selectOption('#room', GROUP);
    await page.fill('#text', '3号楼门口的路灯坏了，晚上很黑');
    await sendAndSee(page, '已受理');
    const order = await h.lastOrder();

    await page.check('input[name=kind][value=image]');
    expect(await page.isVisible('#text')).toBe(false);
    expect(await page.isDisabled('#mention')).toBe(true);
    await page.setInputFiles('#image', { name: '路灯.png', mimeType: 'image/png', buffer: PNG });
    await sendAndSee(page, `已将照片附到工单 #${order.no}`);
    expect(await page.locator('#log li.me', { hasText: '[照片] 路灯.png' }).count()).toBe(1);

    await page.check('input[name=kind][value=location]');
    await page.fill('#loc-name', '柳岸小区3号楼');
    await page.fill('#loc-address', '柳岸路88号3号楼门口');
    await page.fill('#loc-lat', '30.2741');
    await page.fill('#loc-lng', '120.1551');
    await page.click('#send');
    await page.locator('#log li.me', { hasText: '[位置] 柳岸小区3号楼' }).waitFor();

    // 1:1, a WeChat voice note.
    await page.selectOption('#room', '');
    await page.check('input[name=kind][value=voice]');
    await page.setInputFiles('#voice', { name: 'msg.silk', mimeType: '', buffer: SILK });
    await sendAndSee(page, `已将语音附到工单 #${order.no}`);

    // An HTML file dressed as a photo: refused, said in Chinese, nothing sent.
    await page.check('input[name=kind][value=image]');
    await page.setInputFiles('#image', { name: 'evil.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script>') });
    await page.click('#send');
    await page.locator('#error').waitFor({ state: 'visible' });
    expect(await page.textContent('#error')).toContain('文件内容与类型不符');
    await page.screenshot({ path: suite.shot('simulator-media'), fullPage: true });
    await page.close();
  });

  it('张伟 sends an after photo 1:1 from the page; the officer sees thumbnails, the place and the voice note on the order page', async () => {
    const order = await h.lastOrder();
    const page = await suite.newPage();
    await page.goto(`${simBase}/simulator`);
    await page.selectOption('#from', '张伟');
    await page.selectOption('#room', '');
    await page.fill('#text', `接单 ${order.no}`);
    await sendAndSee(page, `#${order.no}`);
    await page.fill('#text', `办结 ${order.no} 已更换灯泡`);
    await sendAndSee(page, '已办结');
    await page.check('input[name=kind][value=image]');
    await page.setInputFiles('#image', { name: '修好了.png', mimeType: 'image/png', buffer: PNG });
    await sendAndSee(page, '作为办结后照片');
    await page.close();

    await h.t.db.update(staff).set({ username: 'wangzr', passwordHash: await hashPassword(PASSWORD), mustChangePassword: false }).where(eq(staff.id, await h.t.staffId('王主任')));
    const officer = await suite.newPage();
    await logIn(officer, suite.base, { username: 'wangzr', password: PASSWORD });
    await officer.waitForURL('**/console/**');
    await officer.goto(`${suite.base}/console/orders/${order.no}`);
    const report = officer.locator('[data-stage=report]');
    const after = officer.locator('[data-stage=after]');
    expect(await report.locator('.thumbs img').count()).toBe(1);
    expect(await after.locator('.thumbs img').count()).toBe(1);
    // The thumbnails really load (served with the right type, to this logged-in officer).
    await officer.waitForFunction(`[...document.querySelectorAll('.thumbs img')].every((img) => img.complete && img.naturalWidth > 0)`);
    expect(await report.textContent()).toContain('柳岸路88号3号楼门口');
    // The simulator plays WeChat (GCJ-02); the page shows the stored WGS-84 point.
    expect(await report.textContent()).toContain('30.276420, 120.150392');
    expect(await report.textContent()).toContain('SILK 格式');
    expect(await after.textContent()).toContain('由 张伟 上传');
    await officer.screenshot({ path: suite.shot('order-attachments'), fullPage: true });
    await officer.close();
  });
});
