import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { Browser, TEST_PASSWORD } from '../http/console-helpers';
import { type BotHarness, GROUP, dm, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

describe('the resident\'s chat on the order page', () => {
  it('shows what she wrote, what the bot asked and answered, and not what belongs to her other orders', async () => {
    h = await startBotHarness();
    // An earlier order of hers: its messages stay on its own page.
    await h.say({ from: '陈阿姨', room: GROUP, text: '5号楼后面的下水道堵了，污水冒出来了', mentionBot: true });
    const other = await h.lastOrder();
    h.t.clock.advance(10 * 60_000);
    const [question] = dm(await h.say({ from: '陈阿姨', text: '路灯坏了' }), '陈阿姨');
    h.t.clock.advance(60_000);
    await h.say({ from: '陈阿姨', text: '3号楼门口，晚上黑乎乎的' });
    const order = await h.lastOrder();
    expect(order.no).not.toBe(other.no);

    const app = await buildHttpApp({ ctx: h.t, plugins: consolePlugins });
    try {
      await h.t.db.update(staff).set({ username: 'zhangwei', passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: false }).where(eq(staff.name, '张伟'));
      const browser = new Browser(app, '10.9.0.1');
      expect((await browser.login('zhangwei', TEST_PASSWORD)).statusCode).toBe(303);
      const page = (await browser.get(`/console/orders/${order.no}`)).body;
      const thread = page.slice(page.indexOf('id="thread"'), page.indexOf('</section>', page.indexOf('id="thread"')));
      expect(thread).toContain('与居民的对话');
      // The bot's question as it was sent (its words live in the i18n file), HTML-escaped as the page shows it.
      const asked = question!.replaceAll('"', '&quot;');
      const order1 = ['路灯坏了', asked, '3号楼门口，晚上黑乎乎的', `已受理 #${order.no}`].map((s) => thread.indexOf(s));
      expect(order1.every((i) => i >= 0), thread).toBe(true);
      expect([...order1].sort((a, b) => a - b)).toEqual(order1);
      expect(thread).toContain('居民（私聊）');
      expect(thread).not.toContain('下水道');
    } finally {
      await app.close();
    }
  });
});
