import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatorPlugin } from '../../bots/simulator/simulator.routes';
import { buildHttpApp } from '../../src/http/app';
import { consolePlugins } from '../../src/http/plugins';
import { hashPassword } from '../../src/modules/auth/passwords';
import { staff } from '../../src/modules/people/staff.table';
import { attachments, orderEvents } from '../../src/modules/work-orders/work-orders.table';
import { Browser, TEST_PASSWORD } from '../http/console-helpers';
import { type BotHarness, GROUP, startBotHarness } from './helpers';

type Entry = { to: string | null; room: string | null; text: string; mentions: string[]; at: string };

/** Real file heads: the simulator checks that the bytes are what the name says. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a broken street lamp')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('the lamp repaired')]);
const EARLY_JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('the lamp taken down')]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.from('it is very dark at night')]);
const SILK = Buffer.concat([Buffer.from([0x02]), Buffer.from('#!SILK_V3'), Buffer.from('wechat voice')]);

describe('a photo, a place and a voice note, from the simulator to the console order page', () => {
  let h: BotHarness;
  let sim: FastifyInstance;
  let console_: FastifyInstance;
  let orderNo = 0;
  const ids: Record<string, number> = {};

  const send = async (payload: Record<string, unknown>) => {
    const res = await sim.inject({ method: 'POST', url: '/api/simulator/messages', payload });
    return res;
  };
  const sent = async (payload: Record<string, unknown>) => {
    const res = await send(payload);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { replies: Entry[] }).replies;
  };
  const file = (name: string, bytes: Buffer, type: string | null = null) => ({ name, type, base64: bytes.toString('base64') });

  async function browserFor(name: string) {
    const username = `media_${name.codePointAt(0)}`;
    await h.t.db.update(staff).set({ username, passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: false }).where(eq(staff.id, await h.t.staffId(name)));
    const browser = new Browser(console_, `10.9.0.${Object.keys(ids).length + 1}`);
    const res = await browser.login(username, TEST_PASSWORD);
    expect(res.statusCode).toBe(303);
    return browser;
  }

  beforeAll(async () => {
    h = await startBotHarness();
    sim = await buildHttpApp({ ctx: h.t, plugins: [simulatorPlugin(h.world)] });
    console_ = await buildHttpApp({ ctx: h.t, plugins: consolePlugins });
  });
  afterAll(async () => {
    await sim?.close();
    await console_?.close();
    await h?.close();
  });

  it('a resident reports in the group, then adds a photo, the place and a voice note; each attaches to her order', async () => {
    const receipt = await sent({ from: '陈阿姨', room: GROUP, text: '3号楼门口的路灯坏了，晚上很黑', mentionBot: true });
    const order = await h.lastOrder();
    orderNo = order.no;
    expect(receipt.find((r) => r.room === GROUP)?.text).toContain(`已受理 #${orderNo}`);

    const photo = await sent({ from: '陈阿姨', room: GROUP, type: 'image', file: file('路灯.png', PNG, 'image/png') });
    expect(photo.filter((r) => r.room === GROUP).map((r) => r.text)).toEqual([`@陈阿姨 已将照片附到工单 #${orderNo}。`]);
    // The place and the voice note in the group: the group hears once per batch, and nothing is lost.
    await sent({ from: '陈阿姨', room: GROUP, type: 'location', location: { name: '柳岸小区3号楼', address: '柳岸路88号3号楼门口', lat: 30.274102, lng: 120.155031 } });
    await sent({ from: '陈阿姨', room: GROUP, type: 'voice', file: file('语音.mp3', MP3, 'audio/mpeg') });
    // A WeChat voice note 1:1 (silk: no browser plays it).
    const silk = await sent({ from: '陈阿姨', type: 'voice', file: file('msg.silk', SILK) });
    expect(silk.filter((r) => r.to === '陈阿姨').map((r) => r.text)).toEqual([`已将语音附到工单 #${orderNo}。`]);

    const rows = await h.t.db.select().from(attachments).where(eq(attachments.orderId, order.id)).orderBy(asc(attachments.id));
    expect(rows.map((r) => [r.kind, r.mime, r.stage, r.addedByStaffId])).toEqual([
      ['image', 'image/png', 'report', null],
      ['location', null, 'report', null],
      ['voice', 'audio/mpeg', 'report', null],
      ['voice', 'audio/silk', 'report', null],
    ]);
    // Sent as GCJ-02 (WeChat's datum), kept as WGS-84.
    expect(rows[1]).toMatchObject({ lat: 30.2764223, lng: 120.1503228, address: '柳岸路88号3号楼门口' });
    ids.photo = rows[0]!.id;
    ids.mp3 = rows[2]!.id;
    ids.silk = rows[3]!.id;
  });

  it('张伟 接单, sends a photo while working, 办结 later, and a photo right after: before and after', async () => {
    await sent({ from: '张伟', text: `接单 ${orderNo}` });
    const during = await sent({ from: '张伟', type: 'image', file: file('拆下.jpg', EARLY_JPEG, 'image/jpeg') });
    expect(during.filter((r) => r.to === '张伟').map((r) => r.text)).toEqual([`已将照片附到工单 #${orderNo}（办理中）。`]);

    // Beyond the attachment window: the photo above stays a "before/during" one.
    h.t.clock.advance(30 * 60_000);
    await sent({ from: '张伟', text: `办结 ${orderNo} 已更换灯泡` });
    h.t.clock.advance(2 * 60_000);
    const after = await sent({ from: '张伟', type: 'image', file: file('修好了.jpg', JPEG, 'image/jpeg') });
    expect(after.filter((r) => r.to === '张伟').map((r) => r.text)).toEqual([`已将照片作为办结后照片附到工单 #${orderNo}。`]);

    const order = await h.order(orderNo);
    const staffRows = (await h.t.db.select().from(attachments).where(eq(attachments.orderId, order.id)).orderBy(asc(attachments.id))).filter((r) => r.addedByStaffId !== null);
    const zhang = await h.t.staffId('张伟');
    expect(staffRows.map((r) => [r.stage, r.addedByStaffId, r.originalName])).toEqual([
      ['progress', zhang, '拆下.jpg'],
      ['after', zhang, '修好了.jpg'],
    ]);
    ids.before = staffRows[0]!.id;
    ids.after = staffRows[1]!.id;
    const events = await h.t.db.select().from(orderEvents).where(eq(orderEvents.orderId, order.id));
    expect(events.filter((e) => e.type === 'attachment' && e.actorStaffId === zhang).map((e) => e.note)).toEqual(['照片（办理中）', '照片（办结后）']);
  });

  it('a photo 张伟 sends just before typing 办结 is shown as the finished work', async () => {
    await sent({ from: '老王', room: GROUP, text: '5号楼楼道灯不亮了，晚上看不见台阶', mentionBot: true });
    const second = await h.lastOrder();
    expect(second.no).not.toBe(orderNo);
    await sent({ from: '张伟', text: `接单 ${second.no}` });
    const photo = await sent({ from: '张伟', type: 'image', file: file('换好了.png', PNG, 'image/png') });
    expect(photo.filter((r) => r.to === '张伟').map((r) => r.text)).toEqual([`已将照片附到工单 #${second.no}（办理中）。`]);
    h.t.clock.advance(3 * 60_000);
    await sent({ from: '张伟', text: `办结 ${second.no} 已更换灯管` });

    const officer = await browserFor('王主任');
    const page = (await officer.get(`/console/orders/${second.no}`)).body;
    const [row] = await h.t.db.select().from(attachments).where(eq(attachments.orderId, second.id));
    expect(row!.stage).toBe('progress');
    expect(page).toContain('data-stage="after"');
    expect(page).not.toContain('data-stage="progress"');
    expect(page.slice(page.indexOf('data-stage="after"'))).toContain(`/console/orders/${second.no}/attachments/${row!.id}`);
  });

  it('a member of staff with no order at hand is told how to send one, and nothing is attached', async () => {
    const before = (await h.t.db.select().from(attachments)).length;
    const reply = await sent({ from: '刘洋', type: 'image', file: file('x.png', PNG, 'image/png') });
    expect(reply.filter((r) => r.to === '刘洋').map((r) => r.text)).toEqual([expect.stringContaining('接单、进展或办结后10分钟内')]);
    expect(await h.t.db.select().from(attachments)).toHaveLength(before);
  });

  it('the console order page shows both photos grouped at 办结, the place with coordinates, and the voice notes', async () => {
    const officer = await browserFor('王主任');
    const page = await officer.get(`/console/orders/${orderNo}`);
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="attachments"'));
    const stage = (name: string) => {
      const start = section.indexOf(`data-stage="${name}"`);
      expect(start, name).toBeGreaterThan(-1);
      const end = section.indexOf('data-stage="', start + 12);
      return section.slice(start, end === -1 ? undefined : end);
    };
    const url = (id: number) => `/console/orders/${orderNo}/attachments/${id}`;
    expect(stage('report')).toContain(`<img src="${url(ids.photo!)}"`);
    expect(stage('report')).toContain('柳岸路88号3号楼门口');
    expect(stage('report')).toContain('30.276422, 120.150323');
    expect(stage('report')).toContain(`<audio controls preload="none" src="${url(ids.mp3!)}">`);
    // silk: offered for download, with a word on converting it; no player.
    expect(stage('report')).toContain(`href="${url(ids.silk!)}" download`);
    expect(stage('report')).not.toContain(`src="${url(ids.silk!)}"`);
    expect(stage('report')).toContain('SILK 格式');
    expect(stage('progress')).toContain(`<img src="${url(ids.before!)}"`);
    expect(stage('progress')).toContain('办理中');
    expect(stage('after')).toContain(`<img src="${url(ids.after!)}"`);
    expect(stage('after')).toContain('由 张伟 上传');
    // Nothing from the internet: every src on the page is this site's.
    expect(page.body).not.toMatch(/src="(https?:)?\/\//);
  });

  it('serves the files to that officer with the right headers, and to nobody who may not see the order', async () => {
    const officer = await browserFor('王主任');
    const photo = await officer.get(`/console/orders/${orderNo}/attachments/${ids.after}`);
    expect(photo.statusCode).toBe(200);
    expect(photo.rawPayload).toEqual(JPEG);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['x-content-type-options']).toBe('nosniff');
    expect(photo.headers['content-disposition']).toMatch(/^inline; filename="attachment-\d+\.jpg"; filename\*=UTF-8''%E4%BF%AE/);

    const mp3 = await officer.get(`/console/orders/${orderNo}/attachments/${ids.mp3}`);
    expect(mp3.headers['content-type']).toBe('audio/mpeg');
    expect(mp3.rawPayload).toEqual(MP3);

    const silk = await officer.get(`/console/orders/${orderNo}/attachments/${ids.silk}`);
    expect(silk.statusCode).toBe(200);
    expect(silk.headers['content-type']).toBe('application/octet-stream');
    expect(silk.headers['content-disposition']).toMatch(/^attachment; /);
    expect(silk.rawPayload).toEqual(SILK);

    // Another community's officer: the same 404 as for an order that does not exist.
    const other = await browserFor('冯主任');
    expect((await other.get(`/console/orders/${orderNo}/attachments/${ids.after}`)).statusCode).toBe(404);
    expect((await other.get(`/console/orders/${orderNo}`)).statusCode).toBe(404);
    // Logged out: sent to the log-in page, no bytes.
    const anonymous = await console_.inject({ method: 'GET', url: `/console/orders/${orderNo}/attachments/${ids.after}` });
    expect(anonymous.statusCode).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login/);
    expect(anonymous.rawPayload.includes(JPEG)).toBe(false);
    // An attachment of another order under this order's number, ids out of range, a path: 404.
    for (const bad of [`${orderNo}/attachments/2147483648`, `${orderNo}/attachments/99999999999`, `${orderNo}/attachments/..%2F..%2Fetc%2Fpasswd`, `2147483648/attachments/${ids.after}`]) {
      expect((await officer.get(`/console/orders/${bad}`)).statusCode, bad).toBe(404);
    }
  });
});
