import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { HttpPlugin } from '../../http/app';
import { html } from '../../http/views/html';
import { redirectWithFlash, sendNotFound, sendPage } from '../../http/views/page';
import { statsTexts as t } from '../../i18n/zh-CN.stats';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { type Scope, inScope, isAdminUser, scopeOf } from '../auth/auth.models';
import { addDays, chinaDate } from '../calendar/calendar.models';
import { loadDashboard } from './dashboard.usecases';
import { checkPeriod, monthPeriod, monthToDate, previousMonth, weekStart } from './periods.models';
import { type UnitRow, loadAllUnits } from './units.repository';
import { rebuildStats, refreshIfStale } from './stats.usecases';
import { type DashboardLinks, dashboardBody } from './stats.views';
import type { Period } from './stats.models';
import { parseDbId } from '../../shared/ids';

/** The pages refresh the rollup themselves when the last refresh is older than this (the job keeps it fresher). */
export const PAGE_MAX_STALENESS_MS = 60_000;

const DASHBOARD_ROLES = ['admin', 'officer', 'leader', 'assistant'] as const;

const dashboardQuery = z.object({
  unit: z.string().regex(/^\d{1,9}$/).optional(),
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
});

/** Refreshes before a read; a failed refresh must not take the page down (it shows the last figures). */
export async function freshEnough(ctx: AppContext): Promise<void> {
  try {
    await refreshIfStale({ deps: ctx, maxAgeMs: PAGE_MAX_STALENESS_MS });
  } catch (error) {
    ctx.log.error({ err: error }, 'stats refresh failed; showing the last figures');
  }
}

/** The unit a user lands on: the district for admins, else the topmost unit they hold a role at. */
function defaultUnit(scope: Scope, units: UnitRow[]): UnitRow | undefined {
  const visible = units.filter((u) => inScope(scope, u.path));
  return visible.sort((a, b) => a.path.length - b.path.length || a.id - b.id)[0];
}

function presets(now: Date): { label: string; from: string; to: string }[] {
  const today = chinaDate(now);
  const last = monthPeriod(previousMonth(today.slice(0, 7)));
  return [
    { label: t.presets.thisMonth, ...monthToDate(now) },
    { label: t.presets.lastMonth, ...last },
    { label: t.presets.thisYear, from: `${today.slice(0, 4)}-01-01`, to: today },
    { label: t.presets.last12Weeks, from: addDays(weekStart(today), -77), to: today },
  ];
}

function selfLink(q: { unit?: number; from?: string; to?: string }): string {
  const params = new URLSearchParams();
  if (q.unit !== undefined) params.set('unit', String(q.unit));
  if (q.from) params.set('from', q.from);
  if (q.to) params.set('to', q.to);
  return `/console/dashboard?${params.toString()}`;
}

const echartsFile = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
let echartsBody: Promise<Buffer> | undefined;

/**
 * 统计: the figures of the user's area (officers their subtree, leaders their grid, admins everything), with the
 * charts drawn by ECharts from the installed package.
 */
export const statsRoutes: HttpPlugin = async (plain, { ctx }) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();

  app.get('/vendor/echarts.min.js', async (_request, reply) => {
    echartsBody ??= readFile(echartsFile);
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(await echartsBody);
  });

  app.get(
    '/console/dashboard',
    { schema: { querystring: dashboardQuery, hide: true }, preHandler: requireStaff({ ctx, roles: [...DASHBOARD_ROLES] }) },
    async (request, reply) => {
      const user = currentUser(request);
      const scope = scopeOf(user);
      const units = await loadAllUnits(ctx.db);
      const unit = request.query.unit ? units.find((u) => u.id === parseDbId(request.query.unit)) : defaultUnit(scope, units);
      if (!unit || !inScope(scope, unit.path)) return sendNotFound(request, reply);

      const now = ctx.clock.now();
      let period: Period = monthToDate(now);
      const flash: { kind: 'error'; text: string }[] = [];
      if (request.query.from || request.query.to) {
        const checked = checkPeriod({ from: request.query.from ?? period.from, to: request.query.to ?? period.to });
        if (checked.ok) period = checked.period;
        else flash.push({ kind: 'error', text: t.badPeriod[checked.reason] });
      }

      await freshEnough(ctx);
      const d = await loadDashboard({ db: ctx.db, categories: await ctx.categories.all(), scopeUnitId: unit.id, period });
      if (!d) return sendNotFound(request, reply);
      const choosable = units.filter((u) => inScope(scope, u.path) && (u.level !== 'grid' || u.id === unit.id || u.parentId === unit.id));
      const links: DashboardLinks = { self: selfLink, presets: presets(now) };
      return sendPage(request, reply, {
        title: t.title,
        active: 'dashboard',
        flash,
        head: html`<link rel="stylesheet" href="/static/stats.css"><script src="/vendor/echarts.min.js" defer></script><script src="/static/stats-dashboard.js" defer></script>`,
        body: dashboardBody({ d, units: choosable, links, canRebuild: isAdminUser(user), csrf: user }),
      });
    },
  );

  app.post(
    '/console/dashboard/rebuild',
    { schema: { hide: true }, preHandler: requireStaff({ ctx, roles: ['admin'] }) },
    async (request, reply) => {
      const result = await rebuildStats({ deps: ctx });
      const flash = result.status === 'busy' ? { kind: 'error' as const, text: t.busy } : { kind: 'ok' as const, text: t.rebuilt(result.orders) };
      return redirectWithFlash(request, reply, '/console/dashboard', flash, ctx.config.COOKIE_SECURE);
    },
  );
};
