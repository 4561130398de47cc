/**
 * CSV as admins exchange it with Excel: RFC 4180 quoting, CRLF lines, a UTF-8 BOM on export (else Excel shows
 * mojibake) and tolerated on import, and no formula injection on export.
 */

function csvField(value: unknown, formatDate: (d: Date) => string): string {
  let s = value == null ? '' : value instanceof Date ? formatDate(value) : String(value);
  // A cell starting with = + - @ would run as a formula in Excel; text from residents must stay text.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(fields: readonly unknown[], formatDate: (d: Date) => string = (d) => d.toISOString()): string {
  return `${fields.map((f) => csvField(f, formatDate)).join(',')}\r\n`;
}

export const CSV_BOM = '\uFEFF';

/**
 * Parses CSV text into rows of fields, with the 1-based line number each row starts on. Quoted fields may hold
 * commas, quotes ("") and line breaks. Blank lines are skipped. Throws nothing: an unterminated quote ends at EOF.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const src = text.replace(/^\uFEFF/, '');
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let rowHasContent = false;
  const endRow = () => {
    fields.push(field);
    if (rowHasContent || fields.some((f) => f !== '')) out.push({ line: rowLine, fields });
    fields = [];
    field = '';
    rowHasContent = false;
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      rowHasContent = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      rowHasContent = true;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += ch;
  }
  if (field !== '' || fields.length > 0 || rowHasContent) endRow();
  return out;
}
