import { asc, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith, csvFromForm, formOf, intField } from '../../http/console-helpers';
import { type SafeHtml, html } from '../../http/views/html';
import { importErrorList, importForm } from '../../http/views/import-form';
import { csrfField } from '../../http/views/layout';
import { sendNotFound, sendPage } from '../../http/views/page';
import { LEVEL_LABELS, ROLE_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { formatDateTime } from '../../i18n/format';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { hashPassword } from '../auth/passwords';
import { wecomConfigOf } from '../../config/config';
import { gridUnits } from '../grids/grids.table';
import type { StaffRole } from './people.models';
import { staff } from './staff.table';
import type { StaffImportError } from './staff.import.models';
import { STAFF_CHANNELS, isStaffChannel } from './staff-wecom.models';
import { setStaffWecom } from './staff-wecom.usecases';
import { addRole, createStaff, importStaff, issueBindCode, listStaff, removeRole, setConsoleAccount, unbindChat, updateStaff } from './staff.usecases';
import { parseDbId } from '../../shared/ids';
import { levelName, sortTree } from '../grids/grids.models';

const t = consoleTexts.staff;
const c = consoleTexts.common;
const ROLES = Object.keys(ROLE_LABELS) as StaffRole[];

const indent = (path: string) => '　'.repeat(Math.max(0, path.split('/').filter(Boolean).length - 1));

function roleFields(units: { id: number; name: string; level: keyof typeof LEVEL_LABELS; path: string }[]): SafeHtml {
  return html`<label>${t.role}<select name="role" required>${ROLES.map((r) => html`<option value="${r}">${ROLE_LABELS[r]}</option>`)}</select></label>
  <label>${t.unit}<select name="unitId" required><option value=""></option>${units.map(
    (u) => html`<option value="${u.id}">${indent(u.path)}${u.name}（${levelName(u)}）</option>`,
  )}</select></label>`;
}

const isRole = (v: string | undefined): v is StaffRole => ROLES.includes(v as StaffRole);

type StaffRow = typeof staff.$inferSelect;

/**
 * The 企业微信 section of a member's page: the userid (empty = unbind), which channel notices go to first, what
 * that means for this member now, and the bind code further down for binding in the app instead.
 */
function wecomSection({ person, csrf, wecomOn }: { person: StaffRow; csrf: SafeHtml; wecomOn: boolean }): SafeHtml {
  const w = t.wecom;
  const userId = person.wecomUserId;
  const preferred = isStaffChannel(person.preferredChannel) ? person.preferredChannel : 'wechat';
  const status = !userId ? w.status.none : !(person.chatKey || person.chatContactId) ? w.status.only(userId) : w.status[preferred](userId);
  return html`<h2 id="wecom">${w.title}</h2>
<div class="card stack">
  <p class="muted small">${w.hint} <a href="#bind-code-section">${w.bindCodeLink}</a></p>
  ${wecomOn ? '' : html`<p class="muted small" id="wecom-off">${w.off}</p>`}
  <p id="wecom-status">${status}</p>
  <form method="post" action="/console/staff/${person.id}/wecom" class="form-grid">${csrf}
    <label>${w.userId}<input name="wecomUserId" maxlength="64" value="${userId ?? ''}" autocomplete="off" autocapitalize="off" spellcheck="false"></label>
    <label>${w.preferred}<select name="preferredChannel">${STAFF_CHANNELS.map(
      (ch) => html`<option value="${ch}"${ch === preferred ? html` selected` : ''}>${w.channels[ch]}</option>`,
    )}</select></label>
    <div><button type="submit">${c.save}</button></div>
  </form>
  ${userId ? html`<form method="post" action="/console/staff/${person.id}/wecom" class="inline">${csrf}<input type="hidden" name="wecomUserId" value=""><button type="submit" class="secondary">${w.unbind}</button></form>` : ''}
</div>`;
}


/** Staff (admins only): people, their roles, console accounts and one-time binding codes for the bot. */
export const staffRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });
  const allUnits = () =>
    ctx.db.select({ id: gridUnits.id, name: gridUnits.name, level: gridUnits.level, path: gridUnits.path }).from(gridUnits).orderBy(asc(gridUnits.path)).then(sortTree);

  const showList = async (request: FastifyRequest, reply: FastifyReply, importText = '', errors: StaffImportError[] = [], status = 200) => {
    const user = currentUser(request);
    const [people, units] = await Promise.all([listStaff(ctx.db), allUnits()]);
    const col = t.columns;
    return sendPage(request, reply, {
      title: t.title,
      active: 'staff',
      status,
      body: html`${importErrorList({ id: 'import-errors', formAnchor: 'import', formTitle: t.import, errors: errors.map((e) => consoleTexts.imports.lineError(e.line, e.message)) })}
<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.name}</th><th>${col.roles}</th><th>${col.phone}</th><th>${col.username}</th><th>${col.chat}</th><th>${col.wecom}</th><th>${col.active}</th></tr></thead>
<tbody>${people.map(
        (p) => html`<tr data-staff="${p.id}">
  <td data-label="${col.name}"><a href="/console/staff/${p.id}">${p.name}</a></td>
  <td data-label="${col.roles}">${p.roles.map((r) => html`<span class="badge">${ROLE_LABELS[r.role]}·${r.unitName}</span> `)}</td>
  <td data-label="${col.phone}">${p.phone ?? ''}</td>
  <td data-label="${col.username}">${p.username ?? ''}</td>
  <td data-label="${col.chat}">${p.bound ? t.bound : html`<span class="muted">${t.unbound}</span>`}</td>
  <td data-label="${col.wecom}">${p.wecomUserId ?? html`<span class="muted">${t.unbound}</span>`}</td>
  <td data-label="${col.active}">${p.active ? t.active : html`<span class="badge offline">${t.inactive}</span>`}</td>
</tr>`,
      )}</tbody></table></div>
<h2>${t.create}</h2>
<form method="post" action="/console/staff" class="card form-grid">${csrfField(user)}
  <label>${col.name}<input name="name" required maxlength="30"></label>
  <label>${col.phone}<input name="phone" inputmode="tel"></label>
  ${roleFields(units)}
  <div><button type="submit">${c.create}</button></div>
</form>
${importForm({
  anchor: 'import',
  title: t.import,
  action: '/console/staff/import',
  csrf: user,
  hint: t.importHint,
  fileLabel: t.importFile,
  accept: '.csv,.txt,text/csv,text/plain',
  fileField: 'csvFile',
  textField: 'csv',
  inputId: 'staff-csv',
  placeholder: '姓名,电话,单位编码,职务,企业微信账号',
  text: importText,
  submit: c.import,
})}`,
    });
  };

  app.get('/console/staff', { preHandler: guard }, (request, reply) => showList(request, reply));

  app.post('/console/staff/import', { preHandler: guard }, async (request, reply) => {
    const csv = csvFromForm(formOf(request), { fileField: 'csvFile', textField: 'csv' });
    if (!csv.ok) return showList(request, reply, '', [{ line: 0, message: csv.message }], 400);
    const result = await importStaff({ db: ctx.db, text: csv.text });
    if (!result.ok) return showList(request, reply, csv.text, result.errors, 400);
    await auditAction(ctx, request, { action: 'staff.import', targetType: 'staff', data: { people: result.people, roles: result.roles, wecom: result.wecom } });
    return backWith(ctx, request, reply, '/console/staff', { kind: 'ok', text: t.imported(result.people, result.roles, result.unchanged, result.wecom.length) });
  });

  app.post('/console/staff', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const unitId = intField(form.unitId);
    if (!isRole(form.role) || unitId === null || Number.isNaN(unitId)) return backWith(ctx, request, reply, '/console/staff', { kind: 'error', text: t.errors.role });
    const result = await createStaff({ db: ctx.db, name: form.name ?? '', phone: form.phone?.trim() || null, role: form.role, unitId });
    if (!result.ok) return backWith(ctx, request, reply, '/console/staff', { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'staff.create', targetType: 'staff', targetId: result.id, data: { name: form.name, role: form.role, unitId } });
    return backWith(ctx, request, reply, `/console/staff/${result.id}`, { kind: 'ok', text: t.created(form.name ?? '') });
  });

  const loadPerson = async (id: string) => {
    const n = parseDbId(id);
    if (n === undefined) return undefined;
    const [row] = await ctx.db.select().from(staff).where(eq(staff.id, n));
    return row;
  };

  const personPage = async (request: FastifyRequest, reply: FastifyReply, id: string, oneTime?: { username: string; password: string }) => {
    const person = await loadPerson(id);
    if (!person) return sendNotFound(request, reply);
    const user = currentUser(request);
    const [people, units] = await Promise.all([listStaff(ctx.db), allUnits()]);
    const roles = people.find((p) => p.id === person.id)?.roles ?? [];
    const now = ctx.clock.now();
    const liveCode = person.bindCode && person.bindCodeExpiresAt && person.bindCodeExpiresAt > now ? person.bindCode : null;
    const col = t.columns;
    return sendPage(request, reply, {
      title: person.name,
      active: 'staff',
      flash: oneTime ? [{ kind: 'info', text: t.oneTimePassword(oneTime.username, oneTime.password) }] : [],
      body: html`
<h2>${t.edit}</h2>
<form method="post" action="/console/staff/${person.id}" class="card form-grid">${csrfField(user)}
  <label>${col.name}<input name="name" required maxlength="30" value="${person.name}"></label>
  <label>${col.phone}<input name="phone" inputmode="tel" value="${person.phone ?? ''}"></label>
  <label>${col.active}<select name="active"><option value="1"${person.active ? html` selected` : ''}>${t.active}</option><option value="0"${person.active ? '' : html` selected`}>${t.inactive}</option></select></label>
  <div><button type="submit">${c.save}</button></div>
</form>

<h2>${t.roles}</h2>
<div class="card stack">
  <ul>${roles.map(
    (r) => html`<li>${ROLE_LABELS[r.role]} · ${r.unitName}
      <form method="post" action="/console/staff/${person.id}/roles/${r.id}/delete" class="inline">${csrfField(user)}<button type="submit" class="link">${t.removeRole}</button></form></li>`,
  )}</ul>
  <form method="post" action="/console/staff/${person.id}/roles" class="form-grid">${csrfField(user)}${roleFields(units)}<div><button type="submit">${t.addRole}</button></div></form>
</div>

<h2>${t.account}</h2>
<form method="post" action="/console/staff/${person.id}/account" class="card form-grid">${csrfField(user)}
  <p class="muted small">${t.accountHint}</p>
  <label>${col.username}<input name="username" required pattern="[A-Za-z0-9._\\-]{3,40}" value="${person.username ?? ''}" autocomplete="off"></label>
  <div><button type="submit">${person.username ? t.resetPassword : t.setAccount}</button></div>
</form>

${wecomSection({ person, csrf: csrfField(user), wecomOn: wecomConfigOf(ctx.config) !== null })}

<h2 id="bind-code-section">${t.bindCode}</h2>
<div class="card stack">
  <p class="muted small">${t.bindHint}</p>
  ${liveCode ? html`<p class="flash flash-info" id="bind-code">${t.currentCode(liveCode, formatDateTime(person.bindCodeExpiresAt))}</p>` : ''}
  <p>${col.chat}：${person.chatKey ? t.bound : t.unbound}</p>
  <form method="post" action="/console/staff/${person.id}/bind-code" class="inline">${csrfField(user)}<button type="submit">${t.issueBindCode}</button></form>
  ${person.chatKey ? html`<form method="post" action="/console/staff/${person.id}/unbind" class="inline">${csrfField(user)}<button type="submit" class="secondary">${t.unbind}</button></form>` : ''}
</div>
<p><a href="/console/staff">${c.back}</a></p>`,
    });
  };

  app.get<{ Params: { id: string } }>('/console/staff/:id', { preHandler: guard }, (request, reply) => personPage(request, reply, request.params.id));

  app.post<{ Params: { id: string } }>('/console/staff/:id', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const id = parseDbId(request.params.id);
    const back = `/console/staff/${id}`;
    const result = id !== undefined
      ? await updateStaff({ db: ctx.db, id, name: form.name ?? '', phone: form.phone?.trim() || null, active: form.active !== '0', actorStaffId: currentUser(request).staffId })
      : undefined;
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'staff.update', targetType: 'staff', targetId: id, data: { name: form.name, phone: form.phone, active: form.active !== '0' } });
    return backWith(ctx, request, reply, back, { kind: 'ok', text: t.saved });
  });

  app.post<{ Params: { id: string } }>('/console/staff/:id/roles', { preHandler: guard }, async (request, reply) => {
    const person = await loadPerson(request.params.id);
    if (!person) return sendNotFound(request, reply);
    const form = formOf(request);
    const unitId = intField(form.unitId);
    const back = `/console/staff/${person.id}`;
    if (!isRole(form.role) || unitId === null || Number.isNaN(unitId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.role });
    const result = await addRole({ db: ctx.db, staffId: person.id, role: form.role, unitId });
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'staff.role_add', targetType: 'staff', targetId: person.id, data: { role: form.role, unitId } });
    return backWith(ctx, request, reply, back, { kind: 'ok', text: t.roleAdded });
  });

  app.post<{ Params: { id: string; roleId: string } }>('/console/staff/:id/roles/:roleId/delete', { preHandler: guard }, async (request, reply) => {
    const person = await loadPerson(request.params.id);
    const roleId = parseDbId(request.params.roleId);
    if (!person || roleId === undefined) return sendNotFound(request, reply);
    const back = `/console/staff/${person.id}`;
    const result = await removeRole({ db: ctx.db, staffId: person.id, roleId, actorStaffId: currentUser(request).staffId });
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'staff.role_remove', targetType: 'staff', targetId: person.id, data: { role: result.role, unitId: result.unitId } });
    return backWith(ctx, request, reply, back, { kind: 'ok', text: t.roleRemoved });
  });

  app.post<{ Params: { id: string } }>('/console/staff/:id/account', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const username = (formOf(request).username ?? '').trim();
    const result = id !== undefined ? await setConsoleAccount({ db: ctx.db, id, username, hashPassword }) : undefined;
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, `/console/staff/${id}`, { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'staff.account', targetType: 'staff', targetId: id, data: { username } });
    // Rendered, not redirected: the password exists only in this response.
    reply.header('cache-control', 'no-store');
    return personPage(request, reply, request.params.id, { username: result.username, password: result.password });
  });

  app.post<{ Params: { id: string } }>('/console/staff/:id/bind-code', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const issued = id !== undefined ? await issueBindCode({ db: ctx.db, id, now: ctx.clock.now() }) : undefined;
    if (!issued) return sendNotFound(request, reply);
    await auditAction(ctx, request, { action: 'staff.bind_code', targetType: 'staff', targetId: id, data: { expiresAt: issued.expiresAt.toISOString() } });
    return backWith(ctx, request, reply, `/console/staff/${id}`, { kind: 'ok', text: c.done });
  });

  app.post<{ Params: { id: string } }>('/console/staff/:id/wecom', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const form = formOf(request);
    const back = `/console/staff/${id}`;
    const result = id !== undefined ? await setStaffWecom({ db: ctx.db, id, userIdText: form.wecomUserId ?? '', preferred: form.preferredChannel }) : undefined;
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    if (!result.changed) return backWith(ctx, request, reply, back, { kind: 'info', text: t.wecom.unchanged });
    await auditAction(ctx, request, { action: 'staff.wecom', targetType: 'staff', targetId: id, data: { before: result.before, after: result.after } });
    const text = result.before.wecomUserId && !result.after.wecomUserId ? t.wecom.unbound : t.wecom.saved;
    return backWith(ctx, request, reply, back, { kind: 'ok', text });
  });

  app.post<{ Params: { id: string } }>('/console/staff/:id/unbind', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    if (id === undefined || !(await unbindChat({ db: ctx.db, id }))) return sendNotFound(request, reply);
    await auditAction(ctx, request, { action: 'staff.unbind', targetType: 'staff', targetId: id });
    return backWith(ctx, request, reply, `/console/staff/${id}`, { kind: 'ok', text: t.unbound_done });
  });
};
