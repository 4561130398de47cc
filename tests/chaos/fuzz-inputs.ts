import fc from 'fast-check';

/**
 * Hostile inputs for the fuzz suites: what phones, scripts and attackers really send. Full-width digits and
 * punctuation, emoji (with ZWJ and flags), NUL and other control characters, lone surrogates, SQL and HTML
 * fragments, numbers far beyond any integer column, and (rarely, since each costs real time) 100k-character texts.
 */
const FRAGMENTS = [
  '#', '＃', '1001', '１００１', '#1001', '＃１００１', '99999999999999999999', '2147483648', '-1', '0', '1e309', 'NaN', '9007199254740993',
  '查询', '进展', '办结', '撤回', '延期', '满意', '不满意', '+1', '新建', '帮助', '接单', '上报', '退回', '绑定', '我的工单',
  '3号楼', '路灯坏了', '漏水', '，', '。', '：', ' ', '　', '\n', '\t', '\r\n',
  '\u0000', '\u0007', '\u001B', '\u007F', '\uD800', '\uDFFF', '\uD83D', '\uFFFE', '\uFEFF', '\u200B', '\u202E',
  '😀', '👩‍👧‍👦', '🇨🇳', 'e\u0301', '𠀀',
  "' OR 1=1 --", '"; DROP TABLE work_orders; --', '%', '_', '\\', "''", '$1', '::int',
  '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '&amp;', ']]>', '{{7*7}}', '${7*7}', '__proto__', 'constructor',
  '2026-02-30', '9999-12-31', '0000-01-01', '2026-11-23T10:00:00+08:00', '-271821-04-20',
  '@网格小助手', '@',
];

export const hostileFragment = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom('\uD800', '\uDC00', '\u0000', 'Ｑ', '１', '9'), maxLength: 6 }) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String) },
);

/** A short hostile text: up to 12 fragments. */
export const hostileText = fc.array(hostileFragment, { maxLength: 12 }).map((parts) => parts.join(''));

/** A hostile text that is sometimes very long (one in `rareOneIn`: 10k to 100k characters). */
export function hostileTextWithHuge(rareOneIn = 200) {
  return fc.oneof(
    { weight: rareOneIn - 1, arbitrary: hostileText },
    { weight: 1, arbitrary: fc.tuple(hostileText, fc.integer({ min: 10_000, max: 100_000 })).map(([t, n]) => (t || '灯').repeat(Math.ceil(n / Math.max(1, t.length))).slice(0, n)) },
  );
}

/** A value for a query or form field: a hostile text or a number of any size. */
export const hostileValue = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('1', '1001', '2147483647', '2147483648', '9007199254740993', '') },
);

/** Counts generated inputs across a suite, for the log line each file prints. */
export class InputCounter {
  n = 0;
  slowest = { ms: 0, what: '' };
  add(ms: number, what: string) {
    this.n += 1;
    if (ms > this.slowest.ms) this.slowest = { ms, what: what.slice(0, 200) };
  }
}
