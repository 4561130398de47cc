import type { WecomConfig } from '../../config/config';
import type { Clock } from '../../shared/clock';
import { type WecomErrorKind, wecomErrorKind } from './wecom.errors';

/** What WeCom answers on every call: errcode 0 is success. */
type WecomAnswer = { errcode?: number; errmsg?: string; [k: string]: unknown };

/** A call WeCom refused (its errcode), or one that did not reach it (errcode -2: network, -3: not JSON). */
export class WecomApiError extends Error {
  readonly kind: WecomErrorKind;
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    readonly api: string,
  ) {
    super(`WeCom ${api}: errcode ${errcode} ${errmsg}`);
    this.name = 'WecomApiError';
    this.kind = wecomErrorKind(errcode);
  }
}

export type WecomCard = Record<string, unknown>;

export type WecomSendResult = { msgid: string | null; responseCode: string | null };

/** The calls the product makes to WeCom. */
export type WecomApi = {
  sendText(userId: string, content: string): Promise<WecomSendResult>;
  sendCard(userId: string, card: WecomCard): Promise<WecomSendResult>;
  /** Turns a clicked card's buttons into one greyed-out button showing `replaceName` (a response_code works once). */
  updateCardButton(userId: string, responseCode: string, replaceName: string): Promise<void>;
};

export type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

/** WeCom's token lives 7200 s; it is renewed this long before it runs out (and at once when WeCom says it is stale). */
const TOKEN_MARGIN_MS = 5 * 60_000;
const CALL_TIMEOUT_MS = 10_000;
/** The longest answer read from WeCom: its answers are a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * The WeCom server API (gettoken, message/send, message/update_template_card) with the access_token cached and
 * renewed: before it expires, and once more when a call answers 40014 (invalid) or 42001 (expired). One
 * gettoken at a time: concurrent calls wait for the same renewal.
 */
export function createWecomApi({ config, clock, fetch: doFetch = globalThis.fetch as unknown as Fetch }: { config: WecomConfig; clock: Clock; fetch?: Fetch }): WecomApi {
  let token: { value: string; expiresAt: number } | null = null;
  let renewing: Promise<string> | null = null;

  async function call(api: string, url: string, body?: unknown): Promise<WecomAnswer> {
    let res;
    try {
      res = await doFetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new WecomApiError(-2, error instanceof Error ? error.message : String(error), api);
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES) throw new WecomApiError(-3, `answer too long (${text.length} bytes)`, api);
    let answer: WecomAnswer;
    try {
      answer = JSON.parse(text) as WecomAnswer;
    } catch {
      throw new WecomApiError(-3, `HTTP ${res.status}, not JSON`, api);
    }
    if (typeof answer !== 'object' || answer === null) throw new WecomApiError(-3, 'not an object', api);
    const errcode = Number(answer.errcode ?? 0);
    if (errcode !== 0) throw new WecomApiError(errcode, String(answer.errmsg ?? ''), api);
    return answer;
  }

  async function accessToken(): Promise<string> {
    if (token && token.expiresAt - TOKEN_MARGIN_MS > clock.now().getTime()) return token.value;
    renewing ??= (async () => {
      try {
        const q = new URLSearchParams({ corpid: config.corpId, corpsecret: config.secret });
        const answer = await call('gettoken', `${config.apiBase}/cgi-bin/gettoken?${q}`);
        const value = String(answer.access_token ?? '');
        if (!value) throw new WecomApiError(-3, 'no access_token in the answer', 'gettoken');
        const expiresIn = Number(answer.expires_in ?? 7200);
        token = { value, expiresAt: clock.now().getTime() + (Number.isFinite(expiresIn) ? expiresIn : 7200) * 1000 };
        return value;
      } finally {
        renewing = null;
      }
    })();
    return renewing;
  }

  /** A call with the token; a stale token is dropped and the call made once more with a fresh one. */
  async function withToken(api: string, path: string, body: unknown): Promise<WecomAnswer> {
    for (let round = 0; ; round++) {
      const current = await accessToken();
      try {
        return await call(api, `${config.apiBase}${path}?access_token=${encodeURIComponent(current)}`, body);
      } catch (error) {
        if (round === 0 && error instanceof WecomApiError && error.kind === 'token') {
          if (token?.value === current) token = null;
          continue;
        }
        throw error;
      }
    }
  }

  /** message/send answers errcode 0 with `invaliduser` when the member is not in the app's range. */
  function delivered(api: string, answer: WecomAnswer): WecomSendResult {
    const invalid = String(answer.invaliduser ?? '').trim();
    if (invalid) throw new WecomApiError(81013, `invaliduser ${invalid}`, api);
    return { msgid: typeof answer.msgid === 'string' ? answer.msgid : null, responseCode: typeof answer.response_code === 'string' ? answer.response_code : null };
  }

  return {
    async sendText(userId, content) {
      const answer = await withToken('message/send', '/cgi-bin/message/send', {
        touser: userId,
        msgtype: 'text',
        agentid: config.agentId,
        text: { content },
      });
      return delivered('message/send', answer);
    },
    async sendCard(userId, card) {
      const answer = await withToken('message/send', '/cgi-bin/message/send', {
        touser: userId,
        msgtype: 'template_card',
        agentid: config.agentId,
        template_card: card,
      });
      return delivered('message/send', answer);
    },
    async updateCardButton(userId, responseCode, replaceName) {
      await withToken('message/update_template_card', '/cgi-bin/message/update_template_card', {
        userids: [userId],
        agentid: config.agentId,
        response_code: responseCode,
        button: { replace_name: replaceName },
      });
    },
  };
}
