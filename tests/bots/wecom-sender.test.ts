import { asc, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { staff } from '../../src/modules/people/staff.table';
import { insertOutbox } from '../../src/modules/work-orders/work-orders.repository';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { bindEveryone, makeSender, recordingTransport } from './sender.helpers';
import { type WecomKit, bindToWecom, createWecomKit, makeWecomSender } from './wecom.helpers';

describe('the outbox sender with the WeCom app beside the bot', { timeout: 180_000 }, () => {
  let kit: WecomKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it('sends a WeCom member their notices through the app and everyone else through WeChat, each once', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    await bindEveryone(t.db);
    const zhang = await bindToWecom(kit, '张伟', 'zhangwei');
    const others = (await t.db.select({ id: staff.id }).from(staff)).map((r) => r.id).filter((id) => id !== zhang).slice(0, 3);
    await insertOutbox(t.db, [
      ...[1, 2, 3].map((i) => ({ kind: 'digest', orderId: null, recipientType: 'staff' as const, staffId: zhang, text: `张伟的待办 ${i}` })),
      ...others.map((id, i) => ({ kind: 'digest', orderId: null, recipientType: 'staff' as const, staffId: id, text: `别人的待办 ${i}` })),
    ]);
    const wechat = recordingTransport(t.clock);
    const bot = makeSender(t, { transport: wechat.transport, channel: 'wechat' });
    const app = makeWecomSender(kit);
    await Promise.all([bot.drain(), app.drain()]);
    expect(fake.textsTo('zhangwei')).toEqual(['张伟的待办 1', '张伟的待办 2', '张伟的待办 3']);
    expect(wechat.deliveries.map((d) => d.text).sort()).toEqual(others.map((_, i) => `别人的待办 ${i}`).sort());
    const rows = await t.db.select().from(outbox).orderBy(asc(outbox.id));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    expect(rows.filter((r) => r.deliveredVia === 'wecom')).toHaveLength(3);
  });

  it('keeps to 30 messages a minute per member, so WeCom never drops one (no 45009)', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    const zhang = await bindToWecom(kit, '张伟', 'zhangwei');
    const lina = await bindToWecom(kit, '李娜', 'lina');
    await insertOutbox(t.db, [
      ...Array.from({ length: 45 }, (_, i) => ({ kind: 'reminder', orderId: null, recipientType: 'staff' as const, staffId: zhang, text: `提醒 ${i}` })),
      { kind: 'reminder', orderId: null, recipientType: 'staff' as const, staffId: lina, text: '李娜的提醒' },
    ]);
    const app = makeWecomSender(kit);
    await app.drain();
    // The first 30 go at once; 李娜's is not held up behind 张伟's backlog.
    expect(fake.textsTo('zhangwei')).toHaveLength(30);
    expect(fake.textsTo('lina')).toEqual(['李娜的提醒']);
    t.clock.advance(61_000);
    await app.drain();
    expect(fake.textsTo('zhangwei')).toEqual(Array.from({ length: 45 }, (_, i) => `提醒 ${i}`));
    expect(fake.dropped).toHaveLength(0);
    expect(fake.calls.filter((c) => c.errcode === 45009)).toHaveLength(0);
  });

  it('sends the new-order notice as a card with 接单 / 退回 / 查看', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    await bindToWecom(kit, '张伟', 'zhangwei');
    const residentId = await t.residentId('陈阿姨');
    const result = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-1', channel: 'group', residentId, gridId: await t.gridId('D01-T01-C01-G01'), text: '3号楼下面的路灯坏了好几天了' },
    });
    if (result.outcome !== 'created') throw new Error(result.outcome);
    const { order } = result;
    await makeWecomSender(kit).drain();
    const [card] = fake.cardsTo('zhangwei');
    expect(card?.template_card).toMatchObject({ card_type: 'button_interaction', main_title: { title: `新工单 #${order.no}` } });
    expect((card?.template_card?.button_list as { key: string; text: string }[]).map((b) => b.text)).toEqual(['接单', '退回', '查看']);
  });

  it('hands a member WeCom no longer reaches (left the app) to WeChat, which delivers it', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    await bindEveryone(t.db);
    const zhang = await bindToWecom(kit, '张伟', 'zhangwei');
    fake.removeMember('zhangwei');
    await insertOutbox(t.db, [{ kind: 'supervise', orderId: null, recipientType: 'staff', staffId: zhang, text: '督办：#1001 已超期' }]);
    const wechat = recordingTransport(t.clock);
    const bot = makeSender(t, { transport: wechat.transport, channel: 'wechat' });
    const app = makeWecomSender(kit);
    expect((await app.drain()).map((r) => r.kind)).toEqual(['fallback']);
    await bot.drain();
    expect(wechat.deliveries.map((d) => d.text)).toEqual(['督办：#1001 已超期']);
    const [row] = await t.db.select().from(outbox).where(eq(outbox.staffId, zhang));
    expect(row).toMatchObject({ status: 'sent', channel: 'wechat', deliveredVia: 'direct' });
    expect(row?.lastError).toBeNull();
  });

  it('renews a token WeCom ended early and still delivers once', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    const zhang = await bindToWecom(kit, '张伟', 'zhangwei');
    await insertOutbox(t.db, [{ kind: 'digest', orderId: null, recipientType: 'staff', staffId: zhang, text: '早上好' }]);
    const app = makeWecomSender(kit);
    await kit.api.sendText('zhangwei', '预热');
    fake.expireTokens();
    await app.drain();
    expect(fake.textsTo('zhangwei')).toEqual(['预热', '早上好']);
    expect(fake.calls.map((c) => c.errcode)).toContain(42001);
  });
});
