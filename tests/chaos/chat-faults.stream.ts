/**
 * The fault suite's database and its stream of notices: demands submitted and carried through signing, progress,
 * resolution and the survey by the real use cases, as residents and grid leaders would, so the outbox fills as in
 * production.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { AppContext } from '../../src/app-context';
import { createAppContext } from '../../src/app-context.factory';
import { parseConfig } from '../../src/config/config';
import { type Database, type DatabaseKind, migratePgliteDb, migrateServer, openPglite } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { acceptOrder, answerSurvey, reportProgress, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { loadStaffActor } from '../../src/modules/work-orders/work-orders.repository';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { seedDemo } from '../../src/seed/demo';
import type { Clock } from '../../src/shared/clock';

export type Engine = {
  kind: DatabaseKind;
  db: Database;
  /** A second connection pool on the same database, as a second bot process would have (Postgres only). */
  secondPool(): Promise<Database>;
  close(): Promise<void>;
};

/** A fresh migrated database with the demo district: in-memory PGlite, or a throw-away database on Postgres. */
export async function openEngine(kind: DatabaseKind, clock: Clock): Promise<Engine> {
  let engine: Engine;
  if (kind === 'pglite') {
    const { client, db } = await openPglite({ dataDir: null });
    await migratePgliteDb(db);
    engine = {
      kind,
      db,
      secondPool: async () => db,
      close: () => client.close(),
    };
  } else {
    const base = process.env.TEST_DATABASE_URL!;
    const name = `gridline_chaos_f_${randomBytes(6).toString('hex')}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    await migrateServer(url.toString());
    const pools = [postgres(url.toString(), { max: 4, onnotice: () => {} })];
    const open = (pool: postgres.Sql) => drizzle(pool, { schema }) as unknown as Database;
    engine = {
      kind,
      db: open(pools[0]!),
      async secondPool() {
        const pool = postgres(url.toString(), { max: 4, onnotice: () => {} });
        pools.push(pool);
        return open(pool);
      },
      async close() {
        for (const pool of pools) await pool.end({ timeout: 5 });
        try {
          await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await admin.end({ timeout: 5 });
        }
      },
    };
  }
  await seedDemo({ db: engine.db, clock, hashPassword: async (p) => `test:${p}` });
  return engine;
}

export function contextOn(engine: Engine, clock: Clock): AppContext {
  const config = parseConfig({ DATA_DIR: '/tmp/gridline-test' });
  return createAppContext({ config, db: engine.db, dbKind: engine.kind, clock });
}

/**
 * Every member of staff bound; every resident known to the chat, odd ones the bot's friends (reached 1:1), even
 * ones reached with an @ in their grid's group. Returns the residents, and the chat contact of one friend who
 * has since deleted the bot (the network no longer finds her: her notices end as dead letters).
 */
export async function bindChat(db: Database): Promise<{ residentIds: number[]; goneContact: string; goneResident: number }> {
  await db.update(staff).set({ chatKey: sql`'GL-S' || ${staff.id}`, chatContactId: sql`'wx-s' || ${staff.id}` });
  await db
    .update(residents)
    .set({ chatKey: sql`'GL-R' || ${residents.id}`, chatContactId: sql`'wx-r' || ${residents.id}`, isFriend: sql`${residents.id} % 2 = 1` });
  const rows = await db.select({ id: residents.id }).from(residents).orderBy(residents.id);
  const residentIds = rows.map((r) => r.id);
  const goneResident = residentIds.find((id) => id % 2 === 1)!;
  return { residentIds, goneContact: `wx-r${goneResident}`, goneResident };
}

const DEMANDS = [
  '3号楼下面的路灯坏了好几天了，晚上很黑',
  '小区门口的垃圾堆了三天没人清理',
  '楼上卫生间漏水，渗到我家天花板了',
  '晚上广场舞音响太吵，十点以后还在放',
  '想咨询一下老年卡怎么办理，需要带什么材料',
  '单元门的门禁坏了，谁都能进来',
  '路边井盖松动了，踩上去会翻',
  '菜市场门口占道经营，车过不去',
];

export type StreamEvent = { at: number; what: string; run: () => Promise<void> };

/**
 * `orders` demands, one every `everyMs` from `start`, each signed, progressed, resolved and rated by its people a
 * few minutes later. Events come back sorted by time; each is one use case, run when the clock reaches it.
 */
export function orderStream({
  ctx,
  residentIds,
  orders,
  start,
  everyMs,
}: {
  ctx: AppContext;
  residentIds: number[];
  orders: number;
  start: number;
  everyMs: number;
}): StreamEvent[] {
  const deps = ctx.orderDeps;
  const events: StreamEvent[] = [];
  for (let k = 0; k < orders; k++) {
    const at = start + k * everyMs;
    const residentId = residentIds[(k * 7) % residentIds.length]!;
    let no: number | undefined;
    let assigneeId: number | null = null;
    const asAssignee = async () => {
      if (no === undefined || assigneeId === null) throw new Error(`order ${k} was not routed to anyone`);
      const actor = await loadStaffActor(ctx.db, assigneeId);
      if (!actor) throw new Error(`assignee ${assigneeId} inactive`);
      return { deps, ref: { no }, actor, channel: 'direct' as const };
    };
    events.push(
      {
        at,
        what: `submit ${k}`,
        run: async () => {
          const [resident] = await ctx.db.select({ gridId: residents.gridId }).from(residents).where(sql`${residents.id} = ${residentId}`);
          const r = await submitDemand({
            deps,
            input: {
              sourceMessageId: `chaos-f-${k}`,
              channel: 'group',
              residentId,
              gridId: resident!.gridId!,
              text: DEMANDS[k % DEMANDS.length]!,
              checkDuplicates: false,
            },
          });
          if (r.outcome !== 'created') throw new Error(`order ${k}: ${r.outcome}`);
          no = r.order.no;
          assigneeId = r.order.assigneeId;
        },
      },
      { at: at + 45_000, what: `accept ${k}`, run: async () => void (await acceptOrder(await asAssignee())) },
      { at: at + 100_000, what: `progress ${k}`, run: async () => void (await reportProgress({ ...(await asAssignee()), note: '已联系物业，明天上门' })) },
      { at: at + 170_000, what: `resolve ${k}`, run: async () => void (await resolveOrder({ ...(await asAssignee()), note: '已处理完毕' })) },
      {
        at: at + 230_000,
        what: `survey ${k}`,
        run: async () =>
          void (await answerSurvey({ deps, ref: { no: no! }, actor: { kind: 'resident', residentId }, channel: 'group', answer: 'satisfied' })),
      },
    );
  }
  return events.sort((a, b) => a.at - b.at);
}

/**
 * Runs one event. The category cache is refreshed first, outside any transaction: a use case that finds it expired
 * must not read through the outer connection while its own transaction holds PGlite's only one.
 */
export async function runEvent(ctx: AppContext, event: StreamEvent): Promise<void> {
  await ctx.categories.all();
  await event.run();
}
