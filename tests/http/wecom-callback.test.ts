import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildHttpApp } from '../../src/http/app';
import { inboundMessages } from '../../src/modules/chat/chat.table';
import { outbox } from '../../src/modules/notifications/outbox.table';
import { staff } from '../../src/modules/people/staff.table';
import { WECOM_CALLBACK_PATH, wecomRoutes } from '../../src/modules/wecom/wecom.routes';
import { WECOM_ACCOUNT } from '../../src/modules/wecom/wecom.usecases';
import { type WecomKit, bindToWecom, createWecomKit, makeWecomSender, postCallback, until, wecomInboundSettled } from '../bots/wecom.helpers';

describe('the WeCom callback URL', { timeout: 180_000 }, () => {
  let kit: WecomKit | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await kit?.close();
    app = undefined;
    kit = undefined;
  });

  async function setUp() {
    kit = await createWecomKit();
    app = await buildHttpApp({ ctx: kit.t, plugins: [wecomRoutes({ api: kit.api })] });
    return { kit, app };
  }

  const post = postCallback;
  const processed = (k: WecomKit) => wecomInboundSettled(k.t);

  it('answers the URL verification with the decrypted echostr, and refuses a wrong signature or a stale timestamp', async () => {
    const { kit, app } = await setUp();
    const v = kit.fake.verification();
    const ok = await app.inject({ method: 'GET', url: `${WECOM_CALLBACK_PATH}?${v.query}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe(v.echo);
    const forged = v.query.replace(/msg_signature=[0-9a-f]{4}/, 'msg_signature=0000');
    expect((await app.inject({ method: 'GET', url: `${WECOM_CALLBACK_PATH}?${forged}` })).statusCode).toBe(403);
    kit.t.clock.advance(6 * 60_000);
    expect((await app.inject({ method: 'GET', url: `${WECOM_CALLBACK_PATH}?${v.query}` })).statusCode).toBe(403);
  });

  it('stores a member’s text, answers at once with an empty body, then runs it as a staff command answered through the app', async () => {
    const { kit, app } = await setUp();
    await bindToWecom(kit, '张伟', 'zhangwei');
    const res = await post(app, kit.fake.text('zhangwei', '待办'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    await until(processed(kit));
    const [row] = await kit.t.db.select().from(inboundMessages).where(eq(inboundMessages.botAccount, WECOM_ACCOUNT));
    expect(row).toMatchObject({ outcome: 'command', text: '待办', channel: 'wecom' });
    await makeWecomSender(kit).drain();
    expect(kit.fake.textsTo('zhangwei')).toHaveLength(1);
    expect(kit.fake.textsTo('zhangwei')[0]).toMatch(/待办|暂无|没有/);
  });

  it('refuses a replayed callback (same nonce), stores a WeCom retry of the same message once, and refuses tampering', async () => {
    const { kit, app } = await setUp();
    await bindToWecom(kit, '张伟', 'zhangwei');
    const cb = kit.fake.text('zhangwei', '收到');
    expect((await post(app, cb)).statusCode).toBe(200);
    expect((await post(app, cb)).statusCode).toBe(403);
    // WeCom's own retries: the same message, a new nonce and signature each time.
    expect((await post(app, kit.fake.seal(cb.inner))).statusCode).toBe(200);
    expect((await post(app, kit.fake.seal(cb.inner))).statusCode).toBe(200);
    await until(processed(kit));
    const rows = await kit.t.db.select().from(inboundMessages).where(eq(inboundMessages.botAccount, WECOM_ACCOUNT));
    expect(rows.map((r) => r.messageId)).toEqual(['wecom:msg:7000000000000000001']);
    // A body whose Encrypt was altered no longer matches its signature.
    const fresh = kit.fake.text('zhangwei', '待办');
    const tampered = fresh.body.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`);
    expect((await post(app, fresh, tampered)).statusCode).toBe(403);
    // XML with a DOCTYPE (entity expansion), a huge body, a missing signature: refused before anything is read.
    const doctype = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>`;
    expect((await post(app, kit.fake.text('zhangwei', 'x'), doctype)).statusCode).toBe(403);
    expect((await post(app, kit.fake.text('zhangwei', 'x'), `<xml>${'a'.repeat(70_000)}</xml>`)).statusCode).toBe(413);
    expect((await app.inject({ method: 'POST', url: WECOM_CALLBACK_PATH, headers: { 'content-type': 'text/xml' }, payload: fresh.body })).statusCode).toBe(400);
  });

  it('binds an unbound WeCom member with the console’s bind code, and tells an unbound stranger how', async () => {
    const { kit, app } = await setUp();
    kit.fake.addMember('newcomer');
    kit.fake.addMember('stranger');
    const id = await kit.t.staffId('李娜');
    await kit.t.db.update(staff).set({ bindCode: '483920', bindCodeExpiresAt: new Date(kit.t.clock.now().getTime() + 3_600_000) }).where(eq(staff.id, id));
    expect((await post(app, kit.fake.text('stranger', '你好'))).statusCode).toBe(200);
    expect((await post(app, kit.fake.text('newcomer', '绑定 483920'))).statusCode).toBe(200);
    await until(processed(kit));
    await until(async () => kit!.fake.textsTo('newcomer').length > 0 && kit!.fake.textsTo('stranger').length > 0);
    expect(kit.fake.textsTo('stranger')[0]).toMatch(/尚未绑定/);
    expect(kit.fake.textsTo('newcomer')[0]).toMatch(/绑定成功：李娜/);
    const [bound] = await kit.t.db.select().from(staff).where(eq(staff.id, id));
    expect(bound).toMatchObject({ wecomUserId: 'newcomer', preferredChannel: 'wecom', bindCode: null });
    expect(await kit.t.db.select().from(outbox)).toHaveLength(0);
  });
});
