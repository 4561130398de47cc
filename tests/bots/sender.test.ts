import { asc, eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlakyTransport } from '../../bots/sender/flaky-transport';
import type { Transport } from '../../bots/sender/transport';
import type { Database } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import { unreachableTexts } from '../../src/i18n/zh-CN.delivery';
import { chatGroups } from '../../src/modules/chat/chat.table';
import {
  claimDueOutbox,
  countOutboxByStatus,
  listDeadLetters,
  markOutboxSent,
  retryDeadLetter,
  scheduleOutboxRetry,
} from '../../src/modules/notifications/outbox.repository';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { createSeededRandom } from '../../src/modules/notifications/pacing.models';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { insertOutbox } from '../../src/modules/work-orders/work-orders.repository';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { seedDemo } from '../../src/seed/demo';
import { createManualClock } from '../../src/shared/clock';
import { createTestContext, type TestContext } from '../helpers/context';
import { createTestDatabaseUrl, testDbKind } from '../helpers/db';
import { bindEveryone, expectExactlyOnceInOrder, makeSender, recordingTransport, settle, writeMessages } from './sender.helpers';

describe('the outbox sender', () => {
  let t: TestContext | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('delivers everything exactly once, or dead-letters it visibly after the last try, when 30% of sends fail', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 150);
    const { transport, deliveries } = recordingTransport(t.clock);
    const flaky = createFlakyTransport({ inner: transport, failureRate: 0.3, random: createSeededRandom(2026) });
    const sender = makeSender(t, { transport: flaky, maxAttempts: 3, random: createSeededRandom(7) });

    await settle(t.db, t.clock, [sender]);

    const rows = await expectExactlyOnceInOrder(t.db, deliveries);
    const dead = rows.filter((r) => r.status === 'dead');
    const sent = rows.filter((r) => r.status === 'sent');
    // Every try reached the network once: the sends that got through plus the ones it dropped.
    expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(deliveries.length + flaky.failures());
    expect(flaky.failures()).toBeGreaterThan(150 * 0.2);
    expect(sent.every((r) => r.attempts >= 1 && r.attempts <= 3 && r.lastError === null && r.sentAt !== null)).toBe(true);
    // With 3 tries at 30% failure about 2.7% die; the seed gives some, so the dead-letter path is exercised.
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.length).toBeLessThan(20);
    for (const row of dead) {
      expect(row.attempts).toBe(3);
      expect(row.lastError).toBe('第3/3次发送失败：simulated network failure');
    }
    const listed = await listDeadLetters({ db: t.db });
    expect(listed.map((d) => d.id).sort((a, b) => a - b)).toEqual(dead.map((d) => d.id));
    expect(listed.every((d) => d.staffName ?? d.residentName ?? d.groupTopic)).toBe(true);
    expect(await countOutboxByStatus({ db: t.db })).toEqual({ pending: 0, sending: 0, sent: sent.length, dead: dead.length });
  });

  it('reaches staff 1:1, friends 1:1, other residents in their grid group with an @-mention, and groups', async () => {
    t = await createTestContext();
    const chen = await t.residentId('陈阿姨');
    const wang = await t.residentId('老王');
    await t.db.update(staff).set({ chatKey: sql`'GL-S' || ${staff.id}`, chatContactId: sql`'wx-s' || ${staff.id}` });
    await t.db.update(residents).set({ chatKey: 'GL-R-wang', chatContactId: 'wx-wang', isFriend: true }).where(eq(residents.id, wang));
    const result = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-1', channel: 'group', residentId: chen, gridId: await t.gridId('D01-T01-C01-G01'), text: '3号楼下面的路灯坏了好几天了' },
    });
    expect(result.outcome).toBe('created');
    const [group] = await t.db.select().from(chatGroups).where(eq(chatGroups.topic, '桂园社区第一网格居民群'));
    await insertOutbox(t.db, [
      { kind: 'status', orderId: null, recipientType: 'resident', residentId: wang, text: '给老王的私信' },
      { kind: 'notice', orderId: null, recipientType: 'group', chatGroupId: group!.id, text: '停水通知' },
    ]);
    const { transport, deliveries } = recordingTransport(t.clock);
    const results = await makeSender(t, { transport }).drain();

    expect(results.map((r) => r.kind)).toEqual(['sent', 'sent', 'sent', 'sent']);
    const zhang = await t.staffId('张伟');
    expect(deliveries).toEqual([
      expect.objectContaining({ via: 'room', room: '柳岸社区第一网格居民群', mentions: ['陈阿姨'], text: expect.stringMatching(/^已受理 #1001 路灯照明/) }),
      expect.objectContaining({ via: 'direct', to: `wx-s${zhang}`, text: expect.stringContaining('#1001') }),
      expect.objectContaining({ via: 'direct', to: 'wx-wang', text: '给老王的私信' }),
      expect.objectContaining({ via: 'room', room: '桂园社区第一网格居民群', mentions: [], text: '停水通知' }),
    ]);
    const rows = await t.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => r.deliveredVia)).toEqual(['room', 'direct', 'direct', 'room']);
  });

  it('dead-letters at once, with a reason an admin can act on, what has nobody to reach; a retry after the fix delivers it', async () => {
    t = await createTestContext();
    const [stranger] = await t.db.insert(residents).values({ name: '网上来信人', source: 'open311' }).returning({ id: residents.id });
    const zhang = await t.staffId('张伟');
    await insertOutbox(t.db, [
      { kind: 'status', orderId: null, recipientType: 'resident', residentId: stranger!.id, text: '给没有微信的居民' },
      { kind: 'assignment', orderId: null, recipientType: 'staff', staffId: zhang, text: '给未绑定的网格长' },
      { kind: 'notice', orderId: null, recipientType: 'group', chatGroupId: 99_999, text: '给不存在的群' },
    ]);
    const { transport, deliveries } = recordingTransport(t.clock);
    const sender = makeSender(t, { transport });

    expect((await sender.drain()).map((r) => r.kind)).toEqual(['dead', 'dead', 'dead']);
    expect(deliveries).toEqual([]);
    const dead = await listDeadLetters({ db: t.db });
    expect(dead.map((d) => [d.text, d.lastError, d.attempts])).toEqual([
      ['给不存在的群', unreachableTexts.group_unknown, 1],
      ['给未绑定的网格长', unreachableTexts.staff_unbound, 1],
      ['给没有微信的居民', unreachableTexts.resident_no_channel, 1],
    ]);
    expect(dead.find((d) => d.staffName === '张伟')).toBeDefined();

    await t.db.update(staff).set({ chatKey: 'GL-S1', chatContactId: 'wx-zhang' }).where(eq(staff.id, zhang));
    const assignment = dead.find((d) => d.staffName === '张伟')!;
    expect(await retryDeadLetter({ db: t.db, id: assignment.id, now: t.clock.now() })).toBe(true);
    expect(await retryDeadLetter({ db: t.db, id: assignment.id, now: t.clock.now() })).toBe(false);
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['sent']);
    expect(deliveries).toEqual([expect.objectContaining({ to: 'wx-zhang', text: '给未绑定的网格长' })]);
    const [row] = await t.db.select().from(outbox).where(eq(outbox.id, assignment.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
  });

  it('picks up a crashed sender’s claim once it expires, and the crashed sender can no longer settle it', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 3);
    const [crashed] = await claimDueOutbox({ db: t.db, botAccount: 'default', now: t.clock.now(), lockMs: 60_000 });
    expect(crashed).toMatchObject({ status: 'sending', attempts: 1 });
    const { transport, deliveries } = recordingTransport(t.clock);
    const sender = makeSender(t, { transport, lockMs: 60_000 });

    await sender.drain();
    expect(deliveries.map((d) => d.text)).toEqual(['消息-1', '消息-2']);
    t.clock.advance(59_999);
    expect(await sender.drain()).toEqual([]);
    t.clock.advance(1);
    expect(await sender.drain()).toEqual([{ kind: 'sent', id: crashed!.id }]);
    expect(deliveries.map((d) => d.text)).toEqual(['消息-1', '消息-2', '消息-0']);

    expect(await markOutboxSent({ db: t.db, claim: crashed!, via: 'direct', now: t.clock.now() })).toBe(false);
    expect(await scheduleOutboxRetry({ db: t.db, claim: crashed!, nextAttemptAt: t.clock.now(), error: 'late' })).toBe(false);
    const [row] = await t.db.select().from(outbox).where(eq(outbox.id, crashed!.id));
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('two senders on one database never deliver a message twice', async () => {
    const clock = createManualClock('2026-11-23T10:00:00+08:00');
    let a: Database;
    let b: Database;
    let close: () => Promise<void>;
    if (testDbKind === 'postgres') {
      // Two connection pools, as two bot processes would have.
      const fresh = await createTestDatabaseUrl();
      const poolA = postgres(fresh.url, { max: 4, onnotice: () => {} });
      const poolB = postgres(fresh.url, { max: 4, onnotice: () => {} });
      a = drizzle(poolA, { schema }) as unknown as Database;
      b = drizzle(poolB, { schema }) as unknown as Database;
      await seedDemo({ db: a, clock, hashPassword: async (p) => `test:${p}` });
      close = async () => {
        await poolA.end({ timeout: 5 });
        await poolB.end({ timeout: 5 });
        await fresh.drop();
      };
    } else {
      t = await createTestContext();
      a = t.db;
      b = t.db;
      close = async () => {};
    }
    try {
      await bindEveryone(a);
      await writeMessages(a, 200);
      const random = createSeededRandom(31);
      const { transport, deliveries } = recordingTransport(clock, { jitterMs: 3, random });
      const flakyA = createFlakyTransport({ inner: transport, failureRate: 0.3, random: createSeededRandom(1) });
      const flakyB = createFlakyTransport({ inner: transport, failureRate: 0.3, random: createSeededRandom(2) });
      const senderA = makeSender({ db: a, clock }, { transport: flakyA, random: createSeededRandom(3) });
      const senderB = makeSender({ db: b, clock }, { transport: flakyB, random: createSeededRandom(4) });

      await settle(a, clock, [senderA, senderB]);

      const rows = await expectExactlyOnceInOrder(a, deliveries);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      expect(deliveries).toHaveLength(200);
      expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(deliveries.length + flakyA.failures() + flakyB.failures());
      // Both did real work, or the test proves nothing about concurrency.
      expect(flakyA.failures()).toBeGreaterThan(0);
      expect(flakyB.failures()).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  it('keeps the pace: a burst at once, then one message every 2–5 s (on an injected clock)', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 25);
    const start = t.clock.now().getTime();
    const { transport, deliveries } = recordingTransport(t.clock);
    const sender = makeSender(t, { transport, pacing: { burst: 5, minGapMs: 2_000, maxGapMs: 5_000 }, random: createSeededRandom(5) });

    await sender.drain();

    expect(deliveries).toHaveLength(25);
    expect(deliveries.slice(0, 5).map((d) => d.at - start)).toEqual([0, 0, 0, 0, 0]);
    const gaps = deliveries.slice(5).map((d, i) => d.at - deliveries[i + 4]!.at);
    expect(gaps.every((g) => g >= 2_000 && g <= 5_000)).toBe(true);
    expect(new Set(gaps).size).toBeGreaterThan(10);
    // After a quiet spell the bot can answer a conversation at once again.
    t.clock.advance(60_000);
    await writeMessages(t.db, 5);
    const before = deliveries.length;
    await sender.drain();
    const burst = deliveries.slice(before).map((d) => d.at);
    expect(new Set(burst).size).toBe(1);
  });

  it('sends nothing while the bot is logged out and everything once it is back; a logout mid-send costs no try', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 4);
    let online = false;
    const { transport, deliveries } = recordingTransport(t.clock);
    let dropNext = false;
    const loggingOut: Transport = {
      async sendToContact(to, text) {
        if (dropNext) {
          dropNext = false;
          online = false;
          throw new Error('logged out');
        }
        await transport.sendToContact(to, text);
      },
      sendToRoom: (room, text, mentions) => transport.sendToRoom(room, text, mentions),
    };
    const sender = makeSender(t, { transport: loggingOut, isOnline: () => online });

    expect(await sender.drain()).toEqual([]);
    expect(await countOutboxByStatus({ db: t.db })).toMatchObject({ pending: 4, sending: 0, sent: 0 });
    expect((await t.db.select().from(outbox)).every((r) => r.attempts === 0)).toBe(true);

    online = true;
    dropNext = true;
    const first = await sender.drain();
    expect(first[0]).toMatchObject({ kind: 'retry' });
    const [row] = await t.db.select().from(outbox).where(eq(outbox.text, '消息-0'));
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row!.lastError).toContain('logged out');

    online = true;
    await sender.drain();
    expect(deliveries.map((d) => d.text).sort()).toEqual(['消息-0', '消息-1', '消息-2', '消息-3']);
  });

  it('runs on its own: sleeps while idle, wakes at login, and stops promptly', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    let online = false;
    const { transport, deliveries } = recordingTransport(t.clock);
    const sender = makeSender(t, {
      transport,
      isOnline: () => online,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      idlePollMs: 60_000,
    });
    const running = sender.run();
    await writeMessages(t.db, 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(deliveries).toHaveLength(0);

    online = true;
    sender.wake();
    for (let i = 0; i < 100 && deliveries.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(deliveries.map((d) => d.text)).toEqual(['消息-0', '消息-1']);

    const stopping = Date.now();
    await sender.stop();
    await running;
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
});
