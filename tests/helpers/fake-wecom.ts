/**
 * A local fake of WeCom's server API and callback sender, implementing the documented protocol and its errors:
 * - GET /cgi-bin/gettoken: 40013 wrong corp id, 40001 wrong secret, 60020 when the caller's IP is "not allowed";
 *   tokens live `tokenTtlS` seconds of the injected clock, and `expireTokens()` invalidates every one at once.
 * - POST /cgi-bin/message/send: 41001 no token, 40014 unknown token, 42001 expired token, 301002 wrong agentid,
 *   81013 when the member is not in the app's range, 45009 past 30 messages a minute to one member (the message
 *   is dropped, as WeCom does); a template_card answers a response_code.
 * - POST /cgi-bin/message/update_template_card: the response_code must be known and unused (72 h, once).
 * - The callback: a member's text or card click is built as WeCom's XML, sealed with the EncodingAESKey (Tencent's
 *   @wecom/crypto), signed and POSTed to the app with msg_signature / timestamp / nonce.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sealEnvelope, signEnvelope } from '../../src/modules/wecom/wecom.callback.models';

export type FakeWecomOptions = {
  corpId: string;
  secret: string;
  agentId: number;
  token: string;
  encodingAesKey: string;
  /** The fake's clock (ms): the test's manual clock, so token expiry and rate windows follow it. */
  now: () => number;
  tokenTtlS?: number;
  memberPerMinute?: number;
};

export type SentMessage = {
  at: number;
  touser: string;
  msgtype: string;
  text?: { content: string };
  template_card?: Record<string, unknown> & { task_id?: string };
  responseCode: string | null;
};

export type CardUpdate = { at: number; userids: string[]; responseCode: string; replaceName: string };

/** A callback request; `inner` is the plain message, so a test can have WeCom retry it (seal it again). */
export type Callback = { query: string; body: string; inner: string };

/** Random test credentials in WeCom's formats. */
export function wecomTestCredentials() {
  return {
    corpId: `ww${randomBytes(8).toString('hex')}`,
    secret: randomBytes(21).toString('base64url'),
    agentId: 1000002,
    token: randomBytes(12).toString('hex'),
    encodingAesKey: randomBytes(32).toString('base64').slice(0, 43),
  };
}

/** The five WECOM_* settings for these credentials, with WeCom's API at `apiBase` (the fake's address). */
export function wecomEnvOf(creds: ReturnType<typeof wecomTestCredentials>, apiBase: string): Record<string, string> {
  return {
    WECOM_CORP_ID: creds.corpId,
    WECOM_AGENT_ID: String(creds.agentId),
    WECOM_SECRET: creds.secret,
    WECOM_TOKEN: creds.token,
    WECOM_ENCODING_AES_KEY: creds.encodingAesKey,
    WECOM_API_BASE: apiBase,
  };
}

export async function startFakeWecom(o: FakeWecomOptions) {
  const ttlMs = (o.tokenTtlS ?? 7200) * 1000;
  const perMinute = o.memberPerMinute ?? 30;
  const tokens = new Map<string, number>();
  const members = new Set<string>();
  const sent: SentMessage[] = [];
  const dropped: SentMessage[] = [];
  const updates: CardUpdate[] = [];
  /** Every call answered, with its errcode (what a test checks the client against). */
  const calls: { api: string; errcode: number }[] = [];
  const responseCodes = new Map<string, { userId: string; used: boolean; at: number }>();
  const state = { ipAllowed: true, failNextSends: 0 };

  function issueResponseCode(userId: string): string {
    const code = randomBytes(24).toString('base64url');
    responseCodes.set(code, { userId, used: false, at: o.now() });
    return code;
  }

  function tokenError(url: URL): { errcode: number; errmsg: string } | null {
    const t = url.searchParams.get('access_token');
    if (!t) return { errcode: 41001, errmsg: 'access_token missing' };
    const exp = tokens.get(t);
    if (exp === undefined) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (exp <= o.now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return null;
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return null;
    }
  }

  function answer(res: ServerResponse, api: string, body: Record<string, unknown>) {
    const errcode = Number(body.errcode ?? 0);
    calls.push({ api, errcode });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errcode, errmsg: 'ok', ...body }));
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (req.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
        if (!state.ipAllowed) return answer(res, 'gettoken', { errcode: 60020, errmsg: 'not allow to access from your ip' });
        if (url.searchParams.get('corpid') !== o.corpId) return answer(res, 'gettoken', { errcode: 40013, errmsg: 'invalid corpid' });
        if (url.searchParams.get('corpsecret') !== o.secret) return answer(res, 'gettoken', { errcode: 40001, errmsg: 'invalid credential' });
        const t = randomBytes(32).toString('base64url');
        tokens.set(t, o.now() + ttlMs);
        return answer(res, 'gettoken', { access_token: t, expires_in: ttlMs / 1000 });
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/send') {
        const body = (await readBody(req)) as Record<string, unknown> | null;
        if (!state.ipAllowed) return answer(res, 'message/send', { errcode: 60020, errmsg: 'not allow to access from your ip' });
        const te = tokenError(url);
        if (te) return answer(res, 'message/send', te);
        if (!body || body.agentid !== o.agentId) return answer(res, 'message/send', { errcode: 301002, errmsg: 'not allow to operate another agent with this accesstoken' });
        const touser = String(body.touser ?? '');
        if (!members.has(touser)) return answer(res, 'message/send', { errcode: 81013, errmsg: 'user & party & tag all invalid', invaliduser: touser });
        if (state.failNextSends > 0) {
          state.failNextSends -= 1;
          return answer(res, 'message/send', { errcode: -1, errmsg: 'system busy' });
        }
        const msg: SentMessage = {
          at: o.now(),
          touser,
          msgtype: String(body.msgtype),
          text: body.text as SentMessage['text'],
          template_card: body.template_card as SentMessage['template_card'],
          responseCode: null,
        };
        const recent = sent.filter((m) => m.touser === touser && m.at > o.now() - 60_000).length;
        if (recent >= perMinute) {
          dropped.push(msg);
          return answer(res, 'message/send', { errcode: 45009, errmsg: 'reach max api daily quota limit / freq limit' });
        }
        if (msg.msgtype === 'template_card') msg.responseCode = issueResponseCode(touser);
        sent.push(msg);
        return answer(res, 'message/send', { msgid: `m${sent.length}`, ...(msg.responseCode ? { response_code: msg.responseCode } : {}) });
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/update_template_card') {
        const body = (await readBody(req)) as Record<string, unknown> | null;
        const te = tokenError(url);
        if (te) return answer(res, 'message/update_template_card', te);
        if (!body || body.agentid !== o.agentId) return answer(res, 'message/update_template_card', { errcode: 301002, errmsg: 'agent mismatch' });
        const code = String(body.response_code ?? '');
        const known = responseCodes.get(code);
        if (!known || known.used || known.at < o.now() - 72 * 3_600_000) {
          return answer(res, 'message/update_template_card', { errcode: 40058, errmsg: 'invalid response_code' });
        }
        known.used = true;
        const button = body.button as { replace_name?: string } | undefined;
        updates.push({ at: o.now(), userids: (body.userids as string[]) ?? [], responseCode: code, replaceName: String(button?.replace_name ?? '') });
        return answer(res, 'message/update_template_card', {});
      }
      res.writeHead(404).end();
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** A WeCom callback request (query string and XML body) carrying `inner`, sealed and signed as WeCom does. */
  function seal(inner: string, { timestampS = Math.floor(o.now() / 1000), nonce = randomBytes(6).toString('hex') } = {}): Callback {
    const encrypted = sealEnvelope({ encodingAesKey: o.encodingAesKey, corpId: o.corpId, message: inner });
    const timestamp = String(timestampS);
    const signature = signEnvelope({ token: o.token, timestamp, nonce, encrypted });
    const query = new URLSearchParams({ msg_signature: signature, timestamp, nonce }).toString();
    const body = `<xml><ToUserName><![CDATA[${o.corpId}]]></ToUserName><AgentID><![CDATA[${o.agentId}]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
    return { query, body, inner };
  }

  // MsgIds are 64-bit: kept as strings, as WeCom's XML carries them.
  let msgSeq = 7_000_000_000_000_000_000n;
  const createTime = () => Math.floor(o.now() / 1000);
  const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sent,
    dropped,
    updates,
    calls,
    state,
    addMember(userId: string) {
      members.add(userId);
    },
    removeMember(userId: string) {
      members.delete(userId);
    },
    /** Every token stops working (WeCom renewed it, or it was reset in the admin console). */
    expireTokens() {
      for (const k of tokens.keys()) tokens.set(k, 0);
    },
    /** The cards sent to a member, newest last. */
    cardsTo(userId: string) {
      return sent.filter((m) => m.touser === userId && m.msgtype === 'template_card');
    },
    textsTo(userId: string) {
      return sent.filter((m) => m.touser === userId && m.msgtype === 'text').map((m) => m.text?.content ?? '');
    },
    seal,
    /** URL verification (GET): the echostr WeCom sends when the callback URL is saved. */
    verification(echo = randomBytes(8).toString('hex')) {
      const encrypted = sealEnvelope({ encodingAesKey: o.encodingAesKey, corpId: o.corpId, message: echo });
      const timestamp = String(createTime());
      const nonce = randomBytes(6).toString('hex');
      const signature = signEnvelope({ token: o.token, timestamp, nonce, encrypted });
      return { echo, query: new URLSearchParams({ msg_signature: signature, timestamp, nonce, echostr: encrypted }).toString() };
    },
    /** A member typed `content` to the app. */
    text(userId: string, content: string): Callback {
      msgSeq += 1n;
      return seal(
        `<xml><ToUserName>${cdata(o.corpId)}</ToUserName><FromUserName>${cdata(userId)}</FromUserName><CreateTime>${createTime()}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content><MsgId>${msgSeq}</MsgId><AgentID>${o.agentId}</AgentID></xml>`,
      );
    },
    /** A member clicked a button of a card: WeCom's template_card_event with a fresh response_code. */
    click(userId: string, card: SentMessage, key: string): Callback {
      const code = issueResponseCode(userId);
      return seal(
        `<xml><ToUserName>${cdata(o.corpId)}</ToUserName><FromUserName>${cdata(userId)}</FromUserName><CreateTime>${createTime()}</CreateTime><MsgType>${cdata('event')}</MsgType><Event>${cdata('template_card_event')}</Event><EventKey>${cdata(key)}</EventKey><TaskId>${cdata(String(card.template_card?.task_id ?? ''))}</TaskId><CardType>${cdata('button_interaction')}</CardType><ResponseCode>${cdata(code)}</ResponseCode><AgentID>${o.agentId}</AgentID><SelectedItems></SelectedItems></xml>`,
      );
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeWecom = Awaited<ReturnType<typeof startFakeWecom>>;
