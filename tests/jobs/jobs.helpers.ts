import { and, asc, eq, sql } from 'drizzle-orm';
import { one } from '../../src/db/sql';
import { type JobDeps, jobDepsFrom } from '../../src/jobs/job-deps';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { type TestContext, createTestContext } from '../helpers/context';

/** An instant in China time: china('2026-11-23 10:00'). */
export function china(dateTime: string): Date {
  const [date, time = '00:00'] = dateTime.split(' ');
  return new Date(`${date}T${time}:00+08:00`);
}

export type JobsContext = TestContext & {
  deps: JobDeps;
  at(dateTime: string): void;
  report(input: { text: string; category: string; resident?: string; grid?: string; urgent?: boolean; location?: string }): Promise<{ id: number; no: number }>;
  order(id: number): Promise<typeof workOrders.$inferSelect>;
  messages(filter?: { orderId?: number; kind?: string; staff?: string }): Promise<(typeof outbox.$inferSelect)[]>;
  events(orderId: number): Promise<string[]>;
};

let messageSeq = 0;

/** The demo district on a manual clock, with the jobs' dependencies (and the demo's departments, if asked). */
export async function createJobsContext(now = '2026-11-23 10:00', { departments = false }: { departments?: boolean } = {}): Promise<JobsContext> {
  const t = await createTestContext({ now: china(now).toISOString(), departments });
  const deps = jobDepsFrom(t, { instance: 'test' });
  return Object.assign(t, {
    deps,
    at(dateTime: string) {
      t.clock.set(china(dateTime));
    },
    async report({ text, category, resident = '陈阿姨', grid = 'D01-T01-C01-G01', urgent = false, location }: Parameters<JobsContext['report']>[0]) {
      const r = await submitDemand({
        deps: t.orderDeps,
        input: {
          sourceMessageId: `m-${++messageSeq}`,
          channel: 'group',
          residentId: await t.residentId(resident),
          gridId: await t.gridId(grid),
          text,
          categoryCode: category,
          urgent,
          locationText: location ?? null,
          checkDuplicates: false,
        },
      });
      if (r.outcome !== 'created') throw new Error(`expected an order, got ${r.outcome}`);
      return { id: r.order.id, no: r.order.no };
    },
    async order(id: number) {
      const [row] = await t.db.select().from(workOrders).where(eq(workOrders.id, id));
      return row!;
    },
    async messages({ orderId, kind, staff }: { orderId?: number; kind?: string; staff?: string } = {}) {
      return t.db
        .select()
        .from(outbox)
        .where(
          and(
            orderId === undefined ? undefined : eq(outbox.orderId, orderId),
            kind === undefined ? undefined : eq(outbox.kind, kind),
            staff === undefined ? undefined : eq(outbox.staffId, await t.staffId(staff)),
          ),
        )
        .orderBy(asc(outbox.id));
    },
    async events(orderId: number) {
      const rows = await t.db.select({ type: orderEvents.type }).from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));
      return rows.map((r) => r.type);
    },
  });
}

export async function countRows(t: TestContext, table: 'outbox' | 'order_events' | 'job_runs' | 'reports'): Promise<number> {
  const row = await one<{ n: number }>(t.db, sql.raw(`select count(*)::int as n from ${table}`));
  return Number(row?.n ?? 0);
}
