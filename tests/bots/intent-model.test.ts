import { asc } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, dm, startBotHarness } from './helpers';

/**
 * The rules blended with the intent model, through the real bot: words the rules read as a new demand are read as
 * a question or a withdrawal about the resident's open order, and a new problem still becomes an order.
 */
let h: BotHarness;
afterEach(async () => h?.close());

const orders = () => h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));

describe('the intent model behind the rules', () => {
  it('"那个事搞得怎么样啦" asks after the open order and "我那个单子不弄了" asks before withdrawing it; a new problem still becomes an order', async () => {
    h = await startBotHarness();
    await h.say({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const lamp = await h.lastOrder();

    const asked = dm(await h.say({ from: '陈阿姨', text: '那个事搞得怎么样啦' }), '陈阿姨');
    expect(asked.join('\n')).toContain(`#${lamp.no}`);
    expect(await orders()).toHaveLength(1);

    const withdrawn = dm(await h.say({ from: '陈阿姨', text: '我那个单子不弄了' }), '陈阿姨');
    expect(withdrawn).toEqual([expect.stringContaining(`您是要撤回工单`)]);
    expect((await orders())[0]!.status).not.toBe('cancelled');
    expect(await orders()).toHaveLength(1);

    await h.say({ from: '陈阿姨', text: '2号楼电梯坏了 有人困在里面' });
    expect(await orders()).toHaveLength(2);
  });

  it('from a resident with no open matter, a new problem after an unclear line still becomes one order', async () => {
    h = await startBotHarness();
    await h.say({ from: '老王', text: '那个事搞得怎么样啦' });
    await h.say({ from: '老王', text: '2号楼电梯坏了 有人困在里面' });
    expect(await orders()).toHaveLength(1);
  });
});
