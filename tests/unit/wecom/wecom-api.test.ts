import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, wecomConfigOf } from '../../../src/config/config';
import { WecomApiError, createWecomApi } from '../../../src/modules/wecom/wecom.api';
import { createManualClock } from '../../../src/shared/clock';
import { type FakeWecom, startFakeWecom, wecomTestCredentials } from '../../helpers/fake-wecom';

describe('the WeCom API client against the fake WeCom server', () => {
  let fake: FakeWecom | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function setUp() {
    const clock = createManualClock('2026-12-07T08:30:00+08:00');
    const creds = wecomTestCredentials();
    fake = await startFakeWecom({ ...creds, now: () => clock.now().getTime() });
    const config = wecomConfigOf(
      parseConfig({
        WECOM_CORP_ID: creds.corpId,
        WECOM_AGENT_ID: String(creds.agentId),
        WECOM_SECRET: creds.secret,
        WECOM_TOKEN: creds.token,
        WECOM_ENCODING_AES_KEY: creds.encodingAesKey,
        WECOM_API_BASE: fake.baseUrl,
      }),
    )!;
    return { clock, creds, fake, api: createWecomApi({ config, clock }), config };
  }

  it('asks for a token once and keeps using it while it lives', async () => {
    const { fake, api } = await setUp();
    fake.addMember('zhangwei');
    for (let i = 0; i < 5; i++) await api.sendText('zhangwei', `第${i}条`);
    expect(fake.calls.filter((c) => c.api === 'gettoken')).toHaveLength(1);
    expect(fake.textsTo('zhangwei')).toEqual(['第0条', '第1条', '第2条', '第3条', '第4条']);
  });

  it('renews the token before it runs out, and once more when WeCom says it is stale (40014, 42001)', async () => {
    const { fake, api, clock } = await setUp();
    fake.addMember('zhangwei');
    await api.sendText('zhangwei', '一');
    // WeCom ended the token early (the secret was reset, or it renewed it): the call is refused (42001) and made again.
    fake.expireTokens();
    await api.sendText('zhangwei', '二');
    expect(fake.calls.map((c) => `${c.api}:${c.errcode}`)).toEqual(['gettoken:0', 'message/send:0', 'message/send:42001', 'gettoken:0', 'message/send:0']);
    // Two hours on, the client renews before sending, without a refused call.
    clock.advanceHours(2);
    await api.sendText('zhangwei', '三');
    expect(fake.calls.slice(-2).map((c) => `${c.api}:${c.errcode}`)).toEqual(['gettoken:0', 'message/send:0']);
    expect(fake.textsTo('zhangwei')).toEqual(['一', '二', '三']);
  });

  it('reports a member outside the app as a recipient error, 45009 as a rate error and 60020 as a configuration error', async () => {
    const { fake, api } = await setUp();
    await expect(api.sendText('nobody', '你好')).rejects.toMatchObject({ errcode: 81013, kind: 'recipient' });
    fake.addMember('lina');
    for (let i = 0; i < 30; i++) await api.sendText('lina', `${i}`);
    const over = await api.sendText('lina', '第31条').catch((e: unknown) => e);
    expect(over).toBeInstanceOf(WecomApiError);
    expect(over).toMatchObject({ errcode: 45009, kind: 'rate' });
    fake.state.ipAllowed = false;
    fake.expireTokens();
    await expect(api.sendText('lina', 'x')).rejects.toMatchObject({ errcode: 60020, kind: 'config' });
  });

  it('sends a template card, and a response_code updates it once', async () => {
    const { fake, api } = await setUp();
    fake.addMember('zhangwei');
    const r = await api.sendCard('zhangwei', { card_type: 'button_interaction', task_id: 'gl-o1-n1', main_title: { title: 't' }, button_list: [{ text: '接单', key: 'accept' }] });
    expect(r.responseCode).toBeTruthy();
    await api.updateCardButton('zhangwei', r.responseCode!, '已接单');
    await expect(api.updateCardButton('zhangwei', r.responseCode!, '已接单')).rejects.toMatchObject({ errcode: 40058 });
    expect(fake.updates.map((u) => u.replaceName)).toEqual(['已接单']);
  });

  it('is off unless all five settings are given, and names the missing ones', () => {
    expect(wecomConfigOf(parseConfig({}))).toBeNull();
    expect(() => parseConfig({ WECOM_CORP_ID: 'ww1234' })).toThrow(/WECOM_SECRET/);
  });
});
