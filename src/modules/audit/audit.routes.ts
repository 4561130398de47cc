import type { HttpPlugin } from '../../http/app';
import { html } from '../../http/views/html';
import { sendPage } from '../../http/views/page';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { formatDateTime } from '../../i18n/format';
import { requireStaff } from '../auth/auth.guard';
import { listAudit } from './audit.usecases';
import { parseDbId } from '../../shared/ids';

const t = consoleTexts.audit;
const PAGE = 100;

/** The audit log (admins only), newest first, filtered by action prefix and actor, paged by id. */
export const auditRoutes: HttpPlugin = async (app, { ctx }) => {
  app.get<{ Querystring: { action?: string; actor?: string; before?: string } }>(
    '/console/audit',
    { preHandler: requireStaff({ ctx, roles: ['admin'] }) },
    async (request, reply) => {
      const action = request.query.action?.trim().slice(0, 60) || undefined;
      const actor = parseDbId(request.query.actor);
      const before = parseDbId(request.query.before);
      const entries = await listAudit({
        db: ctx.db,
        filters: { action, actorStaffId: actor },
        before,
        limit: PAGE,
      });
      const col = t.columns;
      const last = entries[entries.length - 1];
      const params = new URLSearchParams();
      if (action) params.set('action', action);
      if (actor !== undefined) params.set('actor', String(actor));
      if (last) params.set('before', String(last.id));
      return sendPage(request, reply, {
        title: t.title,
        active: 'audit',
        body: html`
<form method="get" action="/console/audit" class="filters card">
  <label>${t.filters.action}<input name="action" value="${action ?? ''}"></label>
  <label>${t.filters.actor}<input name="actor" inputmode="numeric" value="${request.query.actor ?? ''}"></label>
  <button type="submit">${consoleTexts.common.search}</button>
</form>
<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.at}</th><th>${col.actor}</th><th>${col.action}</th><th>${col.target}</th><th>${col.data}</th><th>${col.ip}</th></tr></thead>
<tbody>${entries.map(
          (e) => html`<tr data-audit="${e.id}">
  <td data-label="${col.at}">${formatDateTime(e.at)}</td>
  <td data-label="${col.actor}">${e.actorName ?? (e.actorStaffId ? `#${e.actorStaffId}` : '—')}</td>
  <td data-label="${col.action}"><code>${e.action}</code></td>
  <td data-label="${col.target}">${e.targetType}${e.targetId ? ` ${e.targetId}` : ''}</td>
  <td data-label="${col.data}" class="small"><code>${e.data ? JSON.stringify(e.data).slice(0, 300) : ''}</code></td>
  <td data-label="${col.ip}" class="small">${e.ip ?? ''}</td>
</tr>`,
        )}</tbody></table></div>
${entries.length === PAGE ? html`<nav class="pager"><a href="/console/audit?${params.toString()}">${t.older}</a></nav>` : ''}`,
      });
    },
  );
};
