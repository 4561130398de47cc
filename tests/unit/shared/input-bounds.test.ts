import { describe, expect, it } from 'vitest';
import { NO_SUCH_ORDER, parseCommand } from '../../../src/modules/chat/commands.models';
import { open311Phone, searchWindow } from '../../../src/modules/open311/open311.models';
import { MAX_DB_INT, parseDbId } from '../../../src/shared/ids';
import { cleanInput, cleanInputDeep } from '../../../src/shared/text/normalize';

describe('text from outside, cleaned at the edge', () => {
  it('drops NUL and the other control characters but keeps tabs and line breaks', () => {
    expect(cleanInput('a\u0000b\u0007c\u001Bd\u007Fe')).toBe('abcde');
    expect(cleanInput('第一行\r\n第二行\r第三行\n\t缩进')).toBe('第一行\n第二行\n第三行\n\t缩进');
  });

  it('turns a lone surrogate into U+FFFD and keeps a pair (an emoji) whole', () => {
    expect(cleanInput('灯\uD83D坏了\uDE00')).toBe('灯\uFFFD坏了\uFFFD');
    expect(cleanInput('灯坏了😀')).toBe('灯坏了😀');
  });

  it('composes to NFC and leaves width and spacing as written', () => {
    expect(cleanInput('Cafe\u0301  ３号楼')).toBe('Café  ３号楼');
  });

  it('walks bodies and query objects, keys included, and leaves numbers and buffers alone', () => {
    const buffer = Buffer.from('x');
    const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { 'q\u0000': 'a\u0000' });
    expect(cleanInputDeep({ a: ['x\u0000', 1, null, { b: '\uD800' }], n: 3, buffer })).toEqual({ a: ['x', 1, null, { b: '\uFFFD' }], n: 3, buffer });
    expect({ ...cleanInputDeep(nullProto) }).toEqual({ q: 'a' });
    function Empty() {}
    Empty.prototype = Object.create(null) as object;
    const parsed = Object.assign(new (Empty as unknown as new () => Record<string, unknown>)(), { note: 'x\u0000' });
    expect({ ...cleanInputDeep(parsed) }).toEqual({ note: 'x' });
    const tricky = cleanInputDeep(JSON.parse('{"__proto__": {"polluted": "\\u0000"}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(tricky)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('numbers bounded where they are parsed', () => {
  it('reads an id only when it is a positive integer the database can hold', () => {
    expect(parseDbId('12')).toBe(12);
    expect(parseDbId(String(MAX_DB_INT))).toBe(MAX_DB_INT);
    for (const bad of [String(MAX_DB_INT + 1), '99999999999999999999', '0', '-1', '1.5', '1e3', '', 'abc', undefined]) expect(parseDbId(bad), String(bad)).toBeUndefined();
  });

  it('parses an order number too large for any order as NO_SUCH_ORDER in every command', () => {
    expect(parseCommand('查询 #99999999999999999999')).toEqual({ kind: 'query', no: NO_SUCH_ORDER });
    expect(parseCommand('#2147483648')).toEqual({ kind: 'query', no: NO_SUCH_ORDER });
    expect(parseCommand('#2147483647')).toEqual({ kind: 'query', no: 2147483647 });
    expect(parseCommand('进展 ９９９９９９９９９９９ 已联系物业')).toMatchObject({ kind: 'progress', no: NO_SUCH_ORDER });
    expect(parseCommand('延期 99999999999 3 等配件')).toMatchObject({ kind: 'extend', no: NO_SUCH_ORDER, days: 3 });
    expect(parseCommand('不满意 #99999999999999999999 还是坏的')).toMatchObject({ kind: 'survey', no: NO_SUCH_ORDER });
  });
});

describe('Open311 as strict clients send it', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const day = 86_400_000;

  it('a start_date alone in the future is an empty window, not an error', () => {
    const start = new Date(now.getTime() + 10 * day);
    expect(searchWindow({ start, now })).toEqual({ ok: true, from: start, to: start });
  });

  it('finds a resident by the digits of a free-text phone number', () => {
    expect(open311Phone('(010) 6123-4567')).toBe('01061234567');
    expect(open311Phone('+86 137 1234 5678')).toBe('+8613712345678');
    expect(open311Phone('１３７-１２３４-５６７８')).toBe('13712345678');
    expect(open311Phone('137.1234.5678 (mobile)')).toBe('13712345678');
    expect(open311Phone('call me')).toBeNull();
    expect(open311Phone(undefined)).toBeNull();
  });
});
