import chardet from 'chardet';
import iconv from 'iconv-lite';

/** What a CSV file's bytes were read as. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030';

/**
 * Why bytes were refused rather than turned into mojibake: `unsure` when nothing tells the encoding apart
 * (`guess` is chardet's best name, if any), `undecodable` when the chosen encoding yields replacement
 * characters, `too-large` above the byte limit.
 */
export type CsvDecodeError =
  | { kind: 'unsure'; guess: string | null }
  | { kind: 'undecodable'; encoding: CsvEncoding }
  | { kind: 'too-large'; limit: number };

export type CsvDecodeResult = { ok: true; text: string; encoding: CsvEncoding } | { ok: false; error: CsvDecodeError };

/** Excel on Chinese Windows writes "CSV" in GBK; a file of a few dozen units is far below this. */
export const CSV_MAX_BYTES = 1024 * 1024;

const REPLACEMENT = '\uFFFD';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * Walks the bytes as GBK/GB18030 (one byte below 0x80; lead 0x81–0xFE with a trail 0x40–0xFE except 0x7F; or
 * four bytes lead, 0x30–0x39, lead, 0x30–0x39). Returns the share of two-byte characters that lie in the
 * GB2312 area (lead and trail 0xA1–0xFE), where nearly all everyday Chinese lives, or null when the bytes are
 * not GB18030 at all.
 */
function gbShape(bytes: Uint8Array): { pairs: number; gb2312Share: number } | null {
  let pairs = 0;
  let gb2312 = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b === 0x80 || b === 0xff || i + 1 >= bytes.length) return null;
    const t = bytes[i + 1]!;
    if (t >= 0x30 && t <= 0x39) {
      const b3 = bytes[i + 2];
      const b4 = bytes[i + 3];
      if (b3 === undefined || b4 === undefined || b3 < 0x81 || b3 > 0xfe || b4 < 0x30 || b4 > 0x39) return null;
      i += 4;
      continue;
    }
    if (t < 0x40 || t === 0x7f || t === 0xff) return null;
    pairs++;
    if (b >= 0xa1 && t >= 0xa1) gb2312++;
    i += 2;
  }
  return { pairs, gb2312Share: pairs ? gb2312 / pairs : 0 };
}

/**
 * Turns an uploaded CSV file into text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"),
 * or GBK/GB18030 (Excel's "CSV" on Chinese Windows). Anything else, or bytes whose encoding cannot be told
 * with confidence, is refused with the reason, never guessed into mojibake.
 *
 * GB18030 is taken when chardet names it first, or when the bytes are well-formed GB18030 and at least 80% of
 * their two-byte characters are in the GB2312 area (chardet alone is unreliable on a short file of a few
 * place names, and Big5 or Shift_JIS bytes rarely look like that).
 */
export function decodeCsvBytes(bytes: Uint8Array): CsvDecodeResult {
  if (bytes.length > CSV_MAX_BYTES) return { ok: false, error: { kind: 'too-large', limit: CSV_MAX_BYTES } };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const withoutReplacement = (text: string, encoding: CsvEncoding): CsvDecodeResult =>
    text.includes(REPLACEMENT) || LONE_SURROGATE.test(text) ? { ok: false, error: { kind: 'undecodable', encoding } } : { ok: true, text, encoding };

  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    try {
      return withoutReplacement(strictUtf8.decode(bytes.subarray(3)), 'utf-8-bom');
    } catch {
      return { ok: false, error: { kind: 'undecodable', encoding: 'utf-8-bom' } };
    }
  }
  if (startsWith(bytes, [0xff, 0xfe])) return withoutReplacement(iconv.decode(buffer.subarray(2), 'utf-16le', { stripBOM: false }), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return withoutReplacement(iconv.decode(buffer.subarray(2), 'utf-16be', { stripBOM: false }), 'utf-16be');
  // A NUL byte means UTF-16 without its BOM (or not text at all): valid UTF-8, but never a CSV.
  if (bytes.includes(0)) return { ok: false, error: { kind: 'unsure', guess: chardet.detect(bytes) } };

  try {
    return withoutReplacement(strictUtf8.decode(bytes), 'utf-8');
  } catch {
    // Not UTF-8: try GB18030 below.
  }
  const guesses = chardet.analyse(bytes);
  const top = guesses[0]?.name ?? null;
  const shape = gbShape(bytes);
  const gbFirst = top === 'GB18030';
  if (shape && (gbFirst || shape.gb2312Share >= 0.8)) {
    return withoutReplacement(iconv.decode(buffer, 'gb18030'), 'gb18030');
  }
  return { ok: false, error: { kind: 'unsure', guess: top } };
}
