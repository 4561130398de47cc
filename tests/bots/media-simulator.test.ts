import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_MAX_FILE_BYTES } from '../../bots/simulator/simulator.media';
import { simulatorPlugin } from '../../bots/simulator/simulator.routes';
import { buildHttpApp } from '../../src/http/app';
import { attachments } from '../../src/modules/work-orders/work-orders.table';
import { type BotHarness, GROUP, startBotHarness } from './helpers';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('pixels')]);
const GIF = Buffer.from('GIF89a-pixels');
const WAV = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WAVEfmt data')]);
const AMR = Buffer.from('#!AMR\nvoice');
const b64 = (b: Buffer) => b.toString('base64');

describe('the simulator sends photos, voice notes and locations', () => {
  let h: BotHarness;
  let app: FastifyInstance;
  const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/simulator/messages', payload, headers });

  beforeAll(async () => {
    h = await startBotHarness();
    app = await buildHttpApp({ ctx: h.t, plugins: [simulatorPlugin(h.world)] });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('delivers them as the mock puppet does: a location answers "where?", a photo and voice note join the order', async () => {
    // A demand without a place: the bot asks where; the location answers it.
    const vague = await post({ from: '老王', room: GROUP, text: '路灯坏了', mentionBot: true });
    expect(vague.statusCode).toBe(200);
    const place = await post({ from: '老王', room: GROUP, type: 'location', location: { name: '柳岸小区8号楼', lat: 30.27, lng: 120.15 } });
    expect(place.statusCode).toBe(200);
    const order = await h.lastOrder();
    expect(order.locationText ?? order.text).toContain('柳岸小区8号楼');

    for (const payload of [
      { type: 'image', file: { name: 'a.gif', type: 'image/gif', base64: b64(GIF) } },
      { type: 'voice', file: { name: 'b.wav', type: 'audio/wav', base64: b64(WAV) } },
      { type: 'voice', file: { name: 'c.amr', type: '', base64: b64(AMR) } },
    ]) {
      const res = await post({ from: '老王', ...payload });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as { replies: { to: string | null; text: string }[] }).replies.filter((r) => r.to === '老王').map((r) => r.text)).toEqual([
        `已将${payload.type === 'image' ? '照片' : '语音'}附到工单 #${order.no}。`,
      ]);
    }
    const rows = await h.t.db.select().from(attachments).where(eq(attachments.orderId, order.id)).orderBy(asc(attachments.id));
    expect(rows.map((r) => [r.kind, r.mime])).toEqual([
      ['image', 'image/gif'],
      ['voice', 'audio/wav'],
      ['voice', 'audio/amr'],
    ]);
  });

  it('refuses what a WeChat user could not send, in Chinese, and stores nothing', async () => {
    const before = (await h.inbound()).length;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ type: 'image', file: { name: 'x.svg', type: 'image/svg+xml', base64: b64(Buffer.from('<svg onload="alert(1)"/>')) } }, 'UNSUPPORTED_TYPE', /只接受 JPG、PNG、WebP 或 GIF/],
      [{ type: 'image', file: { name: 'x.png', type: 'image/png', base64: b64(Buffer.from('<html><script>alert(1)</script>')) } }, 'CONTENT_MISMATCH', /不是有效的照片/],
      [{ type: 'voice', file: { name: 'x.exe', type: 'application/x-msdownload', base64: b64(Buffer.from('MZ')) } }, 'UNSUPPORTED_TYPE', /不支持的语音格式/],
      [{ type: 'voice', file: { name: 'x.mp3', type: 'audio/mpeg', base64: b64(PNG) } }, 'CONTENT_MISMATCH', /不是有效的语音/],
      [{ type: 'image', file: { name: 'x.png', type: 'image/png', base64: '@@not base64@@' } }, 'BAD_FILE', /base64/],
      [{ type: 'image', file: { name: 'x.png', type: 'image/png', base64: '' } }, 'BAD_FILE', /空的/],
      [{ type: 'image' }, 'FILE_REQUIRED', /请选择/],
      [{ type: 'location', location: { lat: 30, lng: 120 } }, 'LOCATION_REQUIRED', /请填写位置/],
      [{ type: 'text' }, 'TEXT_REQUIRED', /请输入/],
    ];
    for (const [payload, error, message] of cases) {
      const res = await post({ from: '陈阿姨', room: GROUP, ...payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json()).toMatchObject({ error, message: expect.stringMatching(message) });
    }
    // Out of range coordinates are refused by the schema, also in Chinese.
    const far = await post({ from: '陈阿姨', type: 'location', location: { name: 'x', lat: 91, lng: 0 } });
    expect(far.statusCode).toBe(400);
    expect(far.json()).toMatchObject({ error: 'INVALID_ARGUMENT', message: expect.stringContaining('location/lat') });
    expect(far.json().message).toContain('纬度 -90 到 90');
    expect((await h.inbound()).length).toBe(before);
  });

  it('bounds the file: one byte over the limit is refused with a clear message, the request body too', async () => {
    const over = Buffer.concat([PNG, Buffer.alloc(SIMULATOR_MAX_FILE_BYTES - PNG.length + 1)]);
    const res = await post({ from: '陈阿姨', type: 'image', file: { name: 'big.png', type: 'image/png', base64: b64(over) } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'FILE_TOO_LARGE', message: expect.stringContaining('10MB') });
    const huge = await app.inject({
      method: 'POST',
      url: '/api/simulator/messages',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ from: '陈阿姨', type: 'image', file: { name: 'x.png', base64: 'A'.repeat(SIMULATOR_MAX_FILE_BYTES * 2) } }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: 'FILE_TOO_LARGE', message: expect.stringContaining('不超过 10MB') });
  });

  it('keeps the access rules: JSON only, same site only', async () => {
    const form = await app.inject({ method: 'POST', url: '/api/simulator/messages', payload: 'from=陈阿姨&type=image', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    const crossSite = await post({ from: '陈阿姨', type: 'location', location: { name: 'x', lat: 1, lng: 1 } }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
  });

  it('the page offers a photo picker, a voice picker and a location form, bounded', async () => {
    const page = await app.inject({ method: 'GET', url: '/simulator' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<input type="file" id="image" name="image" accept="image/jpeg,image/png,image/webp,image/gif">');
    expect(page.body).toMatch(/<input type="file" id="voice" name="voice" accept="audio\/\*,\.silk,[^"]*\.amr,\.mp3,\.wav/);
    expect(page.body).toContain('id="loc-lat"');
    expect(page.body).toContain('文件不超过 10MB');
    const config = JSON.parse(/<script type="application\/json" id="sim-config">([^<]*)<\/script>/.exec(page.body)![1]!) as { maxBytes: number };
    expect(config.maxBytes).toBe(SIMULATOR_MAX_FILE_BYTES);
    const script = await app.inject({ method: 'GET', url: '/simulator/simulator.js' });
    expect(script.body).toContain('readAsDataURL');
    expect(script.body).not.toContain('innerHTML');
  });
});
