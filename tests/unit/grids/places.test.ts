import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Boundary,
  MAX_POSITIONS_PER_GRID,
  boundaryArea,
  boundaryCollection,
  gridForPoint,
  planBoundaryImport,
  toWgs84,
} from '../../../src/modules/grids/places.models';

const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const poly = (x0: number, y0: number, x1: number, y1: number): Boundary => ({ type: 'Polygon', coordinates: [rect(x0, y0, x1, y1)] });
const units = new Map([
  ['G1', { level: 'grid' as const }],
  ['G2', { level: 'grid' as const }],
  ['C1', { level: 'community' as const }],
]);
const feature = (code: unknown, geometry: unknown) => ({ type: 'Feature', properties: { code }, geometry });
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('planBoundaryImport: all or nothing, every bad feature named by its index', () => {
  it('accepts Polygons and MultiPolygons of known grids, cutting positions to [lng, lat]', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[rect(120, 30, 120.01, 30.01)], [rect(120.02, 30, 120.03, 30.01).map(([x, y]) => [x, y, 12])]] };
    const plan = planBoundaryImport({ text: collection(feature('G1', poly(120, 30, 120.01, 30.01)), feature('G2', multi)), units });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.rows.map((r) => r.code)).toEqual(['G1', 'G2']);
    expect(plan.rows[1]!.geometry.type).toBe('MultiPolygon');
    expect((plan.rows[1]!.geometry.coordinates as number[][][][])[1]![0]![0]).toEqual([120.02, 30]);
  });

  it('lists each bad feature with its index: open ring, short ring, range, unknown code, non-grid, duplicate, wrong type', () => {
    const open = { type: 'Polygon', coordinates: [[[120, 30], [120.01, 30], [120.01, 30.01], [120, 30.01]]] };
    const short = { type: 'Polygon', coordinates: [[[120, 30], [120.01, 30], [120, 30]]] };
    const lng = poly(179, 30, 181, 31);
    const lat = poly(120, 89, 121, 91);
    const plan = planBoundaryImport({
      text: collection(
        feature('G1', poly(120, 30, 121, 31)),
        feature('G2', open),
        feature('G2', short),
        feature('X9', lng),
        feature('C1', lat),
        feature('', poly(120, 30, 121, 31)),
        feature('G1', { type: 'Point', coordinates: [120, 30] }),
      ),
      units,
    });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    const byIndex = new Map<number, string[]>();
    for (const err of plan.errors) byIndex.set(err.index, [...(byIndex.get(err.index) ?? []), err.message]);
    expect([...byIndex.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(byIndex.get(1)!.join()).toContain('未闭合');
    expect(byIndex.get(2)!.join()).toMatch(/重复|少于 4/);
    expect(byIndex.get(2)!.join()).toContain('少于 4');
    expect(byIndex.get(3)!.join()).toContain('X9 不存在');
    expect(byIndex.get(3)!.join()).toContain('经度 181');
    expect(byIndex.get(4)!.join()).toContain('不是网格');
    expect(byIndex.get(4)!.join()).toContain('纬度 91');
    expect(byIndex.get(5)!.join()).toContain('properties.code');
    expect(byIndex.get(6)!.join()).toContain('Point');
  });

  it('refuses what is not a FeatureCollection, bad JSON and a geometry over the position bound', () => {
    for (const text of ['{', '[]', JSON.stringify({ type: 'Feature' }), collection()]) {
      const plan = planBoundaryImport({ text, units });
      expect(plan.ok).toBe(false);
      if (!plan.ok) expect(plan.errors[0]!.index).toBe(-1);
    }
    const n = MAX_POSITIONS_PER_GRID;
    const ring = Array.from({ length: n }, (_, i) => [120 + Math.cos((2 * Math.PI * i) / n) / 100, 30 + Math.sin((2 * Math.PI * i) / n) / 100]);
    ring.push(ring[0]!);
    const plan = planBoundaryImport({ text: collection(feature('G1', { type: 'Polygon', coordinates: [ring] })), units });
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.errors[0]!.message).toContain(String(n));
  });

  it('reads back what the export writes', () => {
    const grids = [
      { code: 'G1', name: '第一网格', boundary: poly(120, 30, 120.01, 30.01) },
      { code: 'G2', name: '第二网格', boundary: null },
    ];
    const plan = planBoundaryImport({ text: JSON.stringify(boundaryCollection(grids)), units });
    expect(plan).toEqual({ ok: true, rows: [{ index: 0, code: 'G1', geometry: grids[0]!.boundary }] });
  });

  it('never throws on arbitrary JSON, and accepts only rings it can close', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (geometry) => {
        const plan = planBoundaryImport({ text: collection(feature('G1', geometry)), units });
        expect(typeof plan.ok).toBe('boolean');
        if (plan.ok) for (const ring of plan.rows[0]!.geometry.type === 'Polygon' ? plan.rows[0]!.geometry.coordinates : []) {
          expect(ring.length).toBeGreaterThanOrEqual(4);
          expect(ring[0]).toEqual(ring[ring.length - 1]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('gridForPoint', () => {
  // Two grids side by side, split at lng 120.158; the GCJ-02 offset near Hangzhou is about −0.0047° in lng.
  const west = { id: 1, code: 'W', boundary: poly(120.15, 30.24, 120.158, 30.26) };
  const east = { id: 2, code: 'E', boundary: poly(120.158, 30.24, 120.17, 30.26) };

  it('converts a GCJ-02 point to WGS-84 first, which moves it across the border', () => {
    const [lng] = toWgs84({ lat: 30.25, lng: 120.16, datum: 'gcj02' });
    expect(lng).toBeLessThan(120.158);
    expect(gridForPoint({ lat: 30.25, lng: 120.16, datum: 'wgs84', grids: [west, east] })?.code).toBe('E');
    expect(gridForPoint({ lat: 30.25, lng: 120.16, datum: 'gcj02', grids: [west, east] })?.code).toBe('W');
  });

  it('a MultiPolygon: either part counts, its hole does not (the grid inside the hole gets the point)', () => {
    const ring = { id: 3, code: 'A', boundary: { type: 'MultiPolygon', coordinates: [[rect(120, 30, 120.1, 30.1), rect(120.04, 30.04, 120.06, 30.06)], [rect(120.2, 30, 120.3, 30.1)]] } as Boundary };
    const island = { id: 4, code: 'B', boundary: poly(120.045, 30.045, 120.055, 30.055) };
    expect(gridForPoint({ lat: 30.02, lng: 120.02, datum: 'wgs84', grids: [ring, island] })?.code).toBe('A');
    expect(gridForPoint({ lat: 30.05, lng: 120.25, datum: 'wgs84', grids: [ring, island] })?.code).toBe('A');
    expect(gridForPoint({ lat: 30.05, lng: 120.05, datum: 'wgs84', grids: [ring, island] })?.code).toBe('B');
    expect(gridForPoint({ lat: 30.042, lng: 120.042, datum: 'wgs84', grids: [ring, island] })).toBeNull();
    expect(boundaryArea(ring.boundary)).toBeCloseTo(0.01 - 0.0004 + 0.01, 10);
  });

  it('overlaps: the smallest area wins, then the first code, whatever the order of the grids', () => {
    const big = { id: 5, code: 'A-big', boundary: poly(120, 30, 121, 31) };
    const small = { id: 6, code: 'Z-small', boundary: poly(120.4, 30.4, 120.6, 30.6) };
    const twin = { id: 7, code: 'M-twin', boundary: poly(120.4, 30.4, 120.6, 30.6) };
    fc.assert(
      fc.property(fc.shuffledSubarray([big, small, twin], { minLength: 3, maxLength: 3 }), (grids) => {
        expect(gridForPoint({ lat: 30.5, lng: 120.5, datum: 'wgs84', grids })?.code).toBe('M-twin');
      }),
    );
    expect(gridForPoint({ lat: 30.9, lng: 120.9, datum: 'wgs84', grids: [small, big] })?.code).toBe('A-big');
  });

  it('outside every boundary, without boundaries, or a point out of range: no grid', () => {
    expect(gridForPoint({ lat: 31.5, lng: 120.5, datum: 'wgs84', grids: [west, east] })).toBeNull();
    expect(gridForPoint({ lat: 30.25, lng: 120.16, datum: 'wgs84', grids: [{ id: 9, code: 'N', boundary: null }] })).toBeNull();
    expect(gridForPoint({ lat: 95, lng: 120.16, datum: 'wgs84', grids: [west, east] })).toBeNull();
    expect(gridForPoint({ lat: Number.NaN, lng: 120.16, datum: 'wgs84', grids: [west, east] })).toBeNull();
  });
});
