/** The dashboard's departments: their figures over the scope's orders, and their own 红黑榜. */
import { type SafeHtml, html } from '../../http/views/html';
import { KIND_LABELS, departmentTexts } from '../../i18n/zh-CN.departments-console';
import { FIGURE_NAMES } from '../../i18n/zh-CN.stats';
import type { Dashboard, DepartmentRow } from './dashboard.usecases';
import type { DepartmentFigureKey, RankedDepartment } from './department-facts.models';
import type { Ratio } from './stats.models';
import { percent } from './stats.views';

const t = departmentTexts.stats;
const RATES: DepartmentFigureKey[] = ['response', 'solved', 'satisfaction', 'onTime', 'return'];
const parts = (r: Ratio) => `${r.numerator} / ${r.denominator}`;

function rateCells(row: DepartmentRow): SafeHtml {
  return html`${RATES.map((k) => html`<td class="num" data-label="${FIGURE_NAMES[k]}" title="${parts(row.figures[k])}">${percent(row.figures[k])}</td>`)}`;
}

function departmentTable(rows: DepartmentRow[]): SafeHtml {
  const col = t.columns;
  return html`<div class="table-wrap"><table class="responsive" id="department-figures"><thead><tr><th>${col.department}</th><th>${col.kind}</th><th class="num">${col.dispatched}</th><th class="num">${col.returned}</th><th class="num">${col.resolved}</th>${RATES.map(
    (k) => html`<th class="num">${FIGURE_NAMES[k]}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (d) => html`<tr data-department="${d.department.id}"><td data-label="${col.department}">${d.name}</td><td data-label="${col.kind}">${KIND_LABELS[d.department.kind]}</td><td class="num" data-label="${col.dispatched}">${d.counts.dispatched}</td><td class="num" data-label="${col.returned}">${d.counts.returned}</td><td class="num" data-label="${col.resolved}">${d.counts.resolved}</td>${rateCells(d)}</tr>`,
  )}</tbody></table></div>`;
}

function rankingTable(title: string, rows: RankedDepartment<DepartmentRow>[], cls: string): SafeHtml {
  const col = t.columns;
  return html`<div class="stat-rank ${cls}"><h3>${title}</h3><div class="table-wrap"><table class="responsive"><thead><tr><th class="num">${col.rank}</th><th>${col.department}</th><th class="num">${col.score}</th>${RATES.map(
    (k) => html`<th class="num">${FIGURE_NAMES[k]}</th>`,
  )}</tr></thead><tbody>${rows.map(
    (d) => html`<tr><td class="num" data-label="${col.rank}">${d.rank}</td><td class="stat-department-name" data-label="${col.department}">${d.name}</td><td class="num" data-label="${col.score}">${d.score.toFixed(1)}</td>${rateCells(d)}</tr>`,
  )}</tbody></table></div></div>`;
}

export function departmentSection(d: Dashboard): SafeHtml {
  const r = d.departmentRanking;
  return html`<section aria-labelledby="s-departments"><h2 id="s-departments">${t.section}</h2>
${d.departments.length === 0 ? html`<p class="muted">${t.none}</p>` : departmentTable(d.departments)}
${r.ranked.length > 0
  ? html`<h3>${t.ranking}</h3><div class="stat-lists">${rankingTable(t.red, r.red, 'red')}${rankingTable(t.black, r.black, 'black')}</div>
<details><summary>${t.all}</summary>${rankingTable(t.all, r.ranked, 'all')}</details>`
  : ''}
<p class="muted small">${t.note} ${r.unranked.length ? t.unranked(r.unranked.length) : ''}</p>
</section>`;
}
