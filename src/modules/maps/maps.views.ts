/** The map page and the order page's map: server-rendered shells that console-map.js draws into with Leaflet. */
import { mapsClientTexts, mapsTexts as t } from '../../i18n/zh-CN.maps';
import { type SafeHtml, html } from '../../http/views/html';
import type { Boundary } from '../grids/places.models';
import { type MarkerState, MARKER_STATES, type TileSource, displayBoundary, displayPosition } from './maps.models';
import type { MapGridRow } from './maps.queries';

/** The <head> tags of a page with a map: Leaflet and the cluster plugin from the installed packages, then ours. */
export const mapHead: SafeHtml = html`<link rel="stylesheet" href="/vendor/leaflet/leaflet.css"><link rel="stylesheet" href="/vendor/leaflet/MarkerCluster.css"><link rel="stylesheet" href="/vendor/leaflet/MarkerCluster.Default.css"><link rel="stylesheet" href="/static/console-map.css"><script src="/vendor/leaflet/leaflet.js" defer></script><script src="/vendor/leaflet/leaflet.markercluster.js" defer></script><script src="/static/console-map.js" defer></script>`;

/** What the browser needs of the tiles (never the config itself). */
function tilesJson(tiles: TileSource): string {
  return JSON.stringify(tiles.kind === 'none' ? {} : { template: tiles.template, subdomains: tiles.subdomains, maxZoom: tiles.maxZoom, attribution: tiles.attribution });
}

function tilesNote(tiles: TileSource): SafeHtml {
  const base = tiles.kind === 'none' ? t.noTiles : tiles.kind === 'dir' ? t.offlineTiles : '';
  return html`<p class="muted small map-note">${base} ${t.datumNote(tiles.datum)}</p>`;
}

function legend(): SafeHtml {
  return html`<ul class="map-legend" aria-label="${t.legend}">${MARKER_STATES.map(
    (s) => html`<li><span class="map-pin pin-${s}" aria-hidden="true"></span>${t.states[s]}</li>`,
  )}</ul>`;
}

const OPEN_QUERY = 'status=submitted,assigned,accepted';

export function mapPageBody({ tiles, grids, limit }: { tiles: TileSource; grids: MapGridRow[]; limit: number }): SafeHtml {
  return html`
<section class="card">
  <p class="muted">${t.intro}</p>
  <div id="order-map" class="map map-overview" role="region" aria-label="${t.mapLabel}" data-map="overview"
    data-points="/console/map/orders.geojson?limit=${limit}" data-grids="/console/map/grids.geojson"
    data-tiles="${tilesJson(tiles)}" data-texts="${JSON.stringify(mapsClientTexts)}"></div>
  <noscript><p class="flash flash-info">${t.noScript}</p></noscript>
  ${legend()}
  ${tilesNote(tiles)}
  <p class="muted small" id="map-cut" hidden>${t.cut(limit)}</p>
</section>
<section class="card">
  <h2>${t.byGrid}</h2>
  ${grids.length === 0
    ? html`<p class="muted">${t.noGrids}</p>`
    : html`<table class="table" id="map-grids"><thead><tr><th>${t.grid}</th><th>${t.code}</th><th>${t.open}</th><th>${t.overdue}</th><th>${t.boundary}</th></tr></thead>
    <tbody>${grids.map(
      (g) => html`<tr><td><a href="/console/orders?unit=${g.id}&amp;${OPEN_QUERY}">${g.name}</a></td><td>${g.code}</td><td>${g.open}</td><td>${g.overdue || ''}</td><td>${g.boundary ? t.hasBoundary : t.noBoundary}</td></tr>`,
    )}</tbody></table>`}
</section>`;
}

/**
 * The order page's map: the order's point and its grid's boundary, whichever it has; nothing when it has
 * neither. The positions are shifted onto the tiles' datum here, so the script draws them as they come.
 */
export function orderMapSection({
  tiles,
  point,
  state,
  grid,
}: {
  tiles: TileSource;
  point: { lat: number; lng: number } | null;
  state: MarkerState;
  grid: { name: string; boundary: Boundary | null } | null;
}): SafeHtml {
  const boundary = grid?.boundary ?? null;
  if (!point && !boundary) return html``;
  const shown = point ? displayPosition(point.lng, point.lat, tiles.datum) : null;
  const gridJson = boundary ? JSON.stringify({ type: 'Feature', properties: { name: grid!.name }, geometry: displayBoundary(boundary, tiles.datum) }) : '';
  return html`<section class="card" id="order-location">
  <h2>${t.location}</h2>
  <div class="map map-order" role="region" aria-label="${t.orderMapLabel}" data-map="order" data-tiles="${tilesJson(tiles)}"
    data-texts="${JSON.stringify(mapsClientTexts)}"${shown ? html` data-point="${JSON.stringify(shown)}" data-state="${state}"` : ''}${gridJson ? html` data-grid="${gridJson}"` : ''}></div>
  ${point ? html`<p class="muted small">${t.coordinates(point.lat, point.lng)}</p>` : html`<p class="muted small">${t.noPoint}</p>`}
  ${tilesNote(tiles)}
</section>`;
}
