import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { attachments, workOrders } from '../../src/modules/work-orders/work-orders.table';
import type { Callback } from '../helpers/fake-wecom';
import { JPEG, centreOf, postForm, posterPath, report, trackingPath } from '../http/resident-web.helpers';
import { type WecomKit, bindToWecom, createWecomKit, makeWecomSender, postCallback, until, wecomInboundSettled } from './wecom.helpers';

/**
 * Issue 13's whole story, across the two new channels: a resident with no bot files from a poster with her phone's
 * location, the order lands in the grid her point lies in (not the poster's), the grid leader works it from the
 * 企业微信 app (card → 接单, then 办结 typed in the app), and she answers the 回访 on her private tracking page.
 */
describe('扫码报事 → 企业微信 → 回访 on the tracking page', { timeout: 240_000 }, () => {
  let kit: WecomKit | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await kit?.close();
    app = undefined;
    kit = undefined;
  });

  it('lands in the grid of her location, reaches the leader as a card, is accepted and resolved in the app, and is rated on her page', async () => {
    kit = await createWecomKit();
    const { t, fake } = kit;
    await bindToWecom(kit, '张伟', 'zhangwei');
    // The console's own plugins: the resident page and the WeCom callback (configured for the fake server).
    app = await buildHttpApp({ ctx: t, plugins: consolePlugins });
    const post = (cb: Callback) => postCallback(app!, cb);
    const settled = wecomInboundSettled(t);
    const wecomApp = makeWecomSender(kit);

    // She scans the poster of the neighbouring grid (G02) while standing in 张伟's grid (G01), and shares her location.
    const here = centreOf('D01-T01-C01-G01');
    const filed = await report(
      app,
      await posterPath(t, 'D01-T01-C01-G02'),
      { text: '小区东门口的路灯坏了好几天了 晚上黑乎乎的', lat: String(here.lat), lng: String(here.lng) },
      { files: [{ filename: 'IMG_2031.JPG', type: 'image/jpeg', data: JPEG }] },
    );
    expect(filed.statusCode, filed.body.slice(0, 300)).toBe(303);
    const page = trackingPath(filed.headers.location as string);
    const receipt = (await app.inject({ method: 'GET', url: filed.headers.location as string })).body;
    const no = Number(/工单 #(\d+)/u.exec(receipt)?.[1]);
    const [order] = await t.db.select().from(workOrders).where(eq(workOrders.no, no));
    expect(order).toMatchObject({ channel: 'web', gridId: await t.gridId('D01-T01-C01-G01'), status: 'assigned' });
    expect(order!.lat).toBeCloseTo(here.lat, 6);
    expect(await t.db.select().from(attachments).where(eq(attachments.orderId, order!.id))).toHaveLength(1);

    // 张伟 gets the order in the 企业微信 app as a card with 接单 / 退回 / 查看, and clicks 接单.
    await wecomApp.drain();
    const [card] = fake.cardsTo('zhangwei');
    expect(card?.template_card?.main_title).toMatchObject({ title: `新工单 #${no}` });
    expect((await post(fake.click('zhangwei', card!, 'accept'))).statusCode).toBe(200);
    await until(settled);
    expect((await t.db.select().from(workOrders).where(eq(workOrders.no, no)))[0]?.status).toBe('accepted');
    expect(fake.updates.map((u) => u.replaceName)).toEqual(['已接单']);
    expect((await app.inject({ method: 'GET', url: page })).body).toContain('已签收');

    // He resolves it by typing in the app, in his words.
    expect((await post(fake.text('zhangwei', `办结 ${no} 灯泡换好了，晚上已经亮了`))).statusCode).toBe(200);
    await until(settled);
    expect((await t.db.select().from(workOrders).where(eq(workOrders.no, no)))[0]?.status).toBe('resolved');
    await wecomApp.drain();
    expect(fake.textsTo('zhangwei').join('\n')).toContain(`#${no}`);

    // Her page shows what was done and asks the 回访; she answers there, and the order is closed.
    const resolved = (await app.inject({ method: 'GET', url: page })).body;
    expect(resolved).toContain('灯泡换好了');
    expect(resolved).toContain('name="answer"');
    const answered = await postForm(app, `${page}/survey`, { answer: 'satisfied', comment: '修得挺快' });
    expect(answered.statusCode).toBe(303);
    expect((await t.db.select().from(workOrders).where(eq(workOrders.no, no)))[0]).toMatchObject({ status: 'closed', closure: 'satisfied' });
    const [survey] = await t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, order!.id));
    expect(survey).toMatchObject({ answer: 'satisfied', channel: 'web', comment: '修得挺快' });
  });
});
