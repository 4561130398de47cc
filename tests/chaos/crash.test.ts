/**
 * Crash: the real product (`node --import tsx src/main.ts`, the bot on the mock puppet with its simulator) gets
 * a steady stream of resident demands and staff commands (接单/进展/办结 on the orders it made) through the
 * simulator's HTTP API with wait:false, and is SIGKILLed at random points, then restarted on the same data; on
 * Postgres the server itself is also restarted mid-stream. Afterwards every message the API acknowledged must
 * have become its order or event, with its reply written. Total budget: about five minutes on a quiet machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProductProcess, startProduct } from '../../bench/lib/processes';
import { openDatabase } from '../../src/db/client';
import { type Acked, demandText, findLosses, freePort, outboxSummary, sleep, startThrowawayPostgres, unprocessed } from './crash.helpers';

const KILLS = { pglite: 10, postgres: 10 };
const RATE_MS = 50;
const STEPS = ['accept', 'progress', 'resolve'] as const;
const COMMAND = { accept: '接单', progress: '进展', resolve: '办结' } as const;
const NOTE = { accept: '', progress: ' 已安排人员现场查看', resolve: ' 已处理完毕' } as const;

type Contacts = { groups: { topic: string; grid: string | null; members: { name: string; role: string }[] }[]; staff: { name: string }[] };

/** Drives one incarnation of the product until `stop()`: demands from residents in their groups, commands from staff 1:1. */
function drive(port: number, acked: Acked[], contacts: Contacts, counter: { n: number; attempted: number }) {
  const base = `http://127.0.0.1:${port}`;
  const staffNames = new Set(contacts.staff.map((s) => s.name));
  const speakers = contacts.groups.filter((g) => g.grid).flatMap((g) => g.members.filter((m) => m.role === 'resident').map((m) => ({ name: m.name, room: g.topic })));
  // Orders the staff were told about, and the next command each gets.
  const work = new Map<number, { staff: string; step: number }>();
  let seen = 0;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();

  const post = async (body: Record<string, unknown>, what: Omit<Acked, 'id'>) => {
    counter.attempted++;
    try {
      const res = await fetch(`${base}/api/simulator/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base, 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ ...body, wait: false }),
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status === 200) acked.push({ ...what, id: ((await res.json()) as { id: string }).id });
    } catch {
      // Killed mid-request: not acknowledged, so nothing is promised.
    }
  };
  const tick = () => {
    if (stopped || inFlight.size > 40) return;
    const n = counter.n++;
    const ready = [...work.entries()].filter(([, w]) => w.step < STEPS.length);
    let p: Promise<void>;
    if (ready.length > 0 && n % 3 === 0) {
      const [no, w] = ready[n % ready.length]!;
      const kind = STEPS[w.step++]!;
      p = post({ from: w.staff, text: `${COMMAND[kind]} #${no}${NOTE[kind]}` }, { kind, from: w.staff, no });
    } else {
      const who = speakers[n % speakers.length]!;
      p = post({ from: who.name, room: who.room, text: demandText(n), mentionBot: true }, { kind: 'demand', from: who.name });
    }
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const poll = async () => {
    while (!stopped) {
      try {
        const entries = (await (await fetch(`${base}/api/simulator/transcript?since=${seen}`, { signal: AbortSignal.timeout(5_000) })).json()) as {
          to: string | null;
          text: string;
        }[];
        seen += entries.length;
        for (const e of entries) {
          const no = /#(\d+)/u.exec(e.text)?.[1];
          if (e.to && staffNames.has(e.to) && no && !work.has(Number(no)) && e.text.includes('新工单')) work.set(Number(no), { staff: e.to, step: 0 });
        }
      } catch {
        // The product is gone or busy.
      }
      await sleep(500);
    }
  };
  const timer = setInterval(tick, RATE_MS);
  const polling = poll();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await polling;
      await Promise.allSettled([...inFlight]);
    },
  };
}

async function start(env: Record<string, string>): Promise<{ product: ProductProcess; port: number }> {
  const port = await freePort();
  const product = startProduct('gridline', { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
  // Warn level: the one info line we wait for is not printed, so wait for the port instead.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (product.child.exitCode !== null) throw new Error(`the product exited at start:\n${product.output().slice(-3000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/simulator/contacts`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return { product, port };
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the product did not start:\n${product.output().slice(-3000)}`);
    await sleep(250);
  }
}

function kill(product: ProductProcess): Promise<void> {
  if (product.child.exitCode !== null || product.child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => product.child.once('exit', () => resolve()));
  product.child.kill('SIGKILL');
  return exited;
}

/** Kills and restarts the product `kills` times while driving it; returns the figures. */
async function campaign({ env, kills, midway }: { env: Record<string, string>; kills: number; midway?: () => void }) {
  const acked: Acked[] = [];
  const counter = { n: 0, attempted: 0 };
  let contacts: Contacts | undefined;
  const unexpectedExits: string[] = [];
  for (let round = 0; round < kills; round++) {
    const { product, port } = await start(env);
    contacts ??= (await (await fetch(`http://127.0.0.1:${port}/api/simulator/contacts`)).json()) as Contacts;
    product.child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') unexpectedExits.push(`exit ${code} ${signal}: ${product.output().slice(-2000)}`);
    });
    const driver = drive(port, acked, contacts, counter);
    await sleep(2_500 + Math.random() * 4_500);
    if (midway && round === Math.floor(kills / 2)) {
      // The database goes away and comes back under load; the product must reconnect by itself.
      midway();
      await sleep(3_000);
    }
    await kill(product);
    await driver.stop();
  }
  return { acked, counter, unexpectedExits };
}

const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('crash: the product SIGKILLed at random points under a stream of messages', () => {
  it('on embedded PGlite, every acknowledged message became its order or event and got its reply', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridline-crash-'));
    tmpDirs.push(dataDir);
    const env = { DATA_DIR: dataDir };
    const { acked, counter, unexpectedExits } = await campaign({ env, kills: KILLS.pglite });
    expect(unexpectedExits).toEqual([]);
    expect(acked.length, `acknowledged of ${counter.attempted}`).toBeGreaterThan(20);

    // Settle: one last run (the sweep takes what the kills left), then look at the data with the product stopped.
    let left = acked.length;
    for (let i = 0; i < 3 && left > 0; i++) {
      const { product } = await start(env);
      await sleep(20_000);
      await product.stop();
      const handle = await openDatabase({ dataDir, migrate: false });
      try {
        left = await unprocessed(handle.db, acked);
        if (left === 0 || i === 2) {
          const { lost, outcomes, stored } = await findLosses(handle.db, acked);
          console.info(`[crash/pglite] driven ${counter.attempted}, acknowledged ${acked.length}, stored ${stored}, kills ${KILLS.pglite}, lost ${lost.length}`, outcomes, await outboxSummary(handle.db));
          expect(lost).toEqual([]);
        }
      } finally {
        await handle.close();
      }
    }
    expect(left).toBe(0);
  }, 600_000);

  it('on Postgres, restarted itself mid-stream too, every acknowledged message became its order or event and got its reply', async () => {
    const pg = await startThrowawayPostgres();
    try {
      const admin = postgres(`${pg.url}/postgres`, { max: 1, onnotice: () => {} });
      await admin.unsafe('CREATE DATABASE gridline');
      await admin.end();
      const url = `${pg.url}/gridline`;
      const dataDir = mkdtempSync(join(tmpdir(), 'gridline-crash-'));
      tmpDirs.push(dataDir);
      const env = { DATA_DIR: dataDir, DATABASE_URL: url };
      const { acked, counter, unexpectedExits } = await campaign({ env, kills: KILLS.postgres, midway: pg.restart });
      expect(unexpectedExits).toEqual([]);
      expect(acked.length, `acknowledged of ${counter.attempted}`).toBeGreaterThan(20);

      const { product } = await start(env);
      const handle = await openDatabase({ databaseUrl: url, dataDir, migrate: false, poolSize: 2 });
      try {
        // Claims of killed bots lapse after their lease (a minute); the sweep then takes the rows.
        const deadline = Date.now() + 150_000;
        while ((await unprocessed(handle.db, acked)) > 0 && Date.now() < deadline) await sleep(2_000);
        const { lost, outcomes, stored } = await findLosses(handle.db, acked);
        console.info(`[crash/postgres] driven ${counter.attempted}, acknowledged ${acked.length}, stored ${stored}, kills ${KILLS.postgres}, server restarts 1, lost ${lost.length}`, outcomes, await outboxSummary(handle.db));
        expect(lost).toEqual([]);
      } finally {
        await handle.close();
        await product.stop();
      }
    } finally {
      pg.stop();
    }
  }, 600_000);
});
