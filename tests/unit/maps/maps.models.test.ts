import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../../../src/modules/calendar/calendar.models';
import type { Boundary } from '../../../src/modules/grids/places.models';
import { displayBoundary, displayPosition, mapPageCsp, markerState, tileSource, worstState } from '../../../src/modules/maps/maps.models';
import type { TimeLeftOrder } from '../../../src/modules/work-orders/rules/order-time-left.models';

const base = { MAP_TILE_SUBDOMAINS: 'abc', MAP_TILE_DATUM: 'wgs84' as const, MAP_TILE_MAX_ZOOM: 18 };
const TIANDITU = 'https://t{s}.tianditu.gov.cn/img_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}';

describe('tileSource and the map pages\' CSP', () => {
  it('none configured: no tiles, WGS-84, and the plain policy', () => {
    const tiles = tileSource(base);
    expect(tiles).toEqual({ kind: 'none', datum: 'wgs84' });
    expect(mapPageCsp(tiles)).toContain("img-src 'self' data:;");
  });

  it('天地图: the key goes into {key} (encoded), one origin per subdomain, nothing wider', () => {
    const tiles = tileSource({ ...base, MAP_TILE_URL: TIANDITU, MAP_TILE_KEY: 'a&b', MAP_TILE_SUBDOMAINS: '012', MAP_TILE_ATTRIBUTION: '天地图' });
    expect(tiles).toMatchObject({ kind: 'url', subdomains: '012', attribution: '天地图', datum: 'wgs84', maxZoom: 18 });
    if (tiles.kind !== 'url') return;
    expect(tiles.template).toContain('tk=a%26b');
    expect(tiles.origins).toEqual(['https://t0.tianditu.gov.cn', 'https://t1.tianditu.gov.cn', 'https://t2.tianditu.gov.cn']);
    expect(mapPageCsp(tiles)).toContain("img-src 'self' data: https://t0.tianditu.gov.cn https://t1.tianditu.gov.cn https://t2.tianditu.gov.cn;");
    expect(mapPageCsp(tiles)).not.toContain('*');
  });

  it('a template without {s} has one origin (its port kept) and no subdomains', () => {
    const tiles = tileSource({ ...base, MAP_TILE_URL: 'http://10.0.0.5:8080/tiles/{z}/{x}/{y}.png' });
    expect(tiles).toMatchObject({ kind: 'url', subdomains: '', origins: ['http://10.0.0.5:8080'] });
  });

  it('an offline folder wins over a URL and is served by the app itself (no outside origin)', () => {
    const tiles = tileSource({ ...base, MAP_TILE_URL: TIANDITU, MAP_TILE_DIR: '/srv/tiles', MAP_TILE_DATUM: 'gcj02' });
    expect(tiles).toMatchObject({ kind: 'dir', template: '/map-tiles/{z}/{x}/{y}', origins: [], datum: 'gcj02' });
    expect(mapPageCsp(tiles)).toContain("img-src 'self' data:;");
  });
});

describe('markerState: the most pressing colour of an open order', () => {
  const calendar = buildWorkCalendar({ days: [], coveredYears: [2026] });
  const now = new Date('2026-11-25T02:00:00Z'); // Wednesday 10:00 in China
  const order = (o: Partial<TimeLeftOrder>): TimeLeftOrder => ({
    status: 'assigned',
    urgency: 'normal',
    createdAt: new Date('2026-11-24T02:00:00Z'),
    assignedAt: new Date('2026-11-24T02:00:00Z'),
    reopenCount: 0,
    deadlineAt: new Date('2026-12-01T16:00:00Z'),
    pausedAt: null,
    ...o,
  });

  it('overdue before nearly due before urgent before paused before on time', () => {
    expect(markerState({ order: order({ deadlineAt: new Date('2026-11-25T01:00:00Z'), urgency: 'urgent' }), now, calendar })).toBe('overdue');
    expect(markerState({ order: order({ createdAt: new Date('2026-11-18T02:00:00Z'), deadlineAt: new Date('2026-11-25T16:00:00Z') }), now, calendar })).toBe('nearly_due');
    expect(markerState({ order: order({ urgency: 'urgent', deadlineAt: new Date('2026-11-26T02:00:00Z'), createdAt: new Date('2026-11-25T01:00:00Z') }), now, calendar })).toBe('urgent');
    expect(markerState({ order: order({ pausedAt: new Date('2026-11-24T12:00:00Z') }), now, calendar })).toBe('paused');
    expect(markerState({ order: order({}), now, calendar })).toBe('on_time');
    // Not yet assigned: no deadline, on time (urgent if urgent).
    expect(markerState({ order: order({ status: 'submitted', deadlineAt: null }), now, calendar })).toBe('on_time');
    expect(markerState({ order: order({ status: 'submitted', deadlineAt: null, urgency: 'urgent' }), now, calendar })).toBe('urgent');
  });

  it('worstState picks the most pressing of a cluster, none for an empty one', () => {
    expect(worstState(['on_time', 'urgent', 'nearly_due'])).toBe('nearly_due');
    expect(worstState(['paused', 'overdue'])).toBe('overdue');
    expect(worstState([])).toBeNull();
  });
});

describe('display on the tiles\' datum', () => {
  const square: Boundary = { type: 'Polygon', coordinates: [[[120.14, 30.24], [120.144, 30.24], [120.144, 30.243], [120.14, 30.24]]] };

  it('WGS-84 tiles draw the stored geometry as it is', () => {
    expect(displayBoundary(square, 'wgs84')).toBe(square);
    expect(displayPosition(120.14, 30.24, 'wgs84')).toEqual([120.14, 30.24]);
  });

  it('GCJ-02 tiles get every position shifted the same way as a point', () => {
    const shifted = displayBoundary(square, 'gcj02');
    expect(shifted.type).toBe('Polygon');
    expect((shifted.coordinates as number[][][])[0]![0]).toEqual(displayPosition(120.14, 30.24, 'gcj02'));
    const [x, y] = displayPosition(120.14, 30.24, 'gcj02');
    expect(x - 120.14).toBeGreaterThan(0.004);
    expect(y - 30.24).toBeLessThan(-0.002);
    const multi = displayBoundary({ type: 'MultiPolygon', coordinates: [square.coordinates as number[][][]] }, 'gcj02');
    expect((multi.coordinates as number[][][][])[0]![0]![1]).toEqual(displayPosition(120.144, 30.24, 'gcj02'));
  });
});
