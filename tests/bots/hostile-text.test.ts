import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botTexts } from '../../src/i18n/zh-CN.bot';
import { MAX_DEMAND_TEXT } from '../../src/shared/text/limits';
import { type BotHarness, dm, startBotHarness } from './helpers';

/** Texts the network delivers that the database cannot hold as they are, or that are too long to be a demand. */
describe('hostile texts in a chat message', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness();
  });
  afterAll(async () => h?.close());

  it('a demand with a NUL byte is stored, answered and filed without it', async () => {
    const sent = await h.say({ from: '陈阿姨', text: '3号楼\u0000门口的路灯坏了，晚上很黑' });
    const order = await h.lastOrder();
    expect(order.text).toBe('3号楼门口的路灯坏了，晚上很黑');
    expect(dm(sent, '陈阿姨')).toEqual([expect.stringContaining(`已受理 #${order.no}`)]);
    const stored = (await h.inbound()).at(-1)!;
    expect(stored).toMatchObject({ text: '3号楼门口的路灯坏了，晚上很黑', outcome: 'order' });
  });

  it('a demand with a lone surrogate becomes an order, the broken character replaced', async () => {
    const sent = await h.say({ from: '老王', text: '5号楼电梯停了两天了\uD83D，老人上下楼很困难' });
    const order = await h.lastOrder();
    expect(order.text).toBe('5号楼电梯停了两天了\uFFFD，老人上下楼很困难');
    expect(dm(sent, '老王')).toEqual([expect.stringContaining(`已受理 #${order.no}`)]);
  });

  it('an order number beyond any integer the database holds is "not found", not an internal error', async () => {
    for (const text of ['查询 #99999999999999999999', '查询 2147483648', '#9007199254740993', '撤回 #99999999999999999999']) {
      const replies = dm(await h.say({ from: '陈阿姨', text }), '陈阿姨');
      expect(replies, text).toHaveLength(1);
      expect(replies[0], text).not.toBe(botTexts.internalError);
    }
    expect((await h.inbound()).filter((m) => m.outcome === 'error')).toEqual([]);
  });

  it('a message over the limit is kept as received and refused politely, and one at the limit is a demand', async () => {
    const long = `6号楼楼道灯不亮了，${'很黑'.repeat(MAX_DEMAND_TEXT)}`;
    const refused = dm(await h.say({ from: '老王', text: long }), '老王');
    expect(refused).toEqual([botTexts.tooLong(MAX_DEMAND_TEXT)]);
    const stored = (await h.inbound()).at(-1)!;
    expect(stored).toMatchObject({ text: long, outcome: 'refused' });

    const atLimit = `7号楼楼道灯不亮了，${'很黑'.repeat(MAX_DEMAND_TEXT)}`.slice(0, MAX_DEMAND_TEXT);
    const accepted = dm(await h.say({ from: '老王', text: atLimit }), '老王');
    const order = await h.lastOrder();
    expect(order.text).toBe(atLimit);
    expect(accepted[0]).toContain(`#${order.no}`);
  });
});
