import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OuterDatabaseInTransactionError } from '../../src/db/transaction-guard';
import { run as weekly } from '../../src/jobs/weekly-report.job';
import { createCategoryProvider } from '../../src/modules/categories/categories.repository';
import { categories } from '../../src/modules/categories/categories.table';
import { reports } from '../../src/modules/reports/reports.table';
import { acceptOrder, answerSurvey, changeCategory, reassignOrder, reportProgress, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { type JobsContext, china, createJobsContext } from '../jobs/jobs.helpers';

/**
 * On PGlite the outer database used inside a transaction waits for that transaction forever; these tests would
 * hang (`within` gives up after a few seconds) without the guard, and throw without the call sites reading through their tx.
 */
let t: JobsContext;
beforeEach(async () => {
  t = await createJobsContext('2026-11-23 10:00');
});
afterEach(async () => t.close());

/** Rejects when `promise` has not settled within `ms`: a hang is a failure here, not a slow test. */
function within<T>(promise: Promise<T>, ms = 5_000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

describe('the outer database inside a transaction', () => {
  it('fails loudly (does not hang) when a transaction reads through the outer database', async () => {
    const misuse = t.db.transaction(async (tx) => {
      await tx.select().from(categories);
      return t.db.select().from(categories);
    });
    await expect(within(misuse)).rejects.toThrow(OuterDatabaseInTransactionError);
    await expect(within(t.db.transaction(async () => t.db.execute('select 1')))).rejects.toThrow(/outer database/);
    await expect(within(t.db.transaction(async () => t.db.query.categories.findFirst()))).rejects.toThrow(/db\.query/);
    await expect(within(t.db.transaction(async () => t.db.transaction(async () => 1)))).rejects.toThrow(/db\.transaction/);
    // The database is still usable afterwards (the failed transactions rolled back and let go of the connection).
    expect((await within(t.db.select().from(categories))).length).toBeGreaterThan(0);
  });

  it('lets unrelated work started outside the transaction wait its turn, and the transaction use its tx meanwhile', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const inside = t.db.transaction(async (tx) => {
      await held;
      await tx.update(categories).set({ name: '路灯照明' }).where(eq(categories.code, 'streetlight'));
      return (await tx.select().from(categories).where(eq(categories.code, 'streetlight')))[0]!.name;
    });
    const outside = t.db.select().from(categories).where(eq(categories.code, 'streetlight'));
    release();
    expect(await within(inside)).toBe('路灯照明');
    expect((await within(outside)).length).toBe(1);
  });

  it('refuses a provider call inside a transaction even when its cache is warm', async () => {
    await t.categories.all();
    await t.calendar.get();
    await expect(within(t.db.transaction(async () => t.categories.all()))).rejects.toThrow(OuterDatabaseInTransactionError);
    await expect(within(t.db.transaction(async () => t.calendar.get()))).rejects.toThrow(OuterDatabaseInTransactionError);
  });
});

describe('commands and jobs with cold caches', () => {
  it('accepts and then reports progress on an order after the category and calendar caches expired', async () => {
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    const actor = await t.staffActor('张伟');
    t.categories.invalidate();
    t.calendar.invalidate();
    await within(acceptOrder({ deps: t.orderDeps, ref: { no: order.no }, actor, channel: 'direct' }));
    t.at('2026-11-23 11:10');
    t.categories.invalidate();
    t.calendar.invalidate();
    const progressed = await within(reportProgress({ deps: t.orderDeps, ref: { no: order.no }, actor, channel: 'direct', note: '已联系电工' }));
    expect(progressed.order.categoryName).toBe('路灯照明');
    t.categories.invalidate();
    const resolved = await within(resolveOrder({ deps: t.orderDeps, ref: { no: order.no }, actor, channel: 'direct', note: '已修好' }));
    expect(resolved.order.status).toBe('resolved');
    t.categories.invalidate();
    t.calendar.invalidate();
    const reopened = await within(
      answerSurvey({ deps: t.orderDeps, ref: { no: order.no }, actor: { kind: 'resident', residentId: await t.residentId('陈阿姨') }, channel: 'group', answer: 'unsatisfied' }),
    );
    expect(reopened.order.status).toBe('assigned');
    expect(reopened.after.deadlineAt).not.toBeNull();
  });

  it('assigns an unrouted order (派单) with its time limit after the category cache expired', async () => {
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    await t.db.update(workOrders).set({ status: 'submitted', assigneeId: null, deadlineAt: null }).where(eq(workOrders.id, order.id));
    t.categories.invalidate();
    const assigned = await within(
      reassignOrder({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('系统管理员'), channel: 'console', toStaffId: await t.staffId('张伟') }),
    );
    expect(assigned.after.deadlineAt).not.toBeNull();
    t.categories.invalidate();
    const sanitation = (await t.db.select().from(categories).where(eq(categories.code, 'sanitation')))[0]!;
    const changed = await within(
      changeCategory({ deps: t.orderDeps, ref: { id: order.id }, actor: await t.staffActor('张伟'), channel: 'direct', categoryId: sanitation.id, urgency: 'normal' }),
    );
    expect(changed.order.categoryName).toBe(sanitation.name);
  });

  it('sends the weekly report across Monday 09:00 with cold caches, once', async () => {
    t.at('2026-11-16 10:00');
    await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    t.at('2026-11-23 09:00');
    // A cache that is never fresh: every read is a cold one (the refresh before the report warms a normal one).
    const cold = createCategoryProvider({ db: t.db, ttlMs: -1 });
    const deps = { ...t.deps, orderDeps: { ...t.orderDeps, categories: cold }, tick: china('2026-11-23 09:00') };
    expect((await within(weekly(deps), 10_000)).ran).toBe(true);
    expect((await within(weekly(deps))).ran).toBe(false);
    expect((await t.db.select().from(reports).where(eq(reports.kind, 'weekly'))).length).toBe(1);
  });
});
