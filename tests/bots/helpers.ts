import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { type StartedBot, startBot } from '../../bots/start';
import type { MockWorld, TranscriptEntry } from '../../bots/testing/mock-world';
import { inboundMessages } from '../../src/modules/chat/chat.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type TestContext, createTestContext } from '../helpers/context';

export const GROUP = '柳岸社区第一网格居民群';

/** What the bot sent `name` 1:1. */
export function dm(sent: TranscriptEntry[], name: string): string[] {
  return sent.filter((e) => e.to === name).map((e) => e.text);
}

/** What the bot said in a group @-mentioning `name`. */
export function atIn(sent: TranscriptEntry[], name: string, room = GROUP): string[] {
  return sent.filter((e) => e.room === room && e.mentions.includes(name)).map((e) => e.text);
}

export type BotHarness = {
  t: TestContext;
  started: StartedBot;
  world: MockWorld;
  dataDir: string;
  /** Says something and waits until the bot is done with it; returns what the bot sent meanwhile. */
  say(input: Parameters<MockWorld['say']>[0]): Promise<TranscriptEntry[]>;
  /** Messages the outbox holds for a person (the sender delivers them; these tests look at what was written). */
  outboxFor(who: { staff?: string; resident?: string }, kind?: string): Promise<(typeof outbox.$inferSelect)[]>;
  order(no: number): Promise<typeof workOrders.$inferSelect>;
  lastOrder(): Promise<typeof workOrders.$inferSelect>;
  inbound(): Promise<(typeof inboundMessages.$inferSelect)[]>;
  close(): Promise<void>;
};

/** The real bot on wechaty-puppet-mock, on a fresh database with the demo district. */
export async function startBotHarness({
  env = {},
  before,
  conversation,
  departments = false,
}: {
  env?: Record<string, string>;
  /** Seed the demo departments and the 派单目录 (分流交办) too. */
  departments?: boolean;
  /** The chat queue's bounds and sweep timing. */
  conversation?: Parameters<typeof startBot>[0]['conversation'];
  /** Changes to the demo data before the simulator's world is built from it. */
  before?: (t: TestContext) => Promise<void>;
} = {}): Promise<BotHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gridline-bot-'));
  const t = await createTestContext({ env: { DATA_DIR: dataDir, ...env }, departments });
  await before?.(t);
  const started = await startBot({ ctx: t, conversation });
  const world = started.mock!;
  return {
    t,
    started,
    world,
    dataDir,
    async say(input) {
      const before = world.transcript().length;
      await world.say(input);
      await world.settle();
      return world.transcript().slice(before);
    },
    async outboxFor(who, kind) {
      const where = who.staff
        ? and(eq(outbox.recipientType, 'staff'), eq(outbox.staffId, await t.staffId(who.staff)))
        : and(eq(outbox.recipientType, 'resident'), eq(outbox.residentId, await t.residentId(who.resident!)));
      const rows = await t.db.select().from(outbox).where(where).orderBy(asc(outbox.id));
      return rows.filter((r) => !kind || r.kind === kind);
    },
    async order(no) {
      const [row] = await t.db.select().from(workOrders).where(eq(workOrders.no, no));
      if (!row) throw new Error(`no order #${no}`);
      return row;
    },
    async lastOrder() {
      const rows = await t.db.select().from(workOrders).orderBy(asc(workOrders.id));
      const row = rows.at(-1);
      if (!row) throw new Error('no order yet');
      return row;
    },
    inbound: () => t.db.select().from(inboundMessages).orderBy(asc(inboundMessages.id)),
    async close() {
      await started.stop();
      await t.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
