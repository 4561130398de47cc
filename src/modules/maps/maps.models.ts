/**
 * The console's maps as pure rules: where the base tiles come from (and so what the page's CSP must allow),
 * which colour an open order's marker gets, and the shift of stored WGS-84 geometry onto the tiles' datum.
 */
import type { Position } from 'geojson';
import type { WorkCalendar } from '../calendar/calendar.models';
import { type Boundary, type Datum, fromWgs84 } from '../grids/places.models';
import { type TimeLeftOrder, timeLeft } from '../work-orders/rules/order-time-left.models';

/** The path the app serves an offline tile folder under (MAP_TILE_DIR). */
export const OFFLINE_TILE_PATH = '/map-tiles';

export type TileConfig = {
  MAP_TILE_URL?: string | undefined;
  MAP_TILE_KEY?: string | undefined;
  MAP_TILE_SUBDOMAINS: string;
  MAP_TILE_DATUM: Datum;
  MAP_TILE_ATTRIBUTION?: string | undefined;
  MAP_TILE_DIR?: string | undefined;
  MAP_TILE_MAX_ZOOM: number;
};

/**
 * What the browser draws under the grids: nothing (a plain ground with a scale), the app's offline folder, or an
 * outside tile server whose exact origins (one per subdomain) the map pages' CSP lets images come from.
 */
export type TileSource =
  | { kind: 'none'; datum: 'wgs84' }
  | { kind: 'dir' | 'url'; template: string; subdomains: string; origins: string[]; datum: Datum; maxZoom: number; attribution: string };

export function tileSource(config: TileConfig): TileSource {
  const common = { datum: config.MAP_TILE_DATUM, maxZoom: config.MAP_TILE_MAX_ZOOM, attribution: config.MAP_TILE_ATTRIBUTION ?? '' };
  if (config.MAP_TILE_DIR) return { kind: 'dir', template: `${OFFLINE_TILE_PATH}/{z}/{x}/{y}`, subdomains: '', origins: [], ...common };
  if (!config.MAP_TILE_URL) return { kind: 'none', datum: 'wgs84' };
  const template = config.MAP_TILE_URL.replaceAll('{key}', encodeURIComponent(config.MAP_TILE_KEY ?? ''));
  const subdomains = template.includes('{s}') ? config.MAP_TILE_SUBDOMAINS : '';
  const hosts = subdomains ? [...subdomains].map((s) => template.replaceAll('{s}', s)) : [template];
  const origins = [...new Set(hosts.map((h) => new URL(h.replace(/\{[xyz]\}/g, '0')).origin))];
  return { kind: 'url', template, subdomains, origins, ...common };
}

/** The console's CSP (see console-base.ts), with the tile server's origins added to img-src and nothing else. */
export function mapPageCsp(tiles: TileSource): string {
  const images = ["'self'", 'data:', ...(tiles.kind === 'url' ? tiles.origins : [])].join(' ');
  return `default-src 'self'; img-src ${images}; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'`;
}

/**
 * An open order's marker colour, the most pressing first: overdue, nearly due (the list's amber, see
 * order-time-left.models), urgent, waiting on the resident, else on time (a submitted order not yet assigned
 * has no deadline and is on time).
 */
export type MarkerState = 'overdue' | 'nearly_due' | 'urgent' | 'paused' | 'on_time';
export const MARKER_STATES: readonly MarkerState[] = ['overdue', 'nearly_due', 'urgent', 'paused', 'on_time'];

export function markerState({ order, now, calendar }: { order: TimeLeftOrder; now: Date; calendar: WorkCalendar }): MarkerState {
  const left = timeLeft({ order, now, calendar });
  if (left?.state === 'overdue') return 'overdue';
  if (left?.state === 'nearly_due') return 'nearly_due';
  if (order.urgency === 'urgent') return 'urgent';
  if (left?.state === 'paused') return 'paused';
  return 'on_time';
}

/** The most pressing of several states (a grid's, a cluster's): the first in MARKER_STATES. */
export function worstState(states: Iterable<MarkerState>): MarkerState | null {
  let best: number | null = null;
  for (const s of states) {
    const i = MARKER_STATES.indexOf(s);
    if (best === null || i < best) best = i;
  }
  return best === null ? null : MARKER_STATES[best]!;
}

/** A stored WGS-84 point as [lng, lat] on the tiles' datum, rounded to 1e-7°. */
export function displayPosition(lng: number, lat: number, datum: Datum): [number, number] {
  const [x, y] = fromWgs84({ lat, lng, datum });
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7];
}

/** A stored WGS-84 boundary on the tiles' datum (the same object when the tiles are WGS-84). */
export function displayBoundary(boundary: Boundary, datum: Datum): Boundary {
  if (datum === 'wgs84') return boundary;
  const ring = (r: Position[]) => r.map(([lng, lat]) => displayPosition(lng!, lat!, datum));
  return boundary.type === 'Polygon'
    ? { type: 'Polygon', coordinates: boundary.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: boundary.coordinates.map((p) => p.map(ring)) };
}

/** At most this many points in one answer of the points endpoint, newest first; the answer says when it was cut. */
export const MAX_MAP_POINTS = 2_000;
