import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import { type Database, openDatabase } from '../../src/db/client';
import { rows } from '../../src/db/sql';
import { hashPassword } from '../../src/modules/auth/passwords';
import { seedCalendarFromPackage } from '../../src/modules/calendar/calendar.repository';
import { attachToOrder } from '../../src/modules/chat/attachments.usecases';
import { storeAttachment } from '../../src/modules/chat/attachments.storage';
import { residents } from '../../src/modules/people/residents.table';
import { acceptOrder, reportProgress } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { loadStaffActor } from '../../src/modules/work-orders/work-orders.repository';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { seedDemo } from '../../src/seed/demo';
import { createManualClock } from '../../src/shared/clock';

// The whole file: two engines, each filled, backed up by `npm run backup` and restored by `npm run restore` in
// processes of their own (about 40 s each on this machine).
const BUDGET_MS = 240_000;
const ROOT = resolve(import.meta.dirname, '../..');
const DEMANDS = ['3号楼门口的路灯坏了，晚上很黑', '5号楼电梯停了两天了', '7号楼下水道堵了，污水漫到路上', '小区东门垃圾三天没人清运', '楼道里堆满了杂物，有火灾隐患'];

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** Runs an npm script the way an operator does; resolves with its exit code and output. */
function npmRun(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => done({ code: code ?? -1, out }));
  });
}

/** The demo district, orders through the real use cases (some signed for and progressed), and photos on some. */
async function fill(db: Database, dbKind: 'pglite' | 'postgres', dataDir: string): Promise<void> {
  const clock = createManualClock('2026-11-16T02:00:00Z');
  await seedDemo({ db, clock, hashPassword });
  await seedCalendarFromPackage({ db, clock });
  const ctx = createAppContext({ config: parseConfig({ DATA_DIR: dataDir }), db, dbKind, clock });
  const people = (await db.select({ id: residents.id, gridId: residents.gridId }).from(residents)).filter((r) => r.gridId !== null);
  for (let i = 0; i < 24; i++) {
    const who = people[i % people.length]!;
    const submitted = await submitDemand({
      deps: ctx.orderDeps,
      input: { sourceMessageId: `backup-${i}`, channel: 'group', residentId: who.id, gridId: who.gridId!, text: `${DEMANDS[i % DEMANDS.length]}（第${i}次）`, checkDuplicates: false },
    });
    if (submitted.outcome !== 'created') throw new Error(`demand ${i}: ${submitted.outcome}`);
    const order = submitted.order;
    clock.advance(60_000);
    if (i % 3 === 0) {
      const [leader] = await rows<{ id: number }>(db, sql`select assignee_id as id from work_orders where id = ${order.id}`);
      const actor = (await loadStaffActor(db, leader!.id))!;
      await acceptOrder({ deps: ctx.orderDeps, ref: { no: order.no }, actor, channel: 'console' });
      await reportProgress({ deps: ctx.orderDeps, ref: { no: order.no }, actor, channel: 'console', note: `已联系物业（${i}）` });
    }
    if (i % 8 === 0) {
      const bytes = randomBytes(3000 + i);
      const file = await storeAttachment({ dataDir, key: `m${i}`, now: clock.now(), file: { stream: Readable.from([bytes]), name: `现场${i}.jpg`, mime: 'image/jpeg', size: bytes.length }, maxBytes: 1 << 20 });
      await attachToOrder({ db, orderId: order.id, residentId: who.id, channel: 'group', draft: { kind: 'image', file }, sourceMessageId: `photo-${i}`, now: clock.now() });
    }
  }
}

/** Every order, event and attachment row, as text, and the attachment files' bytes. */
async function snapshot(db: Database, dataDir: string) {
  const orders = await rows<{ line: string }>(db, sql`select concat_ws('|', id, no, resident_id, status, text, assignee_id, deadline_at) as line from work_orders order by id`);
  const events = await rows<{ line: string }>(db, sql`select concat_ws('|', id, order_id, type, note, actor_staff_id, at) as line from order_events order by id`);
  const attachments = await rows<{ line: string; path: string | null }>(db, sql`select concat_ws('|', id, order_id, kind, storage_path, size_bytes, original_name) as line, storage_path as path from attachments order by id`);
  const files: Record<string, string> = {};
  for (const a of attachments) if (a.path) files[a.path] = (await readFile(join(dataDir, a.path))).toString('base64');
  return { orders: orders.map((r) => r.line), events: events.map((r) => r.line), attachments: attachments.map((r) => r.line), files };
}

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('backups', { timeout: BUDGET_MS }, () => {
  it('PGlite: a backup restored into an empty data folder has every order, event and attachment; a backup beside a live process refuses', async () => {
    const dataDir = await tempDir('gridline-bk-src-');
    const handle = await openDatabase({ dataDir });
    await fill(handle.db, 'pglite', dataDir);
    const before = await snapshot(handle.db, dataDir);

    // While the product holds the data folder, the backup refuses clearly instead of opening it a second time.
    const out = join(await tempDir('gridline-bk-out-'), 'backup');
    const refused = await npmRun('backup', [out], { DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('in use by another Gridline process');
    await handle.close();

    const made = await npmRun('backup', [out], { DATA_DIR: dataDir, DATABASE_URL: '' });
    expect(made.out).toContain('backed up the pglite database and 3 attachment(s)');
    const target = await tempDir('gridline-bk-dst-');
    const restored = await npmRun('restore', [out], { DATA_DIR: target, DATABASE_URL: '' });
    expect(restored.out).toContain('restored the pglite database');
    // Restoring over what is there now refuses.
    expect((await npmRun('restore', [out], { DATA_DIR: target, DATABASE_URL: '' })).code).not.toBe(0);

    const copy = await openDatabase({ dataDir: target });
    try {
      const after = await snapshot(copy.db, target);
      expect(before.orders).toHaveLength(24);
      expect(before.events.length).toBeGreaterThan(24 * 2);
      expect(Object.keys(before.files)).toHaveLength(3);
      expect(after).toEqual(before);
    } finally {
      await copy.close();
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)('Postgres: pg_dump/pg_restore into a fresh database, with the attachments, loses nothing', async () => {
    const base = process.env.TEST_DATABASE_URL!;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    const urlOf = (name: string) => Object.assign(new URL(base), { pathname: `/${name}` }).toString();
    const [source, copy] = [`gridline_bk_${randomBytes(5).toString('hex')}`, `gridline_bk_${randomBytes(5).toString('hex')}`];
    for (const name of [source, copy]) {
      await admin.unsafe(`CREATE DATABASE ${name}`);
      cleanups.push(async () => {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      });
    }
    cleanups.unshift(() => admin.end({ timeout: 5 }));

    const dataDir = await tempDir('gridline-bk-src-');
    const handle = await openDatabase({ databaseUrl: urlOf(source), dataDir, poolSize: 2 });
    let before: Awaited<ReturnType<typeof snapshot>>;
    try {
      await fill(handle.db, 'postgres', dataDir);
      before = await snapshot(handle.db, dataDir);
    } finally {
      await handle.close();
    }

    const out = join(await tempDir('gridline-bk-out-'), 'backup');
    const made = await npmRun('backup', [out], { DATA_DIR: dataDir, DATABASE_URL: urlOf(source) });
    expect(made.out).toContain('backed up the postgres database and 3 attachment(s)');
    const target = await tempDir('gridline-bk-dst-');
    const restored = await npmRun('restore', [out], { DATA_DIR: target, DATABASE_URL: urlOf(copy) });
    expect(restored.out).toContain('restored the postgres database');
    // A database that is not empty is refused.
    const again = await npmRun('restore', [out], { DATA_DIR: await tempDir('gridline-bk-dst2-'), DATABASE_URL: urlOf(copy) });
    expect(again.out).toContain('is not empty');

    const restoredDb = await openDatabase({ databaseUrl: urlOf(copy), dataDir: target, poolSize: 2 });
    try {
      const after = await snapshot(restoredDb.db, target);
      expect(before.orders).toHaveLength(24);
      expect(Object.keys(before.files)).toHaveLength(3);
      expect(after).toEqual(before);
    } finally {
      await restoredDb.close();
    }
  });
});
