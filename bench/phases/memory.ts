import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import { hashPassword } from '../../src/modules/auth/passwords';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import type { BenchDb } from '../lib/bench-db';
import { memoryOf, sampleMemory, startProduct } from '../lib/processes';
import { createRng } from '../lib/rng';
import { runFor } from '../lib/stats';
import type { MemoryResult } from '../report';
import { benchClock, openPool } from './intake';
import { createIntakeWorkload } from './intake-workload';

const ADMIN_PASSWORD = 'bench-admin-password';

/** A logged-in console user over HTTP: the log-in form's CSRF dance, then GETs with the session cookie. */
async function consoleSession(base: string, username: string, password: string) {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${base}/login`);
  keep(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error('no CSRF token on the log-in page');
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookie() },
    body: new URLSearchParams({ _csrf: token, next: '/console/orders', username, password }).toString(),
  });
  keep(login);
  if (login.status !== 303) throw new Error(`log-in failed: ${login.status} ${(await login.text()).slice(0, 300)}`);
  return {
    async get(path: string): Promise<number> {
      const res = await fetch(`${base}${path}`, { headers: { cookie: cookie() }, redirect: 'manual' });
      await res.arrayBuffer();
      return res.status;
    },
  };
}

/**
 * Peak memory of a bot process and of a console process (each `src/main.ts` on its own, as deployed) while
 * intake runs at 8 submitters from this process: the bot's sender delivers the new notices flat out (mock
 * puppet, no pacing), and four logged-in clients browse the console (lists, searches, order pages, dashboard,
 * public page). On PGlite the product is one process, so the figure is this process's own.
 */
export async function benchMemory({
  bench,
  historyNow,
  seconds,
  runId,
  log,
}: {
  bench: BenchDb;
  historyNow: Date;
  seconds: number;
  runId: string;
  log: (line: string) => void;
}): Promise<MemoryResult[]> {
  if (bench.kind === 'pglite') {
    const before = memoryOf(process.pid);
    const intake = await runIntake({ bench, historyNow, seconds, runId });
    const after = memoryOf(process.pid)!;
    return [
      {
        process: 'bench process (PGlite: the whole product in one process)',
        peakRssMb: after.peakMb,
        rssAtEndMb: after.rssMb,
        note: `RSS ${before?.rssMb ?? '?'} MB before, during ${intake.calls} submitDemand calls at 8 submitters`,
      },
    ];
  }

  await bench.query(`update staff set password_hash = $1, must_change_password = false where username = 'admin'`, [await hashPassword(ADMIN_PASSWORD)]);
  const dataDir = mkdtempSync(join(tmpdir(), 'gridline-bench-'));
  const common = {
    DATABASE_URL: bench.url!,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'bench-session-secret-bench-session-secret',
    DATA_DIR: dataDir,
  };
  // With the node flags `npm run bot` gives it: a young generation of 4 MB semispaces (the default 16 MB ones
  // keep some 50 MB of a bot's resident memory for a process that allocates little).
  const bot = startProduct('bot', { ...common, RUN: 'bot', OUTBOX_MIN_GAP_MS: '0', OUTBOX_MAX_GAP_MS: '0', OUTBOX_BURST: '1000' }, ['--max-semi-space-size=4']);
  const consoleProc = startProduct('console', { ...common, RUN: 'console', HOST: '127.0.0.1', PORT: '0' });
  try {
    const started = performance.now();
    // The bot may fail to start; the console is measured anyway.
    let botFailure: string | null = null;
    try {
      await bot.waitFor(/outbox sender started/, 600_000);
    } catch (error) {
      botFailure = firstLines(String(error), 6);
      log(`  the bot did not start: ${botFailure}`);
    }
    const botStartSeconds = (performance.now() - started) / 1000;
    const port = (await consoleProc.waitFor(/console at http:\/\/[^:]+:(\d+)\//, 120_000))[1]!;
    const idle = { bot: memoryOf(bot.child.pid!), console: memoryOf(consoleProc.child.pid!) };
    log(`  bot ready in ${botStartSeconds.toFixed(0)} s (RSS ${idle.bot?.rssMb} MB), console on port ${port} (RSS ${idle.console?.rssMb} MB)`);

    const botMemory = botFailure ? null : sampleMemory(bot.child.pid!);
    const consoleMemory = sampleMemory(consoleProc.child.pid!);
    const session = await consoleSession(`http://127.0.0.1:${port}`, 'admin', ADMIN_PASSWORD);
    const rng = createRng(5);
    const [{ max } = { max: 2000 }] = await bench.query<{ max: number }>('select max(no)::int as max from work_orders');
    const pages = () => {
      const r = rng.next();
      if (r < 0.3) return '/console/orders';
      if (r < 0.45) return `/console/orders?status=assigned&status=accepted`;
      if (r < 0.55) return `/console/orders?q=${encodeURIComponent(rng.pick(['路灯', '漏水', '噪音', '垃圾']))}`;
      if (r < 0.8) return `/console/orders/${rng.int(1001, max)}`;
      if (r < 0.9) return '/console/dashboard';
      return '/public';
    };
    let browsed = 0;
    let failed = 0;
    const browsing = runFor({
      workers: 4,
      ms: seconds * 1000,
      fn: async () => {
        const status = await session.get(pages());
        browsed++;
        if (status >= 400) failed++;
      },
    });
    const intake = await runIntake({ bench, historyNow, seconds, runId });
    await browsing;
    // Let the sender finish what the intake queued.
    await new Promise((r) => setTimeout(r, 3_000));
    const botPeak = botMemory?.stop() ?? { peakMb: 0, lastMb: 0 };
    const consolePeak = consoleMemory.stop();
    const [{ pending } = { pending: 0 }] = await bench.query<{ pending: number }>(`select count(*)::int as pending from outbox where status = 'pending'`);
    return [
      {
        process: 'bot (RUN=bot, mock puppet)',
        peakRssMb: botPeak.peakMb,
        rssAtEndMb: botPeak.lastMb,
        note: botFailure
          ? `did not start: ${botFailure.replace(/\s+/g, ' ').slice(0, 200)}`
          : `idle ${idle.bot?.rssMb} MB after start (${botStartSeconds.toFixed(0)} s, the simulated network knows every resident and group; a resident becomes a mock contact when first used); sending flat out during ${intake.calls} submissions at 8 submitters; ${pending} notices still pending after`,
        failed: Boolean(botFailure),
      },
      {
        process: 'console (RUN=console)',
        peakRssMb: consolePeak.peakMb,
        rssAtEndMb: consolePeak.lastMb,
        note: `idle ${idle.console?.rssMb} MB; ${browsed} page views by 4 logged-in clients (${failed} failed) during the intake`,
      },
    ];
  } finally {
    await Promise.all([bot.stop(), consoleProc.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runIntake({ bench, historyNow, seconds, runId }: { bench: BenchDb; historyNow: Date; seconds: number; runId: string }) {
  const pool = await openPool(bench, 8);
  try {
    const ctx = createAppContext({
      config: parseConfig({ DATA_DIR: '/tmp/gridline-bench', SEED_DEMO: 'false' }),
      db: pool.db,
      dbKind: pool.kind,
      clock: benchClock(historyNow),
    });
    const workload = await createIntakeWorkload({ bench, seed: 13 });
    let seq = 0;
    const run = await runFor({
      workers: 8,
      ms: seconds * 1000,
      fn: async () => {
        await submitDemand({ deps: ctx.orderDeps, input: workload.next(`mem-${runId}-${seq++}`) });
      },
    });
    return { calls: run.latencies.length };
  } finally {
    await pool.close();
  }
}

function firstLines(text: string, n: number): string {
  return text.split('\n').filter((l) => !l.startsWith('{"level"')).slice(0, n).join(' | ');
}
