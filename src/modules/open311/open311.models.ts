/**
 * Open311 GeoReport v2 as pure rules: status mapping, which grid a request belongs to, the date window of a
 * search, and the spec's two formats (XML, the required one, and JSON). No I/O.
 */
import type { OrderStatus } from '../work-orders/work-orders.models';
import { dialablePhone } from '../../shared/text/phone';
import { type Boundary, gridForPoint } from '../grids/places.models';

export type Format = 'json' | 'xml';

export type Open311Status = 'open' | 'closed';

/** Open while someone still has to act; closed once resolved (awaiting or past the survey), cancelled, merged or 无效. */
export function open311Status(status: OrderStatus): Open311Status {
  return status === 'submitted' || status === 'assigned' || status === 'accepted' ? 'open' : 'closed';
}

export function statusesFor(filter: readonly Open311Status[]): OrderStatus[] {
  const all: OrderStatus[] = ['submitted', 'assigned', 'accepted', 'resolved', 'closed', 'cancelled', 'merged', 'invalid'];
  return all.filter((s) => filter.includes(open311Status(s)));
}

export type GridCandidate = { id: number; code: string; name: string; boundary?: Boundary | null };

export type GridMatch = { ok: true; gridId: number; how: 'address_id' | 'address_string' | 'point' | 'default' } | { ok: false };

/**
 * Which grid a request belongs to: `address_id` naming a grid's code; else the grid whose full name appears in
 * `address_string` (the longest name wins, so "第十一网格" is not taken for "第一网格"); else the grid whose
 * boundary contains the request's lat/long (WGS-84, as the GeoReport spec and FixMyStreet send it; see
 * gridForPoint); else the configured default grid; else none (the request is refused with 400).
 */
export function matchGrid({
  addressId,
  addressString,
  point,
  grids,
  defaultGridCode,
}: {
  addressId?: string | null;
  addressString?: string | null;
  /** The request's lat/long, WGS-84. */
  point?: { lat: number; lng: number } | null;
  grids: readonly GridCandidate[];
  defaultGridCode?: string | null;
}): GridMatch {
  if (addressId) {
    const byCode = grids.find((g) => g.code === addressId.trim());
    if (byCode) return { ok: true, gridId: byCode.id, how: 'address_id' };
  }
  if (addressString) {
    const text = addressString.replace(/\s+/g, '');
    const named = grids
      .filter((g) => g.name.length > 0 && text.includes(g.name))
      .sort((a, b) => b.name.length - a.name.length || a.code.localeCompare(b.code))[0];
    if (named) return { ok: true, gridId: named.id, how: 'address_string' };
  }
  if (point) {
    const placed = gridForPoint({ ...point, datum: 'wgs84', grids: grids.map((g) => ({ ...g, boundary: g.boundary ?? null })) });
    if (placed) return { ok: true, gridId: placed.id, how: 'point' };
  }
  if (defaultGridCode) {
    const fallback = grids.find((g) => g.code === defaultGridCode);
    if (fallback) return { ok: true, gridId: fallback.id, how: 'default' };
  }
  return { ok: false };
}

/**
 * The phone number by which an Open311 resident is found again. The spec has phone as free text: its digits, with a
 * leading + kept (see dialablePhone); text without a plausible number of digits names nobody (null), so it can
 * never tie two strangers' orders together.
 */
export function open311Phone(raw: string | undefined): string | null {
  return dialablePhone(raw);
}

/**
 * The spec limits a date-range search to 90 days; without dates it is the 90 days up to now, with a start alone
 * the 90 days from it (not past now; a start in the future is an empty window, not an error).
 */
export const MAX_RANGE_DAYS = 90;
const DAY_MS = 86_400_000;

export function searchWindow({ start, end, now }: { start?: Date; end?: Date; now: Date }): { ok: true; from: Date; to: Date } | { ok: false } {
  const to = end ?? (start ? new Date(Math.max(start.getTime(), Math.min(now.getTime(), start.getTime() + MAX_RANGE_DAYS * DAY_MS))) : now);
  const from = start ?? new Date(to.getTime() - MAX_RANGE_DAYS * DAY_MS);
  if (from.getTime() > to.getTime() || to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) return { ok: false };
  return { ok: true, from, to };
}

/** w3c date-time in China time, with its offset, as the spec requires ("2026-11-23T10:00:00+08:00"). */
export function w3cDateTime(d: Date): string {
  const shifted = new Date(d.getTime() + 8 * 3_600_000);
  return `${shifted.toISOString().slice(0, 19)}+08:00`;
}

// --- the two formats ---

export type Scalar = string | number | boolean | null;
export type Item = Record<string, Scalar>;

/** Characters XML 1.0 cannot carry at all (control characters a chat message may contain) are dropped. */
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function element(name: string, value: Scalar): string {
  if (value === null || value === '') return `<${name}/>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<root><item><key>value</key>…</item>…</root>` with the XML declaration, keys in the order given. */
export function toXml(root: string, itemName: string, items: readonly Item[]): string {
  const body = items
    .map((item) => `  <${itemName}>\n${Object.entries(item).map(([k, v]) => `    ${element(k, v)}`).join('\n')}\n  </${itemName}>`)
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>${body ? `\n${body}\n` : ''}</${root}>\n`;
}

export type Open311Error = { code: number; description: string };

export function errorsXml(errors: readonly Open311Error[]): string {
  return toXml('errors', 'error', errors.map((e) => ({ code: e.code, description: e.description })));
}

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The format a URL asks for (`….json` / `….xml`); XML when unclear, being the spec's required format. */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0] ?? '';
  return path.endsWith('.json') ? 'json' : 'xml';
}
