import { asc } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { FIRST_START_KEY, firstSchedulerStart } from '../../src/jobs/jobs.repository';
import { startScheduler } from '../../src/jobs/scheduler';
import { jobRuns } from '../../src/modules/notifications/job-runs.table';
import { startParts } from '../../src/parts';
import { type JobsContext, china, countRows, createJobsContext } from './jobs.helpers';

let t: JobsContext;
afterEach(async () => t.close());

/** The periods run (the scheduler's first start is kept in the same table). */
async function runKeys() {
  return (await t.db.select({ key: jobRuns.key }).from(jobRuns).orderBy(asc(jobRuns.key))).map((r) => r.key).filter((k) => k !== FIRST_START_KEY);
}

describe('the scheduler', () => {
  it('after downtime sends what fell due once on start, runs only the latest missed period of each report, and nothing twice', async () => {
    t = await createJobsContext('2026-11-20 10:00');
    // Running since Friday 11-20 (its digest of 08:30 came before the first start: not sent)...
    const before = startScheduler({ ctx: t, cronEnabled: false, instance: 'a' });
    expect((await before.caughtUp)!.periodic).toEqual({ digest: null, weekly: null, monthly: null, agenda: null });
    await before.stop();
    const order = await t.report({ text: '小区门口垃圾堆了三天没人清', category: 'sanitation' });
    // ...then down from Friday 11-20 until Wednesday 12-02 10:00: two weekly reports, seven digests and a monthly analysis missed.
    t.at('2026-12-02 10:00');
    const sent = await countRows(t, 'outbox');
    const first = startScheduler({ ctx: t, cronEnabled: false, instance: 'a' });
    const caughtUp = await first.caughtUp;
    expect(caughtUp!.sweep!.signTimeout).toEqual({ reminded: 1, escalated: 0 });
    expect(caughtUp!.sweep!.overdue).toEqual({ noticed: 1, escalated: 0, urged: 0 });
    expect(await runKeys()).toEqual(['digest:2026-12-02', 'monthly:2026-11', 'weekly:2026-W48']);
    expect((await t.messages({ orderId: order.id, kind: 'reminder' })).length).toBe(1);
    expect((await t.messages({ orderId: order.id, kind: 'supervise' })).length).toBe(2);
    expect((await t.messages({ kind: 'digest' })).map((m) => m.dedupeKey)).toEqual([`digest:2026-12-02:${await t.staffId('张伟')}`]);
    const afterStart = await countRows(t, 'outbox');
    expect(afterStart).toBeGreaterThan(sent);

    // Again, and from a second instance starting now: nothing new.
    await first.runDueNow();
    const second = startScheduler({ ctx: t, cronEnabled: false, instance: 'b' });
    await second.caughtUp;
    expect(await countRows(t, 'outbox')).toBe(afterStart);
    expect(await runKeys()).toEqual(['digest:2026-12-02', 'monthly:2026-11', 'weekly:2026-W48']);

    // Two working hours after the late reminder the order goes up, once.
    t.at('2026-12-02 12:00');
    const later = await second.runDueNow();
    expect(later.sweep!.signTimeout).toEqual({ reminded: 0, escalated: 1 });
    expect(later.periodic).toEqual({ digest: { key: 'digest:2026-12-02', ran: false, sent: 0 }, weekly: { key: 'weekly:2026-W48', ran: false, sent: 0 }, monthly: { key: 'monthly:2026-11', ran: false, sent: 0 }, agenda: null });
    expect((await first.runDueNow()).sweep!.signTimeout).toEqual({ reminded: 0, escalated: 0 });
    await first.stop();
    await second.stop();
  });

  it('on a fresh install catches up nothing from before its first start, then runs each period from there on', async () => {
    t = await createJobsContext('2026-12-02 10:00');
    const first = startScheduler({ ctx: t, cronEnabled: false, instance: 'a' });
    // Not this morning's digest, last week's report, November's analysis or the 20th's agenda: all before the first start.
    expect((await first.caughtUp)!.periodic).toEqual({ digest: null, weekly: null, monthly: null, agenda: null });
    await first.stop();
    expect(await runKeys()).toEqual([]);
    expect(await countRows(t, 'reports')).toBe(0);

    // Restarted a week later, after downtime: the periods since the first start are caught up, once.
    t.at('2026-12-09 10:00');
    const second = startScheduler({ ctx: t, cronEnabled: false, instance: 'b' });
    await second.caughtUp;
    expect(await runKeys()).toEqual(['digest:2026-12-09', 'weekly:2026-W49']);
    await second.stop();
  });

  it('runs the sweep and its hooks on the cron schedule, and stop() ends the ticks', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    let hookRuns = 0;
    const scheduler = startScheduler({
      ctx: t,
      catchUpOnStart: false,
      schedules: { sweep: '* * * * * *' },
      sweepHooks: [{ name: 'count', run: () => void (hookRuns += 1) }],
    });
    const deadline = Date.now() + 10_000;
    while (hookRuns === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await scheduler.stop();
    expect(hookRuns).toBeGreaterThan(0);
    const atStop = hookRuns;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hookRuns).toBe(atStop);
  });

  it('keeps sweeping when a hook fails', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    const order = await t.report({ text: '3号楼下面的路灯坏了好几天了', category: 'streetlight' });
    t.at('2026-11-23 12:00');
    const scheduler = startScheduler({
      ctx: t,
      cronEnabled: false,
      catchUpOnStart: false,
      sweepHooks: [{ name: 'broken', run: () => Promise.reject(new Error('boom')) }],
    });
    expect((await scheduler.runDueNow()).sweep!.signTimeout).toEqual({ reminded: 1, escalated: 0 });
    expect((await t.messages({ orderId: order.id, kind: 'reminder' })).length).toBe(1);
    await scheduler.stop();
  });

  it('refuses an invalid cron expression at start', async () => {
    t = await createJobsContext();
    expect(() => startScheduler({ ctx: t, schedules: { weekly: 'every monday' } })).toThrow(/weekly job/);
  });

  it('is started by startParts when the process runs the jobs, catches up, and stops with it', async () => {
    t = await createJobsContext('2026-11-23 10:00');
    // An install whose scheduler first started the week before.
    await firstSchedulerStart(t.db, { now: china('2026-11-16 10:00'), instance: 'earlier' });
    expect((await startParts({ ctx: t, parts: ['console'] })).started).toEqual([]);
    expect(await runKeys()).toEqual([]);
    const { started } = await startParts({ ctx: t, parts: ['jobs'] });
    const deadline = Date.now() + 20_000;
    while (!(await runKeys()).includes('weekly:2026-W47') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    for (const part of started) await part.stop();
    expect(await runKeys()).toEqual(expect.arrayContaining(['digest:2026-11-23', 'weekly:2026-W47']));
  });
});
