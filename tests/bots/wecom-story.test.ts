import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { wecomRoutes } from '../../src/modules/wecom/wecom.routes';
import { orderEvents, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import type { Callback } from '../helpers/fake-wecom';
import { Browser, TEST_PASSWORD } from '../http/console-helpers';
import { bindEveryone, makeSender, recordingTransport } from './sender.helpers';
import { type WecomKit, bindToWecom, createWecomKit, makeWecomSender, postCallback, until, wecomInboundSettled } from './wecom.helpers';

describe('a grid leader on 企业微信', { timeout: 180_000 }, () => {
  let kit: WecomKit | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await kit?.close();
    app = undefined;
    kit = undefined;
  });

  it('gets the new order as a card, clicks 接单, types 办结 in the app, and the resident is told on WeChat', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    await bindEveryone(t.db);
    await bindToWecom(kit, '张伟', 'zhangwei');
    app = await buildHttpApp({ ctx: t, plugins: [wecomRoutes({ api: kit.api })] });
    const post = (cb: Callback) => postCallback(app!, cb);
    const settledInbound = wecomInboundSettled(t);
    const wechat = recordingTransport(t.clock);
    const bot = makeSender(t, { transport: wechat.transport, channel: 'wechat' });
    const wecomApp = makeWecomSender(kit);
    const deliver = () => Promise.all([bot.drain(), wecomApp.drain()]);

    // 陈阿姨 reports in her group; the order is routed to the grid's leader 张伟.
    const created = await submitDemand({
      deps: t.orderDeps,
      input: { sourceMessageId: 'm-story', channel: 'group', residentId: await t.residentId('陈阿姨'), gridId: await t.gridId('D01-T01-C01-G01'), text: '3号楼下面的路灯坏了好几天了' },
    });
    if (created.outcome !== 'created') throw new Error(created.outcome);
    const no = created.order.no;
    await deliver();
    // The resident's receipt went to WeChat; 张伟's notice is a card in the WeCom app, not a WeChat message.
    expect(wechat.deliveries.some((d) => d.text.startsWith(`已受理 #${no}`))).toBe(true);
    expect(wechat.deliveries.some((d) => d.text.includes(`#${no}`) && d.mentions.length === 0 && d.via === 'direct')).toBe(false);
    const [card] = fake.cardsTo('zhangwei');
    expect(card?.template_card?.main_title).toMatchObject({ title: `新工单 #${no}` });

    // He clicks 接单: WeCom posts an encrypted template_card_event to the app.
    expect((await post(fake.click('zhangwei', card!, 'accept'))).statusCode).toBe(200);
    await until(settledInbound);
    const [accepted] = await t.db.select().from(workOrders).where(eq(workOrders.no, no));
    expect(accepted?.status).toBe('accepted');
    expect(fake.updates.map((u) => u.replaceName)).toEqual(['已接单']);

    // He types 办结 in the app, in his own words.
    expect((await post(fake.text('zhangwei', `办结 ${no} 已修好`))).statusCode).toBe(200);
    await until(settledInbound);
    const [resolved] = await t.db.select().from(workOrders).where(eq(workOrders.no, no));
    expect(resolved?.status).toBe('resolved');
    await deliver();

    // His confirmations came through the app; the resident is told on WeChat (with the survey).
    const texts = fake.textsTo('zhangwei').join('\n');
    expect(texts).toContain(`#${no}`);
    const toResident = await t.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.orderId, created.order.id), eq(outbox.recipientType, 'resident')));
    expect(toResident.every((r) => r.status === 'sent' && r.deliveredVia !== 'wecom')).toBe(true);
    expect(wechat.deliveries.some((d) => /办结|已修好|满意/.test(d.text) && d.text.includes(`${no}`))).toBe(true);
    // A second click on the same card is refused in words and the card shows the state.
    expect((await post(fake.click('zhangwei', card!, 'accept'))).statusCode).toBe(200);
    await until(settledInbound);
    expect(fake.updates.at(-1)?.replaceName).toMatch(/已处理/);

    // What he did in the app is recorded as 企业微信: on the order's events and on its console timeline.
    const events = await t.db.select().from(orderEvents).where(eq(orderEvents.orderId, created.order.id));
    const channelOf = (type: string) => events.filter((e) => e.type === type).map((e) => e.channel);
    expect(channelOf('accept')).toEqual(['wecom']);
    expect(channelOf('resolve')).toEqual(['wecom']);
    expect(channelOf('submit')).toEqual(['group']);
    await t.db
      .update(staff)
      .set({ username: 'wecom-story-admin', passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: false })
      .where(eq(staff.id, await t.staffId('系统管理员')));
    const console_ = await buildHttpApp({ ctx: t, plugins: consolePlugins });
    const admin = new Browser(console_);
    expect((await admin.login('wecom-story-admin', TEST_PASSWORD)).statusCode).toBe(303);
    const page = await admin.get(`/console/orders/${no}`);
    await console_.close();
    expect(page.statusCode).toBe(200);
    const entry = (type: string) => new RegExp(`<li data-type="${type}">[\\s\\S]*?</li>`).exec(page.body)?.[0] ?? '';
    expect(entry('accept')).toMatch(/· 企业微信<\/div>/);
    expect(entry('resolve')).toMatch(/· 企业微信<\/div>/);
    expect(entry('submit')).toMatch(/· 群聊<\/div>/);
  });
});
