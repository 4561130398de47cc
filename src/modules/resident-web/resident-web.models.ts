/**
 * The resident page's rules (扫码报事), pure: what a report holds, the bounds on it, the per-address limits,
 * which grid a report belongs to, how long a tracking link lives, and what of an order's timeline a resident
 * may see. No I/O.
 */
import { type PlacedGrid, gridForPoint, storedPoint } from '../grids/places.models';
import type { Actor } from '../people/people.models';
import { type OrderState, type OrderStatus, isAboveOrder, isOnOrder } from '../work-orders/work-orders.models';
import type { Boundary } from '../grids/places.models';

/** A photo as saved under DATA_DIR (like a chat attachment's file). */
export type WebPhoto = { storagePath: string; sizeBytes: number; mime: string; originalName: string | null };

/** What the resident sent, as received (kept on the `web_reports` row before anything else happens). */
export type WebReportPayload = {
  text: string;
  phone: string | null;
  locationText: string | null;
  /** WGS-84, as the browser's geolocation gives it and as every point is stored (`storedPoint`). */
  lat: number | null;
  lng: number | null;
  photos: WebPhoto[];
  /** The open orders offered as possible duplicates, when the report was held for that question. */
  candidates?: number[];
};

/** Bounds of one report and of one address's reports. */
export const WEB_LIMITS = {
  /** Photos with one report, and in all through the tracking page for one order. */
  photosPerReport: 4,
  photosPerOrder: 9,
  /** Largest photo kept (also never above ATTACHMENT_MAX_BYTES). */
  photoBytes: 8 * 1024 * 1024,
  locationText: 200,
  phone: 40,
  comment: 500,
  /** Reports from one client address: per rolling hour, and per rolling day. */
  perHour: 5,
  perDay: 20,
  /**
   * Photos added on tracking pages from one client address, across all orders: per rolling hour and day. A
   * resident adding every photo an order allows (9) to three orders in one hour stays under the hourly bound; the
   * daily one is over ten orders' worth, while the address may file only 20 reports a day.
   */
  uploadsPerHour: 30,
  uploadsPerDay: 100,
} as const;

/** The photo types a phone's camera gives and a browser shows, told by the first bytes. */
export const WEB_PHOTO_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** Which limit, if any, a new report from an address would pass, given the reports it already sent. */
export function limitReached({ lastHour, lastDay }: { lastHour: number; lastDay: number }): 'hour' | 'day' | null {
  if (lastDay >= WEB_LIMITS.perDay) return 'day';
  if (lastHour >= WEB_LIMITS.perHour) return 'hour';
  return null;
}

/**
 * Which limit, if any, photos added from an address would pass, given the photos it added in the last hour and
 * day (this upload not included). Every upload counts at least one, so refused ones are bounded too.
 */
export function uploadLimitReached({ lastHour, lastDay, adding }: { lastHour: number; lastDay: number; adding: number }): 'hour' | 'day' | null {
  const n = Math.max(1, adding);
  if (lastDay + n > WEB_LIMITS.uploadsPerDay) return 'day';
  if (lastHour + n > WEB_LIMITS.uploadsPerHour) return 'hour';
  return null;
}

/** A point the browser gave, or null when it is absent or not a place on Earth. */
export function pointOf(lat: number | null, lng: number | null): { lat: number; lng: number } | null {
  if (lat === null || lng === null || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0)) return null;
  // Browser geolocation is WGS-84: stored through the one entry every intake uses (rounded to 1e-7°).
  return storedPoint({ lat, lng, datum: 'wgs84' });
}

/** The district a unit belongs to: the first id of its materialised path ("/1/3/7/" → "1"). */
export const districtOf = (path: string): string => path.split('/')[1] ?? '';

export type GridWithPath = PlacedGrid & { path: string; boundary: Boundary | null };

/**
 * The grid a report is filed in: the grid whose boundary holds the resident's point, when there is one in the
 * poster's district (a poster in one district never files into another); else the poster's grid.
 */
export function reportGrid({
  poster,
  point,
  grids,
}: {
  poster: { id: number; path: string };
  point: { lat: number; lng: number } | null;
  grids: readonly GridWithPath[];
}): { gridId: number; byPoint: boolean } {
  if (!point) return { gridId: poster.id, byPoint: false };
  const district = districtOf(poster.path);
  const found = gridForPoint({ ...point, datum: 'wgs84', grids: grids.filter((g) => districtOf(g.path) === district) });
  return found ? { gridId: found.id, byPoint: found.id !== poster.id } : { gridId: poster.id, byPoint: false };
}

/** Days a tracking link keeps working after its order is closed (archived, withdrawn, merged or invalid). */
export const LINK_DAYS_AFTER_CLOSE = 90;

export type LinkState = 'ok' | 'revoked' | 'expired';

export function linkState({ revokedAt, closedAt, now }: { revokedAt: Date | null; closedAt: Date | null; now: Date }): LinkState {
  if (revokedAt) return 'revoked';
  if (closedAt && now.getTime() - closedAt.getTime() > LINK_DAYS_AFTER_CLOSE * 86_400_000) return 'expired';
  return 'ok';
}

/** When a link stops working: 90 days after its order closed; null while the order is open (no date yet). */
export function linkExpiresAt(closedAt: Date | null): Date | null {
  return closedAt ? new Date(closedAt.getTime() + LINK_DAYS_AFTER_CLOSE * 86_400_000) : null;
}

/**
 * Who may revoke an order's tracking links from the console: staff who may act on the order (on it, or above it,
 * as for a 回访 by phone), admins always. Others who may only see the order see the links' state.
 */
export function canRevokeLinks(actor: Actor | undefined, order: OrderState): boolean {
  return actor !== undefined && (isOnOrder(actor, order) || isAboveOrder(actor, order));
}

/** The longest reason kept for revoking a link. */
export const REVOKE_REASON_MAX = 500;

/** Statuses in which the resident may still add a photo. */
const PHOTO_STATUSES: readonly OrderStatus[] = ['submitted', 'assigned', 'accepted', 'resolved'];
export const canAddPhoto = (status: OrderStatus) => PHOTO_STATUSES.includes(status);

/**
 * What of an order's timeline a resident sees: 'note' with what was said to residents, 'label' with the step
 * only, 'owner' with the note for the order's own resident only (what they and staff said to each other),
 * absent = staff-only (internal notes, 督办, extension requests, reminders, category changes).
 */
export const PUBLIC_EVENTS: Readonly<Record<string, 'note' | 'label' | 'owner'>> = {
  submit: 'label',
  assign: 'label',
  reassign: 'label',
  accept: 'label',
  progress: 'note',
  resolve: 'note',
  escalate: 'label',
  return: 'label',
  approve_extension: 'label',
  cancel: 'owner',
  merge: 'label',
  survey: 'label',
  reopen: 'label',
  survey_timeout: 'label',
  ask_resident: 'owner',
  resident_reply: 'owner',
  resident_info: 'owner',
  urge: 'owner',
  invalidate: 'note',
  reply: 'owner',
  support: 'label',
  attachment: 'label',
};

export type TimelineEvent = { type: string; at: Date; note: string | null; staffName: string | null; staffRole: string | null; byResident: boolean };
export type PublicEvent = { type: string; at: Date; note: string | null; staff: { surname: string; role: string } | null; byYou: boolean };

/** The timeline as the resident may see it; staff appear by role and surname only, other residents not at all. */
export function publicTimeline(events: readonly TimelineEvent[], { owner }: { owner: boolean }): PublicEvent[] {
  const out: PublicEvent[] = [];
  for (const e of events) {
    const rule = PUBLIC_EVENTS[e.type];
    if (!rule) continue;
    const showNote = rule === 'note' || (rule === 'owner' && owner);
    if (rule === 'owner' && !owner && e.byResident) continue;
    out.push({
      type: e.type,
      at: e.at,
      note: showNote ? e.note : null,
      staff: e.staffName ? { surname: surnameOf(e.staffName), role: e.staffRole ?? '' } : null,
      byYou: owner && e.byResident,
    });
  }
  return out;
}

/** Two-character compound surnames common enough to matter; any other name's surname is its first character. */
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯', '长孙', '宇文'];

export function surnameOf(name: string): string {
  const trimmed = name.trim();
  const compound = COMPOUND_SURNAMES.find((s) => trimmed.startsWith(s));
  return compound ?? [...trimmed][0] ?? '';
}
