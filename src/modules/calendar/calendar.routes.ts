import { desc, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpPlugin } from '../../http/app';
import { auditAction, backWith, formOf } from '../../http/console-helpers';
import { html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { sendPage } from '../../http/views/page';
import { calendarTexts } from '../../i18n/zh-CN.calendar';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { formatDateTime } from '../../i18n/format';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { type CalendarImportError, parseCalendarImport } from './calendar.import';
import { calendarCoverageWarning } from './calendar.models';
import { saveCalendarYear } from './calendar.repository';
import { calendarDays, calendarYears } from './calendar.table';

const t = consoleTexts.calendar;

/** The holiday calendar (admins only): which years are covered, the 60-day warning, and a year's import. */
export const calendarRoutes: HttpPlugin = async (app, { ctx }) => {
  const guard = requireStaff({ ctx, roles: ['admin'] });

  const page = async (request: FastifyRequest, reply: FastifyReply, text = '', errors: CalendarImportError[] = [], status = 200) => {
    const user = currentUser(request);
    const [years, counts, calendar] = await Promise.all([
      ctx.db.select().from(calendarYears).orderBy(desc(calendarYears.year)),
      ctx.db
        .select({
          year: sql<number>`extract(year from ${calendarDays.date})::int`,
          holidays: sql<number>`count(*) filter (where ${calendarDays.kind} = 'holiday')::int`,
          workdays: sql<number>`count(*) filter (where ${calendarDays.kind} = 'workday')::int`,
        })
        .from(calendarDays)
        .groupBy(sql`1`),
      ctx.calendar.get(),
    ]);
    const byYear = new Map(counts.map((r) => [Number(r.year), r]));
    const warning = calendarCoverageWarning({ calendar, now: ctx.clock.now(), horizonDays: 60 });
    const col = t.columns;
    return sendPage(request, reply, {
      title: t.title,
      active: 'calendar',
      status,
      flash: warning
        ? [{ kind: 'error', text: calendarTexts.coverageWarning(warning.firstUncoveredDate, warning.horizonDays) }]
        : [{ kind: 'ok', text: t.ok(String(years[0]?.year ?? '')) }],
      body: html`
<h2>${t.coverage}</h2>
<div class="table-wrap"><table class="responsive">
<thead><tr><th>${col.year}</th><th>${col.source}</th><th>${col.importedAt}</th><th class="num">${col.holidays}</th><th class="num">${col.workdays}</th></tr></thead>
<tbody>${years.map(
        (y) => html`<tr data-year="${y.year}"><td data-label="${col.year}">${y.year}</td><td data-label="${col.source}">${t.sources[y.source] ?? y.source}</td>
  <td data-label="${col.importedAt}">${formatDateTime(y.importedAt)}</td>
  <td data-label="${col.holidays}" class="num">${byYear.get(y.year)?.holidays ?? 0}</td><td data-label="${col.workdays}" class="num">${byYear.get(y.year)?.workdays ?? 0}</td></tr>`,
      )}</tbody></table></div>
<h2 id="import">${t.import}</h2>
<form method="post" action="/console/calendar" class="card stack">${csrfField(user)}
  <p class="muted small">${t.importHint}</p>
  ${errors.length
    ? html`<div class="flash flash-error" role="alert"><p>${t.failed(errors.length)}</p><ul class="errors">${errors.map(
        (err) => html`<li>${err.line > 0 ? `第 ${err.line} 行：` : ''}${err.message}</li>`,
      )}</ul></div>`
    : ''}
  <input type="file" accept=".csv,.txt,text/csv,text/plain" data-into="calendar-text">
  <textarea id="calendar-text" name="text" rows="10" required placeholder="2027-10-01,holiday,国庆节">${text}</textarea>
  <div><button type="submit">${consoleTexts.common.import}</button></div>
</form>`,
    });
  };

  app.get('/console/calendar', { preHandler: guard }, (request, reply) => page(request, reply));

  app.post('/console/calendar', { preHandler: guard }, async (request, reply) => {
    const text = formOf(request).text ?? '';
    const parsed = parseCalendarImport(text);
    if (!parsed.ok) return page(request, reply, text, parsed.errors, 400);
    await saveCalendarYear({ db: ctx.db, year: parsed.year, days: parsed.days, source: 'console', clock: ctx.clock });
    ctx.calendar.invalidate();
    await auditAction(ctx, request, { action: 'calendar.import', targetType: 'calendar_year', targetId: parsed.year, data: { days: parsed.days.length } });
    return backWith(ctx, request, reply, '/console/calendar', { kind: 'ok', text: t.imported(parsed.year, parsed.days.length) });
  });
};
