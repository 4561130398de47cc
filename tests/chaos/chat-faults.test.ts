/**
 * Chat network faults: notices from a realistic stream of orders go out through the real outbox sender while the
 * network refuses 30% of sends, lets some hang for ever and answers others late, and the account is logged out for
 * ten minutes (an injected clock: no real waiting). Afterwards every notice arrived exactly once or is a visible
 * dead letter, none is lost or doubled, the logout cost no message a try, and the pace held. Then two senders on
 * one database race for the same rows. Budget: about a minute per engine.
 */
import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type OutboxSender, createOutboxSender } from '../../bots/sender/sender';
import type { Transport } from '../../bots/sender/transport';
import type { Database, DatabaseKind } from '../../src/db/client';
import { countOutboxByStatus, listDeadLetters } from '../../src/modules/notifications/outbox.repository';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { createSeededRandom } from '../../src/modules/notifications/pacing.models';
import { createManualClock, systemClock } from '../../src/shared/clock';
import { type CallKind, createFaultyNetwork, minSustainedGapMs, pacingViolations, tagNewRows } from './chat-faults.network';
import { bindChat, contextOn, openEngine, orderStream, runEvent } from './chat-faults.stream';

const engines: DatabaseKind[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])];
const silent = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
/** As bots/sender/start.ts runs it on a real account. */
const LEASE_MS = 2 * 60_000;
const MINUTE = 60_000;

function countBy<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

function recipientOf(row: typeof outbox.$inferSelect): string {
  return `${row.recipientType}:${row.staffId ?? row.residentId ?? row.chatGroupId}`;
}

/** Rows settled: none pending, none claimed. */
async function settled(db: Database): Promise<boolean> {
  const c = await countOutboxByStatus({ db });
  return c.pending + c.sending === 0;
}

/** Whether the row should have reached the network once: sent, and not withheld by a group's noise budget. */
function reachedOnce(row: { status: string; deliveredVia: string | null }): boolean {
  return row.status === 'sent' && row.deliveredVia !== 'withheld';
}

describe.each(engines)('chat network faults (%s)', (kind) => {
  it(
    'every notice arrives exactly once or is a visible dead letter; a ten-minute logout costs no try; the pace holds',
    { timeout: 150_000 },
    async () => {
      const began = Date.now();
      const clock = createManualClock('2026-11-23T09:00:00+08:00');
      const engine = await openEngine(kind, clock);
      try {
        const ctx = contextOn(engine, clock);
        const { config } = ctx;
        const { residentIds, goneContact, goneResident } = await bindChat(engine.db);
        const start = clock.now().getTime();
        // Logged out on the server at T0; the puppet notices 30 s later; logged in again ten minutes after T0.
        const T0 = start + 6 * MINUTE;
        const noticedAt = T0 + 30_000;
        const backAt = T0 + 10 * MINUTE;
        const now = () => clock.now().getTime();
        const network = createFaultyNetwork({
          clock,
          random: createSeededRandom(2026),
          rates: { fail: 0.3, hang: 0.04, late: 0.02 },
          lateMs: MINUTE,
          loggedOut: () => now() >= T0 && now() < backAt,
          goneContacts: new Set([goneContact]),
        });
        const events = orderStream({ ctx, residentIds, orders: 30, start: start + 1_000, everyMs: 20_000 });
        const tag = { id: 0 };
        await tagNewRows(engine.db, tag);

        // Virtual time: the sender's sleeps move the clock, and the stream's events happen when it reaches them.
        let sender: OutboxSender | undefined;
        let finished = false;
        let lastCheck = 0;
        const errors: string[] = [];
        let markDone = () => {};
        const done = new Promise<void>((resolve) => (markDone = resolve));
        const sleep = async (ms: number) => {
          if (finished) return;
          const target = now() + Math.max(0, ms);
          const next = events[0];
          if (next && next.at <= target) {
            events.shift();
            clock.set(new Date(Math.max(now(), next.at)));
            await runEvent(ctx, next).catch((e: unknown) => errors.push(`${next.what}: ${String(e)}`));
            await tagNewRows(engine.db, tag);
          } else clock.set(new Date(target));
          if (network.answerLate(now()) > 0) await sender!.settled();
          if (events.length === 0 && now() - lastCheck >= 30_000) {
            lastCheck = now();
            if (await settled(engine.db)) {
              finished = true;
              markDone();
            }
          }
          await new Promise((resolve) => setImmediate(resolve));
        };
        sender = createOutboxSender({
          db: engine.db,
          botAccount: config.BOT_ACCOUNT,
          transport: network.transport,
          clock,
          random: createSeededRandom(7),
          sleep,
          pacing: { burst: config.OUTBOX_BURST, minGapMs: config.OUTBOX_MIN_GAP_MS, maxGapMs: config.OUTBOX_MAX_GAP_MS },
          backoff: { baseMs: config.OUTBOX_RETRY_BASE_MS, maxMs: config.OUTBOX_RETRY_MAX_MS },
          maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
          lockMs: LEASE_MS,
          // Real milliseconds (the only real wait): a hung send is left behind after this long.
          sendTimeoutMs: 30,
          idlePollMs: MINUTE,
          isOnline: () => now() < noticedAt || now() >= backAt,
          log: silent,
        });
        const running = sender.run();
        await done;
        await sender.stop();
        await running;

        expect(errors).toEqual([]);
        const rows = await engine.db.select().from(outbox).orderBy(asc(outbox.id));
        const byId = new Map(rows.map((r) => [r.id, r]));
        const delivered = countBy(network.deliveries.map((d) => d.id));
        const sent = rows.filter((r) => r.status === 'sent');
        const dead = rows.filter((r) => r.status === 'dead');

        // None lost: every notice the stream wrote is settled, delivered or a dead letter an admin sees.
        expect(rows.length).toBeGreaterThan(150);
        expect(rows.filter((r) => r.status !== 'sent' && r.status !== 'dead')).toEqual([]);
        expect(network.deliveries.every((d) => byId.has(d.id))).toBe(true);
        // None doubled: a delivered row reached the network's far end once; a dead one, or one the group's noise
        // budget withheld (settled 'sent' via 'withheld', kept on record), never.
        for (const row of rows) expect(delivered.get(row.id) ?? 0, `row ${row.id} (${row.status})`).toBe(reachedOnce(row) ? 1 : 0);
        const listed = await listDeadLetters({ db: engine.db, limit: 10_000 });
        expect(listed.map((d) => d.id).sort((a, b) => a - b)).toEqual(dead.map((d) => d.id));
        expect(dead.every((d) => d.lastError)).toBe(true);
        // The resident who deleted the bot: each of her notices tried the full number of times, then dead-lettered.
        const hers = rows.filter((r) => r.recipientType === 'resident' && r.residentId === goneResident);
        expect(hers.length).toBeGreaterThan(0);
        for (const row of hers) expect(row).toMatchObject({ status: 'dead', attempts: config.OUTBOX_MAX_ATTEMPTS });

        // Per recipient, notices arrived in the order they were written.
        const order = new Map<string, number>();
        for (const d of network.deliveries) {
          const key = recipientOf(byId.get(d.id)!);
          expect(d.id, `order for ${key}`).toBeGreaterThan(order.get(key) ?? 0);
          order.set(key, d.id);
        }

        // The logout: refused sends only until the puppet noticed, none while it knew, and no try spent on it.
        const calls = network.calls;
        const logoutCalls = calls.filter((c) => c.kind === 'logout');
        expect(logoutCalls.length).toBeGreaterThan(0);
        expect(calls.filter((c) => c.at >= noticedAt && c.at < backAt)).toEqual([]);
        // Tries since the last delivery and within the grace before the notice are given back (the puppet's lag
        // is not the message's fault); every other try counts.
        const lastOk = calls.findLastIndex((c) => c.kind === 'ok' && c.at < noticedAt);
        const forgiven = calls.filter(
          (c, i) => i > lastOk && c.at < noticedAt && c.at >= noticedAt - LEASE_MS && (c.kind === 'fail' || c.kind === 'gone'),
        );
        const counted = countBy(calls.filter((c) => c.kind !== 'logout' && !forgiven.includes(c)).map((c) => c.id));
        for (const row of rows) expect(row.attempts, `tries of row ${row.id}`).toBe(counted.get(row.id) ?? 0);

        // The pace: no stretch of sends (failed, hung or not) beyond the burst plus one per OUTBOX_MIN_GAP_MS.
        const times = calls.map((c) => c.at);
        const pacing = { burst: config.OUTBOX_BURST, minGapMs: config.OUTBOX_MIN_GAP_MS };
        expect(pacingViolations(times, pacing)).toEqual([]);
        const sustained = minSustainedGapMs(times, config.OUTBOX_BURST);
        expect(sustained).toBeGreaterThanOrEqual(config.OUTBOX_MIN_GAP_MS);

        const kinds = countBy(calls.map((c) => c.kind));
        const faults = (['fail', 'hang', 'late', 'logout', 'gone'] as CallKind[]).reduce((n, k) => n + (kinds.get(k) ?? 0), 0);
        expect(kinds.get('fail')! / calls.length).toBeGreaterThan(0.2);
        expect(kinds.get('hang')).toBeGreaterThan(0);
        expect(kinds.get('late')).toBeGreaterThan(0);
        console.log(
          `[chat-faults ${kind}] notices ${rows.length}, sends ${calls.length}, faults ${faults} ` +
            `(${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), forgiven ${forgiven.length}, delivered ${sent.length}, ` +
            `dead-lettered ${dead.length}, lost 0, duplicates 0, shortest gap between a send and the ${config.OUTBOX_BURST}th ` +
            `after it ${sustained} ms, virtual ${Math.round((now() - start) / MINUTE)} min, real ${Math.round((Date.now() - began) / 1000)} s`,
        );
      } finally {
        await engine.close();
      }
    },
  );

  it('two senders on one database never send the same row twice, hung sends and late answers included', { timeout: 120_000 }, async () => {
    const clock = createManualClock('2026-11-23T09:00:00+08:00');
    const engine = await openEngine(kind, clock);
    const stopping: (() => Promise<void>)[] = [];
    try {
      const ctx = contextOn(engine, clock);
      const { residentIds } = await bindChat(engine.db);
      for (const event of orderStream({ ctx, residentIds, orders: 12, start: clock.now().getTime(), everyMs: 5_000 })) {
        clock.set(new Date(event.at));
        await runEvent(ctx, event);
      }
      await tagNewRows(engine.db, { id: 0 });
      const network = createFaultyNetwork({
        clock: systemClock,
        random: createSeededRandom(99),
        rates: { fail: 0.3, hang: 0.04, late: 0.04 },
        lateMs: 300,
        loggedOut: () => false,
        goneContacts: new Set(),
      });
      const answering = setInterval(() => network.answerLate(Date.now()), 10);
      stopping.push(async () => clearInterval(answering));
      // Real time, compressed: both run as two bot processes would, each with its own connection pool on Postgres.
      const perSender = [0, 0];
      const make = (db: Database, n: number) => {
        const counting: Transport = {
          sendToContact: (to, text) => (perSender[n]! += 1, network.transport.sendToContact(to, text)),
          sendToRoom: (room, text, mentions) => (perSender[n]! += 1, network.transport.sendToRoom(room, text, mentions)),
        };
        const sender = createOutboxSender({
          db,
          botAccount: 'default',
          transport: counting,
          clock: systemClock,
          random: createSeededRandom(10 + n),
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
          pacing: { burst: 5, minGapMs: 0, maxGapMs: 0 },
          backoff: { baseMs: 20, maxMs: 200 },
          maxAttempts: 8,
          lockMs: 3_000,
          sendTimeoutMs: 50,
          idlePollMs: 50,
          isOnline: () => true,
          log: silent,
        });
        const running = sender.run();
        stopping.push(async () => {
          await sender.stop();
          await running;
        });
      };
      make(engine.db, 0);
      make(await engine.secondPool(), 1);
      const deadline = Date.now() + 90_000;
      while (!(await settled(engine.db))) {
        if (Date.now() > deadline) throw new Error('the outbox did not settle');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Late answers still on their way (within the lease) are let in before counting.
      await new Promise((resolve) => setTimeout(resolve, 500));

      const rows = await engine.db.select().from(outbox).orderBy(asc(outbox.id));
      const delivered = countBy(network.deliveries.map((d) => d.id));
      expect(rows.length).toBeGreaterThan(60);
      for (const row of rows) expect(delivered.get(row.id) ?? 0, `row ${row.id} (${row.status})`).toBe(reachedOnce(row) ? 1 : 0);
      const tries = countBy(network.calls.map((c) => c.id));
      for (const row of rows) expect(row.attempts, `tries of row ${row.id}`).toBe(tries.get(row.id) ?? 0);
      // Both did real work, or this proves nothing about claims.
      expect(Math.min(...perSender)).toBeGreaterThan(rows.length / 10);
      console.log(
        `[chat-faults ${kind}, two senders] notices ${rows.length}, sends ${perSender.join(' + ')}, ` +
          `delivered ${rows.filter((r) => r.status === 'sent').length}, dead ${rows.filter((r) => r.status === 'dead').length}, duplicates 0`,
      );
    } finally {
      for (const stop of stopping.reverse()) await stop();
      await engine.close();
    }
  });
});
