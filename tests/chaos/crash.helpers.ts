import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, inArray, isNotNull, like } from 'drizzle-orm';
import type { Database } from '../../src/db/client';
import { inboundMessages } from '../../src/modules/chat/chat.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** What the simulator acknowledged: the message id the bot stored it under, and what it was. */
export type Acked = { id: string; kind: 'demand' | 'accept' | 'progress' | 'resolve'; from: string; no?: number };

const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A throw-away Postgres cluster in a temp dir, on its own port, that the test may restart. */
export async function startThrowawayPostgres(): Promise<{ url: string; restart(): void; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'gridline-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (cmd: string, args: string[]) => {
    const root = process.getuid?.() === 0;
    execFileSync(root ? 'runuser' : cmd, root ? ['-u', 'postgres', '--', cmd, ...args] : args, { stdio: 'pipe', timeout: 120_000 });
  };
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  asPostgres(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}`,
    restart: () => asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-m', 'fast', '-w', 'restart']),
    stop: () => {
      try {
        asPostgres(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
    },
  };
}

/** Demands about many different things and places, so few are offered as duplicates of each other. */
const THINGS = ['路灯坏了，晚上很黑', '电梯停了，老人上下楼很困难', '下水道堵了，味道很大', '垃圾桶满了，好几天没人清', '楼道里堆满了杂物', '外墙瓷砖掉下来了', '门口有棵树倒了挡住了路', '顶楼漏水，天花板都湿了', '健身器材断了，很危险', '地下车库积水很深'];

export function demandText(n: number): string {
  return `${(n % 40) + 1}号楼${THINGS[n % THINGS.length]}（${n}）`;
}

/**
 * What the run left in the database, checked against what was acknowledged: every acknowledged message has its
 * row, was processed, became its order or event, and got its reply (an outbox row that is sent or still to send).
 */
export async function findLosses(db: Database, acked: Acked[]) {
  const ids = acked.map((a) => `default:${a.id}`);
  const rows = new Map<string, typeof inboundMessages.$inferSelect>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await db.select().from(inboundMessages).where(inArray(inboundMessages.messageId, ids.slice(i, i + 500)))) rows.set(r.messageId, r);
  }
  const orders = new Map((await db.select({ id: workOrders.id, source: workOrders.sourceMessageId }).from(workOrders)).map((o) => [o.source, o.id]));
  const events = await db.select({ orderId: orderEvents.orderId, type: orderEvents.type, staffId: orderEvents.actorStaffId }).from(orderEvents);
  const replies = new Set(
    (await db.select({ key: outbox.dedupeKey }).from(outbox).where(and(like(outbox.dedupeKey, 'reply:%'), inArray(outbox.status, ['pending', 'sending', 'sent']))))
      .map((r) => r.key!.split(':').slice(1, -1).join(':')),
  );
  const noticed = new Set(
    (await db.select({ orderId: outbox.orderId, residentId: outbox.residentId, staffId: outbox.staffId, status: outbox.status }).from(outbox))
      .filter((o) => o.orderId !== null && o.status !== 'dead')
      .map((o) => (o.residentId ? `${o.orderId}:R${o.residentId}` : `${o.orderId}:S${o.staffId}`)),
  );
  const lost: { id: string; why: string }[] = [];
  const outcomes: Record<string, number> = {};
  for (const a of acked) {
    const row = rows.get(`default:${a.id}`);
    if (!row) {
      lost.push({ id: a.id, why: 'not stored' });
      continue;
    }
    outcomes[row.outcome ?? 'null'] = (outcomes[row.outcome ?? 'null'] ?? 0) + 1;
    if (row.outcome === null || row.outcome === 'failed' || row.outcome === 'error') {
      lost.push({ id: a.id, why: `outcome ${row.outcome} (${row.error ?? ''})` });
      continue;
    }
    const who = /^GL-([RS])(\d+)/u.exec(row.fromKey ?? '');
    const replied = replies.has(row.messageId) || (row.orderId !== null && who !== null && noticed.has(`${row.orderId}:${who[1]}${who[2]}`));
    if (!replied) lost.push({ id: a.id, why: `no reply (${row.outcome})` });
    if (row.outcome === 'order' && orders.get(row.messageId) === undefined) lost.push({ id: a.id, why: 'no order' });
    if (a.kind !== 'demand' && row.outcome === 'command') {
      const done = events.some((e) => e.orderId === row.orderId && e.type === a.kind);
      if (!done) lost.push({ id: a.id, why: `no ${a.kind} event on order ${row.orderId}` });
    }
  }
  return { lost, outcomes, stored: rows.size };
}

/** Outbox rows sent more than once cannot be told from the database; rows still claimed by a dead bot can. */
export async function outboxSummary(db: Database) {
  const all = await db.select({ status: outbox.status }).from(outbox);
  const by: Record<string, number> = {};
  for (const r of all) by[r.status] = (by[r.status] ?? 0) + 1;
  return by;
}

/** How many acknowledged messages have no outcome yet. */
export async function unprocessed(db: Database, acked: Acked[]): Promise<number> {
  const processed = new Set(
    (await db.select({ messageId: inboundMessages.messageId }).from(inboundMessages).where(isNotNull(inboundMessages.outcome))).map((r) => r.messageId),
  );
  return acked.filter((a) => !processed.has(`default:${a.id}`)).length;
}
