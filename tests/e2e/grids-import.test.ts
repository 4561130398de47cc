import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import iconv from 'iconv-lite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/modules/auth/passwords';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { createTestContext, type TestContext } from '../helpers/context';
import { ARTIFACTS, DESKTOP, firstLogIn, hasChromium, launchChromium, serveConsole } from './console-browser';

const NEW_PASSWORD = 'Grid-line-2026!';

describe.skipIf(!hasChromium)('the grid import in a real browser', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let browser: Browser;
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'gridline-gbk-'));

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

  it('a GBK file chosen in the file field imports with its names intact', async () => {
    const file = join(dir, '网格.csv');
    writeFileSync(file, iconv.encode('code,name,level,parent_code,households\r\nD01-T07,南湖镇,镇,D01,\r\nD01-T07-C01,南湖村,村,D01-T07,\r\n', 'gbk'));
    const page = await browser.newPage({ viewport: DESKTOP, locale: 'zh-CN' });
    await firstLogIn(page, base, { username: 'admin', oneTimePassword: ctx.adminPassword, password: NEW_PASSWORD });

    await page.goto(`${base}/console/grids`);
    await page.setInputFiles('input[type=file][data-bytes]', file);
    await expect.poll(() => page.inputValue('#grid-csv-file')).not.toBe('');
    await page.click('form[action="/console/grids/import"] button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.textContent('.flash-ok')).toContain('新建 2 个');
    expect(await page.textContent('tr[data-code="D01-T07-C01"]')).toContain('南湖村');
    expect(await page.textContent('tr[data-code="D01-T07"]')).toContain('镇');
    await page.screenshot({ path: resolve(ARTIFACTS, 'console-grids-gbk-import.png'), fullPage: true });
    const [village] = await ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T07-C01'));
    expect(village!.name).toBe('南湖村');
    await page.close();
  });
});
