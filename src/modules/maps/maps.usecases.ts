import type { AppContext } from '../../app-context';
import type { SafeHtml } from '../../http/views/html';
import { html } from '../../http/views/html';
import type { WorkCalendar } from '../calendar/calendar.models';
import type { TimeLeftOrder } from '../work-orders/rules/order-time-left.models';
import { mapPageCsp, markerState, tileSource } from './maps.models';
import { gridShape } from './maps.queries';
import { mapHead, orderMapSection } from './maps.views';

/**
 * The order page's map, when the order has a point or its grid a boundary: the section, the <head> tags and
 * the CSP the page must carry (the tile server's origins). Nothing otherwise, and the page stays as it was.
 */
export async function orderMap({
  ctx,
  order,
  now,
  calendar,
}: {
  ctx: Pick<AppContext, 'db' | 'config'>;
  order: TimeLeftOrder & { gridId: number; lat: number | null; lng: number | null };
  now: Date;
  calendar: WorkCalendar;
}): Promise<{ section: SafeHtml; head?: SafeHtml; csp?: string }> {
  const grid = (await gridShape(ctx.db, order.gridId)) ?? null;
  const point = order.lat !== null && order.lng !== null ? { lat: order.lat, lng: order.lng } : null;
  if (!point && !grid?.boundary) return { section: html`` };
  const tiles = tileSource(ctx.config);
  return {
    section: orderMapSection({ tiles, point, state: markerState({ order, now, calendar }), grid }),
    head: mapHead,
    csp: mapPageCsp(tiles),
  };
}
