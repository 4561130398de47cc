import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { auditLog } from '../../src/modules/audit/audit.table';
import { consolePlugins } from '../../src/http/plugins';
import { categories } from '../../src/modules/categories/categories.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { residents } from '../../src/modules/people/residents.table';
import { revokeLinks } from '../../src/modules/resident-web/resident-web.repository';
import { webReports } from '../../src/modules/resident-web/resident-web.table';
import { surveyAnswers } from '../../src/modules/surveys/surveys.table';
import { submitDemand } from '../../src/modules/work-orders/intake/submit-demand.usecases';
import { acceptOrder, addInternalNote, reportProgress, resolveOrder } from '../../src/modules/work-orders/handling/order-actions.usecases';
import { attachments, orderSupporters, workOrders } from '../../src/modules/work-orders/work-orders.table';
import { createTestContext, type TestContext } from '../helpers/context';
import { JPEG, PNG, centreOf, multipart, postForm, posterPath, report, trackingPath } from './resident-web.helpers';

type Setup = { t: TestContext; app: FastifyInstance };
let current: Setup | undefined;

async function setup(env: Record<string, string> = {}): Promise<Setup> {
  const t = await createTestContext({ env });
  current = { t, app: await buildHttpApp({ ctx: t, plugins: consolePlugins }) };
  return current;
}

// The demo seed is prepared once per worker: paid here, not by the first test's time limit.
beforeAll(async () => {
  await (await createTestContext()).close();
}, 300_000);

afterEach(async () => {
  await current?.app.close();
  await current?.t.close();
  current = undefined;
});

async function orderByNo(t: TestContext, no: number) {
  const [row] = await t.db.select().from(workOrders).where(eq(workOrders.no, no));
  return row!;
}

async function residentPhotosOf(t: TestContext, no: number) {
  return t.db.select().from(attachments).where(eq(attachments.orderId, (await orderByNo(t, no)).id));
}

const orderNoOf = (page: string) => Number(/工单 #(\d+)/.exec(page)?.[1]);

/** Files a report and follows the redirect to the tracking page: its path, its page and the order's number. */
async function file(s: Setup, code: string, fields: Record<string, string>, opts: Parameters<typeof report>[3] = {}) {
  const res = await report(s.app, await posterPath(s.t, code), fields, opts);
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303);
  const path = trackingPath(res.headers.location as string);
  const page = await s.app.inject({ method: 'GET', url: res.headers.location as string });
  expect(page.statusCode).toBe(200);
  return { path, page: page.body, no: orderNoOf(page.body) };
}

type Photo = { filename: string; type: string; data: Buffer };
const pngs = (n: number): Photo[] => Array.from({ length: n }, (_, k) => ({ filename: `${k}.png`, type: 'image/png', data: PNG }));

/** Adds photos on a tracking page from an address, as a phone's browser does. */
function upload(s: Setup, path: string, files: Photo[], { ip = '203.0.113.7', headers = {} }: { ip?: string; headers?: Record<string, string> } = {}) {
  const body = multipart(files.map((f) => ({ name: 'photos', ...f })));
  return s.app.inject({ method: 'POST', url: `${path}/photos`, payload: body.payload, headers: { ...body.headers, 'sec-fetch-site': 'same-origin', ...headers }, remoteAddress: ip });
}

describe('扫码报事: the resident page', () => {
  it('a poster token opens the form for its grid; a forged token, a bare id or another unit is refused in words', async () => {
    const s = await setup();
    const form = await s.app.inject({ method: 'GET', url: await posterPath(s.t, 'D01-T01-C01-G01') });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('柳岸社区第一网格');
    expect(form.body).toContain('enctype="multipart/form-data"');
    expect(form.headers['cache-control']).toBe('no-store');
    const gridId = await s.t.gridId('D01-T01-C01-G01');
    for (const url of [`/r/${gridId}`, `/r/${gridId}-AAAAAAAAAAAAAAAAAAAAAA`, `/r/${gridId + 1}-${(await posterPath(s.t, 'D01-T01-C01-G01')).split('-').pop()}`]) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.body).toContain('这个二维码无效或已作废');
    }
    for (const url of [`/r/${'A'.repeat(90)}`, `/t/1-${'9'.repeat(88)}`]) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.body).toMatch(/二维码无效|查询链接无效/);
    }
    // A valid token for a community (not a grid) is no poster either.
    const { gridToken } = await import('../../src/modules/resident-web/resident-web.tokens');
    const { keyOf } = await import('./resident-web.helpers');
    const community = await s.app.inject({ method: 'GET', url: `/r/${gridToken(keyOf(s.t), await s.t.gridId('D01-T01-C01'))}` });
    expect(community.statusCode).toBe(404);
  });

  it('a report with a photo and a phone number becomes a classified order in the poster grid, with its deadline, and the page is the receipt', async () => {
    const s = await setup();
    const { path, page, no } = await file(s, 'D01-T01-C01-G01', { text: '3号楼门口的路灯坏了好几天了，晚上很黑', location: '3号楼门口', phone: '138 0013 8000' }, {
      files: [{ filename: 'IMG_0001.JPG', type: 'image/jpeg', data: JPEG }],
    });
    expect(path).toMatch(/^\/t\/\d+-[\w-]{22}$/);
    const order = await orderByNo(s.t, no);
    expect(order.channel).toBe('web');
    expect(order.gridId).toBe(await s.t.gridId('D01-T01-C01-G01'));
    expect(order.locationText).toBe('3号楼门口');
    expect(order.deadlineAt).not.toBeNull();
    const [category] = await s.t.db.select().from(categories).where(eq(categories.id, order.categoryId));
    expect(category!.code).toBe('streetlight');
    const [resident] = await s.t.db.select().from(residents).where(eq(residents.id, order.residentId));
    expect(resident).toMatchObject({ source: 'web', phone: '13800138000' });
    const files = await s.t.db.select().from(attachments).where(eq(attachments.orderId, order.id));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg', stage: 'report' });
    expect((await readFile(resolve(s.t.config.DATA_DIR, files[0]!.storagePath!))).equals(JPEG)).toBe(true);
    // The receipt: number, category, handler by role and surname, the deadline, and the advice to keep the link.
    expect(page).toContain(`已受理，工单号 #${no}`);
    expect(page).toContain('路灯');
    expect(page).toMatch(/网格长张/);
    expect(page).not.toContain('张伟');
    expect(page).toContain('前办结');
    expect(page).toContain('请收藏或截图保存本页链接');
    expect(page).toContain('已上传照片 1 张');
    // The grid leader is told; no receipt is queued for a resident no chat can reach.
    const notices = await s.t.db.select().from(outbox).where(eq(outbox.orderId, order.id));
    expect(notices.some((n) => n.recipientType === 'staff')).toBe(true);
    expect(notices.some((n) => n.kind === 'receipt')).toBe(false);
    // What was sent is kept on the report's row.
    const [row] = await s.t.db.select().from(webReports).where(eq(webReports.orderId, order.id));
    expect(row).toMatchObject({ outcome: 'filed' });
    expect(row!.payload.text).toContain('路灯');
    expect(row!.address).not.toContain('203.0.113.7');
  });

  it('the browser point files the report in the grid whose boundary holds it; a point outside every grid keeps the poster grid', async () => {
    const s = await setup();
    const inside = centreOf('D01-T01-C01-G02');
    const a = await file(s, 'D01-T01-C01-G01', { text: '小区门口垃圾堆了三天没人清运', lat: String(inside.lat), lng: String(inside.lng) });
    const orderA = await orderByNo(s.t, a.no);
    expect(orderA.gridId).toBe(await s.t.gridId('D01-T01-C01-G02'));
    expect(orderA.lat).toBeCloseTo(inside.lat, 6);
    expect(orderA.lng).toBeCloseTo(inside.lng, 6);
    const b = await file(s, 'D01-T01-C01-G01', { text: '楼道里的灯不亮了', lat: '39.9', lng: '116.4' });
    expect((await orderByNo(s.t, b.no)).gridId).toBe(await s.t.gridId('D01-T01-C01-G01'));
    // Not a number, or not on Earth: no point, no refusal.
    const c = await file(s, 'D01-T01-C01-G01', { text: '单元门的门禁坏了打不开', lat: 'abc', lng: '999' });
    const orderC = await orderByNo(s.t, c.no);
    expect(orderC.lat).toBeNull();
    expect(orderC.gridId).toBe(await s.t.gridId('D01-T01-C01-G01'));
  });

  it('a similar open order in the grid is offered without its words; joining follows it, refusing files a new order', async () => {
    const s = await setup();
    const first = await file(s, 'D01-T01-C01-G01', { text: '5号楼旁边的下水道堵了，污水冒出来了，味道很大', phone: '13900000001' });
    const path = await posterPath(s.t, 'D01-T01-C01-G01');
    const again = await report(s.app, path, { text: '5号楼旁边下水道堵了，污水都冒出来了' }, { ip: '198.51.100.9' });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('附近已经有人反映过类似问题');
    expect(again.body).toContain(`工单 #${first.no}`);
    expect(again.body).not.toContain('味道很大');
    const key = /name="key" value="([^"]+)"/.exec(again.body)![1]!;

    // A number that was not offered is refused.
    const wrong = await postForm(s.app, `${path}/duplicates`, { key, choice: '999999' }, '198.51.100.9');
    expect(wrong.statusCode).toBe(400);

    const joined = await postForm(s.app, `${path}/duplicates`, { key, choice: String(first.no) }, '198.51.100.9');
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toContain('?new=supported');
    const supporterPage = await s.app.inject({ method: 'GET', url: joined.headers.location as string });
    expect(supporterPage.body).toContain(`已加入工单 #${first.no}`);
    expect(supporterPage.body).toContain('您关注的问题（由其他居民反映）');
    expect(supporterPage.body).not.toContain('味道很大');
    expect(supporterPage.body).not.toContain('回访');
    const order = await orderByNo(s.t, first.no);
    expect(await s.t.db.select().from(orderSupporters).where(eq(orderSupporters.orderId, order.id))).toHaveLength(1);
    // A follower can neither add photos to nor answer the 回访 of someone else's order.
    const { multipart } = await import('./resident-web.helpers');
    const body = multipart([{ name: 'photos', filename: 'a.png', type: 'image/png', data: PNG }]);
    const followerPhoto = await s.app.inject({
      method: 'POST',
      url: `${trackingPath(joined.headers.location as string)}/photos`,
      payload: body.payload,
      headers: { ...body.headers, 'sec-fetch-site': 'same-origin' },
      remoteAddress: '198.51.100.9',
    });
    expect(followerPhoto.statusCode).toBe(403);
    expect(followerPhoto.body).toContain('只有反映人本人可以');
    const followerSurvey = await postForm(s.app, `${trackingPath(joined.headers.location as string)}/survey`, { answer: 'satisfied' }, '198.51.100.9');
    expect(followerSurvey.statusCode).toBe(403);
    // Pressing the button twice gives the same link and joins once.
    const twice = await postForm(s.app, `${path}/duplicates`, { key, choice: String(first.no) }, '198.51.100.9');
    expect(trackingPath(twice.headers.location as string)).toBe(trackingPath(joined.headers.location as string));
    expect(await s.t.db.select().from(orderSupporters).where(eq(orderSupporters.orderId, order.id))).toHaveLength(1);

    // Another resident says it is not the same: a new order, filed once however often the button is pressed.
    const third = await report(s.app, path, { text: '5号楼边上的下水道又堵了' }, { ip: '198.51.100.10' });
    const key3 = /name="key" value="([^"]+)"/.exec(third.body)![1]!;
    const filed = await postForm(s.app, `${path}/duplicates`, { key: key3, choice: 'new' }, '198.51.100.10');
    expect(filed.statusCode).toBe(303);
    expect(filed.headers.location).toContain('?new=filed');
    const filedAgain = await postForm(s.app, `${path}/duplicates`, { key: key3, choice: 'new' }, '198.51.100.10');
    expect(trackingPath(filedAgain.headers.location as string)).toBe(trackingPath(filed.headers.location as string));
    const count = await s.t.db.select().from(workOrders).where(eq(workOrders.channel, 'web'));
    expect(count).toHaveLength(2);
    // An unknown key is a clear refusal.
    const stale = await postForm(s.app, `${path}/duplicates`, { key: 'nope', choice: 'new' }, '198.51.100.10');
    expect(stale.statusCode).toBe(410);
    expect(stale.body).toContain('请重新扫码提交');
  });

  it('one address may send 5 reports an hour and 20 a day; the sixth is refused in plain Chinese, another address is not', async () => {
    const s = await setup();
    const path = await posterPath(s.t, 'D01-T01-C01-G01');
    const texts = ['路灯不亮', '垃圾没人收', '楼道堆满杂物', '井盖松动了', '健身器材坏了', '树枝快断了'];
    for (const text of texts.slice(0, 5)) expect((await report(s.app, path, { text: `${text}，麻烦处理一下` }, { ip: '192.0.2.1' })).statusCode).not.toBe(429);
    const sixth = await report(s.app, path, { text: '树枝快断了，麻烦处理一下' }, { ip: '192.0.2.1' });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.body).toContain('每小时最多提交 5 次');
    expect((await report(s.app, path, { text: '树枝快断了，麻烦处理一下' }, { ip: '192.0.2.2' })).statusCode).toBe(303);
    // An hour later the hourly limit has room again, up to the daily cap.
    for (let hour = 0; hour < 3; hour++) {
      s.t.clock.advanceHours(1.01);
      for (let i = 0; i < 5; i++) expect((await report(s.app, path, { text: `第${hour}轮第${i}次：小区广场的灯坏了` }, { ip: '192.0.2.1' })).statusCode).not.toBe(429);
    }
    s.t.clock.advanceHours(1.01);
    const capped = await report(s.app, path, { text: '又一件事：小区广场的灯坏了' }, { ip: '192.0.2.1' });
    expect(capped.statusCode).toBe(429);
    expect(capped.body).toContain('今天从同一网络提交的次数已达上限（20 次）');
    // Refused attempts are not counted and leave nothing.
    const rows = await s.t.db.select().from(webReports);
    expect(rows.filter((r) => r.outcome === 'received')).toHaveLength(0);
  });

  it('TRUST_PROXY decides whose address is limited: X-Forwarded-For counts only from a trusted proxy', async () => {
    const s = await setup();
    const path = await posterPath(s.t, 'D01-T01-C01-G01');
    for (let i = 0; i < 5; i++) await report(s.app, path, { text: `第${i}次：路口的红绿灯坏了` }, { ip: '192.0.2.50', headers: { 'x-forwarded-for': `10.9.9.${i}` } });
    const forged = await report(s.app, path, { text: '路口的红绿灯坏了' }, { ip: '192.0.2.50', headers: { 'x-forwarded-for': '10.9.9.99' } });
    expect(forged.statusCode).toBe(429);
  });

  it('behind one trusted proxy (TRUST_PROXY=1) each client address has its own limit', async () => {
    const s = await setup({ TRUST_PROXY: '1' });
    const path = await posterPath(s.t, 'D01-T01-C01-G01');
    for (let i = 0; i < 5; i++) await report(s.app, path, { text: `第${i}次：路口的红绿灯坏了` }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': '198.51.100.1' } });
    const same = await report(s.app, path, { text: '路口的红绿灯坏了' }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': '198.51.100.1' } });
    expect(same.statusCode).toBe(429);
    const other = await report(s.app, path, { text: '路口的红绿灯坏了' }, { ip: '10.0.0.2', headers: { 'x-forwarded-for': '198.51.100.2' } });
    expect(other.statusCode).not.toBe(429);
  });

  it('files that are not photos, too large or too many are refused, the form comes back filled in, and nothing is kept', async () => {
    const s = await setup({ ATTACHMENT_MAX_BYTES: '4096' });
    const path = await posterPath(s.t, 'D01-T01-C01-G01');
    const fields = { text: '电梯不动了，老人下不了楼', phone: '13700000000' };
    const script = await report(s.app, path, fields, { files: [{ filename: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('<script>alert(1)</script>') }] });
    expect(script.statusCode).toBe(400);
    expect(script.body).toContain('只能上传照片（JPG、PNG、WEBP、GIF）');
    expect(script.body).toContain('电梯不动了，老人下不了楼');
    expect(script.body).toContain('value="13700000000"');
    const svg = await report(s.app, path, fields, { files: [{ filename: 'x.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') }] });
    expect(svg.statusCode).toBe(400);
    const big = await report(s.app, path, fields, { files: [{ filename: 'big.png', type: 'image/png', data: Buffer.concat([PNG, Buffer.alloc(5000)]) }] });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('照片太大了');
    const five = await report(s.app, path, fields, { files: Array.from({ length: 5 }, (_, i) => ({ filename: `${i}.png`, type: 'image/png', data: PNG })) });
    expect(five.statusCode).toBe(400);
    expect(five.body).toContain('照片最多 4 张');
    const empty = await report(s.app, path, { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('请写下遇到的问题');
    const long = await report(s.app, path, { text: '路'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('不要超过 2000 个字');
    expect(await s.t.db.select().from(workOrders).where(eq(workOrders.channel, 'web'))).toHaveLength(0);
    expect(await s.t.db.select().from(webReports)).toHaveLength(0);
    // An empty file input (no photo chosen) is no photo and no error.
    const ok = await report(s.app, path, fields, { files: [{ filename: '', type: 'application/octet-stream', data: Buffer.alloc(0) }] });
    expect(ok.statusCode).toBe(303);
  });

  it('a page of another site cannot post a report (the same-origin hook)', async () => {
    const s = await setup();
    const res = await report(s.app, await posterPath(s.t, 'D01-T01-C01-G01'), { text: '路灯坏了' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(403);
    expect(await s.t.db.select().from(webReports)).toHaveLength(0);
  });

  it('a forged tracking token is refused; a revoked link and a link 90 days after closing say so', async () => {
    const s = await setup();
    const { path } = await file(s, 'D01-T01-C01-G01', { text: '小区里的路灯坏了' });
    const [id, mac] = path.slice(3).split('-') as [string, string];
    for (const url of [`/t/${id}-${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, `/t/${Number(id) + 1}-${mac}`, '/t/abc', `/t/${id}`]) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('查询链接无效');
    }
    const forgedPost = await s.app.inject({ method: 'POST', url: `/t/${id}-${'A'.repeat(22)}/survey`, payload: 'answer=satisfied', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' } });
    expect(forgedPost.statusCode).toBe(404);

    // Closed, then 90 days later still open; a day more and it has expired.
    const order = await orderByNo(s.t, orderNoOf((await s.app.inject({ method: 'GET', url: path })).body));
    const leader = await s.t.staffActor('张伟');
    await acceptOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct' });
    await resolveOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct', note: '已更换灯泡' });
    expect((await postForm(s.app, `${path}/survey`, { answer: 'satisfied' })).statusCode).toBe(303);
    s.t.clock.advanceDays(90);
    expect((await s.app.inject({ method: 'GET', url: path })).statusCode).toBe(200);
    s.t.clock.advanceDays(1);
    const expired = await s.app.inject({ method: 'GET', url: path });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('已过期');

    const other = await file(s, 'D01-T01-C01-G02', { text: '健身器材的螺丝松了' });
    await revokeLinks(s.t.db, { orderId: (await orderByNo(s.t, other.no)).id, now: s.t.clock.now() });
    const revoked = await s.app.inject({ method: 'GET', url: other.path });
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('已被停用');
  });

  it('the tracking page shows the timeline with staff by role and surname, and never internal notes', async () => {
    const s = await setup();
    const { path, no } = await file(s, 'D01-T01-C01-G01', { text: '楼下的路灯一闪一闪的' });
    const order = await orderByNo(s.t, no);
    const leader = await s.t.staffActor('张伟');
    await acceptOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct' });
    await reportProgress({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct', note: '已联系电工明天上午来修' });
    await addInternalNote({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'console', note: '内部：这户人家上次也投诉过' });
    const page = (await s.app.inject({ method: 'GET', url: path })).body;
    expect(page).toContain('已签收');
    expect(page).toContain('已联系电工明天上午来修');
    expect(page).toContain('网格长张');
    expect(page).not.toContain('张伟');
    expect(page).not.toContain('内部：这户人家');
    expect(page).not.toContain('内部备注');
    expect(page).toContain('楼下的路灯一闪一闪的');
  });

  it('the resident adds a photo on the tracking page (own order only, within the cap) and answers the 回访, which closes the order', async () => {
    const s = await setup();
    const { path, no } = await file(s, 'D01-T01-C01-G01', { text: '健身广场的单杠断了很危险' });
    const order = await orderByNo(s.t, no);
    const add = (files: Photo[]) => upload(s, path, files);
    const added = await add([{ filename: 'a.png', type: 'image/png', data: PNG }]);
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${path}?done=photo1`);
    expect((await s.app.inject({ method: 'GET', url: added.headers.location as string })).body).toContain('已补充 1 张照片');
    expect(await s.t.db.select().from(attachments).where(eq(attachments.orderId, order.id))).toHaveLength(1);
    expect((await add([{ filename: 'a.txt', type: 'text/plain', data: Buffer.from('hello') }])).statusCode).toBe(400);
    expect((await add([])).statusCode).toBe(400);
    for (let i = 0; i < 2; i++) await add(Array.from({ length: 4 }, (_, k) => ({ filename: `${k}.png`, type: 'image/png', data: PNG })));
    const capped = await add([{ filename: 'b.png', type: 'image/png', data: PNG }]);
    expect(capped.statusCode).toBe(400);
    expect(capped.body).toContain('最多补充 9 张照片');

    // Before 办结 there is no 回访 form, and answering is refused in words.
    expect((await s.app.inject({ method: 'GET', url: path })).body).not.toContain('name="answer"');
    const early = await postForm(s.app, `${path}/survey`, { answer: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('现在不需要评价');

    const leader = await s.t.staffActor('张伟');
    await acceptOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct' });
    await resolveOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct', note: '已拆除并更换新单杠' });
    const resolved = (await s.app.inject({ method: 'GET', url: path })).body;
    expect(resolved).toContain('回访：您对办理结果满意吗？');
    expect(resolved).toContain('value="basically_satisfied"');
    expect(resolved).toContain('已拆除并更换新单杠');
    expect((await postForm(s.app, `${path}/survey`, { answer: 'great' })).statusCode).toBe(400);
    const answered = await postForm(s.app, `${path}/survey`, { answer: 'satisfied', comment: '修得很快，谢谢' });
    expect(answered.statusCode).toBe(303);
    expect(answered.headers.location).toBe(`${path}?done=survey`);
    expect((await orderByNo(s.t, no)).status).toBe('closed');
    const [survey] = await s.t.db.select().from(surveyAnswers).where(eq(surveyAnswers.orderId, order.id));
    expect(survey).toMatchObject({ answer: 'satisfied', channel: 'web', comment: '修得很快，谢谢' });
    const after = (await s.app.inject({ method: 'GET', url: answered.headers.location as string })).body;
    expect(after).toContain('谢谢您的评价');
    expect(after).not.toContain('name="answer"');
    expect((await add([{ filename: 'c.png', type: 'image/png', data: PNG }])).statusCode).toBe(409);
  });

  it('one address may add 30 photos an hour on tracking pages, across orders; the next is refused in plain Chinese, another address is not', async () => {
    const s = await setup();
    // Four residents' orders, filed from their own addresses; one address then adds photos to all of them.
    const orders = [];
    for (const [i, text] of ['路灯不亮了', '垃圾桶满了没人清', '井盖松动了很危险', '健身器材坏了'].entries()) orders.push(await file(s, 'D01-T01-C01-G01', { text }, { ip: `198.51.100.${i + 10}` }));
    const ip = '192.0.2.80';
    for (const o of orders.slice(0, 3)) for (const n of [4, 4, 1]) expect((await upload(s, o.path, pngs(n), { ip })).statusCode).toBe(303);
    const last = orders[3]!.path;
    expect((await upload(s, last, pngs(3), { ip })).headers.location).toBe(`${last}?done=photo3`);
    const over = await upload(s, last, pngs(1), { ip });
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^text\/html/);
    expect(over.body).toContain('同一网络每小时最多上传 30 张照片');
    expect(over.body).not.toMatch(/at .*\.ts:\d+/);
    expect((await residentPhotosOf(s.t, orders[3]!.no)).length).toBe(3);
    // The same resident on another network is not held back; an hour later this one has room again.
    expect((await upload(s, last, pngs(1), { ip: '192.0.2.81' })).statusCode).toBe(303);
    s.t.clock.advanceHours(1.01);
    expect((await upload(s, last, pngs(1), { ip })).statusCode).toBe(303);
    // Uploads are not reports: the address may still file one.
    expect((await report(s.app, await posterPath(s.t, 'D01-T01-C01-G01'), { text: '路口的红绿灯坏了' }, { ip })).statusCode).toBe(303);
  });

  it('refused uploads count too, and a forged X-Forwarded-For does not reset the upload limit without TRUST_PROXY', async () => {
    const s = await setup();
    const { path, no } = await file(s, 'D01-T01-C01-G01', { text: '小区门口的路灯坏了' });
    const script = { filename: 'x.jpg', type: 'image/jpeg', data: Buffer.from('<script>alert(1)</script>') };
    for (let i = 0; i < 30; i++) {
      expect((await upload(s, path, [script], { ip: '192.0.2.90', headers: { 'x-forwarded-for': `10.8.0.${i}` } })).statusCode).toBe(400);
    }
    const forged = await upload(s, path, pngs(1), { ip: '192.0.2.90', headers: { 'x-forwarded-for': '10.8.1.1' } });
    expect(forged.statusCode).toBe(429);
    expect(forged.body).toContain('补充照片太频繁了');
    expect(await residentPhotosOf(s.t, no)).toHaveLength(0);
    // Refusals by the limit itself are not counted: an hour after the first uploads there is room again.
    s.t.clock.advanceHours(1.01);
    expect((await upload(s, path, pngs(1), { ip: '192.0.2.90' })).statusCode).toBe(303);
  });

  it('不满意 on the tracking page reopens the order one level up', async () => {
    const s = await setup();
    const { path, no } = await file(s, 'D01-T01-C01-G01', { text: '楼道灯坏了一直没人修' });
    const order = await orderByNo(s.t, no);
    const leader = await s.t.staffActor('张伟');
    await acceptOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct' });
    await resolveOrder({ deps: s.t.orderDeps, ref: { id: order.id }, actor: leader, channel: 'direct', note: '已修好' });
    const res = await postForm(s.app, `${path}/survey`, { answer: 'unsatisfied', comment: '灯还是不亮' });
    expect(res.headers.location).toBe(`${path}?done=reopened`);
    const reopened = await orderByNo(s.t, no);
    expect(reopened.status).toBe('assigned');
    expect(reopened.level).toBe('community');
  });

  it('the order page shows its tracking link; staff on the order revoke it with a reason and a tick, audited, and the old link says 已被停用', async () => {
    const { createConsoleTest } = await import('./console-helpers');
    const c = await createConsoleTest();
    try {
      const filed = await report(c.app, await posterPath(c.ctx, 'D01-T01-C01-G01'), { text: '3号楼门口的路灯坏了' });
      const link = trackingPath(filed.headers.location as string);
      const no = orderNoOf((await c.app.inject({ method: 'GET', url: link })).body);
      const revoke = `/console/orders/${no}/tracking-links/revoke`;
      const leader = await c.as('张伟');
      const page = (await leader.follow(`/console/orders/${no}`)).body;
      expect(page).toContain('网页查询链接');
      expect(page).toContain('反映人的链接 · <strong>有效</strong> · 工单结束 90 天后失效');
      expect(page).toContain(`action="${revoke}"`);

      // No reason, a blank one, no tick: refused in words, the link still works.
      for (const form of [{ confirm: 'yes' }, { reason: '   ', confirm: 'yes' }, { reason: '居民来电说误转发了链接' }]) {
        const res = await leader.post(revoke, form);
        expect(res.statusCode).toBe(303);
        const back = (await leader.follow(res.headers.location as string)).body;
        expect(back).toMatch(/请写明作废原因|请勾选确认/);
      }
      expect((await c.app.inject({ method: 'GET', url: link })).statusCode).toBe(200);
      // Staff who cannot see the order get no such order; one who sees it but does not handle it has no form and is refused.
      const otherLeader = await c.as('刘洋');
      expect((await otherLeader.post(revoke, { reason: '误转发', confirm: 'yes' })).statusCode).toBe(404);
      const informant = await c.as('赵敏');
      const seen = (await informant.follow(`/console/orders/${no}`)).body;
      expect(seen).toContain('网页查询链接');
      expect(seen).not.toContain(`action="${revoke}"`);
      const refused = await informant.post(revoke, { reason: '误转发', confirm: 'yes' });
      expect((await informant.follow(refused.headers.location as string)).body).toContain('您不能作废这个工单的查询链接');
      expect((await leader.post(revoke, { reason: '误转发', confirm: 'yes' }, { csrf: false })).statusCode).toBe(403);
      expect((await c.app.inject({ method: 'POST', url: revoke, payload: 'reason=x&confirm=yes', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).statusCode).toBe(401);
      expect((await c.app.inject({ method: 'GET', url: link })).statusCode).toBe(200);

      const done = await leader.post(revoke, { reason: '  居民来电说误转发了链接  ', confirm: 'yes' });
      expect(done.statusCode).toBe(303);
      const after = (await leader.follow(done.headers.location as string)).body;
      expect(after).toContain('已作废 1 个查询链接');
      expect(after).toMatch(/反映人的链接 · <strong>已作废（/);
      expect(after).not.toContain(`action="${revoke}"`);
      const old = await c.app.inject({ method: 'GET', url: link });
      expect(old.statusCode).toBe(410);
      expect(old.body).toContain('这个查询链接已被停用');
      expect((await upload({ t: c.ctx, app: c.app }, link, pngs(1))).statusCode).toBe(410);
      const [entry, ...more] = await c.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'order.tracking_links_revoke'));
      expect(more).toHaveLength(0);
      expect(entry).toMatchObject({ actorStaffId: await c.ctx.staffId('张伟'), targetType: 'order', targetId: String(no), data: { reason: '居民来电说误转发了链接', links: 1 } });
      // A second press revokes nothing and says so.
      const again = await leader.post(revoke, { reason: '再点一次', confirm: 'yes' });
      expect((await leader.follow(again.headers.location as string)).body).toContain('这个工单没有有效的查询链接');

      // An order that did not come through the resident page has no such card.
      const chat = await submitDemand({
        deps: c.ctx.orderDeps,
        input: { sourceMessageId: 'chat-1', channel: 'group', residentId: await c.ctx.residentId('陈阿姨'), gridId: await c.ctx.gridId('D01-T01-C01-G01'), text: '5号楼的垃圾没人收' },
      });
      if (chat.outcome !== 'created') throw new Error('no order');
      expect((await leader.get(`/console/orders/${chat.order.no}`)).body).not.toContain('网页查询链接');
    } finally {
      await c.close();
    }
  });

  it('the console shows each grid a printable poster with the QR code of its token, and the PNG', async () => {
    const { createConsoleTest } = await import('./console-helpers');
    const c = await createConsoleTest();
    try {
      const admin = await c.as('系统管理员');
      const gridId = await c.ctx.gridId('D01-T01-C01-G01');
      const grid = await admin.get(`/console/grids/${gridId}`);
      expect(grid.body).toContain(`/console/grids/${gridId}/poster`);
      const poster = await admin.get(`/console/grids/${gridId}/poster`);
      expect(poster.statusCode).toBe(200);
      expect(poster.body).toContain('<svg');
      expect(poster.body).toContain('柳岸社区第一网格');
      expect(poster.body).toContain(`${await posterPath(c.ctx, 'D01-T01-C01-G01')}`);
      const png = await admin.get(`/console/grids/${gridId}/poster.png`);
      expect(png.headers['content-type']).toBe('image/png');
      expect(png.rawPayload.subarray(0, 8).equals(PNG.subarray(0, 8))).toBe(true);
      const community = await admin.get(`/console/grids/${await c.ctx.gridId('D01-T01-C01')}/poster`);
      expect(community.statusCode).toBe(404);
      const leader = await c.as('张伟');
      expect((await leader.get(`/console/grids/${gridId}/poster`)).statusCode).toBe(403);
      const anonymous = await c.app.inject({ method: 'GET', url: `/console/grids/${gridId}/poster.png` });
      expect(anonymous.statusCode).toBe(302);
      expect(anonymous.headers.location).toMatch(/^\/login/);
    } finally {
      await c.close();
    }
  });
});

