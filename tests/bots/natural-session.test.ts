import { asc } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { flushPendingDuplicates } from '../../src/modules/chat/demand.usecases';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, startBotHarness } from './helpers';

let h: BotHarness;
afterEach(async () => h?.close());

type Line = { from: string; text: string; room?: boolean; at?: boolean; demand?: string; staff?: boolean };

/**
 * A session as residents really talk, written from the issue's reproductions: each genuine report is marked
 * with `demand` (a word its order's text must contain); everything else — follow-ups, thanks, withdrawals,
 * survey answers in words, repeats, chatter — must make no order. Junk orders are counted and printed.
 */
const SESSION: Line[] = [
  { from: '陈阿姨', room: true, at: true, text: '3号楼门口的路灯坏了，晚上很黑', demand: '路灯' },
  { from: '陈阿姨', room: true, at: true, text: '路灯怎么还没修好啊？3号楼的' },
  { from: '老王', room: true, text: '今天菜市场的白菜真便宜' },
  { from: '小林', room: true, text: '是啊 我买了两颗' },
  { from: '老王', room: true, at: true, text: '👍' },
  { from: '陈阿姨', text: '我家厨房有很浓的煤气味，6栋302', demand: '煤气' },
  { from: '陈阿姨', text: '我刚才说的煤气那个事情有人来了吗' },
  { from: '陈阿姨', text: '好的 谢谢' },
  { from: '老王', room: true, at: true, text: '2号楼楼道灯坏了一个星期了', demand: '2号楼楼道灯' },
  { from: '老王', room: true, at: true, text: '2号楼楼道灯坏了一个星期了' },
  { from: '老王', room: true, at: true, text: '2号楼楼道灯坏了一个星期了' },
  { from: '小林', room: true, at: true, text: '我想反映一个问题' },
  { from: '小林', room: true, text: '不用了谢谢' },
  { from: '小林', room: true, at: true, text: '刚才那个单子不要了，我点错了' },
  { from: '小林', text: '你好' },
  { from: '小林', text: '在吗' },
  { from: '小林', text: '小区东门有人乱摆摊，路都走不通了，在东门公交站那边', demand: '摆摊' },
  { from: '小林', text: '有人来了吗' },
  { from: '小林', text: '补充一下 早上7点到9点最多' },
  { from: '陈阿姨', room: true, text: '小格你好，我家楼下那个下水道又堵了，5号楼2单元门口，臭得很', demand: '下水道' },
  { from: '老王', room: true, text: '请问一下谁管垃圾的？8号楼门口的垃圾桶三天没人收了，小格帮忙问问', demand: '垃圾' },
  { from: '老王', room: true, text: '谢谢大家' },
  { from: '老王', text: '怎么还没人来啊' },
  { from: '老王', text: '1' },
  { from: '陈阿姨', text: '辛苦了' },
  { from: '陈阿姨', text: '哈哈哈' },
  { from: '小林', text: '下水道那边我们自己通好了 不用来了' },
  { from: '陈阿姨', room: true, text: '什么时候去跳广场舞' },
  { from: '陈阿姨', text: '嗯嗯' },
  { from: '老王', text: '你是机器人吗' },
];

describe('a natural session of residents', () => {
  it('makes orders of the genuine reports only: no junk, no copies, also after the 30-minute flush', async () => {
    h = await startBotHarness();
    for (const line of SESSION) {
      await h.say({ from: line.from, text: line.text, ...(line.room ? { room: GROUP, mentionBot: line.at === true } : {}) });
    }
    h.t.clock.advance(31 * 60_000);
    await flushPendingDuplicates({ ctx: h.t });
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    const wanted = SESSION.filter((l) => l.demand).map((l) => l.demand!);
    const junk = orders.filter((o) => !wanted.some((w) => o.text.includes(w)));
    console.log(`natural session: ${SESSION.length} messages, ${orders.length} orders, ${wanted.length} genuine, ${junk.length} junk${junk.map((o) => `\n  junk: ${o.text}`).join('')}`);
    expect(junk).toEqual([]);
    for (const w of wanted) expect(orders.filter((o) => o.text.includes(w))).toHaveLength(1);
    expect(orders).toHaveLength(wanted.length);
    // "下水道那边我们自己通好了" from 小林, whose only order is the stalls: not hers to withdraw.
    expect(orders.filter((o) => o.status === 'cancelled')).toEqual([]);
  });
});
