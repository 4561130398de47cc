import { and, asc, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith, csvFromForm, formOf, intField } from '../../http/console-helpers';
import { type SafeHtml, html } from '../../http/views/html';
import { importErrorList, importForm } from '../../http/views/import-form';
import { csrfField } from '../../http/views/layout';
import { sendNotFound, sendPage } from '../../http/views/page';
import { consoleTexts } from '../../i18n/zh-CN.console';
import {
  CALENDAR_LABELS,
  DISPATCH_ROLE_LABELS,
  KIND_LABELS,
  MEMBER_ROLE_LABELS,
  departmentTexts as t,
} from '../../i18n/zh-CN.departments-console';
import { parseDbId } from '../../shared/ids';
import { isDomainError } from '../../shared/errors/domain-error';
import { loadStaffActor } from '../work-orders/work-orders.repository';
import { dispatchOrder } from './dispatch.usecases';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { scopeOf } from '../auth/auth.models';
import { scopeCondition } from '../work-orders/console/orders.queries';
import { workOrders } from '../work-orders/work-orders.table';
import { categories } from '../categories/categories.table';
import { levelName, sortTree } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import { staff } from '../people/staff.table';
import {
  CODE_PATTERN,
  type DepartmentFields,
  type DepartmentImportError,
  LIMIT_BOUNDS,
  MAX_NAME_LENGTH,
  boundedInt,
  calendarOf,
  kindOf,
} from './department-import.models';
import {
  type DepartmentListRow,
  addCatalogueEntry,
  addMember,
  importDepartments,
  listCatalogue,
  listDepartments,
  listMembers,
  loadDepartment,
  removeCatalogueEntry,
  removeMember,
  saveDepartment,
} from './departments-console.usecases';

const c = consoleTexts.common;
const col = t.columns;
const indent = (path: string) => '　'.repeat(Math.max(0, path.split('/').filter(Boolean).length - 1));
type Unit = { id: number; name: string; level: 'grid' | 'community' | 'town' | 'district'; path: string };

/** The form's fields as a department, or the first problem in words. */
export function departmentFieldsOf(form: Record<string, string>): { ok: true; fields: DepartmentFields } | { ok: false; message: string } {
  const name = (form.name ?? '').trim();
  const code = (form.code ?? '').trim();
  if (!name || [...name].length > MAX_NAME_LENGTH) return { ok: false, message: t.errors.name };
  if (!CODE_PATTERN.test(code)) return { ok: false, message: t.errors.code };
  const kind = kindOf(form.kind ?? '');
  if (!kind) return { ok: false, message: t.errors.kind };
  const unitId = intField(form.unitId);
  if (unitId === null || Number.isNaN(unitId)) return { ok: false, message: t.errors.unit };
  const calendar = calendarOf(form.calendar ?? 'working');
  if (!calendar) return { ok: false, message: t.errors.calendar };
  const b = LIMIT_BOUNDS;
  const signLimitHours = boundedInt(form.signLimitHours ?? '', b.signLimitHours, 2);
  if (signLimitHours == null) return { ok: false, message: t.errors.number(col.signLimitHours, b.signLimitHours.min, b.signLimitHours.max) };
  const limitDays = boundedInt(form.limitDays ?? '', b.limitDays, null);
  if (limitDays === undefined) return { ok: false, message: t.errors.number(col.limitDays, b.limitDays.min, b.limitDays.max) };
  const returnLimitHours = boundedInt(form.returnLimitHours ?? '', b.returnLimitHours, 24);
  if (returnLimitHours == null) return { ok: false, message: t.errors.number(col.returnLimitHours, b.returnLimitHours.min, b.returnLimitHours.max) };
  return { ok: true, fields: { name, code, kind, unitId, calendar, signLimitHours, limitDays, returnLimitHours } };
}

function unitOptions(units: Unit[], selected: number | null, { blank }: { blank?: string } = {}): SafeHtml {
  return html`${blank !== undefined ? html`<option value="">${blank}</option>` : ''}${units.map(
    (u) => html`<option value="${u.id}"${u.id === selected ? html` selected` : ''}>${indent(u.path)}${u.name}（${levelName(u)}）</option>`,
  )}`;
}

function departmentForm({ action, csrf, units, d, submit }: { action: string; csrf: { csrfToken: string }; units: Unit[]; d?: DepartmentListRow; submit: string }): SafeHtml {
  const opt = <K extends string>(labels: Record<K, string>, value: K | undefined) =>
    (Object.keys(labels) as K[]).map((k) => html`<option value="${k}"${k === value ? html` selected` : ''}>${labels[k]}</option>`);
  return html`<form method="post" action="${action}" class="card form-grid">${csrfField(csrf)}
  <label>${col.name}<input name="name" required maxlength="${MAX_NAME_LENGTH}" value="${d?.name ?? ''}"></label>
  <label>${col.code}<input name="code" required maxlength="30" pattern="[A-Za-z0-9_\\-]{1,30}" value="${d?.code ?? ''}"></label>
  <label>${col.kind}<select name="kind" required>${opt(KIND_LABELS, d?.kind)}</select></label>
  <label>${col.area}<select name="unitId" required>${unitOptions(units, d?.unitId ?? null, { blank: '' })}</select></label>
  <label>${col.calendar}<select name="calendar">${opt(CALENDAR_LABELS, d?.calendar)}</select></label>
  <label>${col.signLimitHours}<input name="signLimitHours" type="number" min="1" max="72" value="${d?.signLimitHours ?? 2}"></label>
  <label>${col.limitDays}<input name="limitDays" type="number" min="1" max="60" value="${d?.limitDays ?? ''}"></label>
  <label>${col.returnLimitHours}<input name="returnLimitHours" type="number" min="1" max="168" value="${d?.returnLimitHours ?? 24}"></label>
  ${d ? html`<label>${col.active}<select name="active"><option value="1"${d.active ? html` selected` : ''}>${t.active}</option><option value="0"${d.active ? '' : html` selected`}>${t.inactive}</option></select></label>` : ''}
  <div><button type="submit">${submit}</button></div>
</form>`;
}

/** Departments (admins only): the list, create, edit, members, the 派单目录 and the CSV import. */
export const departmentRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });
  const allUnits = (): Promise<Unit[]> =>
    ctx.db.select({ id: gridUnits.id, name: gridUnits.name, level: gridUnits.level, path: gridUnits.path }).from(gridUnits).orderBy(asc(gridUnits.path)).then(sortTree);

  const showList = async (request: FastifyRequest, reply: FastifyReply, importText = '', errors: DepartmentImportError[] = [], status = 200) => {
    const user = currentUser(request);
    const [list, units] = await Promise.all([listDepartments(ctx.db), allUnits()]);
    return sendPage(request, reply, {
      title: t.title,
      active: 'departments',
      status,
      body: html`${importErrorList({ id: 'import-errors', formAnchor: 'import', formTitle: t.import, errors: errors.map((e) => consoleTexts.imports.lineError(e.line, e.message)) })}
<p><a class="button secondary" href="/console/departments/catalogue">${t.catalogue}</a></p>
${list.length === 0
  ? html`<p class="muted">${t.empty}</p>`
  : html`<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.code}</th><th>${col.name}</th><th>${col.kind}</th><th>${col.area}</th><th>${col.calendar}</th><th class="num">${col.signLimitHours}</th><th class="num">${col.limitDays}</th><th class="num">${col.members}</th><th>${col.active}</th></tr></thead>
<tbody>${list.map(
      (d) => html`<tr data-department="${d.id}">
  <td data-label="${col.code}">${d.code}</td>
  <td data-label="${col.name}"><a href="/console/departments/${d.id}">${d.name}</a></td>
  <td data-label="${col.kind}">${KIND_LABELS[d.kind]}</td>
  <td data-label="${col.area}">${d.unitName}</td>
  <td data-label="${col.calendar}">${CALENDAR_LABELS[d.calendar]}</td>
  <td class="num" data-label="${col.signLimitHours}">${d.signLimitHours}</td>
  <td class="num" data-label="${col.limitDays}">${d.limitDays ?? '—'}</td>
  <td class="num" data-label="${col.members}">${d.members}</td>
  <td data-label="${col.active}">${d.active ? t.active : html`<span class="badge offline">${t.inactive}</span>`}</td>
</tr>`,
    )}</tbody></table></div>`}
<h2>${t.create}</h2>
${departmentForm({ action: '/console/departments', csrf: user, units, submit: c.create })}
${importForm({
  anchor: 'import',
  title: t.import,
  action: '/console/departments/import',
  csrf: user,
  hint: t.importHint,
  fileLabel: t.importFile,
  accept: '.csv,.txt,text/csv,text/plain',
  fileField: 'csvFile',
  textField: 'csv',
  inputId: 'department-csv',
  placeholder: '名称,编码,类型,服务区域编码,日历,签收时限小时,办结天数,退回时限小时',
  text: importText,
  submit: c.import,
})}`,
    });
  };

  app.get('/console/departments', { preHandler: guard }, (request, reply) => showList(request, reply));

  app.post('/console/departments', { preHandler: guard }, async (request, reply) => {
    const parsed = departmentFieldsOf(formOf(request));
    if (!parsed.ok) return backWith(ctx, request, reply, '/console/departments', { kind: 'error', text: parsed.message });
    const result = await saveDepartment({ db: ctx.db, fields: parsed.fields });
    if (!result?.ok) return backWith(ctx, request, reply, '/console/departments', { kind: 'error', text: result?.message ?? t.errors.unit });
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.create', targetType: 'department', targetId: result.id, data: parsed.fields });
    return backWith(ctx, request, reply, `/console/departments/${result.id}`, { kind: 'ok', text: t.created(parsed.fields.name) });
  });

  app.post('/console/departments/import', { preHandler: guard }, async (request, reply) => {
    const csv = csvFromForm(formOf(request), { fileField: 'csvFile', textField: 'csv' });
    if (!csv.ok) return showList(request, reply, '', [{ line: 0, message: csv.message }], 400);
    const result = await importDepartments({ db: ctx.db, text: csv.text });
    if (!result.ok) return showList(request, reply, csv.text, result.errors, 400);
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.import', targetType: 'department', data: { created: result.created, updated: result.updated } });
    return backWith(ctx, request, reply, '/console/departments', { kind: 'ok', text: t.imported(result.created, result.updated) });
  });

  // --- the 派单目录 ---

  app.get('/console/departments/catalogue', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const [entries, list, units, cats] = await Promise.all([
      listCatalogue(ctx.db),
      listDepartments(ctx.db),
      allUnits(),
      ctx.db.select({ id: categories.id, name: categories.name }).from(categories).orderBy(asc(categories.name)),
    ]);
    const cc = t.catalogueColumns;
    return sendPage(request, reply, {
      title: t.catalogue,
      active: 'departments',
      body: html`<p class="muted small">${t.catalogueHint}</p>
${entries.length === 0
  ? html`<p class="muted">${t.catalogueEmpty}</p>`
  : html`<div class="table-wrap"><table class="responsive" id="catalogue">
<thead><tr><th>${cc.category}</th><th>${cc.area}</th><th>${cc.department}</th><th>${cc.role}</th><th></th></tr></thead>
<tbody>${entries.map(
      (e) => html`<tr data-entry="${e.id}">
  <td data-label="${cc.category}">${e.categoryName}</td>
  <td data-label="${cc.area}">${e.unitName ?? t.everywhere}</td>
  <td data-label="${cc.department}">${e.departmentName}</td>
  <td data-label="${cc.role}">${DISPATCH_ROLE_LABELS[e.role]}</td>
  <td><form method="post" action="/console/departments/catalogue/${e.id}/delete" class="inline">${csrfField(user)}<button type="submit" class="link">${t.removeEntry}</button></form></td>
</tr>`,
    )}</tbody></table></div>`}
<h2>${t.addEntry}</h2>
<form method="post" action="/console/departments/catalogue" class="card form-grid">${csrfField(user)}
  <label>${cc.category}<select name="categoryId" required><option value=""></option>${cats.map((k) => html`<option value="${k.id}">${k.name}</option>`)}</select></label>
  <label>${cc.area}<select name="unitId">${unitOptions(units, null, { blank: t.everywhere })}</select></label>
  <label>${cc.department}<select name="departmentId" required><option value=""></option>${list.filter((d) => d.active).map((d) => html`<option value="${d.id}">${d.name}</option>`)}</select></label>
  <label>${cc.role}<select name="role">${(['lead', 'assist'] as const).map((r) => html`<option value="${r}">${DISPATCH_ROLE_LABELS[r]}</option>`)}</select></label>
  <div><button type="submit">${t.addEntry}</button></div>
</form>
<p><a href="/console/departments">${c.back}</a></p>`,
    });
  });

  app.post('/console/departments/catalogue', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const back = '/console/departments/catalogue';
    const categoryId = intField(form.categoryId);
    const departmentId = intField(form.departmentId);
    const unitId = intField(form.unitId);
    if (categoryId === null || Number.isNaN(categoryId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.category });
    if (departmentId === null || Number.isNaN(departmentId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.department });
    if (Number.isNaN(unitId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.unit });
    if (form.role !== 'lead' && form.role !== 'assist') return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.dispatchRole });
    const result = await addCatalogueEntry({ db: ctx.db, categoryId, unitId, departmentId, role: form.role });
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.catalogue_add', targetType: 'dispatch_catalogue', targetId: result.id, data: { categoryId, unitId, departmentId, role: form.role } });
    return backWith(ctx, request, reply, back, { kind: 'ok', text: t.entryAdded });
  });

  app.post<{ Params: { id: string } }>('/console/departments/catalogue/:id/delete', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    if (id === undefined || !(await removeCatalogueEntry({ db: ctx.db, id }))) return sendNotFound(request, reply);
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.catalogue_remove', targetType: 'dispatch_catalogue', targetId: id });
    return backWith(ctx, request, reply, '/console/departments/catalogue', { kind: 'ok', text: t.entryRemoved });
  });

  // --- 派单 from the order page ---

  app.post<{ Params: { no: string } }>('/console/orders/:no/dispatch', { preHandler: requireStaff({ ctx }) }, async (request, reply) => {
    const user = currentUser(request);
    const no = parseDbId(request.params.no);
    const [order] =
      no === undefined
        ? []
        : await ctx.db.select({ no: workOrders.no }).from(workOrders).where(and(eq(workOrders.no, no), scopeCondition(scopeOf(user), user.staffId)));
    if (!order) return sendNotFound(request, reply);
    const back = `/console/orders/${order.no}`;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const form = formOf(request);
    const departmentId = intField(form.departmentId);
    const assists = (Array.isArray(body.assistIds) ? body.assistIds : body.assistIds === undefined ? [] : [body.assistIds]).map((v) => intField(String(v)));
    if (departmentId === null || Number.isNaN(departmentId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.department });
    if (assists.some((a) => a === null || Number.isNaN(a)) || assists.length > 10) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.department });
    if (assists.includes(departmentId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.dispatch.sameLeadAssist });
    const actor = await loadStaffActor(ctx.db, user.staffId);
    if (!actor) return backWith(ctx, request, reply, back, { kind: 'error', text: consoleTexts.common.forbidden });
    // The dispatch is the departments core's use case: 主办 to the department's handler, 协办 rows, limits on the
    // department's calendar, and the notices, in one transaction.
    try {
      const outcome = await dispatchOrder({
        deps: ctx.orderDeps,
        ref: { no: order.no },
        actor,
        channel: 'console',
        departmentId,
        assistIds: assists as number[],
        ...(typeof form.note === 'string' && form.note.trim() ? { note: form.note.trim().slice(0, 500) } : {}),
      });
      await auditAction(ctx, request, {
        action: 'order.dispatch',
        targetType: 'order',
        targetId: order.no,
        data: { departmentId, assistIds: assists, from: outcome.before.status, to: outcome.after.status },
      });
      return backWith(ctx, request, reply, back, { kind: 'ok', text: t.dispatch.done(outcome.dispatch.department) });
    } catch (error) {
      if (isDomainError(error)) return backWith(ctx, request, reply, back, { kind: 'error', text: consoleTexts.orders.errors[error.code] });
      throw error;
    }
  });

  // --- one department ---

  app.get<{ Params: { id: string } }>('/console/departments/:id', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const d = id === undefined ? undefined : await loadDepartment(ctx.db, id);
    if (!d) return sendNotFound(request, reply);
    const user = currentUser(request);
    const [units, members, people] = await Promise.all([
      allUnits(),
      listMembers(ctx.db, d.id),
      ctx.db.select({ id: staff.id, name: staff.name, phone: staff.phone }).from(staff).where(eq(staff.active, true)).orderBy(asc(staff.name)),
    ]);
    return sendPage(request, reply, {
      title: d.name,
      active: 'departments',
      body: html`<h2>${t.edit}</h2>
${departmentForm({ action: `/console/departments/${d.id}`, csrf: user, units, d, submit: c.save })}
<h2>${t.members}</h2>
<div class="card stack">
  ${members.length === 0 ? html`<p class="muted" id="no-members">${t.noMembers}</p>` : ''}
  <ul id="members">${members.map(
    (m) => html`<li data-member="${m.staffId}">${m.name} · ${MEMBER_ROLE_LABELS[m.role]}${m.phone ? html` · ${m.phone}` : ''}
      <form method="post" action="/console/departments/${d.id}/members/${m.id}/delete" class="inline">${csrfField(user)}<button type="submit" class="link">${t.removeMember}</button></form></li>`,
  )}</ul>
  <form method="post" action="/console/departments/${d.id}/members" class="form-grid">${csrfField(user)}
    <label>${t.memberStaff}<select name="staffId" required><option value=""></option>${people.map((p) => html`<option value="${p.id}">${p.name}${p.phone ? `（${p.phone}）` : ''}</option>`)}</select></label>
    <label>${t.memberRole}<select name="role">${(['handler', 'head'] as const).map((r) => html`<option value="${r}">${MEMBER_ROLE_LABELS[r]}</option>`)}</select></label>
    <div><button type="submit">${t.addMember}</button></div>
  </form>
</div>
<p><a href="/console/departments">${c.back}</a></p>`,
    });
  });

  app.post<{ Params: { id: string } }>('/console/departments/:id', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    // A department that does not exist is not found, whatever the form says.
    if (id === undefined || !(await loadDepartment(ctx.db, id))) return sendNotFound(request, reply);
    const form = formOf(request);
    const back = `/console/departments/${id}`;
    const parsed = departmentFieldsOf(form);
    if (!parsed.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: parsed.message });
    const result = await saveDepartment({ db: ctx.db, id, fields: parsed.fields, active: form.active !== '0' });
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.update', targetType: 'department', targetId: id, data: { ...parsed.fields, active: form.active !== '0' } });
    return backWith(ctx, request, reply, back, { kind: 'ok', text: t.saved });
  });

  app.post<{ Params: { id: string } }>('/console/departments/:id/members', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const d = id === undefined ? undefined : await loadDepartment(ctx.db, id);
    if (!d) return sendNotFound(request, reply);
    const form = formOf(request);
    const back = `/console/departments/${d.id}`;
    const staffId = intField(form.staffId);
    if (staffId === null || Number.isNaN(staffId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.staff });
    if (form.role !== 'handler' && form.role !== 'head') return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.memberRole });
    const result = await addMember({ db: ctx.db, departmentId: d.id, staffId, role: form.role });
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.member_add', targetType: 'department', targetId: d.id, data: { staffId, role: form.role } });
    return backWith(ctx, request, reply, back, { kind: 'ok', text: t.memberAdded });
  });

  app.post<{ Params: { id: string; memberId: string } }>('/console/departments/:id/members/:memberId/delete', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const memberId = parseDbId(request.params.memberId);
    if (id === undefined || memberId === undefined || !(await removeMember({ db: ctx.db, departmentId: id, memberId }))) return sendNotFound(request, reply);
    ctx.orderDeps.dispatchDirectory?.invalidate();
    await auditAction(ctx, request, { action: 'department.member_remove', targetType: 'department', targetId: id, data: { memberId } });
    return backWith(ctx, request, reply, `/console/departments/${id}`, { kind: 'ok', text: t.memberRemoved });
  });
};
