/** The outbox sender's test kit: a network that records what got through, a sender on a manual clock, messages. */
import { asc, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type OutboxSenderOptions, createOutboxSender } from '../../bots/sender/sender';
import type { ContactTarget, RoomTarget, Transport } from '../../bots/sender/transport';
import type { Database } from '../../src/db/client';
import { chatGroups } from '../../src/modules/chat/chat.table';
import type { OutboxDraft } from '../../src/modules/notifications/notifications.models';
import { countOutboxByStatus } from '../../src/modules/notifications/outbox.repository';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { type Random, createSeededRandom } from '../../src/modules/notifications/pacing.models';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { insertOutbox } from '../../src/modules/work-orders/work-orders.repository';
import { type Clock, createManualClock } from '../../src/shared/clock';

export type Delivery = { via: 'direct' | 'room'; to: string | null; room: string | null; text: string; mentions: string[]; at: number };

/** The chat network as the tests see it: every message that got through, in order, and when. */
export function recordingTransport(clock: Clock, { jitterMs = 0, random }: { jitterMs?: number; random?: Random } = {}) {
  const deliveries: Delivery[] = [];
  const pause = async () => {
    if (jitterMs > 0 && random) await new Promise((r) => setTimeout(r, Math.floor(random() * jitterMs)));
  };
  const transport: Transport = {
    async sendToContact(to: ContactTarget, text: string) {
      await pause();
      deliveries.push({ via: 'direct', to: to.contactId ?? to.chatKey, room: null, text, mentions: [], at: clock.now().getTime() });
    },
    async sendToRoom(room: RoomTarget, text: string, mentions: ContactTarget[]) {
      await pause();
      deliveries.push({ via: 'room', to: null, room: room.topic, text, mentions: mentions.map((m) => m.name), at: clock.now().getTime() });
    },
  };
  return { transport, deliveries };
}

export const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export function makeSender(
  { db, clock }: { db: Database; clock: ReturnType<typeof createManualClock> },
  overrides: Partial<OutboxSenderOptions> & { transport: Transport },
) {
  return createOutboxSender({
    db,
    botAccount: 'default',
    clock,
    random: createSeededRandom(1),
    // Time is the manual clock: waiting moves it, so pacing and backoff are checked without timing anything.
    sleep: async (ms) => clock.advance(ms),
    pacing: { burst: 5, minGapMs: 0, maxGapMs: 0 },
    backoff: { baseMs: 10_000, maxMs: 30 * 60_000 },
    maxAttempts: 8,
    lockMs: 60_000,
    sendTimeoutMs: 5_000,
    idlePollMs: 1_000,
    isOnline: () => true,
    log: silent,
    ...overrides,
  });
}

/** Binds every member of staff and gives every resident a chat identity; even-numbered residents are friends. */
export async function bindEveryone(db: Database): Promise<void> {
  await db.update(staff).set({ chatKey: sql`'GL-S' || ${staff.id}`, chatContactId: sql`'wx-s' || ${staff.id}` });
  await db
    .update(residents)
    .set({ chatKey: sql`'GL-R' || ${residents.id}`, chatContactId: sql`'wx-r' || ${residents.id}`, isFriend: sql`${residents.id} % 2 = 0` });
}

/** `count` messages with unique texts, spread over every member of staff, every resident and every group. */
export async function writeMessages(db: Database, count: number): Promise<void> {
  const staffIds = (await db.select({ id: staff.id }).from(staff)).map((r) => r.id);
  const residentIds = (await db.select({ id: residents.id }).from(residents)).map((r) => r.id);
  const groupIds = (await db.select({ id: chatGroups.id }).from(chatGroups)).map((r) => r.id);
  const drafts: OutboxDraft[] = [];
  for (let i = 0; i < count; i++) {
    const text = `消息-${i}`;
    if (i % 3 === 0) drafts.push({ kind: 'status', orderId: null, recipientType: 'staff', staffId: staffIds[i % staffIds.length]!, text });
    else if (i % 3 === 1) drafts.push({ kind: 'status', orderId: null, recipientType: 'resident', residentId: residentIds[i % residentIds.length]!, text });
    else drafts.push({ kind: 'notice', orderId: null, recipientType: 'group', chatGroupId: groupIds[i % groupIds.length]!, text });
  }
  await insertOutbox(db, drafts);
}

/** Drains, then lets an hour pass (every retry falls due), until nothing is pending. */
export async function settle(db: Database, clock: ReturnType<typeof createManualClock>, senders: { drain(): Promise<unknown> }[]) {
  for (let round = 0; round < 80; round++) {
    await Promise.all(senders.map((s) => s.drain()));
    const c = await countOutboxByStatus({ db });
    if (c.pending + c.sending === 0) return round;
    clock.advance(60 * 60_000);
  }
  throw new Error('the outbox did not settle');
}

export function recipientOf(row: typeof outbox.$inferSelect): string {
  return `${row.recipientType}:${row.staffId ?? row.residentId ?? row.chatGroupId}`;
}

/** Each message went out at most once, sent ones exactly once, and each recipient got theirs in the order written. */
export async function expectExactlyOnceInOrder(db: Database, deliveries: Delivery[]) {
  const rows = await db.select().from(outbox).orderBy(asc(outbox.id));
  const times = new Map<string, number>();
  for (const d of deliveries) times.set(d.text, (times.get(d.text) ?? 0) + 1);
  for (const row of rows) {
    expect(['sent', 'dead']).toContain(row.status);
    expect(times.get(row.text) ?? 0, `${row.text} (${row.status})`).toBe(row.status === 'sent' ? 1 : 0);
  }
  const position = new Map(deliveries.map((d, i) => [d.text, i]));
  const lastByRecipient = new Map<string, number>();
  for (const row of rows.filter((r) => r.status === 'sent')) {
    const at = position.get(row.text)!;
    const key = recipientOf(row);
    expect(at, `order for ${key}`).toBeGreaterThan(lastByRecipient.get(key) ?? -1);
    lastByRecipient.set(key, at);
  }
  return rows;
}
