import { mediaTexts } from '../../src/i18n/zh-CN.media';
import { attachmentMime, extensionOf, sniffMediaType } from '../../src/modules/work-orders/rules/attachments.models';

/**
 * What the simulator accepts as a photo or voice note: bounded, of the types a WeChat user sends, and whose bytes
 * are what the name says (a page is not the place to smuggle an HTML file in as "photo.png"). Pure: no I/O.
 */

/** The simulator's own bound on one file, whatever ATTACHMENT_MAX_BYTES is (the bot's refusal can be tried too). */
export const SIMULATOR_MAX_FILE_BYTES = 10 * 1024 * 1024;
/** base64 is 4 characters per 3 bytes. */
export const SIMULATOR_MAX_BASE64_CHARS = Math.ceil(SIMULATOR_MAX_FILE_BYTES / 3) * 4;

export const SIMULATOR_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export const SIMULATOR_VOICE_EXTENSIONS = ['silk', 'slk', 'amr', 'mp3', 'wav', 'm4a', 'aac', 'ogg', 'oga', 'opus', 'webm'] as const;

const t = mediaTexts.simulator.errors;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export type MediaCheck = { ok: true; name: string; base64: string; mime: string } | { ok: false; error: string; message: string };

/**
 * A photo or voice note from the page or the API: its name, the type the browser declared (may be empty) and the
 * base64 content. The type is taken from the bytes when they name one, else from the extension (silk and amr
 * have no type a browser knows).
 */
export function checkSimulatorMedia(kind: 'image' | 'voice', file: { name: string; type?: string | null; base64: string }): MediaCheck {
  const fail = (error: string, message: string): MediaCheck => ({ ok: false, error, message });
  const base64 = file.base64.replace(/\s+/g, '');
  if (base64.length > SIMULATOR_MAX_BASE64_CHARS) return fail('FILE_TOO_LARGE', t.tooLarge(SIMULATOR_MAX_FILE_BYTES / 1024 / 1024));
  if (!BASE64.test(base64) || base64.length % 4 === 1) return fail('BAD_FILE', t.badBase64);
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return fail('BAD_FILE', t.empty);
  if (bytes.length > SIMULATOR_MAX_FILE_BYTES) return fail('FILE_TOO_LARGE', t.tooLarge(SIMULATOR_MAX_FILE_BYTES / 1024 / 1024));
  const head = bytes.subarray(0, 16);
  const sniffed = sniffMediaType(head);
  const named = attachmentMime({ name: file.name, declared: file.type ?? null });

  if (kind === 'image') {
    const allowed = SIMULATOR_IMAGE_TYPES as readonly string[];
    if (!named || !allowed.includes(named)) return fail('UNSUPPORTED_TYPE', t.imageType);
    if (!sniffed || !allowed.includes(sniffed)) return fail('CONTENT_MISMATCH', t.contentMismatch(mediaTexts.simulator.kindImage));
    return { ok: true, name: file.name, base64, mime: sniffed };
  }
  const ext = extensionOf(file.name);
  const audioByName = (SIMULATOR_VOICE_EXTENSIONS as readonly string[]).includes(ext) || Boolean(named?.startsWith('audio/'));
  if (!audioByName) return fail('UNSUPPORTED_TYPE', t.voiceType);
  if (!sniffed?.startsWith('audio/')) return fail('CONTENT_MISMATCH', t.contentMismatch(mediaTexts.simulator.kindVoice));
  return { ok: true, name: file.name, base64, mime: sniffed };
}
