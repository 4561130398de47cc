import { and, asc, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith, formOf, intField } from '../../http/console-helpers';
import { html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { sendNotFound, sendPage } from '../../http/views/page';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { formatDateTime } from '../../i18n/format';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { gridUnits } from '../grids/grids.table';
import { workOrders } from '../work-orders/work-orders.table';
import { chatGroups } from './chat.table';
import { confirmIdentity } from './identity-confirm.usecases';
import { unmatchedIdentities } from './identity.table';
import { parseDbId } from '../../shared/ids';
import { sortTree } from '../grids/grids.models';

const t = consoleTexts.groups;
const ti = consoleTexts.identities;
const c = consoleTexts.common;

type Candidate = { type: 'resident' | 'group'; id: number; name: string | null; gridId: number | null };

/** Chat groups ↔ grids, and the identities the bot could not decide on (admins only). */
export const groupRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });
  const grids = () =>
    ctx.db.select({ id: gridUnits.id, name: gridUnits.name, path: gridUnits.path }).from(gridUnits).where(eq(gridUnits.level, 'grid')).orderBy(asc(gridUnits.path)).then(sortTree);

  app.get('/console/groups', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const [groups, gridList] = await Promise.all([
      ctx.db.select().from(chatGroups).orderBy(asc(chatGroups.id)),
      grids(),
    ]);
    const col = t.columns;
    const gridSelect = (selected: number | null) =>
      html`<select name="gridId" required><option value="">${t.none}</option>${gridList.map(
        (g) => html`<option value="${g.id}"${g.id === selected ? html` selected` : ''}>${g.name}</option>`,
      )}</select>`;
    return sendPage(request, reply, {
      title: t.title,
      active: 'groups',
      body: html`
<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.topic}</th><th>${col.grid}</th><th>${col.room}</th><th>${col.bot}</th></tr></thead>
<tbody>${groups.map(
        (g) => html`<tr data-group="${g.id}">
  <td data-label="${col.topic}">${g.topic}</td>
  <td data-label="${col.grid}"><form method="post" action="/console/groups/${g.id}" class="inline">${csrfField(user)}${gridSelect(g.gridId)} <button type="submit" class="secondary">${c.save}</button></form></td>
  <td data-label="${col.room}">${g.roomId ? html`<span class="badge online">${t.attached}</span>` : html`<span class="badge offline">${t.waiting}</span>`}</td>
  <td data-label="${col.bot}">${g.botAccount}</td>
</tr>`,
      )}</tbody></table></div>
<h2>${t.create}</h2>
<form method="post" action="/console/groups" class="card form-grid">${csrfField(user)}
  <p class="muted small">${t.createHint}</p>
  <label>${col.topic}<input name="topic" required maxlength="60"></label>
  <label>${col.grid}${gridSelect(null)}</label>
  <div><button type="submit">${c.create}</button></div>
</form>`,
    });
  });

  const gridOk = async (gridId: number | null) => {
    if (gridId === null || Number.isNaN(gridId)) return false;
    const [g] = await ctx.db.select({ id: gridUnits.id }).from(gridUnits).where(and(eq(gridUnits.id, gridId), eq(gridUnits.level, 'grid')));
    return Boolean(g);
  };

  app.post('/console/groups', { preHandler: guard }, async (request, reply) => {
    const form = formOf(request);
    const topic = (form.topic ?? '').trim();
    const gridId = intField(form.gridId);
    if (!topic || [...topic].length > 60) return backWith(ctx, request, reply, '/console/groups', { kind: 'error', text: t.errors.topic });
    if (!(await gridOk(gridId))) return backWith(ctx, request, reply, '/console/groups', { kind: 'error', text: t.errors.grid });
    const [row] = await ctx.db.insert(chatGroups).values({ topic, gridId, botAccount: ctx.config.BOT_ACCOUNT }).returning({ id: chatGroups.id });
    await auditAction(ctx, request, { action: 'group.create', targetType: 'chat_group', targetId: row!.id, data: { topic, gridId } });
    return backWith(ctx, request, reply, '/console/groups', { kind: 'ok', text: t.created(topic) });
  });

  app.post<{ Params: { id: string } }>('/console/groups/:id', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    const gridId = intField(formOf(request).gridId);
    if (!(await gridOk(gridId))) return backWith(ctx, request, reply, '/console/groups', { kind: 'error', text: t.errors.grid });
    if (id === undefined) return sendNotFound(request, reply);
    const [before] = await ctx.db.select().from(chatGroups).where(eq(chatGroups.id, id));
    if (!before) return sendNotFound(request, reply);
    await ctx.db.update(chatGroups).set({ gridId }).where(eq(chatGroups.id, id));
    await auditAction(ctx, request, { action: 'group.grid', targetType: 'chat_group', targetId: id, data: { from: before.gridId, to: gridId } });
    return backWith(ctx, request, reply, '/console/groups', { kind: 'ok', text: t.saved });
  });

  app.get('/console/identities', { preHandler: guard }, async (request, reply) => {
    const user = currentUser(request);
    const open = await ctx.db
      .select()
      .from(unmatchedIdentities)
      .where(isNull(unmatchedIdentities.resolvedAt))
      .orderBy(desc(unmatchedIdentities.lastSeenAt))
      .limit(200);
    // What confirming a provisional resident would merge: the orders they reported meanwhile.
    const provisionalIds = open.map((u) => u.provisionalResidentId).filter((id): id is number => id !== null);
    const orderCounts = new Map(
      provisionalIds.length === 0
        ? []
        : (
            await ctx.db
              .select({ residentId: workOrders.residentId, n: count() })
              .from(workOrders)
              .where(inArray(workOrders.residentId, provisionalIds))
              .groupBy(workOrders.residentId)
          ).map((r) => [r.residentId, Number(r.n)]),
    );
    const col = ti.columns;
    return sendPage(request, reply, {
      title: ti.title,
      active: 'identities',
      body: html`<p class="muted">${ti.hint}</p>
${open.length === 0 ? html`<p class="card">${ti.none}</p>` : ''}
${open.map((u) => {
  const candidates = (Array.isArray(u.candidates) ? u.candidates : []) as Candidate[];
  return html`<section class="card" data-identity="${u.id}">
  <dl class="facts">
    <dt>${col.kind}</dt><dd>${ti.kinds[u.kind] ?? u.kind}</dd>
    <dt>${col.name}</dt><dd>${u.name}${u.alias ? html` <span class="muted">（${u.alias}）</span>` : ''}</dd>
    ${u.seenIn ? html`<dt>${col.seenIn}</dt><dd>${u.seenIn}</dd>` : ''}
    <dt>${col.reason}</dt><dd>${ti.reasons[u.reason] ?? u.reason}</dd>
    <dt>${col.seen}</dt><dd>${formatDateTime(u.lastSeenAt)}</dd>
    ${u.provisionalResidentId === null ? '' : html`<dt>${col.provisional}</dt><dd>${ti.provisionalOrders(orderCounts.get(u.provisionalResidentId) ?? 0)}</dd>`}
  </dl>
  <form method="post" action="/console/identities/${u.id}" class="stack">${csrfField(user)}
    <label class="field">${ti.confirm}<select name="resolution">${candidates.map(
      (cand) => html`<option value="${cand.type}:${cand.id}">${cand.name ?? `#${cand.id}`}</option>`,
    )}${u.kind === 'contact' ? html`<option value="new">${ti.asNew}</option>` : ''}</select></label>
    <div><button type="submit">${c.submit}</button></div>
  </form></section>`;
})}`,
    });
  });

  /**
   * Confirming ties the chat id to the chosen record (a resident's contact id, a group's room id), so the bot
   * recognises it from then on; a provisional resident confirmed as someone on record is merged into them.
   */
  app.post<{ Params: { id: string } }>('/console/identities/:id', { preHandler: guard }, async (request, reply) => {
    const id = parseDbId(request.params.id);
    if (id === undefined) return sendNotFound(request, reply);
    const resolution = formOf(request).resolution ?? '';
    const outcome = await confirmIdentity({ db: ctx.db, entryId: id, resolution, staffId: currentUser(request).staffId, now: ctx.clock.now() });
    if (outcome.kind === 'not_found') return sendNotFound(request, reply);
    if (outcome.kind === 'invalid') return backWith(ctx, request, reply, '/console/identities', { kind: 'error', text: c.error });
    await auditAction(ctx, request, {
      action: 'identity.resolve',
      targetType: 'unmatched_identity',
      targetId: id,
      data: { resolution, name: outcome.entry.name, provisionalResidentId: outcome.entry.provisionalResidentId, mergedOrders: outcome.mergedOrders },
    });
    const text = resolution.startsWith('resident:') ? ti.merged(outcome.mergedOrders) : ti.resolved;
    return backWith(ctx, request, reply, '/console/identities', { kind: 'ok', text });
  });
};
