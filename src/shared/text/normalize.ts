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
