import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HttpPlugin } from '../../http/app';
import { type SafeHtml, html } from '../../http/views/html';
import { sendPage } from '../../http/views/page';
import { FIGURE_DEFINITIONS, FIGURE_FORMULAS, FIGURE_NAMES, statsTexts } from '../../i18n/zh-CN.stats';
import { type PublicTown, loadPublicDisclosure, publicMonths } from './dashboard.usecases';
import type { Counts, Figures } from './stats.models';
import { freshEnough } from './stats.routes';
import { percent } from './stats.views';

const t = statsTexts.public;

const publicQuery = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/).optional() });

function cells(row: { counts: Counts; figures: Figures }): SafeHtml {
  return html`<td class="num" data-label="${t.submitted}">${row.counts.submitted}</td>
<td class="num" data-label="${t.resolved}">${row.counts.resolved}</td>
<td class="num" data-label="${t.onTime}">${row.counts.resolvedOnTime}</td>
<td class="num" data-label="${t.onTimeRate}">${percent(row.figures.onTime)}</td>
<td class="num" data-label="${FIGURE_NAMES.response}">${percent(row.figures.response)}</td>
<td class="num" data-label="${FIGURE_NAMES.firstTime}">${percent(row.figures.firstTime)}</td>
<td class="num" data-label="${FIGURE_NAMES.solved}">${percent(row.figures.solved)}</td>
<td class="num" data-label="${t.satisfaction}">${percent(row.figures.satisfaction)}</td>`;
}

function townRows(town: PublicTown): SafeHtml {
  return html`<tr class="public-town"><td data-label="${t.town}">${town.name}</td><td data-label="${t.grid}">${t.subtotal}</td>${cells(town)}</tr>
${town.grids.map((g) => html`<tr><td class="stat-empty"></td><td data-label="${t.grid}">${g.name}</td>${cells(g)}</tr>`)}`;
}

/**
 * 定期公示, with no log-in: per town and grid, one month's demands, resolutions, on-time resolutions, 响应率,
 * 一次办结率, 解决率 and 满意率 (the two survey answers apart).
 * Only unit names and numbers reach this page (loadPublicDisclosure returns nothing else), so no name, phone
 * number or text a resident wrote can appear.
 */
export const publicRoutes: HttpPlugin = async (plain, { ctx }) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  app.get('/public', { schema: { querystring: publicQuery, hide: true } }, async (request, reply) => {
    const months = publicMonths(ctx.clock.now());
    const month = request.query.month ?? months[0]!;
    if (!months.includes(month)) {
      return reply.status(404).type('text/plain; charset=utf-8').send('该月份暂无公示。');
    }
    await freshEnough(ctx);
    const p = await loadPublicDisclosure({ db: ctx.db, month });
    const [y, m] = month.split('-');
    reply.header('cache-control', 'public, max-age=300');
    return sendPage(request, reply, {
      title: `${statsTexts.publicTitle}（${y}年${Number(m)}月）`,
      head: html`<link rel="stylesheet" href="/static/stats.css">`,
      shell: 'public',
      body: html`<p>${t.intro}</p>
<nav class="public-months" aria-label="${t.month}">${months.map(
        (mo) => html`<a class="button secondary${mo === month ? ' current' : ''}" href="/public?month=${mo}">${mo}</a>`,
      )}</nav>
<div class="table-wrap"><table class="responsive">
<thead><tr><th>${t.town}</th><th>${t.grid}</th><th class="num">${t.submitted}</th><th class="num">${t.resolved}</th><th class="num">${t.onTime}</th><th class="num">${t.onTimeRate}</th><th class="num">${FIGURE_NAMES.response}</th><th class="num">${FIGURE_NAMES.firstTime}</th><th class="num">${FIGURE_NAMES.solved}</th><th class="num">${t.satisfaction}</th></tr></thead>
<tbody>${p.towns.map(townRows)}
<tr class="public-town"><td data-label="${t.town}">${t.total}</td><td class="stat-empty"></td>${cells(p.total)}</tr></tbody>
</table></div>
<h2>${t.notes}</h2>
<dl class="stat-definitions">
<dt>${FIGURE_NAMES.onTime}</dt><dd><p>${FIGURE_FORMULAS.onTime}</p><p class="muted small">${FIGURE_DEFINITIONS.onTime}</p></dd>
${(['response', 'firstTime'] as const).map(
        (k) => html`<dt>${FIGURE_NAMES[k]}</dt><dd><p>${FIGURE_FORMULAS[k]}</p><p class="muted small">${FIGURE_DEFINITIONS[k]}</p></dd>`,
      )}
${(['solved', 'satisfaction'] as const).map(
        (k) => html`<dt>${FIGURE_NAMES[k]}</dt><dd><p>${FIGURE_FORMULAS[k]}</p><p class="muted small">${FIGURE_DEFINITIONS[k]}</p></dd>`,
      )}
</dl>
<p class="muted small">${statsTexts.source}</p>`,
    });
  });
};
