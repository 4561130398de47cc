import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CSV_MAX_BYTES, decodeCsvBytes } from '../../../src/shared/text/csv-decode';

const GRID_CSV = 'code,name,level,parent_code,households\nD9,城关区,区,,\nD9-T1,东城镇,镇,D9,\nD9-T1-C1,柳岸村,村,D9-T1,\nD9-T1-C1-G1,柳岸村第一网格,网格,D9-T1-C1,120\n';
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('decodeCsvBytes', () => {
  it('reads GBK bytes as Excel on Chinese Windows writes them', () => {
    const bytes = iconv.encode(GRID_CSV, 'gbk');
    expect(bytes.toString('utf8')).not.toBe(GRID_CSV); // what a UTF-8 reader made of it before
    expect(decodeCsvBytes(bytes)).toEqual({ ok: true, text: GRID_CSV, encoding: 'gb18030' });
  });

  it('reads a GBK file with only one short Chinese name (chardet alone is unsure there)', () => {
    const text = 'code,name,level,parent_code\nT1,东城镇,镇,D1\n';
    expect(decodeCsvBytes(iconv.encode(text, 'gbk'))).toMatchObject({ ok: true, text });
  });

  it('reads GB18030 four-byte characters', () => {
    const text = 'code,name\nX,𠀀字€\n';
    expect(decodeCsvBytes(iconv.encode(text, 'gb18030'))).toMatchObject({ ok: true, text, encoding: 'gb18030' });
  });

  it('reads UTF-8 with and without BOM, and plain ASCII', () => {
    expect(decodeCsvBytes(utf8(GRID_CSV))).toEqual({ ok: true, text: GRID_CSV, encoding: 'utf-8' });
    expect(decodeCsvBytes(utf8(`\uFEFF${GRID_CSV}`))).toEqual({ ok: true, text: GRID_CSV, encoding: 'utf-8-bom' });
    expect(decodeCsvBytes(utf8('a,b\n'))).toEqual({ ok: true, text: 'a,b\n', encoding: 'utf-8' });
    expect(decodeCsvBytes(new Uint8Array())).toEqual({ ok: true, text: '', encoding: 'utf-8' });
  });

  it('reads UTF-16 with BOM, little and big endian (Excel "Unicode text")', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(GRID_CSV, 'utf-16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(GRID_CSV, 'utf-16be')]);
    expect(decodeCsvBytes(le)).toEqual({ ok: true, text: GRID_CSV, encoding: 'utf-16le' });
    expect(decodeCsvBytes(be)).toEqual({ ok: true, text: GRID_CSV, encoding: 'utf-16be' });
  });

  it('refuses UTF-16 without BOM rather than importing NULs', () => {
    expect(decodeCsvBytes(iconv.encode(GRID_CSV, 'utf-16le'))).toMatchObject({ ok: false, error: { kind: 'unsure' } });
  });

  it('refuses bytes that are no GB18030 and no UTF-8 (Latin-1, Shift_JIS, Big5) instead of guessing', () => {
    for (const [text, encoding] of [
      ['code,name\nD1,Café Müller,x\n', 'latin1'],
      ['code,name\nD1,東京都新宿区,区\n', 'shift_jis'],
      ['code,name\nD1,臺北市中正區,區\n', 'big5'],
    ] as const) {
      const result = decodeCsvBytes(iconv.encode(text, encoding));
      expect(result.ok, encoding).toBe(false);
    }
  });

  it('refuses a UTF-8 BOM followed by broken UTF-8, and a file above the limit', () => {
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0xc3]))).toEqual({ ok: false, error: { kind: 'undecodable', encoding: 'utf-8-bom' } });
    expect(decodeCsvBytes(new Uint8Array(CSV_MAX_BYTES + 1))).toMatchObject({ ok: false, error: { kind: 'too-large' } });
  });

  it('refuses UTF-16 with an unpaired surrogate (decodes to a replacement character)', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8, 0x62, 0x00]);
    expect(decodeCsvBytes(bytes)).toEqual({ ok: false, error: { kind: 'undecodable', encoding: 'utf-16le' } });
  });
});
