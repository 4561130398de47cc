/**
 * The outbox sender when the network hangs, answers late, the account is logged out before the puppet knows, or
 * the database goes away right after a send.
 */
import { asc, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../bots/sender/transport';
import { countOutboxByStatus } from '../../src/modules/notifications/outbox.repository';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { createTestContext, type TestContext } from '../helpers/context';
import { testDbKind } from '../helpers/db';
import { bindEveryone, makeSender, recordingTransport, writeMessages } from './sender.helpers';

describe('the outbox sender under hangs, logouts and outages', () => {
  let t: TestContext | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('gives up waiting for a send that hangs, keeps its claim until the lease ends, then tries it again', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 2);
    let hang = true;
    const { transport, deliveries } = recordingTransport(t.clock);
    const hanging: Transport = {
      sendToContact: (to, text) => (hang && text === '消息-0' ? new Promise(() => {}) : transport.sendToContact(to, text)),
      sendToRoom: (room, text, mentions) => transport.sendToRoom(room, text, mentions),
    };
    const sender = makeSender(t, { transport: hanging, sendTimeoutMs: 50, lockMs: 120_000 });
    // The hung send does not hold up the next recipient's message.
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['timeout', 'sent']);
    const [row] = await t.db.select().from(outbox).where(eq(outbox.text, '消息-0'));
    expect(row).toMatchObject({ status: 'sending', attempts: 1 });
    expect(row!.lastError).toMatch(/发送超时/);
    hang = false;
    t.clock.advance(119_999);
    expect(await sender.drain()).toEqual([]);
    t.clock.advance(1);
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['sent']);
    expect(deliveries.map((d) => d.text).sort()).toEqual(['消息-0', '消息-1']);
    const [after] = await t.db.select().from(outbox).where(eq(outbox.text, '消息-0'));
    expect(after).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('records a hung send that succeeds later, within its lease, as sent: it is not sent again', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 1);
    const { transport, deliveries } = recordingTransport(t.clock);
    let answer = () => {};
    const late: Transport = {
      sendToContact: (to, text) =>
        new Promise<void>((resolve) => {
          answer = () => void transport.sendToContact(to, text).then(resolve);
        }),
      sendToRoom: (room, text, mentions) => transport.sendToRoom(room, text, mentions),
    };
    const sender = makeSender(t, { transport: late, sendTimeoutMs: 50, lockMs: 120_000 });
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['timeout']);
    t.clock.advance(90_000);
    answer();
    await sender.settled();
    t.clock.advance(60 * 60_000);
    expect(await sender.drain()).toEqual([]);
    expect(deliveries.map((d) => d.text)).toEqual(['消息-0']);
    const [row] = await t.db.select().from(outbox);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
  });

  it('retries a hung send that fails later, and dead-letters a last try that never answers instead of sending it again', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 1);
    let refuse = () => {};
    let calls = 0;
    const never: Transport = {
      sendToContact: () =>
        new Promise<void>((_, reject) => {
          calls += 1;
          if (calls === 1) refuse = () => reject(new Error('network gone'));
        }),
      sendToRoom: () => new Promise(() => {}),
    };
    const sender = makeSender(t, { transport: never, sendTimeoutMs: 50, lockMs: 120_000, maxAttempts: 2 });
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['timeout']);
    refuse();
    await sender.settled();
    const [retried] = await t.db.select().from(outbox);
    expect(retried).toMatchObject({ status: 'pending', attempts: 1, lastError: '第1/2次发送失败：network gone' });
    t.clock.advance(60 * 60_000);
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['timeout']);
    t.clock.advance(120_000);
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['dead']);
    expect(calls).toBe(2);
    const [dead] = await t.db.select().from(outbox);
    expect(dead).toMatchObject({ status: 'dead', attempts: 2 });
    expect(dead!.lastError).toMatch(/第2\/2次发送无回应/);
  });

  it('does not send a message that waited for its pace once the bot was logged out meanwhile', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 2);
    const logoutAt = t.clock.now().getTime() + 1_000;
    const { transport, deliveries } = recordingTransport(t.clock);
    const sender = makeSender(t, {
      transport,
      pacing: { burst: 1, minGapMs: 2_000, maxGapMs: 2_000 },
      isOnline: () => t!.clock.now().getTime() < logoutAt,
    });
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['sent']);
    expect(deliveries.map((d) => d.text)).toEqual(['消息-0']);
    const [waiting] = await t.db.select().from(outbox).where(eq(outbox.text, '消息-1'));
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('gives back the tries that failed just before the puppet noticed it was logged out, even a dead-lettered one', async () => {
    t = await createTestContext();
    await bindEveryone(t.db);
    await writeMessages(t.db, 4);
    let online = true;
    let loggedOut = false;
    let failOnce = true;
    const { transport, deliveries } = recordingTransport(t.clock);
    const gate = <A extends unknown[]>(send: (...args: A) => Promise<void>) => async (...args: A) => {
      if (loggedOut) throw new Error('sendMsg failed: BaseResponse.Ret=1101');
      if (failOnce) {
        failOnce = false;
        throw new Error('an ordinary failure');
      }
      await send(...args);
    };
    const puppet: Transport = { sendToContact: gate(transport.sendToContact), sendToRoom: gate(transport.sendToRoom) };
    const sender = makeSender(t, { transport: puppet, isOnline: () => online, maxAttempts: 2, logoutGraceMs: 120_000 });

    // 消息-0 fails for its own reasons, 消息-1 goes out; then the account is logged out on the server.
    expect((await sender.drain()).map((r) => r.kind)).toEqual(['retry', 'sent', 'sent', 'sent']);
    await writeMessages(t.db, 2);
    loggedOut = true;
    t.clock.advance(60_000);
    await sender.drain();
    t.clock.advance(30_000);
    await sender.drain();
    expect(await countOutboxByStatus({ db: t.db })).toMatchObject({ dead: 3, pending: 0 });
    // The puppet notices: every try since the last delivery was the logout's, not the messages'.
    online = false;
    expect(await sender.drain()).toEqual([]);
    const rows = await t.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['pending', 1],
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
      ['pending', 0],
      ['pending', 0],
    ]);
    loggedOut = false;
    online = true;
    await sender.drain();
    expect(deliveries.map((d) => d.text).sort()).toEqual(['消息-0', '消息-0', '消息-1', '消息-1', '消息-2', '消息-3']);
    expect(await countOutboxByStatus({ db: t.db })).toMatchObject({ sent: 6, dead: 0 });
  });

  it.skipIf(testDbKind !== 'postgres')(
    'records a delivery once the database is back when it went away right after the send, so the row is not sent again',
    async () => {
      t = await createTestContext();
      await bindEveryone(t.db);
      await writeMessages(t.db, 1);
      const [{ name }] = (await t.db.execute(sql`select current_database() as name`)) as unknown as [{ name: string }];
      const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      const { transport, deliveries } = recordingTransport(t.clock);
      let back: Promise<void> | undefined;
      // A real outage: the database refuses connections and drops the open ones for 5 s, just as the send goes out.
      const outage: Transport = {
        async sendToContact(to, text) {
          await transport.sendToContact(to, text);
          await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
          await admin.unsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);
          back = new Promise((resolve) => setTimeout(resolve, 5_000)).then(async () => {
            await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
          });
        },
        sendToRoom: (room, text, mentions) => transport.sendToRoom(room, text, mentions),
      };
      try {
        const sender = makeSender(t, { transport: outage, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
        expect((await sender.drain()).map((r) => r.kind)).toEqual(['sent']);
        const [row] = await t.db.select().from(outbox);
        expect(row).toMatchObject({ status: 'sent', attempts: 1 });
        t.clock.advance(60 * 60_000);
        expect(await sender.drain()).toEqual([]);
        expect(deliveries).toHaveLength(1);
      } finally {
        await back;
        await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await admin.end({ timeout: 5 });
      }
    },
  );
});
