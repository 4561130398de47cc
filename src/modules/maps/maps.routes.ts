import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpPlugin } from '../../http/app';
import { sendPage } from '../../http/views/page';
import { mapsTexts } from '../../i18n/zh-CN.maps';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { scopeOf } from '../auth/auth.models';
import { MAX_MAP_POINTS, displayBoundary, displayPosition, mapPageCsp, markerState, tileSource } from './maps.models';
import { openOrderPoints, scopeGrids } from './maps.queries';
import { mapHead, mapPageBody } from './maps.views';

const require = createRequire(import.meta.url);
const leafletDist = dirname(require.resolve('leaflet/dist/leaflet.js'));
const clusterDist = dirname(require.resolve('leaflet.markercluster/dist/leaflet.markercluster.js'));

/** The only vendor files served, from the installed packages (no CDN): name → file and type. */
const VENDOR: Record<string, [string, string]> = {
  'leaflet.js': [join(leafletDist, 'leaflet.js'), 'text/javascript; charset=utf-8'],
  'leaflet.css': [join(leafletDist, 'leaflet.css'), 'text/css; charset=utf-8'],
  'leaflet.markercluster.js': [join(clusterDist, 'leaflet.markercluster.js'), 'text/javascript; charset=utf-8'],
  'MarkerCluster.css': [join(clusterDist, 'MarkerCluster.css'), 'text/css; charset=utf-8'],
  'MarkerCluster.Default.css': [join(clusterDist, 'MarkerCluster.Default.css'), 'text/css; charset=utf-8'],
  // leaflet.css refers to its images relatively (images/…).
  'images/layers.png': [join(leafletDist, 'images/layers.png'), 'image/png'],
  'images/layers-2x.png': [join(leafletDist, 'images/layers-2x.png'), 'image/png'],
  'images/marker-icon.png': [join(leafletDist, 'images/marker-icon.png'), 'image/png'],
  'images/marker-icon-2x.png': [join(leafletDist, 'images/marker-icon-2x.png'), 'image/png'],
  'images/marker-shadow.png': [join(leafletDist, 'images/marker-shadow.png'), 'image/png'],
};
const vendorCache = new Map<string, Promise<Buffer>>();

const TILE_TYPES: [string, string][] = [
  ['.png', 'image/png'],
  ['.jpg', 'image/jpeg'],
  ['.jpeg', 'image/jpeg'],
  ['.webp', 'image/webp'],
];

const pointsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_MAP_POINTS).catch(MAX_MAP_POINTS).default(MAX_MAP_POINTS),
});
const tileParams = z.object({
  z: z.coerce.number().int().min(0).max(22),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

/**
 * 地图: the open orders of the user's area on a map, clustered, coloured by how pressing they are, over the
 * grids' boundaries labelled with their open counts; the two GeoJSON feeds it draws from; Leaflet's files; and
 * the offline tile folder when MAP_TILE_DIR is set.
 */
export const mapRoutes: HttpPlugin = async (plain, { ctx }) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const guard = requireStaff({ ctx });
  const tiles = tileSource(ctx.config);

  const sendVendor = async (name: string, reply: import('fastify').FastifyReply) => {
    const file = VENDOR[name];
    if (!file) return reply.status(404).send({ error: 'NOT_FOUND', message: 'no such file' });
    let body = vendorCache.get(name);
    if (!body) {
      body = readFile(file[0]);
      vendorCache.set(name, body);
    }
    return reply.type(file[1]).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff').send(await body);
  };
  app.get<{ Params: { name: string } }>('/vendor/leaflet/:name', async (request, reply) => sendVendor(request.params.name, reply));
  app.get<{ Params: { name: string } }>('/vendor/leaflet/images/:name', async (request, reply) => sendVendor(`images/${request.params.name}`, reply));

  if (tiles.kind === 'dir') {
    const root = resolve(ctx.config.MAP_TILE_DIR!);
    app.get('/map-tiles/:z/:x/:y', { schema: { params: tileParams, hide: true } }, async (request, reply) => {
      const { z: zoom, x, y } = request.params;
      const size = 2 ** zoom;
      if (x >= size || y >= size) return reply.status(404).send({ error: 'NOT_FOUND', message: 'no such tile' });
      for (const [ext, type] of TILE_TYPES) {
        const path = resolve(root, String(zoom), String(x), `${y}${ext}`);
        if (!path.startsWith(root + sep)) break;
        const body = await readFile(path).catch(() => null);
        if (body) return reply.type(type).header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff').send(body);
      }
      return reply.status(404).send({ error: 'NOT_FOUND', message: 'no such tile' });
    });
  }

  app.get('/console/map', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const grids = await scopeGrids({ db: ctx.db, scope: scopeOf(user), now: ctx.clock.now() });
    reply.header('content-security-policy', mapPageCsp(tiles));
    return sendPage(request, reply, { title: mapsTexts.title, active: 'map', head: mapHead, body: mapPageBody({ tiles, grids, limit: MAX_MAP_POINTS }) });
  });

  // The points in GeoJSON (RFC 7946 positions [lng, lat]) on the tiles' datum, stated in the foreign member
  // `datum`; `cut` says the newest `limit` were kept of more.
  app.get('/console/map/orders.geojson', { schema: { querystring: pointsQuery, hide: true }, preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const now = ctx.clock.now();
    const [{ rows, cut }, calendar] = await Promise.all([
      openOrderPoints({ db: ctx.db, scope: scopeOf(user), staffId: user.staffId, limit: request.query.limit }),
      ctx.calendar.get(),
    ]);
    return reply
      .type('application/geo+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send({
        type: 'FeatureCollection',
        datum: tiles.datum,
        limit: request.query.limit,
        cut,
        features: rows.map((r) => ({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: displayPosition(r.lng, r.lat, tiles.datum) },
          properties: { no: r.no, text: r.text, status: r.status, urgency: r.urgency, state: markerState({ order: r, now, calendar }), gridId: r.gridId, url: `/console/orders/${r.no}` },
        })),
      });
  });

  app.get('/console/map/grids.geojson', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const grids = await scopeGrids({ db: ctx.db, scope: scopeOf(user), now: ctx.clock.now() });
    return reply
      .type('application/geo+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send({
        type: 'FeatureCollection',
        datum: tiles.datum,
        features: grids
          .filter((g) => g.boundary !== null)
          .map((g) => ({
            type: 'Feature',
            geometry: displayBoundary(g.boundary!, tiles.datum),
            properties: { id: g.id, code: g.code, name: g.name, open: g.open, overdue: g.overdue, count: mapsTexts.gridCount(g.open, g.overdue), label: mapsTexts.gridLabel(g.name, g.open, g.overdue) },
          })),
      });
  });
};
