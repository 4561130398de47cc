import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  formatOfUrl,
  matchGrid,
  open311Status,
  searchWindow,
  statusesFor,
  toXml,
  w3cDateTime,
} from '../../../src/modules/open311/open311.models';

const grids = [
  { id: 1, code: 'D01-T01-C01-G01', name: '柳岸社区第一网格' },
  { id: 11, code: 'D01-T01-C01-G11', name: '柳岸社区第十一网格' },
  { id: 2, code: 'D01-T01-C01-G02', name: '柳岸社区第二网格' },
];

describe('which grid an Open311 request belongs to', () => {
  it('takes address_id as a grid code first', () => {
    expect(matchGrid({ addressId: 'D01-T01-C01-G02', addressString: '柳岸社区第一网格', grids })).toEqual({ ok: true, gridId: 2, how: 'address_id' });
  });
  it('else the grid whose full name is in address_string, the longest name winning, spaces ignored', () => {
    expect(matchGrid({ addressString: '东湖街道 柳岸社区 第十一网格 5栋', grids })).toEqual({ ok: true, gridId: 11, how: 'address_string' });
    expect(matchGrid({ addressId: 'unknown', addressString: '柳岸社区第一网格3号楼', grids })).toMatchObject({ gridId: 1 });
  });
  it('else the grid whose boundary holds lat/long (a named grid still wins), before the default grid', () => {
    const square = { type: 'Polygon' as const, coordinates: [[[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01], [120, 30]]] };
    const placed = grids.map((g) => (g.id === 11 ? { ...g, boundary: square } : g));
    const point = { lat: 30.005, lng: 120.005 };
    expect(matchGrid({ point, grids: placed, defaultGridCode: 'D01-T01-C01-G02' })).toEqual({ ok: true, gridId: 11, how: 'point' });
    expect(matchGrid({ addressString: '柳岸社区第一网格', point, grids: placed })).toEqual({ ok: true, gridId: 1, how: 'address_string' });
    expect(matchGrid({ point: { lat: 30.5, lng: 120.5 }, grids: placed, defaultGridCode: 'D01-T01-C01-G02' })).toEqual({ ok: true, gridId: 2, how: 'default' });
    expect(matchGrid({ point: { lat: 30.5, lng: 120.5 }, grids: placed })).toEqual({ ok: false });
  });
  it('else the configured default grid, else nothing', () => {
    expect(matchGrid({ addressString: '某小区', grids, defaultGridCode: 'D01-T01-C01-G02' })).toEqual({ ok: true, gridId: 2, how: 'default' });
    expect(matchGrid({ addressString: '某小区', grids })).toEqual({ ok: false });
    expect(matchGrid({ grids, defaultGridCode: 'no-such-grid' })).toEqual({ ok: false });
  });
});

describe('statuses', () => {
  it('are open while someone must act, closed from resolution on', () => {
    expect((['submitted', 'assigned', 'accepted'] as const).map(open311Status)).toEqual(['open', 'open', 'open']);
    expect((['resolved', 'closed', 'cancelled', 'merged'] as const).map(open311Status)).toEqual(['closed', 'closed', 'closed', 'closed']);
    expect(statusesFor(['open'])).toEqual(['submitted', 'assigned', 'accepted']);
    expect(statusesFor([])).toEqual([]);
  });
});

describe('the search window', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const day = 86_400_000;
  it('is the 90 days up to now by default, and 90 days from a start alone (not past now)', () => {
    expect(searchWindow({ now })).toEqual({ ok: true, from: new Date(now.getTime() - 90 * day), to: now });
    const start = new Date('2026-11-01T00:00:00Z');
    expect(searchWindow({ start, now })).toEqual({ ok: true, from: start, to: now });
    const old = new Date('2026-01-01T00:00:00Z');
    expect(searchWindow({ start: old, now })).toEqual({ ok: true, from: old, to: new Date(old.getTime() + 90 * day) });
  });
  it('refuses more than 90 days, or an end before the start', () => {
    expect(searchWindow({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2026-04-02T00:00:00Z'), now })).toEqual({ ok: false });
    expect(searchWindow({ start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-01-01T00:00:00Z'), now })).toEqual({ ok: false });
  });
});

describe('the XML format', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeXml('<a href="x">\'&\'</a>\u0001')).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
  it('writes the declaration, one element per field in order, and empty elements for missing values', () => {
    expect(toXml('service_requests', 'request', [{ service_request_id: '1001', account_id: null, lat: 30.5 }])).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<service_requests>\n  <request>\n    <service_request_id>1001</service_request_id>\n    <account_id/>\n    <lat>30.5</lat>\n  </request>\n</service_requests>\n',
    );
    expect(toXml('services', 'service', [])).toBe('<?xml version="1.0" encoding="utf-8"?>\n<services></services>\n');
  });
  it('writes times in China time with their offset, and tells the format from the URL', () => {
    expect(w3cDateTime(new Date('2026-11-23T02:00:00Z'))).toBe('2026-11-23T10:00:00+08:00');
    expect(formatOfUrl('/open311/v2/requests.json?status=open')).toBe('json');
    expect(formatOfUrl('/open311/v2/requests.xml')).toBe('xml');
    expect(formatOfUrl('/open311/v2/requests.csv')).toBe('xml');
  });
});
