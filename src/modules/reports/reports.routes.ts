import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpPlugin } from '../../http/app';
import { html } from '../../http/views/html';
import { sendPage } from '../../http/views/page';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { formatDateTime } from '../../i18n/format';
import { jobTexts } from '../../i18n/zh-CN.jobs';
import { reportTexts as t } from '../../i18n/zh-CN.reports';
import type { Agenda } from '../../jobs/agenda.models';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { loadAllUnits } from '../stats/units.repository';
import { reportUnitsVisible } from './reports.models';
import { REPORT_KINDS, listReports } from './reports.queries';

const PAGE = 20;
/** The agenda message lists this many orders; the page lists them all. */
const AGENDA_MESSAGE_ITEMS = 20;

function agendaItems(r: { kind: string; data: unknown }): Agenda['items'] {
  if (!r.kind.startsWith('agenda_')) return [];
  const items = (r.data as Partial<Agenda> | null)?.items;
  return Array.isArray(items) ? items : [];
}

const reportsQuery = z.object({
  kind: z.enum(REPORT_KINDS).optional().catch(undefined),
  period: z
    .string()
    .regex(/^\d{4}-(W\d{2}|\d{2})$/)
    .optional()
    .catch(undefined),
  before: z.coerce.number().int().min(1).max(2_147_483_647).optional().catch(undefined),
});

/**
 * 报告: the reports the scheduled jobs stored (每周一排, 民情沟通日 agendas, 月度民情分析), newest first, each with
 * the text that was sent; filtered by kind and period (the chat messages link here that way). Admins see every
 * report, officers those of their area and of the units above it (reportUnitsVisible).
 */
export const reportRoutes: HttpPlugin = async (plain, { ctx }) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/console/reports',
    { schema: { querystring: reportsQuery, hide: true }, preHandler: requireStaff({ ctx, roles: ['admin', 'officer'] }) },
    async (request, reply) => {
      const user = currentUser(request);
      const { kind, period, before } = request.query;
      const unitIds = reportUnitsVisible(user, await loadAllUnits(ctx.db));
      const rows = await listReports(ctx.db, { kind, periodKey: period, unitIds, beforeId: before, limit: PAGE });
      const col = t.columns;
      const older = new URLSearchParams();
      if (kind) older.set('kind', kind);
      if (period) older.set('period', period);
      if (rows.length === PAGE) older.set('before', String(rows[rows.length - 1]!.id));
      return sendPage(request, reply, {
        title: t.title,
        active: 'reports',
        body: html`
<form method="get" action="/console/reports" class="filters card">
  <label>${col.kind}<select name="kind"><option value="">${t.allKinds}</option>${REPORT_KINDS.map(
    (k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${t.kinds[k] ?? k}</option>`,
  )}</select></label>
  <label>${t.period}<input name="period" value="${period ?? ''}" placeholder="2026-11 / 2026-W47"></label>
  <button type="submit">${t.filter}</button>
</form>
${rows.length === 0 ? html`<p class="card">${t.none}</p>` : ''}
${rows.map(
  (r) => html`<article class="card" data-report="${r.id}">
  <h2>${r.title}</h2>
  <p class="small">${col.kind}：${t.kinds[r.kind] ?? r.kind} · ${col.unit}：${r.unitName} · ${t.period}：${r.periodKey} · ${col.generatedAt}：${formatDateTime(r.generatedAt)}</p>
  <pre class="report-body">${r.body}</pre>
  ${agendaItems(r).length > AGENDA_MESSAGE_ITEMS ? html`<h3>${t.fullAgenda}</h3><ol class="small">${agendaItems(r).map((i) => html`<li>${jobTexts.agendaLine(i)}</li>`)}</ol>` : ''}
</article>`,
)}
${rows.length === PAGE ? html`<nav class="pager"><a href="/console/reports?${older.toString()}">${t.older}</a></nav>` : ''}
<p><a href="/console">${consoleTexts.common.back}</a></p>`,
      });
    },
  );
};
