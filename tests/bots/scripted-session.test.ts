import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDepsFrom } from '../../src/jobs/job-deps';
import * as sweep from '../../src/jobs/sweep.job';
import { flushPendingDuplicates } from '../../src/modules/chat/demand.usecases';
import { residents } from '../../src/modules/people/residents.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import type { TranscriptEntry } from '../../bots/testing/mock-world';
import { type BotHarness, startBotHarness } from './helpers';
import { NATURAL_SESSION, type SessionLine } from './scripted-session.script';

/**
 * The scripted natural session (scripted-session.script.ts) through the real bot on the mock puppet, with the
 * clock moving between lines and the jobs running as they would. It measures what the issue "Understand people"
 * asks of the conversation: no junk orders, and little bot talk in the group per order.
 */
type Said = { line: SessionLine; index: number; messageId: string; sent: TranscriptEntry[] };

let h: BotHarness;
const said: Said[] = [];
let orders: (typeof workOrders.$inferSelect)[] = [];

/**
 * Whether an order was made from the chat message `messageId`: its source is "<bot account>:<message id>", with a
 * suffix of its own when one message became several orders.
 */
function cameFrom(order: typeof workOrders.$inferSelect, messageId: string): boolean {
  const source = order.sourceMessageId?.replace(/^[^:]*:/u, '') ?? '';
  return source === messageId || (source.startsWith(messageId) && /^[^0-9a-z]/u.test(source.slice(messageId.length)));
}

/** The order made for demand `name` so far: the first one whose message carried that demand. */
function orderFor(name: string): number | null {
  const lines = new Set(said.filter((s) => s.line.demand === name).map((s) => s.messageId));
  const found = orders.find((o) => [...lines].some((id) => cameFrom(o, id)));
  return found?.no ?? null;
}

beforeAll(async () => {
  h = await startBotHarness();
  const deps = jobDepsFrom(h.t, { instance: 'test' });
  for (const [index, line] of NATURAL_SESSION.entries()) {
    if (line.after) {
      h.t.clock.advance(line.after * 60_000);
      await flushPendingDuplicates({ ctx: h.t });
      await sweep.run(deps);
      await h.world.settle();
    }
    orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
    const text = line.text.replace(/\{(\w+)\}/gu, (_, name: string) => String(orderFor(name) ?? ''));
    const before = h.world.transcript().length;
    const { id } = await h.world.say({ from: line.from, room: line.room, text, mentionBot: line.mention });
    await h.world.settle();
    said.push({ line: { ...line, text }, index, messageId: id, sent: h.world.transcript().slice(before) });
  }
  h.t.clock.advance(31 * 60_000);
  await flushPendingDuplicates({ ctx: h.t });
  await sweep.run(deps);
  await h.world.settle();
  orders = await h.t.db.select().from(workOrders).orderBy(asc(workOrders.id));
}, 600_000);

afterAll(async () => h?.close());

/** Which line each order came from, and whether it was asked for. */
function judgeOrders() {
  const byDemand = new Map<string, number>();
  return orders.map((order) => {
    const source = said.find((s) => cameFrom(order, s.messageId));
    const line = source?.line;
    let verdict: 'ok' | 'junk' | 'copy';
    if (!line) verdict = 'junk';
    else if (line.demand) {
      const key = `${line.from}:${line.demand}`;
      const count = (byDemand.get(key) ?? 0) + 1;
      byDemand.set(key, count);
      verdict = count <= (line.maxOrders ?? 1) ? 'ok' : 'copy';
    } else verdict = line.mayOrder ? 'ok' : 'junk';
    return { no: order.no, text: order.text.slice(0, 40), line: source?.index ?? null, verdict, note: line?.note };
  });
}

describe('a scripted natural session of residents and a grid leader', () => {
  it('has at least 80 messages', () => {
    expect(NATURAL_SESSION.length).toBeGreaterThanOrEqual(80);
  });

  it('makes no junk orders and no copies, and every demand becomes an order', () => {
    const judged = judgeOrders();
    const junk = judged.filter((j) => j.verdict !== 'ok');
    const demands = [...new Set(NATURAL_SESSION.filter((l) => l.demand).map((l) => l.demand!))];
    const missing = demands.filter((d) => orderFor(d) === null);
    console.log(`natural session: ${NATURAL_SESSION.length} messages, ${orders.length} orders, ${junk.length} junk or copies, ${missing.length} demands without an order`);
    for (const j of junk) console.log(`  ${j.verdict}: #${j.no} from line ${j.line} (${j.note ?? ''}) ${j.text}`);
    for (const d of missing) console.log(`  no order for demand ${d}`);
    expect(junk).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('puts no resident\'s phone number in a group, and gives safety advice with every urgent receipt', async () => {
    const phones = (await h.t.db.select({ phone: residents.phone }).from(residents)).map((r) => r.phone).filter((p): p is string => Boolean(p));
    expect(phones.length).toBeGreaterThan(0);
    for (const e of h.world.transcript().filter((x) => x.room)) for (const phone of phones) expect(e.text).not.toContain(phone);
    const urgentReceipts = said.flatMap((s) => s.sent).filter((e) => e.text.includes('【紧急】已受理'));
    expect(urgentReceipts.length).toBeGreaterThanOrEqual(3);
    for (const e of urgentReceipts) expect(e.text).toContain('安全提示');
  });

  it('says at most 3 things in the group per order', () => {
    const transcript = h.world.transcript();
    const inGroups = transcript.filter((e) => e.room).length;
    const groupOrders = orders.filter((o) => o.channel === 'group').length;
    const perOrder = inGroups / Math.max(1, groupOrders);
    const all = transcript.length / Math.max(1, orders.length);
    console.log(`bot messages: ${inGroups} in groups for ${groupOrders} group orders (${perOrder.toFixed(2)} per order); ${transcript.length} in all for ${orders.length} orders (${all.toFixed(2)} per order)`);
    expect(perOrder).toBeLessThanOrEqual(3);
  });
});
