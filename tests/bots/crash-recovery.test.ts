import { and, asc, eq, isNull, like } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { processInbound } from '../../src/modules/chat/conversation.usecases';
import { chatGroups, inboundMessages } from '../../src/modules/chat/chat.table';
import { incomingFromRow } from '../../src/modules/chat/inbound.usecases';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import type { TestContext } from '../helpers/context';
import { type BotHarness, GROUP, atIn, startBotHarness } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Makes every demand's processing slow (the classification reads the categories first). */
function slowDown(t: TestContext, ms: number) {
  const all = t.categories.all.bind(t.categories);
  t.categories.all = async () => {
    await sleep(ms);
    return all();
  };
}

/** Demands about different things (similar ones would be offered as possible duplicates of each other). */
const POOL = [
  '3号楼门口的路灯坏了，晚上很黑',
  '5号楼电梯停了两天了，老人上下楼很困难',
  '我家楼下7号楼的下水道堵了，味道很大',
  '北门外的垃圾桶满了，好几天没人清',
  '9号楼楼道里堆满了杂物，消防通道堵了',
  '12号楼外墙的瓷砖掉下来了，差点砸到人',
  '小区南门口有一棵大树倒了，挡住了路',
  '6号楼顶楼漏水，家里天花板都湿了',
];
const demands = (n: number, _what: string) => POOL.slice(0, n);

/** A row as the bot stores a group demand from `residentName`, left unprocessed as a crash leaves it. */
async function leftByCrash(t: TestContext, residentName: string, text: string, extra: Partial<typeof inboundMessages.$inferInsert> = {}) {
  const residentId = await t.residentId(residentName);
  const [group] = await t.db.select().from(chatGroups).where(eq(chatGroups.topic, GROUP));
  const contactId = `r${residentId}`;
  const [row] = await t.db
    .insert(inboundMessages)
    .values({
      messageId: `default:crash-${text}`,
      botAccount: 'default',
      channel: 'group',
      fromKey: `C:${contactId}`,
      fromName: residentName,
      roomId: `g${group!.id}@chatroom`,
      roomTopic: GROUP,
      type: 'text',
      text,
      payload: { contactId, mentionsBot: true, addressed: true },
      receivedAt: new Date(t.clock.now().getTime() - 60_000),
      ...extra,
    })
    .returning();
  return row!;
}

describe('a message is stored the moment it arrives', () => {
  it('a burst from one talker is all stored while processing is still working through it', async () => {
    h = await startBotHarness();
    slowDown(h.t, 150);
    const texts = demands(8, '东区');
    for (const text of texts) await h.world.say({ from: '陈阿姨', room: GROUP, text, mentionBot: true });
    await until(async () => (await h!.inbound()).length === texts.length, 900, 'every message to be stored');
    const rows = await h.inbound();
    expect(rows.filter((r) => r.outcome === null).length).toBeGreaterThan(2);
    // Wechaty emits a burst in the order it loads the messages: that arrival order is the talker's order.
    expect(rows.map((r) => r.text).sort()).toEqual([...texts].sort());
    await h.world.settle({ timeoutMs: 30_000 });
    const done = await h.inbound();
    expect(done.every((r) => r.outcome !== null)).toBe(true);
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    // Processed in the order they were said: each order's source is the next message.
    expect(orders.map((o) => o.sourceMessageId)).toEqual(done.filter((r) => r.outcome === 'order').map((r) => r.messageId));
  }, 120_000);

  it('the simulator answers a message sent without waiting only once it is stored', async () => {
    h = await startBotHarness();
    slowDown(h.t, 300);
    const { id } = await h.world.say({ from: '陈阿姨', room: GROUP, text: demands(1, '西区')[0]!, mentionBot: true });
    expect(await h.world.stored(id, { timeoutMs: 5_000 })).toBe(true);
    const [row] = await h.inbound();
    expect(row).toMatchObject({ messageId: `default:${id}`, outcome: null });
    await h.world.settle({ timeoutMs: 30_000 });
  }, 120_000);
});

describe('after a crash', () => {
  it('rows left unprocessed are processed at start, once, in order, and their replies reach the resident', async () => {
    const texts = demands(3, '北区');
    h = await startBotHarness({
      conversation: { sweepEveryMs: 200 },
      before: async (t) => {
        for (const text of texts) await leftByCrash(t, '陈阿姨', text);
        // One was being processed by the bot that died: its claim lapsed a moment ago.
        await t.db
          .update(inboundMessages)
          .set({ attempts: 1, lockedUntil: new Date(t.clock.now().getTime() - 1) })
          .where(eq(inboundMessages.text, texts[0]!));
      },
    });
    await until(async () => (await h!.inbound()).every((r) => r.outcome !== null), 20_000, 'the sweep');
    await h.world.settle({ timeoutMs: 30_000 });
    const rows = await h.inbound();
    expect(rows.map((r) => r.outcome)).toEqual(['order', 'order', 'order']);
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    expect(orders.map((o) => o.sourceMessageId)).toEqual(rows.map((r) => r.messageId));
    expect(orders.map((o) => o.text)).toEqual(texts);
    // The receipts went out through the outbox (the chat network's messages are gone after a restart).
    const receipts = atIn(h.world.transcript(), '陈阿姨').filter((t) => t.includes('已受理'));
    expect(receipts).toHaveLength(3);
    for (const o of orders) expect(receipts.some((t) => t.includes(`#${o.no}`))).toBe(true);
  }, 120_000);

  it('two bots racing for one unprocessed row: exactly one processes it', async () => {
    h = await startBotHarness({ conversation: { sweepEveryMs: 3_600_000, sweepGraceMs: 3_600_000 } });
    const row = await leftByCrash(h.t, '陈阿姨', demands(1, '南区')[0]!);
    const message = incomingFromRow(row, { memberNames: async () => [] });
    const probe = { isLiveContact: async () => true, isLiveRoom: async () => true, sharedRoomIds: async () => [] };
    const results = await Promise.all([1, 2, 3].map(() => processInbound({ ctx: h!.t, inboundId: row.id, message, probe, inPlace: false })));
    expect(results.filter((r) => r.handled && !r.duplicate)).toHaveLength(1);
    expect(await h.t.db.select().from(workOrders)).toHaveLength(1);
    const [after] = await h.t.db.select().from(inboundMessages).where(eq(inboundMessages.id, row.id));
    expect(after).toMatchObject({ outcome: 'order', attempts: 1, lockedUntil: null });
  }, 120_000);

  it('a message the bot keeps failing on is filed as failed, with an apology, instead of being tried for ever', async () => {
    h = await startBotHarness({
      conversation: { sweepEveryMs: 200 },
      before: async (t) => {
        await leftByCrash(t, '陈阿姨', demands(1, '中区')[0]!, { attempts: 5, lockedUntil: new Date(t.clock.now().getTime() - 1) });
      },
    });
    await until(async () => (await h!.inbound())[0]!.outcome !== null, 20_000, 'the sweep');
    await h.world.settle({ timeoutMs: 30_000 });
    expect((await h.inbound())[0]).toMatchObject({ outcome: 'failed', attempts: 6 });
    expect(await h.t.db.select().from(workOrders)).toHaveLength(0);
    expect(await h.t.db.select().from(outbox).where(like(outbox.dedupeKey, 'reply:default:crash-%'))).toEqual([
      expect.objectContaining({ kind: 'reply', text: expect.stringContaining('系统开了个小差') }),
    ]);
    expect(atIn(h.world.transcript(), '陈阿姨')).toEqual([expect.stringContaining('系统开了个小差')]);
  }, 120_000);
});

describe('when the database fails while a message is processed', () => {
  it('the message stays unprocessed, and the chat network delivering it again gets it processed', async () => {
    h = await startBotHarness({ conversation: { sweepEveryMs: 3_600_000 } });
    const all = h.t.categories.all;
    h.t.categories.all = async () => {
      throw Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' });
    };
    const { id } = await h.world.say({ from: '陈阿姨', room: GROUP, text: demands(1, '老区')[0]!, mentionBot: true });
    await h.world.settle();
    expect(await h.t.db.select().from(inboundMessages).where(isNull(inboundMessages.outcome))).toHaveLength(1);
    expect(await h.t.db.select().from(workOrders)).toHaveLength(0);

    h.t.categories.all = all;
    const before = h.world.transcript().length;
    h.world.repeat(id);
    await h.world.settle();
    const [row] = await h.inbound();
    expect(row).toMatchObject({ outcome: 'order', attempts: 2 });
    expect(atIn(h.world.transcript().slice(before), '陈阿姨')).toEqual([expect.stringContaining('已受理')]);
  }, 120_000);
});

describe('the in-memory queue is bounded', () => {
  it('past the bound messages are stored and left to the sweep, which processes them in order; none is dropped', async () => {
    h = await startBotHarness({ conversation: { bounds: { perTalker: 2, total: 100 }, sweepEveryMs: 100, sweepGraceMs: 0 } });
    slowDown(h.t, 100);
    const texts = demands(7, '新区');
    for (const text of texts) await h.world.say({ from: '陈阿姨', room: GROUP, text, mentionBot: true });
    await until(async () => (await h!.inbound()).length === texts.length, 2_000, 'every message to be stored');
    await until(
      async () => (await h!.t.db.select().from(inboundMessages).where(and(isNull(inboundMessages.outcome)))).length === 0,
      30_000,
      'every message to be processed',
    );
    await h.world.settle({ timeoutMs: 30_000 });
    const rows = await h.inbound();
    expect(rows.map((r) => r.outcome)).toEqual(texts.map(() => 'order'));
    const orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    expect(orders.map((o) => o.text)).toEqual(rows.map((r) => r.text));
    expect(atIn(h.world.transcript(), '陈阿姨').filter((t) => t.includes('已受理'))).toHaveLength(texts.length);
  }, 120_000);
});
