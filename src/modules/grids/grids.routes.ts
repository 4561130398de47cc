import { eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith, csvFromForm, formOf, intField } from '../../http/console-helpers';
import { type SafeHtml, html } from '../../http/views/html';
import { importErrorList, importForm } from '../../http/views/import-form';
import { csrfField } from '../../http/views/layout';
import { sendNotFound, sendPage } from '../../http/views/page';
import { residentWebTexts } from '../../i18n/zh-CN.resident-web';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { CSV_BOM, csvLine } from '../../shared/text/csv';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { chatGroups } from '../chat/chat.table';
import { staffRoles } from '../people/staff.table';
import { childLevel, levelName } from './grids.models';
import { type ImportError, parentLevelOf } from './grids.import.models';
import { createUnit, gridBoundaries, importBoundaries, importGrids, listUnits, moveUnit, updateUnit } from './grids.usecases';
import { type BoundaryError, boundaryCollection } from './places.models';
import { placesTexts } from '../../i18n/zh-CN.places';
import { gridUnits } from './grids.table';
import { parseDbId } from '../../shared/ids';

const t = consoleTexts.grids;
const p = placesTexts;
const c = consoleTexts.common;


const indent = (path: string) => '　'.repeat(Math.max(0, path.split('/').filter(Boolean).length - 1));

type Unit = Awaited<ReturnType<typeof listUnits>>[number];

/** A failed boundary import: the text sent back into the form and every bad feature. */
type BoundaryImport = { text: string; errors: BoundaryError[] };


/** The GeoJSON import of grid boundaries (WGS-84), beside the CSV one. */
function boundaryForm(user: { csrfToken: string }, text: string): SafeHtml {
  return importForm({
    anchor: 'boundaries',
    title: p.import,
    action: '/console/grids/boundaries',
    csrf: user,
    hint: p.importHint,
    fileLabel: p.importFile,
    accept: '.geojson,.json,application/geo+json,application/json',
    fileField: 'geojsonFile',
    textField: 'geojson',
    inputId: 'grid-geojson',
    placeholder: '{"type":"FeatureCollection","features":[…]}',
    text,
    submit: c.import,
  });
}

function treePage(units: Unit[], counts: Map<number, { staff: number; groups: number }>, user: { csrfToken: string }, importText = '', errors: ImportError[] = [], boundary: BoundaryImport = { text: '', errors: [] }): SafeHtml {
  const col = t.columns;
  const parents = units.filter((u) => childLevel(u.level) !== null);
  return html`
${importErrorList({ id: 'import-errors', formAnchor: 'import', formTitle: t.import, errors: errors.map((e) => consoleTexts.imports.lineError(e.line, e.message)) })}
${importErrorList({ id: 'boundary-errors', formAnchor: 'boundaries', formTitle: p.import, errors: boundary.errors.map((e) => p.featureError(e.index, e.message)) })}
<p><a class="button secondary" href="/console/grids.csv" download>${t.export}</a> <a class="button secondary" href="/console/grids.geojson" download>${p.export}</a></p>
<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.name}</th><th>${col.code}</th><th>${col.level}</th><th class="num">${col.households}</th><th class="num">${col.staff}</th><th class="num">${col.groups}</th><th></th></tr></thead>
<tbody>${units.map(
    (u) => html`<tr data-code="${u.code}">
  <td data-label="${col.name}">${indent(u.path)}${u.name}</td>
  <td data-label="${col.code}"><code>${u.code}</code></td>
  <td data-label="${col.level}">${levelName(u)}</td>
  <td data-label="${col.households}" class="num">${u.households ?? ''}</td>
  <td data-label="${col.staff}" class="num">${counts.get(u.id)?.staff ?? 0}</td>
  <td data-label="${col.groups}" class="num">${counts.get(u.id)?.groups ?? 0}</td>
  <td><a href="/console/grids/${u.id}">${t.edit}</a> · <a href="/console/orders?unit=${u.id}">${consoleTexts.nav.orders}</a></td>
</tr>`,
  )}</tbody></table></div>

<h2>${t.create}</h2>
<form method="post" action="/console/grids" class="card form-grid">${csrfField(user)}
  <label>${t.parent}<select name="parentId"><option value="">${t.createRoot}</option>${parents.map(
    (p) => html`<option value="${p.id}">${indent(p.path)}${p.name}（${levelName(p)}）</option>`,
  )}</select></label>
  <label>${col.code}<input name="code" required pattern="[A-Za-z0-9_\\-]{1,40}"></label>
  <label>${col.name}<input name="name" required maxlength="50"></label>
  <label>${col.households}<input name="households" inputmode="numeric"></label>
  <div><button type="submit">${c.create}</button></div>
</form>

${importForm({
  anchor: 'import',
  title: t.import,
  action: '/console/grids/import',
  csrf: user,
  hint: t.importHint,
  fileLabel: t.importFile,
  accept: '.csv,.txt,text/csv,text/plain',
  fileField: 'csvFile',
  textField: 'csv',
  inputId: 'grid-csv',
  placeholder: 'code,name,level,parent_code,households',
  text: importText,
  submit: c.import,
})}
${boundaryForm(user, boundary.text)}`;
}

async function unitCounts(db: Parameters<typeof listUnits>[0]) {
  const [staffRows, groupRows] = await Promise.all([
    db.select({ unitId: staffRoles.unitId, n: sql<number>`count(distinct ${staffRoles.staffId})::int` }).from(staffRoles).groupBy(staffRoles.unitId),
    db.select({ gridId: chatGroups.gridId, n: sql<number>`count(*)::int` }).from(chatGroups).groupBy(chatGroups.gridId),
  ]);
  const counts = new Map<number, { staff: number; groups: number }>();
  for (const r of staffRows) counts.set(r.unitId, { staff: Number(r.n), groups: 0 });
  for (const r of groupRows) if (r.gridId !== null) counts.set(r.gridId, { staff: counts.get(r.gridId)?.staff ?? 0, groups: Number(r.n) });
  return counts;
}

/** The grid tree (admins only): create, edit, move, CSV import and export. */
export const gridRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });

  const showTree = async (request: FastifyRequest, reply: FastifyReply, importText = '', errors: ImportError[] = [], status = 200, boundary?: BoundaryImport) =>
    sendPage(request, reply, {
      title: t.title,
      active: 'grids',
      status,
      body: treePage(await listUnits(ctx.db), await unitCounts(ctx.db), currentUser(request), importText, errors, boundary),
    });

  app.get('/console/grids', { preHandler: guard }, (request, reply) => showTree(request, reply));

  app.post('/console/grids', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const parentId = intField(form.parentId);
    const households = intField(form.households);
    if (Number.isNaN(parentId) || Number.isNaN(households)) return backWith(ctx, request, reply, '/console/grids', { kind: 'error', text: t.errors.households(form.households ?? '') });
    const result = await createUnit({ db: ctx.db, parentId, code: (form.code ?? '').trim(), name: form.name ?? '', households });
    if (!result.ok) return backWith(ctx, request, reply, '/console/grids', { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'grid.create', targetType: 'grid_unit', targetId: result.unit.id, data: { code: result.unit.code, name: result.unit.name, parentId } });
    return backWith(ctx, request, reply, '/console/grids', { kind: 'ok', text: t.created(result.unit.name) });
  });

  app.get('/console/grids.csv', { preHandler: guard }, async (request, reply) => {
    const units = await listUnits(ctx.db);
    await auditAction(ctx, request, { action: 'grid.export', targetType: 'grid_unit', data: { rows: units.length } });
    const body = CSV_BOM + csvLine(['code', 'name', 'level', 'parent_code', 'households']) +
      units.map((u) => csvLine([u.code, u.name, u.level, u.parentCode ?? '', u.households ?? ''])).join('');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="grids.csv"; filename*=UTF-8''${encodeURIComponent('网格.csv')}`)
      .send(body);
  });

  app.post('/console/grids/import', { preHandler: guard }, async (request, reply) => {
    const csv = csvFromForm(formOf(request), { fileField: 'csvFile', textField: 'csv' });
    if (!csv.ok) return showTree(request, reply, '', [{ line: 0, message: csv.message }], 400);
    const text = csv.text;
    const result = await importGrids({ db: ctx.db, text });
    if (!result.ok) return showTree(request, reply, text, result.errors, 400);
    await auditAction(ctx, request, { action: 'grid.import', targetType: 'grid_unit', data: { created: result.created, updated: result.updated } });
    return backWith(ctx, request, reply, '/console/grids', { kind: 'ok', text: t.imported(result.created, result.updated) });
  });

  app.get('/console/grids.geojson', { preHandler: guard }, async (request, reply) => {
    const grids = await gridBoundaries(ctx.db);
    await auditAction(ctx, request, { action: 'grid.boundary_export', targetType: 'grid_unit', data: { grids: grids.length } });
    return reply
      .type('application/geo+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="grids.geojson"; filename*=UTF-8''${encodeURIComponent('网格边界.geojson')}`)
      .send(JSON.stringify(boundaryCollection(grids)));
  });

  app.post('/console/grids/boundaries', { preHandler: guard }, async (request, reply) => {
    // The file's bytes come as base64 like the CSV import's; RFC 7946 GeoJSON is UTF-8, which the decoder detects.
    const file = csvFromForm(formOf(request), { fileField: 'geojsonFile', textField: 'geojson' });
    if (!file.ok) return showTree(request, reply, '', [], 400, { text: '', errors: [{ index: -1, message: file.message }] });
    const result = await importBoundaries({ db: ctx.db, text: file.text });
    // A large file is not echoed back into the form: the listed errors are what is needed to fix it.
    if (!result.ok) return showTree(request, reply, '', [], 400, { text: file.text.length <= 100_000 ? file.text : '', errors: result.errors });
    await auditAction(ctx, request, { action: 'grid.boundary_import', targetType: 'grid_unit', data: { updated: result.updated } });
    return backWith(ctx, request, reply, '/console/grids', { kind: 'ok', text: p.imported(result.updated) });
  });

  const loadUnit = async (id: string) => {
    const n = parseDbId(id);
    if (n === undefined) return undefined;
    const [unit] = await ctx.db.select().from(gridUnits).where(eq(gridUnits.id, n));
    return unit;
  };

  app.get<{ Params: { id: string } }>('/console/grids/:id', { preHandler: guard }, async (request, reply) => {
    const unit = await loadUnit(request.params.id);
    if (!unit) return sendNotFound(request, reply);
    const user = currentUser(request);
    const parentLevel = parentLevelOf(unit.level);
    const targets = parentLevel
      ? (await listUnits(ctx.db)).filter((u) => u.level === parentLevel && u.id !== unit.parentId && !u.path.startsWith(unit.path))
      : [];
    const col = t.columns;
    return sendPage(request, reply, {
      title: `${unit.name}（${levelName(unit)}）`,
      active: 'grids',
      body: html`
<form method="post" action="/console/grids/${unit.id}" class="card form-grid">${csrfField(user)}
  <label>${col.code}<input name="code" required value="${unit.code}"></label>
  <label>${col.name}<input name="name" required maxlength="50" value="${unit.name}"></label>
  <label>${col.households}<input name="households" inputmode="numeric" value="${unit.households ?? ''}"></label>
  <div><button type="submit">${c.save}</button></div>
</form>
${parentLevel
  ? html`<h2>${t.move}</h2><form method="post" action="/console/grids/${unit.id}/move" class="card stack">${csrfField(user)}
  <p class="muted small">${t.moveHint}</p>
  <select name="parentId" required><option value=""></option>${targets.map((u) => html`<option value="${u.id}">${u.name}（${u.code}）</option>`)}</select>
  <div><button type="submit">${t.move}</button></div></form>`
  : ''}
${unit.level === 'grid' ? html`<p><a href="/console/grids/${unit.id}/poster">${residentWebTexts.posterLink}</a></p>` : ''}
<p><a href="/console/grids">${c.back}</a></p>`,
    });
  });

  app.post<{ Params: { id: string } }>('/console/grids/:id', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const households = intField(form.households);
    const id = parseDbId(request.params.id);
    // Only a real id goes into the redirect: the raw parameter may hold anything a client sends.
    if (id === undefined) return sendNotFound(request, reply);
    const back = `/console/grids/${id}`;
    if (Number.isNaN(households)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.households(form.households ?? '') });
    const result = await updateUnit({ db: ctx.db, id, code: (form.code ?? '').trim(), name: form.name ?? '', households });
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'grid.update', targetType: 'grid_unit', targetId: id, data: { code: result.unit.code, name: result.unit.name, households } });
    return backWith(ctx, request, reply, '/console/grids', { kind: 'ok', text: t.saved(result.unit.name) });
  });

  app.post<{ Params: { id: string } }>('/console/grids/:id/move', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const parentId = intField(formOf(request).parentId);
    if (id === undefined) return sendNotFound(request, reply);
    const back = `/console/grids/${id}`;
    if (parentId === null || Number.isNaN(parentId)) return backWith(ctx, request, reply, back, { kind: 'error', text: t.errors.parentMissing });
    const result = await moveUnit({ db: ctx.db, id, parentId });
    if (!result) return sendNotFound(request, reply);
    if (!result.ok) return backWith(ctx, request, reply, back, { kind: 'error', text: result.message });
    await auditAction(ctx, request, { action: 'grid.move', targetType: 'grid_unit', targetId: id, data: { parentId, path: result.unit.path } });
    return backWith(ctx, request, reply, '/console/grids', { kind: 'ok', text: t.moved(result.unit.name, result.parent.name) });
  });
};
