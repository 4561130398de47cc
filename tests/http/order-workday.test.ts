import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff } from '../../src/modules/people/staff.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { createConsoleTest, type ConsoleTest } from './console-helpers';

/** The time-left label of each listed order, by number: its state class and its text. */
const timeLeftOf = (body: string) =>
  Object.fromEntries(
    [...body.matchAll(/<tr data-no="(\d+)">[\s\S]*?<\/tr>/g)].map((m) => {
      const left = /<span class="time-left ([a-z-]+)"[^>]*>([^<]*)<\/span>/.exec(m[0]);
      return [Number(m[1]), left ? `${left[1]} ${left[2]}` : null];
    }),
  );

describe('the console for a working day: time left, tel: links, internal notes', () => {
  let t: ConsoleTest;
  const no: Record<string, number> = {};
  const orderId = async (key: string) => (await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no[key]!)))[0]!;

  const submit = async (key: string, resident: string, grid: string, text: string, urgent = false) => {
    const input = { sourceMessageId: `m-${key}`, channel: 'group' as const, text, checkDuplicates: false, urgent };
    const ids = { residentId: await t.ctx.residentId(resident), gridId: await t.ctx.gridId(grid) };
    const result = await submitDemand({ deps: t.ctx.orderDeps, input: { ...input, ...ids } });
    if (result.outcome !== 'created') throw new Error(`expected a new order for ${key}`);
    no[key] = result.order.no;
  };

  beforeAll(async () => {
    t = await createConsoleTest();
    await submit('lamp', '陈阿姨', 'D01-T01-C01-G01', '3号楼下面的路灯坏了好几天了，晚上很黑');
    await submit('lift', '彭同学', 'D01-T02-C02-G01', '5号楼电梯困人了，快来人', true);
  });
  afterAll(async () => t?.close());

  it('the list shows each open order’s time left, coloured when nearly due and when overdue', async () => {
    const lamp = await orderId('lamp');
    const lift = await orderId('lift');
    const admin = await t.as('系统管理员');
    const fresh = timeLeftOf((await admin.get('/console/orders')).body);
    // Received Monday 2026-11-23: a working-day limit counts working days, the urgent one hours.
    expect(fresh[no.lamp!]).toMatch(/^on-time 剩 \d+ 个工作日$/);
    expect(fresh[no.lift!]).toMatch(/^on-time 剩 \d+ 小时$/);

    // Past 75% of the urgent limit: nearly due.
    const limit = lift.deadlineAt!.getTime() - lift.createdAt.getTime();
    t.ctx.clock.advance(Math.ceil(limit * 0.8));
    let nearly = timeLeftOf((await (await t.as('系统管理员')).get('/console/orders')).body);
    expect(nearly[no.lift!]).toMatch(/^nearly-due 剩 \d+ (小时|分钟)$/);
    expect(nearly[no.lamp!]).toMatch(/^on-time /);

    // Three hours past its deadline: overdue, and so on the order page too.
    t.ctx.clock.set(new Date(lift.deadlineAt!.getTime() + 3 * 3_600_000 + 60_000));
    const later = await t.as('系统管理员');
    nearly = timeLeftOf((await later.get('/console/orders')).body);
    expect(nearly[no.lift!]).toBe('overdue 超期 3 小时');
    expect((await later.get(`/console/orders/${no.lift}`)).body).toContain('<span class="time-left overdue">超期 3 小时</span>');
    // The lamp's limit runs in working days to 24:00 of its last one.
    t.ctx.clock.set(new Date(lamp.deadlineAt!.getTime() - 2 * 3_600_000));
    expect(timeLeftOf((await (await t.as('系统管理员')).get('/console/orders')).body)[no.lamp!]).toBe('nearly-due 剩 2 小时');
    t.ctx.clock.set(lamp.createdAt);
  });

  it('sorted by 紧急优先: urgent open orders first, then by deadline, paged with a cursor; newest first stays the default', async () => {
    const { listOrders } = await import('../../src/modules/work-orders/console/orders.queries');
    t.ctx.clock.advance(60_000);
    await submit('gas', '陈阿姨', 'D01-T01-C01-G01', '楼道里有很重的煤气味', true);
    await submit('bench', '陈阿姨', 'D01-T01-C01-G02', '小区长椅坏了一条腿');
    // A closed-out order comes after every open one.
    await t.ctx.db.update(workOrders).set({ status: 'resolved' }).where(eq(workOrders.no, no.bench!));
    const all = await t.ctx.db.select().from(workOrders);
    const open = all.filter((o) => o.status === 'assigned' || o.status === 'accepted');
    const byDeadline = (a: (typeof all)[number], b: (typeof all)[number]) => a.deadlineAt!.getTime() - b.deadlineAt!.getTime() || a.id - b.id;
    const expected = [
      ...open.filter((o) => o.urgency === 'urgent').sort(byDeadline),
      ...open.filter((o) => o.urgency !== 'urgent').sort(byDeadline),
      ...all.filter((o) => !open.includes(o)).sort(byDeadline),
    ].map((o) => o.no);
    expect(expected.slice(0, 2)).toEqual([no.lift, no.gas]);

    const args = { db: t.ctx.db, scope: { all: true as const }, staffId: 1, filters: {}, now: t.ctx.clock.now(), tokenize: t.ctx.tokenize };
    const seen: number[] = [];
    let after: { id: number } | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await listOrders({ ...args, page: { limit: 1, sort: 'due', after } });
      seen.push(...page.rows.map((r) => r.no));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(expected);

    const admin = await t.as('系统管理员');
    const listed = (body: string) => [...body.matchAll(/<tr data-no="(\d+)">/g)].map((m) => Number(m[1]));
    expect(listed((await admin.get('/console/orders?sort=due')).body)).toEqual(expected);
    expect(listed((await admin.get('/console/orders')).body)).toEqual([...all].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id).map((o) => o.no));
    // A leader's scope in two parts (their grid; orders assigned to them elsewhere) keeps the order too.
    const leader = await t.as('张伟');
    expect(listed((await leader.get('/console/orders?sort=due')).body)).toEqual(expected.filter((n) => n === no.gas || n === no.lamp));
  });

  it('phone numbers on the order page are tel: links with the dialable number, escaped', async () => {
    await t.ctx.db.update(residents).set({ phone: '138-0013-8000"><script>x</script>' }).where(eq(residents.id, await t.ctx.residentId('陈阿姨')));
    await t.ctx.db.update(staff).set({ phone: '+86 139 0000 0101' }).where(eq(staff.id, await t.ctx.staffId('张伟')));
    const page = (await (await t.as('王主任')).get(`/console/orders/${no.lamp}`)).body;
    expect(page).toContain('<a href="tel:13800138000" class="tel">138-0013-8000&quot;&gt;&lt;script&gt;x&lt;/script&gt;</a>');
    expect(page).toContain('<a href="tel:+8613900000101" class="tel">+86 139 0000 0101</a>');
    expect(page).not.toContain('<script>x');
  });

  it('an internal note goes on the timeline, changes nothing and tells no one', async () => {
    const before = await orderId('lamp');
    const sent = async () => (await t.ctx.db.select().from(outbox).where(eq(outbox.orderId, before.id))).length;
    const outboxBefore = await sent();
    const leader = await t.as('张伟');
    const page = await leader.get(`/console/orders/${no.lamp}`);
    expect(page.body).toContain('data-action="note"');
    const res = await leader.post(`/console/orders/${no.lamp}/note`, { note: '居民白天不在家，晚上七点后再联系' });
    expect(res.statusCode).toBe(303);
    const after = await leader.get(`/console/orders/${no.lamp}`);
    expect(after.body).toContain('<li data-type="note">');
    expect(after.body).toContain('居民白天不在家，晚上七点后再联系');
    expect(after.body).toContain('仅工作人员可见');

    const [event] = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, before.id), eq(orderEvents.type, 'note')));
    expect(event).toMatchObject({ note: '居民白天不在家，晚上七点后再联系', channel: 'console', actorStaffId: await t.ctx.staffId('张伟') });
    // No outbox row at all (进展 would write one for the resident); the order did not change, not even 签收 (only
    // its row version and time, as after any command).
    expect(await sent()).toBe(outboxBefore);
    const unchanged = await orderId('lamp');
    const same = (o: typeof before) => ({ ...o, updatedAt: undefined, version: undefined });
    expect(same(unchanged)).toEqual(same(before));
    expect(unchanged.status).toBe('assigned');
  });

  it('whoever may record 进展 may write a note, and no one else', async () => {
    for (const name of ['张伟', '李娜', '王主任', '吴书记', '系统管理员', '赵敏', '刘洋']) {
      const page = await (await t.as(name)).get(`/console/orders/${no.lamp}`);
      const may = (action: string) => page.body.includes(`data-action="${action}"`);
      expect({ name, note: may('note') }).toEqual({ name, note: may('progress') });
    }
    // The grid's informant sees the order but may not work on it: the note is refused and nothing is written.
    const informant = await t.as('赵敏');
    await informant.follow(`/console/orders/${no.lamp}`);
    const res = await informant.post(`/console/orders/${no.lamp}/note`, { note: '试试' });
    expect(res.statusCode).toBe(303);
    expect((await informant.get(res.headers.location as string)).body).toContain('flash-error');
    const lamp = await orderId('lamp');
    const notes = await t.ctx.db.select().from(orderEvents).where(and(eq(orderEvents.orderId, lamp.id), eq(orderEvents.type, 'note')));
    expect(notes.map((n) => n.note)).toEqual(['居民白天不在家，晚上七点后再联系']);
  });
});
