/**
 * Places as pure rules: checking an imported GeoJSON FeatureCollection of grid boundaries, writing the export,
 * and finding the grid a point lies in. No I/O.
 *
 * One datum is stored: WGS-84 (GeoJSON's own, RFC 7946; what browsers and Open311 clients send), coordinates
 * [lng, lat]. Points in GCJ-02 (WeChat location messages, Chinese map services) are converted to WGS-84 with
 * gcoord before they are compared, never the polygons.
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import gcoord from 'gcoord';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { placesTexts } from '../../i18n/zh-CN.places';
import type { UnitLevel } from './grids.models';

const e = placesTexts.errors;

export type Boundary = Polygon | MultiPolygon;

/** Bounds of one import: the decoded file, the features in it, and the positions of one grid's geometry. */
export const MAX_GEOJSON_BYTES = 1024 * 1024; // as an uploaded file's (CSV_MAX_BYTES); a larger district is imported in parts
export const MAX_FEATURES = 5_000;
export const MAX_POSITIONS_PER_GRID = 10_000;

export type BoundaryError = { index: number; message: string };
export type BoundaryRow = { index: number; code: string; geometry: Boundary };

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The faults of one ring (closed, ≥ 4 positions, each a [lng, lat] in range), or none; counts its positions. */
function ringFaults(ring: Json, where: string, count: { n: number }): string | null {
  if (!Array.isArray(ring)) return e.shape(where);
  count.n += ring.length;
  for (const [k, pos] of ring.entries()) {
    const at = placesTexts.point(where, k);
    if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3 || !pos.every((x) => typeof x === 'number' && Number.isFinite(x))) return e.position(at);
    const [lng, lat] = pos as number[];
    if (lng! < -180 || lng! > 180) return e.longitude(at, lng!);
    if (lat! < -90 || lat! > 90) return e.latitude(at, lat!);
  }
  if (ring.length < 4) return e.ringShort(where);
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return e.ringOpen(where);
  return null;
}

/** The faults of a polygon's rings (the first is the outer ring, the rest holes). */
function polygonFaults(rings: Json, polygon: number | null, count: { n: number }): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return e.shape(placesTexts.ring(polygon, 0));
  for (const [r, ring] of rings.entries()) {
    const fault = ringFaults(ring, placesTexts.ring(polygon, r), count);
    if (fault) return fault;
  }
  return null;
}

/** A checked Polygon/MultiPolygon (positions cut to [lng, lat]), or the first fault found in it. */
export function checkGeometry(geometry: Json): { ok: true; geometry: Boundary } | { ok: false; message: string } {
  if (!isObject(geometry) || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
    return { ok: false, message: e.geometryType(isObject(geometry) ? String(geometry.type ?? '') : String(geometry)) };
  }
  const count = { n: 0 };
  const coords = geometry.coordinates;
  let fault: string | null;
  if (geometry.type === 'Polygon') {
    fault = polygonFaults(coords, null, count);
  } else if (!Array.isArray(coords) || coords.length === 0) {
    fault = e.shape(placesTexts.ring(0, 0));
  } else {
    fault = null;
    for (const [p, polygon] of coords.entries()) {
      fault = polygonFaults(polygon, p, count);
      if (fault || count.n > MAX_POSITIONS_PER_GRID) break;
    }
  }
  if (!fault && count.n > MAX_POSITIONS_PER_GRID) fault = e.tooManyPositions(MAX_POSITIONS_PER_GRID);
  if (fault) return { ok: false, message: fault };
  const cut = (ring: Position[]) => ring.map((pos) => [pos[0]!, pos[1]!]);
  return geometry.type === 'Polygon'
    ? { ok: true, geometry: { type: 'Polygon', coordinates: (coords as Position[][]).map(cut) } }
    : { ok: true, geometry: { type: 'MultiPolygon', coordinates: (coords as Position[][][]).map((p) => p.map(cut)) } };
}

/**
 * Checks a whole boundary import before anything is written (all or nothing): the file's size and shape, then
 * every feature — a known grid's code in properties.code, once only, and a valid geometry. Every bad feature is
 * reported with its index in `features`; index −1 is a fault of the file itself.
 */
export function planBoundaryImport({
  text,
  units,
}: {
  text: string;
  /** The grid units there are, by code. */
  units: ReadonlyMap<string, { level: UnitLevel }>;
}): { ok: true; rows: BoundaryRow[] } | { ok: false; errors: BoundaryError[] } {
  const fileFault = (message: string) => ({ ok: false as const, errors: [{ index: -1, message }] });
  if (Buffer.byteLength(text, 'utf8') > MAX_GEOJSON_BYTES) return fileFault(e.tooLarge(MAX_GEOJSON_BYTES / (1024 * 1024)));
  let doc: Json;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return fileFault(e.json((error as Error).message.slice(0, 200)));
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) return fileFault(e.notCollection);
  if (doc.features.length === 0) return fileFault(e.empty);
  if (doc.features.length > MAX_FEATURES) return fileFault(e.tooManyFeatures(MAX_FEATURES));

  const errors: BoundaryError[] = [];
  const rows: BoundaryRow[] = [];
  const seen = new Map<string, number>();
  for (const [index, feature] of doc.features.entries()) {
    const fail = (message: string) => errors.push({ index, message });
    if (!isObject(feature) || feature.type !== 'Feature') { fail(e.notFeature); continue; }
    const code = isObject(feature.properties) && typeof feature.properties.code === 'string' ? feature.properties.code.trim() : '';
    if (!code) { fail(e.code); continue; }
    const unit = units.get(code);
    if (!unit) fail(e.unknownCode(code.slice(0, 40)));
    else if (unit.level !== 'grid') fail(e.notGrid(code));
    const earlier = seen.get(code);
    if (earlier !== undefined) fail(e.duplicateCode(code.slice(0, 40), earlier));
    else seen.set(code, index);
    const checked = checkGeometry(feature.geometry);
    if (!checked.ok) { fail(checked.message); continue; }
    if (unit?.level === 'grid' && earlier === undefined) rows.push({ index, code, geometry: checked.geometry });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

/** The export: one Feature per grid with a boundary, properties code and name, the same format the import reads. */
export function boundaryCollection(units: readonly { code: string; name: string; boundary: Boundary | null }[]) {
  return {
    type: 'FeatureCollection' as const,
    features: units
      .filter((u) => u.boundary !== null)
      .map((u) => ({ type: 'Feature' as const, properties: { code: u.code, name: u.name }, geometry: u.boundary! })),
  };
}

export type Datum = 'wgs84' | 'gcj02';

/**
 * The datum of a chat network's location message: WeChat and 企业微信 both give GCJ-02 (the coordinates of
 * Tencent's map, which the location picker shows).
 */
export const CHAT_LOCATION_DATUM: Datum = 'gcj02';

/** A point as WGS-84 [lng, lat]: GCJ-02 (WeChat, Chinese maps) is converted with gcoord; WGS-84 is kept. */
export function toWgs84({ lat, lng, datum }: { lat: number; lng: number; datum: Datum }): [number, number] {
  if (datum === 'wgs84') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [x, y];
}

/** The other way, for drawing stored points on GCJ-02 tiles (高德/腾讯). Outside China both datums agree. */
export function fromWgs84({ lat, lng, datum }: { lat: number; lng: number; datum: Datum }): [number, number] {
  if (datum === 'wgs84') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [x, y];
}

/** Seven decimals of a degree are about a centimetre: more is noise from the conversion, not precision. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/**
 * The point as it is stored (work_orders.lat/lng, attachments.lat/lng): WGS-84, rounded to 1e-7°. Every intake
 * goes through here with the datum its source gives — chat locations CHAT_LOCATION_DATUM, Open311 and browser
 * geolocation 'wgs84'. A point that is not a finite latitude/longitude in range is no point (null), so a bad
 * value is never stored as a place.
 */
export function storedPoint(point: { lat: number; lng: number; datum: Datum } | null | undefined): { lat: number; lng: number } | null {
  if (!point) return null;
  const { lat, lng } = point;
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  const [x, y] = toWgs84(point);
  return { lat: round7(y), lng: round7(x) };
}

/** Shoelace area of a ring in square degrees: only compared between nearby grids, so no projection is needed. */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return Math.abs(sum) / 2;
}

/** A boundary's area (outer rings less holes), in square degrees. */
export function boundaryArea(boundary: Boundary): number {
  const polygons = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  return polygons.reduce((total, [outer, ...holes]) => total + ringArea(outer ?? []) - holes.reduce((h, ring) => h + ringArea(ring), 0), 0);
}

export type PlacedGrid = { id: number; code: string; boundary: Boundary | null };

/**
 * The grid whose boundary contains the point (a point on an edge counts as inside), or null when none does.
 * Boundaries may overlap where they were drawn carelessly: then the smallest grid wins (the more precise
 * drawing), and between equal areas the first by code, so the answer never depends on the order of `grids`.
 */
export function gridForPoint<G extends PlacedGrid>({ lat, lng, datum, grids }: { lat: number; lng: number; datum: Datum; grids: readonly G[] }): G | null {
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  const point = toWgs84({ lat, lng, datum });
  const containing = grids.filter((g) => g.boundary !== null && booleanPointInPolygon(point, g.boundary));
  return (
    containing
      .map((g) => ({ g, area: boundaryArea(g.boundary!) }))
      .sort((a, b) => a.area - b.area || (a.g.code < b.g.code ? -1 : a.g.code > b.g.code ? 1 : 0))[0]?.g ?? null
  );
}
