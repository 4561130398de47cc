/** The dashboard's markup: tables that read without script, and chart containers the static script fills. */
import { type HtmlValue, type SafeHtml, html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { FIGURE_DEFINITIONS, FIGURE_FORMULAS, FIGURE_NAMES, statsTexts as t } from '../../i18n/zh-CN.stats';
import { LEVEL_LABELS } from '../../i18n/zh-CN';
import { surveyCountLabels } from '../../i18n/zh-CN.survey';
import { formatDateTime } from '../../i18n/format';
import type { Dashboard, Row } from './dashboard.usecases';
import type { UnitRow } from './units.repository';
import { departmentSection } from './department-stats.views';
import { FIGURE_KEYS, type FigureKey, type Figures, type Ratio, solvedNotSaid } from './stats.models';

export function percent(r: Ratio): string {
  return r.rate === null ? t.noData : `${(r.rate * 100).toFixed(1)}%`;
}

function parts(r: Ratio): string {
  return `${r.numerator} / ${r.denominator}`;
}

export type DashboardLinks = { self: (q: { unit?: number; from?: string; to?: string }) => string; presets: { label: string; from: string; to: string }[] };

function filters({ d, units, links }: { d: Dashboard; units: UnitRow[]; links: DashboardLinks }): SafeHtml {
  const indent = (u: UnitRow) => '　'.repeat(Math.max(0, (u.path.split('/').length - 3)));
  return html`<form class="filters" method="get" action="/console/dashboard">
  <label>${t.filters.unit}<select name="unit">${units.map(
    (u) => html`<option value="${u.id}"${u.id === d.scope.id ? html` selected` : ''}>${indent(u)}${u.name}</option>`,
  )}</select></label>
  <label>${t.filters.from}<input type="date" name="from" value="${d.period.from}" required></label>
  <label>${t.filters.to}<input type="date" name="to" value="${d.period.to}" required></label>
  <button type="submit">${t.filters.apply}</button>
  <span class="presets">${links.presets.map((p) => html`<a class="button secondary" href="${links.self({ unit: d.scope.id, from: p.from, to: p.to })}">${p.label}</a> `)}</span>
</form>`;
}

function figureCards(figures: Figures): SafeHtml {
  return html`<div class="stat-figures">${FIGURE_KEYS.map(
    (k) => html`<div class="stat-figure" id="figure-${k}">
      <div class="stat-name">${FIGURE_NAMES[k]}</div>
      <div class="stat-rate">${percent(figures[k])}</div>
      <div class="stat-parts muted">${parts(figures[k])}</div>
      <div class="stat-formula small muted">${FIGURE_FORMULAS[k]}</div>
    </div>`,
  )}</div>`;
}

function countsLine(d: Dashboard): SafeHtml {
  const c = d.total.counts;
  const items: [string, number][] = [
    [t.counts.submitted, c.submitted],
    [t.counts.assignments, c.assignments],
    [t.counts.resolved, c.resolved],
    [t.counts.closed, c.closed],
    [t.counts.escalated, c.escalated],
    [t.counts.reopened, c.reopened],
    [t.counts.returned, c.returned],
    [surveyCountLabels.surveySolved, c.surveySolved],
    [surveyCountLabels.surveyUnsolved, c.surveyUnsolved],
    [surveyCountLabels.solvedNotSaid, solvedNotSaid(c)],
    [surveyCountLabels.surveyUnrated, c.surveyUnrated],
    [t.counts.surveyUnanswered, c.surveyUnanswered],
    [t.counts.respMissed, c.respMissed],
  ];
  return html`<p class="stat-counts">${items.map(([label, n]) => html`<span>${label} <b>${n}</b></span> `)}</p>`;
}

const RATE_COLUMNS: FigureKey[] = [...FIGURE_KEYS];

function rateHeaders(): SafeHtml {
  return html`<th class="num">${t.counts.submitted}</th><th class="num">${t.counts.resolved}</th>${RATE_COLUMNS.map((k) => html`<th class="num">${FIGURE_NAMES[k]}</th>`)}`;
}

function rateCells(row: Row<object>): SafeHtml {
  return html`<td class="num" data-label="${t.counts.submitted}">${row.counts.submitted}</td><td class="num" data-label="${t.counts.resolved}">${row.counts.resolved}</td>${RATE_COLUMNS.map(
    (k) => html`<td class="num" data-label="${FIGURE_NAMES[k]}" title="${parts(row.figures[k])}">${percent(row.figures[k])}</td>`,
  )}`;
}

function breakdownTable(head: string, rows: { label: HtmlValue; row: Row<object> }[]): SafeHtml {
  return html`<div class="table-wrap"><table class="responsive"><thead><tr><th>${head}</th>${rateHeaders()}</tr></thead><tbody>${rows.map(
    (r) => html`<tr><td data-label="${head}">${r.label}</td>${rateCells(r.row)}</tr>`,
  )}</tbody></table></div>`;
}

type Ranked = Dashboard['ranking']['ranked'][number];

/** The ranking shows the four figures the score is made of. */
const SCORE_COLUMNS: FigureKey[] = ['response', 'onTime', 'satisfaction', 'firstTime'];

function rankingTable(title: string, rows: Ranked[], cls: string): SafeHtml {
  return html`<div class="stat-rank ${cls}"><h3>${title}</h3><div class="table-wrap"><table class="responsive"><thead><tr><th class="num">${t.columns.rank}</th><th>${t.columns.grid}</th><th class="num">${t.columns.score}</th>${SCORE_COLUMNS.map(
    (k) => html`<th class="num">${FIGURE_NAMES[k]}</th>`,
  )}<th class="num">${t.counts.resolved}</th></tr></thead><tbody>${rows.map(
    (g) => html`<tr><td class="num" data-label="${t.columns.rank}">${g.rank}</td><td class="stat-grid-name" data-label="${t.columns.grid}">${g.name}</td><td class="num" data-label="${t.columns.score}">${g.score.toFixed(1)}</td>${SCORE_COLUMNS.map(
      (k) => html`<td class="num" data-label="${FIGURE_NAMES[k]}" title="${parts(g.figures[k])}">${percent(g.figures[k])}</td>`,
    )}<td class="num" data-label="${t.counts.resolved}">${g.counts.resolved}</td></tr>`,
  )}</tbody></table></div></div>`;
}

/** ECharts options as data attributes (escaped like any attribute); /static/stats-dashboard.js draws them. */
function chart(id: string, option: unknown): SafeHtml {
  return html`<div class="stat-chart" id="${id}" data-chart="${JSON.stringify(option)}" role="img" aria-label="${id}"></div>`;
}

const pct = (r: Ratio) => (r.rate === null ? null : Math.round(r.rate * 1000) / 10);

function trendOption(d: Dashboard) {
  const lines: FigureKey[] = ['response', 'onTime', 'satisfaction', 'firstTime'];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 48, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: d.weeks.map((w) => w.weekStart.slice(5)) },
    yAxis: [
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      { type: 'value', name: t.counts.submitted, minInterval: 1 },
    ],
    series: [
      { name: t.counts.submitted, type: 'bar', yAxisIndex: 1, data: d.weeks.map((w) => w.counts.submitted), itemStyle: { color: '#cbd5e1' } },
      ...lines.map((k) => ({ name: FIGURE_NAMES[k], type: 'line', connectNulls: false, showAllSymbol: true, data: d.weeks.map((w) => pct(w.figures[k])) })),
    ],
  };
}

function childrenOption(d: Dashboard) {
  const keys: FigureKey[] = ['response', 'onTime', 'satisfaction'];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: d.children.map((c) => c.unit.name), axisLabel: { interval: 0, rotate: d.children.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: keys.map((k) => ({ name: FIGURE_NAMES[k], type: 'bar', data: d.children.map((c) => pct(c.figures[k])) })),
  };
}

export function dashboardBody({
  d,
  units,
  links,
  canRebuild,
  csrf,
}: {
  d: Dashboard;
  units: UnitRow[];
  links: DashboardLinks;
  canRebuild: boolean;
  csrf: { csrfToken: string };
}): SafeHtml {
  const childHead = d.children[0] ? LEVEL_LABELS[d.children[0].unit.level] : t.columns.unit;
  return html`${filters({ d, units, links })}
<p class="muted small">${d.scope.name} · ${t.period(d.period.from, d.period.to)} · ${t.refreshedAt} ${d.refreshedAt ? formatDateTime(d.refreshedAt) : t.neverRefreshed}</p>
<section aria-labelledby="s-figures"><h2 id="s-figures">${t.sections.figures}</h2>${figureCards(d.total.figures)}${countsLine(d)}</section>
<section aria-labelledby="s-trend"><h2 id="s-trend">${t.sections.trend}</h2>
${chart('chart-trend', trendOption(d))}
<noscript><p class="muted small">${t.chartNoScript}</p></noscript>
${breakdownTable(t.columns.week, d.weeks.map((w) => ({ label: w.weekStart, row: w })))}
</section>
${d.children.length > 0
  ? html`<section aria-labelledby="s-children"><h2 id="s-children">${t.sections.children}</h2>
${chart('chart-children', childrenOption(d))}
${breakdownTable(childHead, d.children.map((c) => ({ label: html`<a href="${links.self({ unit: c.unit.id, from: d.period.from, to: d.period.to })}">${c.unit.name}</a>`, row: c })))}
</section>`
  : ''}
<section aria-labelledby="s-categories"><h2 id="s-categories">${t.sections.categories}</h2>
${breakdownTable(t.columns.category, d.categories.filter((c) => c.counts.submitted + c.counts.resolved + c.counts.closed + c.counts.assignments > 0).map((c) => ({ label: c.name, row: c })))}
</section>
<section aria-labelledby="s-ranking"><h2 id="s-ranking">${t.sections.ranking}</h2>
<div class="stat-lists">${rankingTable(t.sections.red, d.ranking.red, 'red')}${rankingTable(t.sections.black, d.ranking.black, 'black')}</div>
<details><summary>${t.sections.allGrids}</summary>${rankingTable(t.sections.allGrids, d.ranking.ranked, 'all')}</details>
<p class="muted small">${t.scoreNote} ${d.ranking.unranked.length ? t.unranked(d.ranking.unranked.length) : ''}</p>
</section>
${departmentSection(d)}
<section aria-labelledby="s-definitions"><h2 id="s-definitions">${t.sections.definitions}</h2>
<dl class="stat-definitions">${FIGURE_KEYS.map((k) => html`<dt>${FIGURE_NAMES[k]}</dt><dd><p>${FIGURE_FORMULAS[k]}</p><p class="muted small">${FIGURE_DEFINITIONS[k]}</p></dd>`)}</dl>
<p class="muted small">${t.source}</p>
${canRebuild ? html`<form method="post" action="/console/dashboard/rebuild" class="inline">${csrfField(csrf)}<button type="submit" class="secondary">${t.rebuild}</button></form>` : ''}
</section>`;
}
