import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { calendarYears } from '../../src/modules/calendar/calendar.table';
import { categories } from '../../src/modules/categories/categories.table';
import { chatGroups } from '../../src/modules/chat/chat.table';
import { unmatchedIdentities } from '../../src/modules/chat/identity.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { residents } from '../../src/modules/people/residents.table';
import { staff, staffRoles } from '../../src/modules/people/staff.table';
import { workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import type { ConsoleBotStatus } from '../../src/modules/notifications/outbox.routes';
import { Browser, createConsoleTest, type ConsoleTest } from './console-helpers';

describe('the set-up pages', () => {
  let t: ConsoleTest;
  let admin: Browser;
  beforeAll(async () => {
    t = await createConsoleTest();
    admin = await t.as('系统管理员');
  });
  afterAll(async () => t?.close());

  it('adds a grid assistant, gives a console account with a one-time password that must be changed, and a 6-digit bind code valid 24 hours', async () => {
    await admin.follow('/console/staff');
    const grid = await t.ctx.gridId('D01-T01-C01-G02');
    const created = await admin.post('/console/staff', { name: '新网格员', phone: '13911112222', role: 'assistant', unitId: grid });
    expect(created.statusCode).toBe(303);
    const [person] = await t.ctx.db.select().from(staff).where(eq(staff.name, '新网格员'));
    const roles = await t.ctx.db.select().from(staffRoles).where(eq(staffRoles.staffId, person!.id));
    expect(roles.map((r) => [r.role, r.unitId])).toEqual([['assistant', grid]]);

    // An officer role cannot sit at a grid.
    await admin.follow(`/console/staff/${person!.id}`);
    const wrong = await admin.post(`/console/staff/${person!.id}/roles`, { role: 'officer', unitId: grid });
    expect((await admin.get(wrong.headers.location as string)).body).toContain('干部只能设在社区、街道、区');

    const account = await admin.post(`/console/staff/${person!.id}/account`, { username: 'xinwangge' });
    expect(account.statusCode).toBe(200);
    expect(account.headers['cache-control']).toBe('no-store');
    const password = /一次性密码：([A-Za-z0-9]+)/.exec(account.body)![1]!;
    const b = new Browser(t.app, '10.20.0.1');
    const login = await b.login('xinwangge', password);
    expect(login.headers.location).toBe('/console/password');

    admin.takeCsrf(account.body);
    const code = await admin.post(`/console/staff/${person!.id}/bind-code`, {});
    expect(code.statusCode).toBe(303);
    const page = await admin.get(`/console/staff/${person!.id}`);
    const shown = /当前绑定码：(\d{6})/.exec(page.body)![1]!;
    const [row] = await t.ctx.db.select().from(staff).where(eq(staff.id, person!.id));
    expect(row!.bindCode).toBe(shown);
    expect(row!.bindCodeExpiresAt!.getTime() - t.ctx.clock.now().getTime()).toBe(24 * 3_600_000);
  });

  it('deactivating a member of staff ends their console sessions', async () => {
    const b = await t.as('孙丽');
    const id = await t.ctx.staffId('孙丽');
    await admin.follow(`/console/staff/${id}`);
    await admin.post(`/console/staff/${id}`, { name: '孙丽', phone: '13900000105', active: '0' });
    expect((await b.get('/console/orders')).statusCode).toBe(302);
    // Nor can the admin lock themselves out.
    const self = await t.ctx.staffId('系统管理员');
    const res = await admin.post(`/console/staff/${self}`, { name: '系统管理员', active: '0' });
    expect((await admin.get(res.headers.location as string)).body).toContain('不能停用自己的账号');
  });

  it('binds a chat group to another grid', async () => {
    const [group] = await t.ctx.db.select().from(chatGroups).limit(1);
    const target = await t.ctx.gridId('D01-T02-C02-G03');
    await admin.follow('/console/groups');
    expect((await admin.post(`/console/groups/${group!.id}`, { gridId: target })).statusCode).toBe(303);
    const [after] = await t.ctx.db.select().from(chatGroups).where(eq(chatGroups.id, group!.id));
    expect(after!.gridId).toBe(target);
    const created = await admin.post('/console/groups', { topic: '新小区业主群', gridId: target });
    expect(created.statusCode).toBe(303);
    expect((await t.ctx.db.select().from(chatGroups).where(eq(chatGroups.topic, '新小区业主群'))).length).toBe(1);
  });

  it('a category change takes effect at once (the cache is dropped) and is audited', async () => {
    const [cat] = await t.ctx.db.select().from(categories).limit(1);
    expect((await t.ctx.categories.byId(cat!.id))!.limitWorkingDays).toBe(cat!.limitWorkingDays);
    await admin.follow('/console/categories');
    const res = await admin.post(`/console/categories/${cat!.id}`, {
      name: cat!.name,
      kind: cat!.kind,
      keywords: '路灯，灯不亮、 黑灯瞎火',
      defaultUrgency: 'normal',
      limitWorkingDays: 9,
      urgentLimitHours: 6,
      active: '1',
      sort: 0,
    });
    expect(res.statusCode).toBe(303);
    const cached = await t.ctx.categories.byId(cat!.id);
    expect(cached!.limitWorkingDays).toBe(9);
    expect(cached!.keywords).toEqual(['路灯', '灯不亮', '黑灯瞎火']);
    expect((await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'category.update'))).length).toBe(1);
  });

  it('the calendar page warns within 60 days of an uncovered year, refuses a bad import whole and takes a good one', async () => {
    const last = (await t.ctx.db.select().from(calendarYears)).map((y) => y.year).sort().pop()!;
    t.ctx.clock.set(`${last}-11-15T10:00:00+08:00`);
    const b = await t.as('系统管理员');
    const page = await b.follow('/console/calendar');
    expect(page.body).toContain(`${last + 1}-01-01 起`);
    const bad = await b.post('/console/calendar', { text: `${last + 1}-10-01,holiday,国庆节\n${last + 1}-10-02,放假\n${last + 1}-13-01,holiday,x` });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('第 3 行');
    expect((await t.ctx.db.select().from(calendarYears).where(eq(calendarYears.year, last + 1))).length).toBe(0);

    // A weekday holiday and a weekend make-up day of the next year.
    const weekday = [1, 2, 3, 4, 5, 6, 7].map((d) => `${last + 1}-01-0${d}`).find((d) => ![0, 6].includes(new Date(`${d}T12:00:00+08:00`).getUTCDay()))!;
    const weekend = [1, 2, 3, 4, 5, 6, 7].map((d) => `${last + 1}-02-0${d}`).find((d) => [0, 6].includes(new Date(`${d}T12:00:00+08:00`).getUTCDay()))!;
    const good = await b.post('/console/calendar', { text: `date,kind,name\n${weekday},holiday,元旦\n${weekend},workday,调休` });
    expect(good.statusCode).toBe(303);
    const after = await b.get('/console/calendar');
    expect(after.body).not.toContain('节假日安排即将用完');
    const [year] = await t.ctx.db.select().from(calendarYears).where(eq(calendarYears.year, last + 1));
    expect(year!.source).toBe('console');
    expect((await t.ctx.calendar.get()).covers(`${last + 1}-06-01`)).toBe(true);
    t.ctx.clock.set('2026-11-23T10:00:00+08:00');
  });

  it('a dead letter is listed with its error and can be sent again', async () => {
    const b = await t.as('系统管理员');
    const [row] = await t.ctx.db
      .insert(outbox)
      .values({ kind: 'status', recipientType: 'staff', staffId: await t.ctx.staffId('张伟'), text: '<b>测试</b>消息', status: 'dead', attempts: 8, lastError: 'not a friend' })
      .returning();
    const page = await b.follow('/console/outbox');
    expect(page.body).toContain(`data-outbox="${row!.id}"`);
    expect(page.body).toContain('&lt;b&gt;测试&lt;/b&gt;消息');
    expect(page.body).toContain('not a friend');
    const res = await b.post(`/console/outbox/${row!.id}/retry`, {});
    expect(res.statusCode).toBe(303);
    const [after] = await t.ctx.db.select().from(outbox).where(eq(outbox.id, row!.id));
    expect(after!.status).toBe('pending');
    expect(after!.attempts).toBe(0);
  });

  it('confirming an unmatched contact ties the chat id to the chosen resident and merges what the provisional resident reported', async () => {
    const residentId = await t.ctx.residentId('老王');
    const [provisional] = await t.ctx.db
      .insert(residents)
      .values({ name: '老王', chatName: '老王', chatContactId: 'wx-laowang-2', gridId: await t.ctx.gridId('D01-T01-C01-G01') })
      .returning();
    const submitted = await submitDemand({
      deps: t.ctx.orderDeps,
      input: { sourceMessageId: 'wx-m-1', channel: 'group', residentId: provisional!.id, gridId: provisional!.gridId!, text: '7号楼下水道堵了，污水漫到路上', checkDuplicates: false },
    });
    const [u] = await t.ctx.db
      .insert(unmatchedIdentities)
      .values({
        kind: 'contact',
        chatId: 'wx-laowang-2',
        name: '老王',
        reason: 'name_match',
        candidates: [{ type: 'resident', id: residentId, name: '老王', gridId: null }],
        provisionalResidentId: provisional!.id,
        firstSeenAt: t.ctx.clock.now(),
        lastSeenAt: t.ctx.clock.now(),
      })
      .returning();
    const b = await t.as('系统管理员');
    const page = await b.follow('/console/identities');
    expect(page.body).toContain(`data-identity="${u!.id}"`);
    expect(page.body).toContain('期间反映 1 件工单');
    expect((await b.post(`/console/identities/${u!.id}`, { resolution: `resident:${residentId}` })).statusCode).toBe(303);
    const [r] = await t.ctx.db.select().from(residents).where(eq(residents.id, residentId));
    expect(r!.chatContactId).toBe('wx-laowang-2');
    const [resolved] = await t.ctx.db.select().from(unmatchedIdentities).where(eq(unmatchedIdentities.id, u!.id));
    expect(resolved!.resolution).toBe(`resident:${residentId}`);
    expect((await b.get('/console/identities')).body).not.toContain(`data-identity="${u!.id}"`);
    if (submitted.outcome !== 'created') throw new Error(submitted.outcome);
    const [order] = await t.ctx.db.select().from(workOrders).where(eq(workOrders.id, submitted.order.id));
    expect(order!.residentId).toBe(residentId);
    const [retired] = await t.ctx.db.select().from(residents).where(eq(residents.id, provisional!.id));
    expect(retired).toMatchObject({ chatContactId: null, chatKey: null, chatName: null });
    // Deciding it again finds nothing.
    expect((await b.post(`/console/identities/${u!.id}`, { resolution: 'new' })).statusCode).toBe(404);
  });

  it('the audit page lists what was done, by whom', async () => {
    const b = await t.as('系统管理员');
    const page = await b.get('/console/audit?action=staff.');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('staff.create');
    expect(page.body).not.toContain('category.update');
  });

  it('the bot page shows the status a getter on the context gives, with the login QR drawn as SVG', async () => {
    const b = await t.as('系统管理员');
    expect((await b.get('/console/bot')).body).toContain('状态未知');
    const status: ConsoleBotStatus = { state: 'scan', qrcode: 'https://login.weixin.qq.com/l/abc', since: t.ctx.clock.now(), puppet: 'wechaty-puppet-mock' };
    const app = await buildHttpApp({ ctx: { ...t.ctx, botStatus: () => status } as typeof t.ctx, plugins: consolePlugins });
    try {
      const other = new Browser(app, '10.30.0.1');
      other.cookies = new Map(b.cookies);
      const page = await other.get('/console/bot');
      expect(page.body).toContain('等待扫码登录');
      expect(page.body).toMatch(/<div class="qr"><svg[^>]*>/);
    } finally {
      await app.close();
    }
  });
});
