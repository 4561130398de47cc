/** The WeCom test kit: a fake WeCom server on the test's clock, a context configured for it, members bound. */
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type WecomConfig, wecomConfigOf } from '../../src/config/config';
import { inboundMessages } from '../../src/modules/chat/chat.table';
import { staff } from '../../src/modules/people/staff.table';
import { WECOM_CALLBACK_PATH } from '../../src/modules/wecom/wecom.routes';
import { WECOM_ACCOUNT } from '../../src/modules/wecom/wecom.usecases';
import { type WecomApi, createWecomApi } from '../../src/modules/wecom/wecom.api';
import { type TestContext, createTestContext } from '../helpers/context';
import { type Callback, type FakeWecom, startFakeWecom, wecomEnvOf, wecomTestCredentials } from '../helpers/fake-wecom';
import { makeSender } from './sender.helpers';

export type WecomKit = { t: TestContext; fake: FakeWecom; wecom: WecomConfig; api: WecomApi; close(): Promise<void> };

export async function createWecomKit({ now }: { now?: string } = {}): Promise<WecomKit> {
  const creds = wecomTestCredentials();
  let clockNow = () => Date.now();
  const fake = await startFakeWecom({ ...creds, now: () => clockNow() });
  const t = await createTestContext({
    now,
    env: wecomEnvOf(creds, fake.baseUrl),
  });
  clockNow = () => t.clock.now().getTime();
  const wecom = wecomConfigOf(t.config)!;
  return {
    t,
    fake,
    wecom,
    api: createWecomApi({ config: wecom, clock: t.clock }),
    async close() {
      await t.close();
      await fake.close();
    },
  };
}

/** Binds a member to a WeCom userid (as `绑定 <code>` in the app does) and adds them to the app's range. */
export async function bindToWecom(kit: WecomKit, name: string, userId: string): Promise<number> {
  const id = await kit.t.staffId(name);
  await kit.t.db.update(staff).set({ wecomUserId: userId, preferredChannel: 'wecom' }).where(eq(staff.id, id));
  kit.fake.addMember(userId);
  return id;
}

/** The WeCom app's sender on the kit's manual clock (sleeps move the clock). */
export function makeWecomSender(kit: WecomKit, overrides: Parameters<typeof makeSender>[1] extends infer O ? Partial<O> : never = {}) {
  return makeSender(
    { db: kit.t.db, clock: kit.t.clock },
    {
      transport: {
        sendToContact: () => Promise.reject(new Error('not WeChat')),
        sendToRoom: () => Promise.reject(new Error('not WeChat')),
      },
      channel: 'wecom',
      wecom: { api: kit.api, memberPerMinute: kit.wecom.memberPerMinute },
      pacing: { burst: kit.wecom.appBurst, minGapMs: kit.wecom.appGapMs, maxGapMs: kit.wecom.appGapMs },
      ...overrides,
    },
  );
}

/** Waits (real time) until `probe` holds: the callback is answered first and processed after. */
export async function until(probe: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A callback as WeCom posts it to the app's URL (`body` replaces the sealed one: a tampered or hostile body). */
export function postCallback(app: FastifyInstance, cb: Callback, body = cb.body) {
  return app.inject({ method: 'POST', url: `${WECOM_CALLBACK_PATH}?${cb.query}`, headers: { 'content-type': 'text/xml' }, payload: body });
}

/** A probe for `until`: the app's messages have arrived and each has been processed (its outcome written). */
export function wecomInboundSettled(t: TestContext): () => Promise<boolean> {
  return async () => {
    const rows = await t.db.select().from(inboundMessages).where(eq(inboundMessages.botAccount, WECOM_ACCOUNT));
    return rows.length > 0 && rows.every((r) => r.outcome !== null);
  };
}
