import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { Browser, createConsoleTest, type ConsoleTest } from './console-helpers';

/** The numbers in the list page, in order. */
const listed = (body: string) => [...body.matchAll(/<tr data-no="(\d+)">/g)].map((m) => Number(m[1]));

describe('the order list and the order page', () => {
  let t: ConsoleTest;
  const no: Record<string, number> = {};

  beforeAll(async () => {
    t = await createConsoleTest();
    const submit = async (key: string, resident: string, grid: string, text: string, extra: { urgent?: boolean; categoryCode?: string } = {}) => {
      const result = await submitDemand({
        deps: t.ctx.orderDeps,
        input: {
          sourceMessageId: `m-${key}`,
          channel: 'group',
          residentId: await t.ctx.residentId(resident),
          gridId: await t.ctx.gridId(grid),
          text,
          checkDuplicates: false,
          ...extra,
        },
      });
      if (result.outcome !== 'created') throw new Error(`expected a new order for ${key}`);
      no[key] = result.order.no;
      t.ctx.clock.advance(60_000);
    };
    await submit('lamp', '陈阿姨', 'D01-T01-C01-G01', '3号楼下面的路灯坏了好几天了，晚上很黑');
    await submit('stall', '杨大爷', 'D01-T01-C01-G02', '小区门口有人占道经营，早上堵得走不动');
    await submit('script', '许大哥', 'D01-T02-C01-G01', '<script>alert("x")</script> 垃圾桶满了<b>没人</b>清理 =1+1');
    await submit('lift', '彭同学', 'D01-T02-C02-G01', '5号楼电梯困人了，快来人', { urgent: true });
    await submit('lamp2', '老王', 'D01-T01-C01-G01', '3号楼路灯不亮了，晚上很黑看不见路');
  });
  afterAll(async () => t?.close());

  it('the admin sees every order, newest first', async () => {
    const b = await t.as('系统管理员');
    const res = await b.get('/console/orders');
    expect(res.statusCode).toBe(200);
    expect(listed(res.body)).toEqual([no.lamp2, no.lift, no.script, no.stall, no.lamp]);
    expect(res.body).toContain('共 5 条');
  });

  it('a grid leader sees only the orders of their grid', async () => {
    const b = await t.as('张伟');
    const res = await b.get('/console/orders');
    expect(listed(res.body)).toEqual([no.lamp2, no.lamp]);
  });

  it('a town officer sees the orders of their town only', async () => {
    const b = await t.as('郑镇长');
    expect(listed((await b.get('/console/orders')).body)).toEqual([no.lift, no.script]);
  });

  it('filters by status, urgency, unit, category, assignee and date, and searches Chinese words and numbers', async () => {
    const b = await t.as('系统管理员');
    expect(listed((await b.get('/console/orders?urgency=urgent')).body)).toEqual([no.lift]);
    const town = await t.ctx.gridId('D01-T01');
    expect(listed((await b.get(`/console/orders?unit=${town}`)).body)).toEqual([no.lamp2, no.stall, no.lamp]);
    const zhang = await t.ctx.staffId('张伟');
    expect(listed((await b.get(`/console/orders?assignee=${zhang}`)).body)).toEqual([no.lamp2, no.lamp]);
    expect(listed((await b.get('/console/orders?status=closed')).body)).toEqual([]);
    expect(listed((await b.get('/console/orders?status=assigned')).body)).toHaveLength(5);
    const [lamp] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.lamp!));
    expect(listed((await b.get(`/console/orders?category=${lamp!.categoryId}`)).body)).toEqual([no.lamp2, no.lamp]);
    expect(listed((await b.get('/console/orders?from=2026-11-24')).body)).toEqual([]);
    expect(listed((await b.get('/console/orders?from=2026-11-23&to=2026-11-23')).body)).toHaveLength(5);

    // Full-text over jieba tokens: "路灯" is a token of both lamp orders.
    expect(listed((await b.get(`/console/orders?q=${encodeURIComponent('路灯')}`)).body)).toEqual([no.lamp2, no.lamp]);
    expect(listed((await b.get(`/console/orders?q=${encodeURIComponent('占道经营')}`)).body)).toEqual([no.stall]);
    // A single character falls back to the substring match.
    expect(listed((await b.get(`/console/orders?q=${encodeURIComponent('梯')}`)).body)).toEqual([no.lift]);
    expect(listed((await b.get(`/console/orders?q=${no.stall}`)).body)).toEqual([no.stall]);
    expect(listed((await b.get(`/console/orders?q=%23${no.lift}`)).body)).toEqual([no.lift]);
  });

  it('overdue shows only open orders past their deadline', async () => {
    const b = await t.as('系统管理员');
    expect(listed((await b.get('/console/orders?overdue=1')).body)).toEqual([]);
    t.ctx.clock.advanceHours(30); // past the urgent order's limit, not the others'
    // (a session idle for 30 hours has expired: log in again)
    const later = await t.as('系统管理员');
    expect(listed((await later.get('/console/orders?overdue=1')).body)).toEqual([no.lift]);
    expect((await b.get('/console/orders')).statusCode).toBe(302);
    t.ctx.clock.advanceHours(-30);
  });

  it('pages with a cursor: the second page continues where the first ended', async () => {
    const { listOrders } = await import('../../src/modules/work-orders/console/orders.queries');
    const args = { db: t.ctx.db, scope: { all: true as const }, staffId: 1, filters: {}, now: t.ctx.clock.now(), tokenize: t.ctx.tokenize };
    const first = await listOrders({ ...args, page: { limit: 2 } });
    expect(first.rows.map((r) => r.no)).toEqual([no.lamp2, no.lift]);
    const second = await listOrders({ ...args, page: { limit: 2, after: first.next! } });
    expect(second.rows.map((r) => r.no)).toEqual([no.script, no.stall]);
    const third = await listOrders({ ...args, page: { limit: 2, after: second.next! } });
    expect(third.rows.map((r) => r.no)).toEqual([no.lamp]);
    expect(third.next).toBeNull();
    const b = await t.as('系统管理员');
    const page = await b.get(`/console/orders?after=${first.next!.id}`);
    expect(listed(page.body).slice(0, 2)).toEqual([no.script, no.stall]);
  });

  it('exports the filtered set as CSV with a BOM, quoting and no formula injection', async () => {
    const b = await t.as('郑镇长');
    const res = await b.get('/console/orders.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^单号,受理时间,状态/);
    expect(lines).toHaveLength(3); // header + the town's two orders, nobody else's
    expect(lines.map((l) => l.split(',')[0])).toEqual(['单号', String(no.lift), String(no.script)]);
    expect(res.body).toContain('"<script>alert(""x"")</script> 垃圾桶满了<b>没人</b>清理 =1+1"');

    const filtered = await b.get('/console/orders.csv?urgency=urgent');
    expect(filtered.body.trim().split('\r\n')).toHaveLength(2);
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'order.export'));
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it("resident text with <script> is shown escaped on the list and the order page", async () => {
    const b = await t.as('系统管理员');
    for (const url of ['/console/orders', `/console/orders/${no.script}`]) {
      const res = await b.get(url);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).not.toContain('<b>没人</b>');
      expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('a leader guessing another grid\'s order number gets the same 404 as for a number that does not exist', async () => {
    const b = await t.as('刘洋');
    const other = await b.get(`/console/orders/${no.lamp}`);
    const missing = await b.get('/console/orders/999999');
    expect(other.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(other.body).toBe(missing.body);
    expect(other.body).not.toContain('路灯');
    // Nor can they act on it.
    const act = await b.post(`/console/orders/${no.lamp}/supervise`, { note: '快点' });
    expect(act.statusCode).toBe(404);
    const events = await t.ctx.db.select().from(orderEvents).innerJoin(workOrders, eq(workOrders.id, orderEvents.orderId)).where(eq(workOrders.no, no.lamp!));
    expect(events.map((e) => e.order_events.type)).not.toContain('supervise');
  });

  it('the order page shows the timeline, similar orders in the grid and the actions the role allows', async () => {
    const leader = await t.as('张伟');
    const page = await leader.get(`/console/orders/${no.lamp}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<li data-type="submit">');
    expect(page.body).toContain('<li data-type="assign">');
    expect(page.body).toContain(`href="/console/orders/${no.lamp2}"`); // the similar order in the same grid
    expect(page.body).toContain('data-action="accept"');
    expect(page.body).toContain('data-action="reply"');
    expect(page.body).not.toContain('data-action="supervise"'); // only supervisors above
    const officer = await t.as('王主任');
    const officerPage = await officer.get(`/console/orders/${no.lamp}`);
    expect(officerPage.body).toContain('data-action="supervise"');
  });

  it('an action on an order changes its timeline and writes the audit log and the outbox', async () => {
    const b = await t.as('王主任');
    await b.follow(`/console/orders/${no.lamp}`);
    const res = await b.post(`/console/orders/${no.lamp}/supervise`, { note: '请今天内处理，居民反映多次' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/console/orders/${no.lamp}`);
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('已对工单');
    expect(page.body).toContain('<li data-type="supervise">');
    expect(page.body).toContain('请今天内处理，居民反映多次');

    const [order] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.lamp!));
    const audit = await t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'order.supervise'), eq(auditLog.targetId, String(no.lamp))));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorStaffId).toBe(await t.ctx.staffId('王主任'));
    const notices = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, order!.id), eq(outbox.staffId, await t.ctx.staffId('张伟'))));
    expect(notices.some((n) => n.text.includes('【督办】'))).toBe(true);

    // Replying to the resident goes through the outbox too.
    const reply = await b.post(`/console/orders/${no.lamp}/reply`, { note: '已安排电工明天上午维修' });
    expect(reply.statusCode).toBe(303);
    const toResident = await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, order!.id), eq(outbox.recipientType, 'resident')));
    expect(toResident.some((n) => n.text.includes('已安排电工明天上午维修'))).toBe(true);

    // A canned reply is offered on the page and sent as it is when nothing is written; written words win.
    const withCanned = (await b.get(`/console/orders/${no.lamp}`)).body;
    expect(withCanned).toContain('<select name="canned" data-fill="note">');
    expect(withCanned).toContain('请保持电话畅通');
    await b.post(`/console/orders/${no.lamp}/reply`, { note: '', canned: 1 });
    await b.post(`/console/orders/${no.lamp}/reply`, { note: '明早九点到', canned: 1 });
    const empty = await b.post(`/console/orders/${no.lamp}/reply`, { note: '', canned: '' });
    expect((await b.get(empty.headers.location as string)).body).toContain('请把表单填写完整');
    const bogus = await b.post(`/console/orders/${no.lamp}/reply`, { note: '', canned: 99 });
    expect((await b.get(bogus.headers.location as string)).body).toContain('请把表单填写完整');
    const replies = (await t.ctx.db.select().from(outbox).where(and(eq(outbox.orderId, order!.id), eq(outbox.recipientType, 'resident')))).map((n) => n.text);
    expect(replies.filter((text) => text.includes('工作人员今天会上门查看，请保持电话畅通。'))).toHaveLength(1);
    expect(replies.some((text) => text.includes('明早九点到'))).toBe(true);
  });

  it('a refused action says why in Chinese and changes nothing', async () => {
    const b = await t.as('张伟');
    await b.follow(`/console/orders/${no.lamp}`);
    const res = await b.post(`/console/orders/${no.lamp}/approve-extension`, {});
    expect(res.statusCode).toBe(303);
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('flash-error');
    const audit = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'order.approve_extension'));
    expect(audit).toHaveLength(0);
  });

  it('escalating from the console moves the order up and the officer above can see it', async () => {
    const b = await t.as('刘洋');
    await b.follow(`/console/orders/${no.stall}`);
    const res = await b.post(`/console/orders/${no.stall}/escalate`, { note: '需要城管协调' });
    expect(res.statusCode).toBe(303);
    const [order] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.stall!));
    expect(order!.level).toBe('community');
    expect(order!.assigneeId).toBe(await t.ctx.staffId('王主任'));
    const officer = await t.as('王主任');
    const page = await officer.get(`/console/orders/${no.stall}`);
    expect(page.body).toContain('<li data-type="escalate">');
  });

  it('merging into an order the user cannot see is refused like a missing one', async () => {
    const b = await t.as('张伟');
    await b.follow(`/console/orders/${no.lamp2}`);
    const res = await b.post(`/console/orders/${no.lamp2}/merge`, { intoNo: no.lift });
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain(`没有找到工单 #${no.lift}`);
    const ok = await b.post(`/console/orders/${no.lamp2}/merge`, { intoNo: no.lamp });
    expect(ok.statusCode).toBe(303);
    const [merged] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.no, no.lamp2!));
    expect(merged!.status).toBe('merged');
  });

  it('an anonymous request for the CSV or an action is refused', async () => {
    const anon = new Browser(t.app);
    expect((await anon.get('/console/orders.csv')).statusCode).toBe(302);
    expect((await anon.post(`/console/orders/${no.lamp}/supervise`, { note: 'x', _csrf: 'x' })).statusCode).toBe(401);
  });
});
