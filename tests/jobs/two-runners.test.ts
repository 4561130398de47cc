import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import { type DatabaseHandle, openDatabase } from '../../src/db/client';
import { FIRST_START_KEY } from '../../src/jobs/jobs.repository';
import { type Scheduler, startScheduler } from '../../src/jobs/scheduler';
import { jobRuns } from '../../src/modules/notifications/job-runs.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { staff } from '../../src/modules/people/staff.table';
import { residents } from '../../src/modules/people/residents.table';
import { gridUnits } from '../../src/modules/grids/grids.table';
import { reports } from '../../src/modules/reports/reports.table';
import { acceptOrder, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { loadStaffActor } from '../../src/modules/work-orders/work-orders.repository';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { seedDemo } from '../../src/seed/demo';
import { createManualClock } from '../../src/shared/clock';
import { createTestDatabaseUrl, testDbKind } from '../helpers/db';
import { china } from './jobs.helpers';

/**
 * Two job runners, each with its own connection pool, on one Postgres database, walked through a fortnight of
 * reminders, escalations, surveys, digests and reports, ticking at the same moments. Each runner is a whole
 * scheduler; what they write together must be exactly what one runner writes alone on a twin database.
 */
type World = { handles: DatabaseHandle[]; contexts: AppContext[]; drop(): Promise<void> };

const clock = createManualClock(china('2026-11-23 10:00'));
const config = parseConfig({ DATA_DIR: '/tmp/gridline-test' });

async function world(runners: number): Promise<World> {
  const { url, drop } = await createTestDatabaseUrl();
  const handles: DatabaseHandle[] = [];
  for (let i = 0; i < runners; i++) handles.push(await openDatabase({ databaseUrl: url, dataDir: '/tmp/gridline-test', migrate: false, poolSize: 4 }));
  await seedDemo({ db: handles[0]!.db, clock, hashPassword: async (p) => `test:${p}` });
  const contexts = handles.map((h) => createAppContext({ config, db: h.db, dbKind: 'postgres', clock }));
  return {
    handles,
    contexts,
    drop: async () => {
      for (const h of handles) await h.close();
      await drop();
    },
  };
}

/** The same orders in both worlds (order numbers and ids come from fresh sequences, so they match). */
async function seedOrders(ctx: AppContext) {
  const id = async (table: typeof staff | typeof residents, name: string) =>
    (await ctx.db.select({ id: table.id }).from(table).where(eq(table.name, name)))[0]!.id;
  const grid = async (code: string) => (await ctx.db.select({ id: gridUnits.id }).from(gridUnits).where(eq(gridUnits.code, code)))[0]!.id;
  const orders: { text: string; category: string; resident: string; grid: string; urgent?: boolean }[] = [
    { text: '3号楼路灯坏了', category: 'streetlight', resident: '陈阿姨', grid: 'D01-T01-C01-G01' },
    { text: '门口垃圾没人清', category: 'sanitation', resident: '老王', grid: 'D01-T01-C01-G01' },
    { text: '楼道灯不亮', category: 'streetlight', resident: '杨大爷', grid: 'D01-T01-C01-G02' },
    { text: '垃圾桶满了', category: 'sanitation', resident: '朱先生', grid: 'D01-T01-C01-G03' },
    { text: '广场舞太吵', category: 'noise', resident: '胡奶奶', grid: 'D01-T01-C02-G01' },
    { text: '楼道有燃气味', category: 'safety_hazard', resident: '于老师', grid: 'D01-T01-C02-G02', urgent: true },
    { text: '水管爆了', category: 'water_leak', resident: '许大哥', grid: 'D01-T02-C01-G01', urgent: true },
    { text: '村口垃圾没人清', category: 'sanitation', resident: '彭同学', grid: 'D01-T02-C02-G01' },
    { text: '路面有坑', category: 'road_facility', resident: '曾阿姨', grid: 'D01-T02-C02-G02' },
    { text: '路灯一闪一闪', category: 'streetlight', resident: '谢先生', grid: 'D01-T02-C02-G03' },
  ];
  const ids: number[] = [];
  for (const [i, o] of orders.entries()) {
    const r = await submitDemand({
      deps: ctx.orderDeps,
      input: { sourceMessageId: `m-${i}`, channel: 'group', residentId: await id(residents, o.resident), gridId: await grid(o.grid), text: o.text, categoryCode: o.category, urgent: o.urgent ?? false, checkDuplicates: false },
    });
    if (r.outcome !== 'created') throw new Error('expected an order');
    ids.push(r.order.id);
  }
  const actor = async (name: string) => (await loadStaffActor(ctx.db, await id(staff, name)))!;
  await acceptOrder({ deps: ctx.orderDeps, ref: { id: ids[1]! }, actor: await actor('张伟'), channel: 'direct' });
  await acceptOrder({ deps: ctx.orderDeps, ref: { id: ids[7]! }, actor: await actor('高峰'), channel: 'direct' });
  await resolveOrder({ deps: ctx.orderDeps, ref: { id: ids[8]! }, actor: await actor('罗琳'), channel: 'direct', note: '已修补' });
  await resolveOrder({ deps: ctx.orderDeps, ref: { id: ids[9]! }, actor: await actor('郭涛'), channel: 'direct', note: '已更换' });
}

const TICKS = [
  '2026-11-23 11:00',
  '2026-11-23 12:00',
  '2026-11-23 14:00',
  '2026-11-23 16:30',
  '2026-11-24 08:30',
  '2026-11-24 10:00',
  '2026-11-26 09:00',
  '2026-11-26 10:00',
  '2026-11-27 09:00',
  '2026-11-30 09:00',
  '2026-12-01 07:00',
  '2026-12-04 09:00',
  '2026-12-07 09:00',
  '2026-12-10 08:00',
];

/**
 * Everything the jobs wrote, without ids or which instance wrote it. Messages about an order must match one
 * runner's exactly. Digests and reports are snapshots of the whole district: with two instances, one may read
 * while the other is escalating an order, so their contents may differ from a lone runner's; for them the proof
 * is that each run key's messages were written by one transaction (Postgres gives all rows of a transaction
 * the same created_at).
 */
async function written(ctx: AppContext) {
  const all = await ctx.db
    .select({ kind: outbox.kind, orderId: outbox.orderId, staffId: outbox.staffId, residentId: outbox.residentId, text: outbox.text, key: outbox.dedupeKey, createdAt: outbox.createdAt })
    .from(outbox)
    .orderBy(asc(outbox.id));
  const events = await ctx.db
    .select({ orderId: orderEvents.orderId, type: orderEvents.type, at: orderEvents.at, to: orderEvents.toAssigneeId })
    .from(orderEvents)
    .orderBy(asc(orderEvents.id));
  const orders = await ctx.db
    .select({ id: workOrders.id, status: workOrders.status, level: workOrders.level, assigneeId: workOrders.assigneeId, escalationCount: workOrders.escalationCount, closure: workOrders.closure })
    .from(workOrders)
    .orderBy(asc(workOrders.id));
  const keys = (await ctx.db.select({ key: jobRuns.key }).from(jobRuns).orderBy(asc(jobRuns.key))).map((r) => r.key);
  const stored = (await ctx.db.select({ kind: reports.kind, period: reports.periodKey, unit: reports.unitId }).from(reports)).map((r) => JSON.stringify(r)).sort();
  const sortJson = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
  const transactionsPerRunKey = Object.fromEntries(
    keys.filter((key) => key !== FIRST_START_KEY).map((key) => [key, new Set(all.filter((m) => m.key?.startsWith(`${key}:`)).map((m) => m.createdAt.getTime())).size]),
  );
  return {
    orderMessages: sortJson(all.filter((m) => m.orderId !== null).map(({ createdAt: _, ...m }) => m)),
    kinds: new Set(all.map((m) => m.kind)),
    events: sortJson(events),
    orders,
    keys,
    reports: stored,
    transactionsPerRunKey,
  };
}

describe.skipIf(testDbKind !== 'postgres')('two job runners on one Postgres', () => {
  let together: World;
  let alone: World;
  beforeAll(async () => {
    together = await world(2);
    alone = await world(1);
    await seedOrders(together.contexts[0]!);
    await seedOrders(alone.contexts[0]!);
  });
  afterAll(async () => {
    await together?.drop();
    await alone?.drop();
  });

  it('write each reminder, 督办, escalation and survey step exactly as one runner alone does, and each digest and report once', async () => {
    const start = (ctx: AppContext, instance: string) => startScheduler({ ctx, cronEnabled: false, catchUpOnStart: false, instance });
    const pair: Scheduler[] = together.contexts.map((ctx, i) => start(ctx, `runner-${i}`));
    const single = start(alone.contexts[0]!, 'alone');
    for (const tick of TICKS) {
      clock.set(china(tick));
      // Both runners at the same moment, twice, as two instances whose cron ticks coincide.
      await Promise.all([...pair.map((s) => s.runDueNow()), ...pair.map((s) => s.runDueNow())]);
      await single.runDueNow();
    }
    for (const s of [...pair, single]) await s.stop();

    const both = await written(together.contexts[0]!);
    const one = await written(alone.contexts[0]!);
    expect(both.orderMessages.length).toBeGreaterThan(40);
    expect(both.orders).toEqual(one.orders);
    expect(both.keys).toEqual(one.keys);
    expect(both.reports).toEqual(one.reports);
    expect(both.events).toEqual(one.events);
    expect(both.orderMessages).toEqual(one.orderMessages);
    for (const [key, transactions] of Object.entries(both.transactionsPerRunKey)) expect([key, transactions]).toEqual([key, 1]);

    // And the walk did exercise every job.
    for (const kind of ['reminder', 'supervise', 'survey', 'digest', 'report', 'agenda', 'assignment']) expect(both.kinds).toContain(kind);
    const types = both.events.map((e) => (JSON.parse(e) as { type: string }).type);
    for (const type of ['reminder', 'overdue', 'escalate', 'survey_timeout']) expect(types).toContain(type);
    // Periods from the schedulers' first start on (11-23 10:00: not that morning's digest and report, nor the
    // earlier analysis and agenda); a tick before 08:30 sends no digest.
    expect(both.keys).toEqual([
      'agenda:town:2026-12',
      ...['11-24', '11-26', '11-27', '11-30', '12-04', '12-07'].map((d) => `digest:2026-${d}`),
      'monthly:2026-11',
      'scheduler:first-start',
      'weekly:2026-W48',
      'weekly:2026-W49',
    ]);
  });
});
