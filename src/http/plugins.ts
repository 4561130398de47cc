import type { HttpPlugin } from './app';

/** The console's feature routes, in registration order. */
export const consolePlugins: HttpPlugin[] = [];

// --- the console (issue 5): the base (cookies, forms, /static) must come before every page plugin ---
import { consoleBase } from './console-base';
import { authRoutes } from '../modules/auth/auth.routes';
import { workOrderRoutes } from '../modules/work-orders/console/orders.routes';
import { gridRoutes } from '../modules/grids/grids.routes';
import { staffRoutes } from '../modules/people/staff.routes';
import { groupRoutes } from '../modules/chat/groups.routes';
import { categoryRoutes } from '../modules/categories/categories.routes';
import { calendarRoutes } from '../modules/calendar/calendar.routes';
import { outboxRoutes } from '../modules/notifications/outbox.routes';
import { auditRoutes } from '../modules/audit/audit.routes';
consolePlugins.push(consoleBase, authRoutes, workOrderRoutes, gridRoutes, staffRoutes, groupRoutes, categoryRoutes, calendarRoutes, outboxRoutes, auditRoutes);

// --- the figures (统计), the public disclosure page (定期公示) (issue 5, figures) ---
import { statsRoutes } from '../modules/stats/stats.routes';
import { publicRoutes } from '../modules/stats/public.routes';
consolePlugins.push(statsRoutes, publicRoutes);

// --- the stored reports (报告) the jobs' messages link to ---
import { reportRoutes } from '../modules/reports/reports.routes';
consolePlugins.push(reportRoutes);

// --- Open311 GeoReport v2 and its OpenAPI docs at /docs (issue 5, figures/Open311); the docs come first ---
import { openApiDocs } from '../modules/open311/openapi.routes';
import { open311Routes } from '../modules/open311/open311.routes';
consolePlugins.push(openApiDocs, open311Routes);

// --- the maps (地图, the order page's map) and Leaflet's files ---
import { mapRoutes } from '../modules/maps/maps.routes';
consolePlugins.push(mapRoutes);
