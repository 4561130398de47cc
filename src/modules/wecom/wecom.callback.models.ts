/**
 * The WeCom callback protocol (接收消息与事件), as pure functions: the signature over (token, timestamp, nonce,
 * Encrypt), the AES-256-CBC envelope (Tencent's @wecom/crypto), the replay window, and the XML of the
 * message. Nothing here trusts its input: every field is bounded and checked, and a bad one gives null.
 */
import { timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { XMLParser } from 'fast-xml-parser';

/** A callback older or newer than this (by its timestamp) is refused: a replayed one is stale. */
export const REPLAY_WINDOW_MS = 5 * 60_000;
/** The largest callback body WeCom sends is a few KB; anything past this is refused before it is read. */
export const MAX_CALLBACK_BYTES = 64 * 1024;
/** A staff command typed to the app; WeCom itself caps text messages at 2048 bytes. */
export const MAX_WECOM_TEXT = 2048;

export function signatureOk({ token, timestamp, nonce, encrypted, signature }: { token: string; timestamp: string; nonce: string; encrypted: string; signature: string }): boolean {
  if (!/^[0-9a-f]{40}$/i.test(signature)) return false;
  const expected = Buffer.from(getSignature(token, timestamp, nonce, encrypted), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature.toLowerCase(), 'hex'));
}

/** Whether a callback's timestamp (seconds) is within the replay window of now. */
export function timestampFresh(timestamp: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) * 1000 - now.getTime()) <= REPLAY_WINDOW_MS;
}

/** The plain text of an Encrypt field, or null when it does not open with this key or was not sealed for this corp. */
export function openEnvelope({ encodingAesKey, corpId, encrypted }: { encodingAesKey: string; corpId: string; encrypted: string }): string | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0 || encrypted.length > MAX_CALLBACK_BYTES) return null;
  try {
    const { message, id } = decrypt(encodingAesKey, encrypted);
    return id === corpId ? message : null;
  } catch {
    return null;
  }
}

/** Seals a message as WeCom does (the fake WeCom server in the tests, and passive replies). */
export function sealEnvelope({ encodingAesKey, corpId, message }: { encodingAesKey: string; corpId: string; message: string }): string {
  return encrypt(encodingAesKey, message, corpId);
}

export function signEnvelope({ token, timestamp, nonce, encrypted }: { token: string; timestamp: string; nonce: string; encrypted: string }): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

const parser = new XMLParser({
  ignoreAttributes: true,
  // No entity expansion at all (no "billion laughs"); WeCom's XML carries its text in CDATA.
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
});

/** The flat <xml> element of a WeCom body as strings, or null when it is not that. A DOCTYPE is refused outright. */
export function parseWecomXml(xml: string): Record<string, string> | null {
  if (xml.length > MAX_CALLBACK_BYTES || /<!DOCTYPE|<!ENTITY/i.test(xml)) return null;
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch {
    return null;
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  return out;
}

/** A callback message from a member, as the product reads it. */
export type WecomInbound =
  | { kind: 'text'; userId: string; content: string; msgId: string; createTime: number }
  | { kind: 'card_click'; userId: string; eventKey: string; taskId: string; responseCode: string; createTime: number }
  /** Anything else (a picture, entering the app, …): acknowledged and ignored. */
  | { kind: 'other'; userId: string; what: string; createTime: number };

const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;
const TOKENISH = /^[A-Za-z0-9_@.=+/-]{1,256}$/;

/** Reads a decrypted callback message; null when it is malformed or not for this app. */
export function readWecomMessage(fields: Record<string, string>, { agentId }: { agentId: number }): WecomInbound | null {
  const userId = fields.FromUserName ?? '';
  const createTime = Number(fields.CreateTime ?? '');
  if (!USER_ID.test(userId) || !Number.isSafeInteger(createTime)) return null;
  if (fields.AgentID !== undefined && fields.AgentID !== '' && Number(fields.AgentID) !== agentId) return null;
  const type = fields.MsgType ?? '';
  if (type === 'text') {
    const msgId = fields.MsgId ?? '';
    if (!/^\d{1,30}$/.test(msgId)) return null;
    return { kind: 'text', userId, content: (fields.Content ?? '').slice(0, MAX_WECOM_TEXT), msgId, createTime };
  }
  if (type === 'event' && fields.Event === 'template_card_event') {
    const eventKey = fields.EventKey ?? '';
    const taskId = fields.TaskId ?? '';
    const responseCode = fields.ResponseCode ?? '';
    if (!/^[a-z_]{1,32}$/.test(eventKey) || !/^[A-Za-z0-9_@-]{1,128}$/.test(taskId) || !TOKENISH.test(responseCode)) return null;
    return { kind: 'card_click', userId, eventKey, taskId, responseCode, createTime };
  }
  return { kind: 'other', userId, what: `${type}${fields.Event ? `:${fields.Event}` : ''}`.slice(0, 64), createTime };
}
