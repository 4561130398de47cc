import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { firstLogIn, hasChromium, setupBrowserSuite } from './console-browser';

const NEW_PASSWORD = 'Grid-line-2026!';

describe.skipIf(!hasChromium)('the grid import in a real browser', () => {
  const suite = setupBrowserSuite({ tempDir: 'gridline-gbk-', shots: 'console' });

  it('a GBK file chosen in the file field imports with its names intact', async () => {
    const { ctx, base, dir, shot } = suite;
    const file = join(dir, '网格.csv');
    writeFileSync(file, iconv.encode('code,name,level,parent_code,households\r\nD01-T07,南湖镇,镇,D01,\r\nD01-T07-C01,南湖村,村,D01-T07,\r\n', 'gbk'));
    const page = await suite.newPage();
    await firstLogIn(page, base, { username: 'admin', oneTimePassword: ctx.adminPassword, password: NEW_PASSWORD });

    await page.goto(`${base}/console/grids`);
    await page.setInputFiles('input[type=file][data-bytes]', file);
    await expect.poll(() => page.inputValue('#grid-csv-file')).not.toBe('');
    await page.click('form[action="/console/grids/import"] button[type=submit]');
    await page.waitForSelector('.flash-ok');
    expect(await page.textContent('.flash-ok')).toContain('新建 2 个');
    expect(await page.textContent('tr[data-code="D01-T07-C01"]')).toContain('南湖村');
    expect(await page.textContent('tr[data-code="D01-T07"]')).toContain('镇');
    await page.screenshot({ path: shot('grids-gbk-import'), fullPage: true });
    const [village] = await ctx.db.select().from(gridUnits).where(eq(gridUnits.code, 'D01-T07-C01'));
    expect(village!.name).toBe('南湖村');
    await page.close();
  });
});
