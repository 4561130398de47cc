import { createReadStream } from 'node:fs';
import { orderMap } from '../../maps/maps.usecases';
import { stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../../app-context';
import type { HttpPlugin } from '../../../http/app';
import { redirectWithFlash, sendNotFound, sendPage } from '../../../http/views/page';
import { ROLE_LABELS, STATUS_LABELS, SURVEY_LABELS, URGENCY_LABELS } from '../../../i18n/zh-CN';
import { consoleTexts } from '../../../i18n/zh-CN.console';
import { formatDateTime } from '../../../i18n/format';
import { isDomainError } from '../../../shared/errors/domain-error';
import { CSV_BOM, csvLine as csvRow } from '../../../shared/text/csv';
import { writeAudit } from '../../audit/audit.usecases';
import { currentUser, requireStaff } from '../../auth/auth.guard';
import { type ConsoleUser, type Scope, inScope, scopeOf } from '../../auth/auth.models';
import { orderThread } from '../../chat/thread.repository';
import { departments } from '../../departments/departments.table';
import { gridUnits } from '../../grids/grids.table';
import { staff, staffRoles } from '../../people/staff.table';
import { phoneSurveyTexts } from '../../../i18n/zh-CN.survey';
import { ACTION_TEXTS, CONSOLE_ACTIONS, availableActions, commandOf } from './form-actions';
import { toState, loadStaffActor } from '../work-orders.repository';
import { escapeLike, countOrders, exportOrders, getOrderPage, listOrders, scopeCondition } from './orders.queries';
import { type OrderActionName, batchActionForm, orderActionForms, parseOrderListQuery } from './orders.schemas';
import { workOrders, attachments } from '../work-orders.table';
import { orderPageBody } from './order-page.views';
import { loadOrderDepartments } from '../../departments/order-departments.queries';
import { orderDepartmentsSection } from '../../departments/order-departments.views';
import { linksOfOrder } from '../../resident-web/resident-web.repository';
import { canRevokeLinks } from '../../resident-web/resident-web.models';
import { orderTrackingLinksSection } from '../../resident-web/order-tracking-links.views';
import { extensionOf, servedAs } from '../rules/attachments.models';
import { type Option, formatLimit, orderListBody } from './orders.views';
import { parseDbId } from '../../../shared/ids';
import { levelName, sortTree } from '../../grids/grids.models';

const t = consoleTexts.orders;
const csvLine = (fields: readonly unknown[]) => csvRow(fields, formatDateTime);

// A user without a unit (a department's staff) has no units to pick from: an empty join would be no condition.
const unitsWhere = (scope: Scope) =>
  scope.all ? undefined : scope.paths.length === 0 ? sql`false` : sql.join(scope.paths.map((p) => sql`${gridUnits.path} like ${`${escapeLike(p)}%`}`), sql` or `);

/** Units in the user's scope, indented by depth, for the grid/area filter. */
async function unitOptions(ctx: AppContext, scope: Scope): Promise<Option[]> {
  const units = await ctx.db
    .select({ id: gridUnits.id, name: gridUnits.name, path: gridUnits.path })
    .from(gridUnits)
    .where(unitsWhere(scope))
    .orderBy(gridUnits.path)
    .limit(3000);
  const depth = (path: string) => Math.max(0, path.split('/').filter(Boolean).length - 1);
  return sortTree(units).map((u) => ({ value: u.id, label: `${'　'.repeat(depth(u.path))}${u.name}` }));
}

/** Handling staff (not informants) with a role inside the user's scope, with that role's unit path. */
async function scopedStaff(ctx: AppContext, scope: Scope) {
  return ctx.db
    .selectDistinct({ id: staff.id, name: staff.name, role: staffRoles.role, path: gridUnits.path })
    .from(staff)
    .innerJoin(staffRoles, eq(staffRoles.staffId, staff.id))
    .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .where(and(eq(staff.active, true), sql`${staffRoles.role} <> 'informant'`, unitsWhere(scope)))
    .orderBy(gridUnits.path, staff.name)
    .limit(2000);
}

type ScopedStaff = Awaited<ReturnType<typeof scopedStaff>>;

function staffOptions(people: ScopedStaff): Option[] {
  const seen = new Set<number>();
  return people.flatMap((p) => (seen.has(p.id) ? [] : (seen.add(p.id), [{ value: p.id, label: `${p.name}（${ROLE_LABELS[p.role]}）` }])));
}

/** The departments an order list can be filtered by: all active ones for admins and officers, else the user's own. */
async function departmentOptions(ctx: AppContext, user: ConsoleUser): Promise<Option[]> {
  const own = (user.departments ?? []).map((d) => d.departmentId);
  const wide = user.roles.some((r) => r.role === 'admin' || r.role === 'officer');
  if (!wide && own.length === 0) return [];
  const found = await ctx.db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.active, true), wide ? undefined : inArray(departments.id, own)))
    .orderBy(departments.code);
  return found.map((d) => ({ value: d.id, label: d.name }));
}

async function categoryOptions(ctx: AppContext): Promise<Option[]> {
  return (await ctx.categories.all()).filter((c) => c.active).map((c) => ({ value: c.id, label: c.name }));
}

/** Handling staff who could take this order: in the user's scope, at the order's grid, its chain, or its town. */
function assignCandidates(people: ScopedStaff, gridPath: string): Option[] {
  const segments = gridPath.split('/').filter(Boolean);
  const townPath = segments.length >= 2 ? `/${segments.slice(0, 2).join('/')}/` : gridPath;
  return staffOptions(people.filter((p) => gridPath.startsWith(p.path) || p.path.startsWith(townPath)));
}

/** The order by number if the user may see it: the same undefined for "no such order" and "not yours". */
export async function findVisibleOrder(ctx: AppContext, user: ConsoleUser, no: number | undefined) {
  if (no === undefined) return undefined;
  const [found] = await ctx.db
    .select({ row: workOrders, unitPath: sql<string>`(select path from grid_units where id = ${workOrders.unitId})` })
    .from(workOrders)
    .where(and(eq(workOrders.no, no), scopeCondition(scopeOf(user), user.staffId)));
  return found ? { row: found.row, state: toState(found.row, found.unitPath) } : undefined;
}


/** Back to the list page the batch came from (its filters kept), never to another site. */
function safeListUrl(referer: string): string | null {
  try {
    const url = new URL(referer, 'http://local');
    return url.pathname === '/console/orders' ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

async function* prepend<T>(head: T, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  yield head;
  yield* rest;
}

export const workOrderRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx });

  app.get('/console/orders', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const scope = scopeOf(user);
    const { query, filters } = parseOrderListQuery(request.query);
    const now = ctx.clock.now();
    const args = { db: ctx.db, scope, staffId: user.staffId, filters, now, tokenize: ctx.tokenize };
    const [page, count, units, people, categories, calendar, departmentList] = await Promise.all([
      listOrders({ ...args, page: { after: query.after ? { id: query.after } : undefined, limit: 50, sort: query.sort ?? 'newest' } }),
      countOrders(args),
      unitOptions(ctx, scope),
      scopedStaff(ctx, scope),
      categoryOptions(ctx),
      ctx.calendar.get(),
      departmentOptions(ctx, user),
    ]);
    const options = { units, assignees: staffOptions(people), categories, departments: departmentList };
    // Batch 督办/派单 is for those who supervise: officers and admins (each order is still checked on its own).
    const batch = user.roles.some((r) => r.role === 'officer' || r.role === 'admin') ? { csrfToken: user.csrfToken } : null;
    return sendPage(request, reply, {
      title: t.title,
      active: 'orders',
      body: orderListBody({ rows: page.rows, query, next: page.next?.id ?? null, count, now, calendar, options, batch }),
    });
  });

  /**
   * 批量督办 / 批量派单 on the ticked orders of the list: each order goes through the same use case, rules and audit
   * as on its own page; the ones the rules refuse (or the user may not see) are listed with the reason, the rest done.
   */
  app.post('/console/orders/batch', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const back = (request.headers.referer && safeListUrl(request.headers.referer)) || '/console/orders';
    const flash = (kind: 'ok' | 'error', text: string) => redirectWithFlash(request, reply, back, { kind, text }, ctx.config.COOKIE_SECURE);
    const parsed = batchActionForm.safeParse(request.body ?? {});
    if (!parsed.success) return flash('error', t.batch.invalid);
    const { nos, action, note, staffId } = parsed.data;
    if (action === 'supervise' && !note) return flash('error', t.batch.noteNeeded);
    if (action === 'assign' && staffId === undefined) return flash('error', t.batch.staffNeeded);
    const actor = await loadStaffActor(ctx.db, user.staffId);
    if (!actor) return flash('error', consoleTexts.common.forbidden);
    const done: number[] = [];
    const refused: { no: number; reason: string }[] = [];
    for (const no of nos) {
      const order = await findVisibleOrder(ctx, user, no);
      if (!order) {
        refused.push({ no, reason: t.batch.notFound });
        continue;
      }
      const form = action === 'supervise' ? { note: note! } : { staffId: staffId!, note: note || undefined };
      try {
        const outcome =
          action === 'supervise'
            ? await CONSOLE_ACTIONS.supervise({ deps: ctx.orderDeps, id: order.row.id, actor, form: form as { note: string } })
            : await CONSOLE_ACTIONS.assign({ deps: ctx.orderDeps, id: order.row.id, actor, form: form as { staffId: number; note?: string } });
        await writeAudit({
          db: ctx.db,
          now: ctx.clock.now(),
          entry: {
            actorStaffId: user.staffId,
            action: `order.${commandOf(action, order.state)}`,
            targetType: 'order',
            targetId: no,
            data: { form, batch: true, from: outcome.before.status, to: outcome.after.status },
            ip: request.ip,
          },
        });
        done.push(no);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        refused.push({ no, reason: t.errors[error.code] });
      }
    }
    const label = t.batch.actions[action];
    return flash(refused.length === 0 ? 'ok' : 'error', t.batch.result(label, done, refused));
  });

  app.get('/console/orders.csv', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const { filters } = parseOrderListQuery(request.query);
    const now = ctx.clock.now();
    const batches = exportOrders({ db: ctx.db, scope: scopeOf(user), staffId: user.staffId, filters, now, tokenize: ctx.tokenize });
    // The first batch is read before any header goes out: a query that fails is an error response, not a
    // download that stops after a 200.
    const first = await batches.next();
    await writeAudit({
      db: ctx.db,
      now,
      entry: { actorStaffId: user.staffId, action: 'order.export', targetType: 'order', data: { query: request.query as Record<string, unknown> }, ip: request.ip },
    });
    async function* lines() {
      // The BOM makes Excel read the file as UTF-8 (else Chinese becomes mojibake).
      yield `${CSV_BOM}${csvLine(t.csvHeader)}`;
      if (first.done) return;
      for await (const batch of prepend(first.value, batches)) {
        yield batch
          .map((o) =>
            csvLine([
              o.no,
              o.createdAt,
              STATUS_LABELS[o.status],
              o.categoryName,
              URGENCY_LABELS[o.urgency],
              o.gridName,
              o.unitName,
              levelName({ name: o.unitName, level: o.level }),
              o.assigneeName,
              o.residentName,
              o.text,
              o.locationText,
              formatLimit(o.deadlineAt),
              o.resolvedAt,
              o.closedAt,
              o.closure ? (SURVEY_LABELS[o.closure as keyof typeof SURVEY_LABELS] ?? '') : '',
              o.supporters,
            ]),
          )
          .join('');
      }
    }
    const stamp = formatDateTime(now).slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="orders-${stamp}.csv"; filename*=UTF-8''${encodeURIComponent(`工单-${stamp}.csv`)}`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines()));
  });

  app.get<{ Params: { no: string } }>('/console/orders/:no', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const scope = scopeOf(user);
    const no = parseDbId(request.params.no);
    const data = no !== undefined ? await getOrderPage({ db: ctx.db, scope, staffId: user.staffId, no }) : undefined;
    if (!data) return sendNotFound(request, reply);
    const actor = await loadStaffActor(ctx.db, user.staffId);
    const state = toState(data.row, data.unitPath);
    const actions = actor ? availableActions(state, actor) : [];
    const now = ctx.clock.now();
    const [people, categories, calendar, thread, departmentPanel, trackingLinks] = await Promise.all([
      scopedStaff(ctx, scope),
      categoryOptions(ctx),
      ctx.calendar.get(),
      orderThread(ctx.db, { orderId: data.row.id, residentId: data.row.residentId, from: data.row.createdAt, to: data.row.closedAt ?? now }),
      loadOrderDepartments(ctx.db, { orderId: data.row.id, departmentId: data.row.departmentId, categoryId: data.row.categoryId, gridPath: data.gridPath }),
      linksOfOrder(ctx.db, data.row.id),
    ]);
    // 派单 to a department: officers and admins, while the order is open (the dispatch use case checks again).
    const canDispatch =
      ['submitted', 'assigned', 'accepted'].includes(data.row.status) && user.roles.some((r) => r.role === 'officer' || r.role === 'admin');
    // Only duplicates the user could open (an order assigned to them personally may lie outside their grids).
    const duplicates = inScope(scope, data.gridPath) ? data.duplicates : [];
    const map = await orderMap({ ctx, order: data.row, now, calendar });
    if (map.csp) reply.header('content-security-policy', map.csp);
    return sendPage(request, reply, {
      title: `工单 #${data.row.no}`,
      active: 'orders',
      head: map.head,
      body: orderPageBody({
        map: map.section,
        data: { ...data, duplicates },
        actions,
        user,
        candidates: assignCandidates(people, data.gridPath),
        categories,
        now,
        calendar,
        thread,
        departments: orderDepartmentsSection({ no: data.row.no, panel: departmentPanel, canDispatch, csrf: user }),
        trackingLinks: orderTrackingLinksSection({ no: data.row.no, order: data.row, links: trackingLinks, canRevoke: canRevokeLinks(actor, state), csrf: user, now }),
      }),
    });
  });

  app.get<{ Params: { no: string; id: string } }>('/console/orders/:no/attachments/:id', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const order = await findVisibleOrder(ctx, user, parseDbId(request.params.no));
    const id = parseDbId(request.params.id);
    if (!order || id === undefined) return sendNotFound(request, reply);
    const [file] = await ctx.db
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, id), eq(attachments.orderId, order.row.id)));
    if (!file?.storagePath) return sendNotFound(request, reply);
    const root = resolve(ctx.config.DATA_DIR);
    const absolute = resolve(root, file.storagePath);
    if (!absolute.startsWith(root + sep)) return sendNotFound(request, reply);
    const info = await stat(absolute).catch(() => undefined);
    if (!info?.isFile()) return sendNotFound(request, reply);
    // Inline only for the images and audio a browser shows safely; anything else (an SVG, an HTML file named
    // .png, a silk voice note) is a download, never rendered as this site's page.
    const served = servedAs(file.mime);
    const ext = extensionOf(file.originalName);
    const fallback = `attachment-${file.id}${ext ? `.${ext}` : ''}`;
    return reply
      .type(served.contentType)
      .header('content-length', String(info.size))
      .header(
        'content-disposition',
        `${served.inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(file.originalName ?? fallback)}`,
      )
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, no-store')
      .send(createReadStream(absolute));
  });

  app.post<{ Params: { no: string; action: string }; Body: Record<string, unknown> }>(
    '/console/orders/:no/:action',
    { preHandler: guard },
    async (request, reply) => {
      const user = currentUser(request);
      const action = request.params.action as OrderActionName;
      const order = await findVisibleOrder(ctx, user, parseDbId(request.params.no));
      if (!order || !(action in orderActionForms)) return sendNotFound(request, reply);
      const back = `/console/orders/${order.row.no}`;
      const flash = (kind: 'ok' | 'error', text: string) => redirectWithFlash(request, reply, back, { kind, text }, ctx.config.COOKIE_SECURE);

      const parsed = orderActionForms[action].safeParse(request.body ?? {});
      if (!parsed.success) return flash('error', action === 'survey' ? phoneSurveyTexts.needOne : t.invalidForm);
      const actor = await loadStaffActor(ctx.db, user.staffId);
      if (!actor) return flash('error', consoleTexts.common.forbidden);

      if (action === 'merge') {
        const intoNo = (parsed.data as { intoNo: number }).intoNo;
        if (!(await findVisibleOrder(ctx, user, intoNo))) return flash('error', t.mergeTargetMissing(intoNo));
      }
      const command = commandOf(action, order.state);
      try {
        const run = CONSOLE_ACTIONS[action] as (args: { deps: typeof ctx.orderDeps; id: number; actor: typeof actor; form: unknown }) => ReturnType<(typeof CONSOLE_ACTIONS)['accept']>;
        const outcome = await run({ deps: ctx.orderDeps, id: order.row.id, actor, form: parsed.data });
        await writeAudit({
          db: ctx.db,
          now: ctx.clock.now(),
          entry: {
            actorStaffId: user.staffId,
            action: `order.${command}`,
            targetType: 'order',
            targetId: order.row.no,
            data: { form: parsed.data as Record<string, unknown>, from: outcome.before.status, to: outcome.after.status },
            ip: request.ip,
          },
        });
        return flash('ok', t.done(ACTION_TEXTS[action].label, order.row.no));
      } catch (error) {
        if (isDomainError(error)) return flash('error', t.errors[error.code]);
        throw error;
      }
    },
  );
};

