/**
 * The WeCom app's callback URL (接收消息服务器配置): GET verifies the URL (decrypts echostr), POST receives a
 * member's message or card click. Anyone on the internet can call it, so nothing is believed until the signature
 * over (Token, timestamp, nonce, Encrypt) checks out, the timestamp is within 5 minutes, the nonce is new, and the
 * envelope opens with the EncodingAESKey for this corp. The message is stored before the answer ('' at once: WeCom
 * waits 5 s, then retries) and processed after it. Not registered when WeCom is off.
 */
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { wecomConfigOf } from '../../config/config';
import type { HttpPlugin } from '../../http/app';
import { type WecomApi, createWecomApi } from './wecom.api';
import {
  MAX_CALLBACK_BYTES,
  REPLAY_WINDOW_MS,
  openEnvelope,
  parseWecomXml,
  readWecomMessage,
  signatureOk,
  timestampFresh,
} from './wecom.callback.models';
import { processWecomInbound, storeWecomInbound, sweepWecomInbound } from './wecom.usecases';

export const WECOM_CALLBACK_PATH = '/wecom/callback';
const SWEEP_EVERY_MS = 5_000;
/** Nonces seen within the replay window; past this many the oldest are forgotten (the stored message id still dedupes). */
const MAX_NONCES = 20_000;

const signed = {
  msg_signature: z.string().max(64),
  timestamp: z.string().max(16),
  nonce: z.string().min(1).max(64),
};

/** The nonces of accepted callbacks, each kept for the replay window. */
function createNonceBook() {
  const seen = new Map<string, number>();
  return {
    /** True the first time a nonce is offered within the window. */
    fresh(nonce: string, now: number): boolean {
      for (const [k, at] of seen) {
        if (at > now - REPLAY_WINDOW_MS && seen.size <= MAX_NONCES) break;
        seen.delete(k);
      }
      if (seen.has(nonce)) return false;
      seen.set(nonce, now);
      return true;
    },
  };
}

/** Registered by the console when the five WECOM_* settings are given; `api` is injectable for tests. */
export function wecomRoutes({ api: givenApi }: { api?: WecomApi } = {}): HttpPlugin {
  return async (appBase, { ctx }) => {
    const wecom = wecomConfigOf(ctx.config);
    if (!wecom) return;
    const api = givenApi ?? createWecomApi({ config: wecom, clock: ctx.clock });
    const nonces = createNonceBook();
    const forbidden = (reply: { status(n: number): { type(t: string): { send(b: string): unknown } } }) => reply.status(403).type('text/plain').send('forbidden');

    // WeCom posts its XML as text/xml (some proxies say application/xml); read as a bounded string, parsed later.
    appBase.addContentTypeParser(['text/xml', 'application/xml'], { parseAs: 'string', bodyLimit: MAX_CALLBACK_BYTES }, (_req, body, done) => done(null, body));

    let processing = Promise.resolve();
    const process = (inboundId: number) => {
      // One at a time, in arrival order (claimInbound keeps each member's order across processes too).
      processing = processing
        .then(() => processWecomInbound({ ctx, api, inboundId }))
        .catch((error: unknown) => ctx.log.error({ err: error }, 'WeCom message processing failed; the sweep tries again'));
    };

    let sweeping = false;
    const sweeper = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      void processing
        .then(() => sweepWecomInbound({ ctx, api }))
        .catch((error: unknown) => ctx.log.error({ err: error }, 'WeCom sweep failed'))
        .finally(() => {
          sweeping = false;
        });
    }, SWEEP_EVERY_MS);
    sweeper.unref();
    appBase.addHook('onClose', async () => {
      clearInterval(sweeper);
      await processing;
    });

    appBase.withTypeProvider<ZodTypeProvider>().get(
      WECOM_CALLBACK_PATH,
      { schema: { querystring: z.object({ ...signed, echostr: z.string().min(1).max(4096) }) } },
      async (request, reply) => {
        const { msg_signature, timestamp, nonce, echostr } = request.query;
        const now = ctx.clock.now();
        if (!timestampFresh(timestamp, now)) return forbidden(reply);
        if (!signatureOk({ token: wecom.token, timestamp, nonce, encrypted: echostr, signature: msg_signature })) return forbidden(reply);
        const plain = openEnvelope({ encodingAesKey: wecom.encodingAesKey, corpId: wecom.corpId, encrypted: echostr });
        if (plain === null) return forbidden(reply);
        // WeCom expects the decrypted echostr as is, without quotes or a newline.
        return reply.type('text/plain').send(plain);
      },
    );

    appBase.withTypeProvider<ZodTypeProvider>().post(
      WECOM_CALLBACK_PATH,
      { bodyLimit: MAX_CALLBACK_BYTES, schema: { querystring: z.object(signed), body: z.string().max(MAX_CALLBACK_BYTES) } },
      async (request, reply) => {
        const { msg_signature, timestamp, nonce } = request.query;
        const now = ctx.clock.now();
        const outer = parseWecomXml(request.body);
        const encrypted = outer?.Encrypt ?? '';
        if (!encrypted || !timestampFresh(timestamp, now)) return forbidden(reply);
        if (!signatureOk({ token: wecom.token, timestamp, nonce, encrypted, signature: msg_signature })) return forbidden(reply);
        if (!nonces.fresh(`${timestamp}:${nonce}`, now.getTime())) return forbidden(reply);
        const plain = openEnvelope({ encodingAesKey: wecom.encodingAesKey, corpId: wecom.corpId, encrypted });
        const inner = plain === null ? null : parseWecomXml(plain);
        const message = inner ? readWecomMessage(inner, { agentId: wecom.agentId }) : null;
        if (!message) {
          request.log.warn('WeCom callback: a signed message that could not be read');
          return reply.type('text/plain').send('');
        }
        const stored = await storeWecomInbound({ ctx, message });
        if (stored && !stored.processed) process(stored.inboundId);
        // '' tells WeCom the message arrived and no passive reply follows; replies go out through the API.
        return reply.type('text/plain').send('');
      },
    );
  };
}
