import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/audit.table';
import { claimDueOutbox } from '../../src/modules/notifications/outbox.repository';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { staff } from '../../src/modules/people/staff.table';
import { staffByWecomUser } from '../../src/modules/wecom/wecom.repository';
import { wecomEnvOf, wecomTestCredentials } from '../helpers/fake-wecom';
import { type Browser, type ConsoleTest, createConsoleTest } from './console-helpers';

describe('the 企业微信 section of a member’s staff page', () => {
  let t: ConsoleTest;
  let admin: Browser;
  let zhang: number;
  let liu: number;
  beforeAll(async () => {
    t = await createConsoleTest();
    admin = await t.as('系统管理员');
    zhang = await t.ctx.staffId('张伟');
    liu = await t.ctx.staffId('刘洋');
  });
  afterAll(async () => t?.close());

  const row = async (id: number) => (await t.ctx.db.select().from(staff).where(eq(staff.id, id)))[0]!;
  const audits = (id: number) =>
    t.ctx.db.select().from(auditLog).where(and(eq(auditLog.action, 'staff.wecom'), eq(auditLog.targetId, String(id)))).orderBy(desc(auditLog.id));
  /** Posts the section's form and returns the page it lands on. */
  const save = async (id: number, form: Record<string, string>) => {
    await admin.follow(`/console/staff/${id}`);
    const res = await admin.post(`/console/staff/${id}/wecom`, form);
    expect(res.statusCode).toBe(303);
    return (await admin.follow(res.headers.location as string)).body;
  };
  /** Which sender would take a notice to this member now. */
  const takenBy = async (id: number) => {
    const [queued] = await t.ctx.db
      .insert(outbox)
      .values({ botAccount: t.ctx.config.BOT_ACCOUNT, kind: 'status', recipientType: 'staff', staffId: id, text: '测试通知' })
      .returning({ id: outbox.id });
    const claim = (channel: 'wechat' | 'wecom') => claimDueOutbox({ db: t.ctx.db, botAccount: t.ctx.config.BOT_ACCOUNT, now: t.ctx.clock.now(), lockMs: 60_000, channel });
    const wechat = await claim('wechat');
    const wecom = await claim('wecom');
    await t.ctx.db.update(outbox).set({ status: 'sent' }).where(eq(outbox.id, queued!.id));
    const by = [...wechat.map(() => 'wechat'), ...wecom.map(() => 'wecom')];
    expect(by).toHaveLength(1);
    return by[0];
  };

  it('shows an unbound member, and says when the WeCom app is not configured', async () => {
    const page = (await admin.follow(`/console/staff/${zhang}`)).body;
    expect(page).toContain('<h2 id="wecom">企业微信</h2>');
    expect(page).toContain('未绑定企业微信，通知发到微信。');
    expect(page).toContain('<p class="muted small" id="wecom-off">本系统尚未启用企业微信应用');
    expect(page).toContain('href="#bind-code-section"');
    expect(page).not.toContain('解除企业微信绑定');
  });

  it('an admin sets a userid typed full-width: it is stored half-width, audited, and WeCom takes his notices, being his only channel', async () => {
    const page = await save(zhang, { wecomUserId: ' ｚｈａｎｇ．ｗｅｉ＠ｘｑ ', preferredChannel: 'wechat' });
    expect(page).toContain('已保存企业微信设置。');
    expect(page).toContain('已绑定企业微信账号 zhang.wei@xq；未绑定微信，通知只发企业微信。');
    expect(page).toContain('value="zhang.wei@xq"');
    expect(await row(zhang)).toMatchObject({ wecomUserId: 'zhang.wei@xq', preferredChannel: 'wecom' });
    const [entry] = await audits(zhang);
    expect(entry?.data).toEqual({ before: { wecomUserId: null, preferredChannel: 'wechat' }, after: { wecomUserId: 'zhang.wei@xq', preferredChannel: 'wecom' } });
    expect(entry?.actorStaffId).toBe(await t.ctx.staffId('系统管理员'));
    // The callback finds him whatever case WeCom sends the userid in.
    expect((await staffByWecomUser(t.ctx.db, 'Zhang.Wei@XQ'))?.id).toBe(zhang);
    expect(await takenBy(zhang)).toBe('wecom');
  });

  it('refuses a userid WeCom would not accept, with the rule, and changes nothing', async () => {
    for (const bad of ['张伟', 'zhang wei', 'zhang/wei', 'a'.repeat(65), 'x'.repeat(300)]) {
      const page = await save(zhang, { wecomUserId: bad, preferredChannel: 'wecom' });
      expect(page).toContain('企业微信账号只能由字母、数字和 _ - . @ 组成，1–64 位。');
    }
    expect(await save(zhang, { wecomUserId: 'zhang.wei@xq', preferredChannel: 'qq' })).toContain('请选择通知优先发到企业微信还是微信。');
    expect(await row(zhang)).toMatchObject({ wecomUserId: 'zhang.wei@xq', preferredChannel: 'wecom' });
    expect(await audits(zhang)).toHaveLength(1);
    // 64 characters is WeCom's longest userid and is taken.
    await save(liu, { wecomUserId: 'l'.repeat(64) });
    expect((await row(liu)).wecomUserId).toBe('l'.repeat(64));
  });

  it('refuses a userid already bound to another member, ignoring case, naming who holds it', async () => {
    const page = await save(liu, { wecomUserId: 'ZHANG.WEI@xq', preferredChannel: 'wecom' });
    expect(page).toContain('企业微信账号 ZHANG.WEI@xq 已绑定到“张伟”，请先在其页面解除。');
    expect((await row(liu)).wecomUserId).toBe('l'.repeat(64));
    // The database holds the same rule, whatever writes the row.
    await expect(t.ctx.db.update(staff).set({ wecomUserId: 'Zhang.Wei@xq' }).where(eq(staff.id, liu))).rejects.toThrow();
  });

  it('with both channels bound, the admin chooses which comes first; saving the same again writes no audit entry', async () => {
    await t.ctx.db.update(staff).set({ chatKey: 'S:zhangwei-wx' }).where(eq(staff.id, zhang));
    let page = await save(zhang, { wecomUserId: 'zhang.wei@xq', preferredChannel: 'wechat' });
    expect(page).toContain('通知发到微信，在企业微信应用里发的指令仍在企业微信回复。');
    expect((await row(zhang)).preferredChannel).toBe('wechat');
    expect(await takenBy(zhang)).toBe('wechat');
    page = await save(zhang, { wecomUserId: 'zhang.wei@xq', preferredChannel: 'wechat' });
    expect(page).toContain('企业微信设置没有变化。');
    expect(await audits(zhang)).toHaveLength(2);
    page = await save(zhang, { wecomUserId: 'zhang.wei@xq', preferredChannel: 'wecom' });
    expect(page).toContain('通知先发企业微信，企业微信发不到时改发微信。');
    expect(await takenBy(zhang)).toBe('wecom');
  });

  it('unbinding WeChat leaves a WeCom member reachable: his notices go to WeCom', async () => {
    await save(zhang, { wecomUserId: 'zhang.wei@xq', preferredChannel: 'wechat' });
    await admin.follow(`/console/staff/${zhang}`);
    await admin.post(`/console/staff/${zhang}/unbind`, {});
    expect(await row(zhang)).toMatchObject({ chatKey: null, wecomUserId: 'zhang.wei@xq', preferredChannel: 'wecom' });
    expect(await takenBy(zhang)).toBe('wecom');
  });

  it('the unbind button clears the userid: audited, WeChat first again, and the userid is free for someone else', async () => {
    const before = (await admin.follow(`/console/staff/${zhang}`)).body;
    expect(before).toContain('解除企业微信绑定');
    const page = await save(zhang, { wecomUserId: '' });
    expect(page).toContain('已解除企业微信绑定，今后通知发到微信。');
    expect(page).toContain('未绑定企业微信，通知发到微信。');
    expect(await row(zhang)).toMatchObject({ wecomUserId: null, preferredChannel: 'wechat' });
    const [entry] = await audits(zhang);
    expect(entry?.data).toMatchObject({ before: { wecomUserId: 'zhang.wei@xq' }, after: { wecomUserId: null, preferredChannel: 'wechat' } });
    expect(await staffByWecomUser(t.ctx.db, 'zhang.wei@xq')).toBeNull();
    await save(liu, { wecomUserId: 'zhang.wei@xq' });
    expect((await row(liu)).wecomUserId).toBe('zhang.wei@xq');
  });

  it('the staff list shows each member’s userid', async () => {
    const list = (await admin.follow('/console/staff')).body;
    const liuRow = new RegExp(`<tr data-staff="${liu}">[\\s\\S]*?</tr>`).exec(list)?.[0] ?? '';
    expect(liuRow).toContain('<td data-label="企业微信">zhang.wei@xq</td>');
  });

  it('an unknown member is a 404', async () => {
    await admin.follow(`/console/staff/${zhang}`);
    expect((await admin.post('/console/staff/999999/wecom', { wecomUserId: 'nobody' })).statusCode).toBe(404);
  });
});

describe('the staff page when the 企业微信 app is configured', () => {
  it('does not say the app is off', async () => {
    // Nothing is sent: WeCom's API may be nowhere.
    const t = await createConsoleTest({ env: wecomEnvOf(wecomTestCredentials(), 'http://127.0.0.1:9') });
    try {
      const admin = await t.as('系统管理员');
      const page = (await admin.follow(`/console/staff/${await t.ctx.staffId('张伟')}`)).body;
      expect(page).toContain('<h2 id="wecom">企业微信</h2>');
      expect(page).not.toContain('id="wecom-off"');
    } finally {
      await t.close();
    }
  });
});
