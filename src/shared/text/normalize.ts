/**
 * Residents type on phones with Chinese IMEs that often switch to full-width ASCII ("３号楼", "＃报事"), so
 * every text rule starts from one canonical form: full-width ASCII (U+FF01–U+FF5E) and the ideographic space
 * become their half-width forms, runs of whitespace become one space, and the ends are trimmed.
 * Full-width punctuation such as "，" also becomes ASCII; rules treat both as punctuation anyway.
 */
export function normalizeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out.replace(/\s+/gu, ' ').trim();
}

/**
 * Normalized text without punctuation, symbols (emoji included) or whitespace, lower-cased: the form that
 * substring and character n-gram rules compare.
 */
export function compactText(text: string): string {
  return normalizeText(text)
    .toLowerCase()
    .replace(/[\p{P}\p{S}\p{Z}\p{C}\s\uFE0E\uFE0F]+/gu, '');
}

/** C0 control characters other than tab and line feed, and DEL: never meant in a demand, and NUL breaks Postgres. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F]/gu;

/**
 * Every text that enters from outside (a chat message, a contact or group name, a form or query field, an Open311
 * field, a file name) passes through this once, at the edge: Postgres refuses NUL in text and any string that is
 * not well-formed UTF-16 (a lone surrogate cannot be encoded as UTF-8), and either made the message or request
 * fail after it had been accepted. Line breaks become "\n" (forms send "\r\n"), other control characters go, a lone
 * surrogate becomes U+FFFD, and the result is in NFC so that the same words typed on different keyboards compare
 * equal. Width and spacing are left as written; the rules that compare texts use normalizeText.
 */
export function cleanInput(text: string): string {
  const wellFormed = (text as string & { toWellFormed(): string }).toWellFormed();
  return wellFormed.replace(/\r\n?/gu, '\n').replace(CONTROL_CHARACTERS, '').normalize('NFC');
}

/**
 * cleanInput applied to every string inside a parsed body, query or params: arrays and record-like objects
 * (including the prototype-less ones query-string parsers build) are walked, keys too; buffers, dates and streams
 * are not text and stay as they are.
 */
export function cleanInputDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanInput(value) as T;
  if (Array.isArray(value)) return value.map((v) => cleanInputDeep(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof Date || typeof (value as { pipe?: unknown }).pipe === 'function') return value;
  // fromEntries defines "__proto__" as an own key like any other, never as the prototype.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanInput(k), cleanInputDeep(v)])) as T;
}
