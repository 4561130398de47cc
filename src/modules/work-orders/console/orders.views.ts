import { EVENT_LABELS, LEVEL_LABELS, STATUS_LABELS, SURVEY_LABELS, URGENCY_LABELS } from '../../../i18n/zh-CN';
import { levelName } from '../../grids/grids.models';
import { consoleTexts } from '../../../i18n/zh-CN.console';
import { excerpt, formatDateTime } from '../../../i18n/format';
import { departmentTexts } from '../../../i18n/zh-CN.departments-console';
import { wecomTexts } from '../../../i18n/zh-CN.wecom';
import { type SafeHtml, html } from '../../../http/views/html';
import { dialablePhone } from '../../../shared/text/phone';
import type { OrderListRow } from './orders.queries';
import { type OrderListQuery, orderListSearch } from './orders.schemas';
import type { OrderStatus } from '../work-orders.models';
import type { WorkCalendar } from '../../calendar/calendar.models';
import { type TimeLeftOrder, timeLeft } from '../rules/order-time-left.models';

const t = consoleTexts.orders;
const c = consoleTexts.common;

export const CHANNEL_LABELS: Record<string, string> = {
  group: '群聊',
  direct: '私聊',
  wecom: wecomTexts.channel,
  console: '后台',
  open311: 'Open311',
  web: '扫码报事',
  system: '系统',
};

export type Option = { value: string | number; label: string };

function select(name: string, label: string, options: Option[], selected: string | number | undefined, allLabel: string = c.all): SafeHtml {
  return html`<label>${label}<select name="${name}"><option value="">${allLabel}</option>${options.map(
    (o) => html`<option value="${o.value}"${String(o.value) === String(selected ?? '') ? html` selected` : ''}>${o.label}</option>`,
  )}</select></label>`;
}

export function statusBadge(status: OrderStatus): SafeHtml {
  return html`<span class="badge ${status}">${STATUS_LABELS[status]}</span>`;
}

/**
 * A limit as staff read it: working-day limits end at midnight, shown as "2026-12-10 24:00" (that day, by its
 * end) rather than as the next day's 00:00.
 */
export function formatLimit(d: Date | null | undefined): string {
  if (!d) return '—';
  const text = formatDateTime(d);
  return text.endsWith(' 00:00') ? `${formatDateTime(new Date(d.getTime() - 60_000)).slice(0, 10)} 24:00` : text;
}

/** The limit, and for an open order the time left ("剩 2 个工作日", "超期 3 天") coloured by its state. */
export function deadlineCell(o: TimeLeftOrder, now: Date, calendar: WorkCalendar): SafeHtml {
  const left = timeLeft({ order: o, now, calendar });
  const state = left?.state.replace('_', '-');
  return html`${formatLimit(o.deadlineAt)}${
    left && left.state !== 'paused'
      ? html` <span class="time-left ${state}"${left.state === 'nearly_due' ? html` title="${t.nearlyDue}"` : ''}>${t.timeLeft(left)}</span>`
      : ''
  }${o.pausedAt ? html` <span class="time-left paused badge">${t.paused}</span>` : ''}`;
}

export function orderListBody({
  rows,
  query,
  next,
  count,
  now,
  calendar,
  options,
  batch = null,
}: {
  rows: OrderListRow[];
  query: OrderListQuery;
  next: number | null;
  count: { count: number; capped: boolean };
  now: Date;
  calendar: WorkCalendar;
  options: { categories: Option[]; units: Option[]; assignees: Option[]; departments?: Option[] };
  /** The batch form (officers and admins), with the CSRF token it needs; null: no ticks, no form. */
  batch?: { csrfToken: string } | null;
}): SafeHtml {
  const statusOptions = (Object.keys(STATUS_LABELS) as OrderStatus[]).map((s) => ({ value: s, label: STATUS_LABELS[s] }));
  const f = t.filters;
  const col = t.columns;
  // On a phone the orders come first and the filters after them (console.css): a leader opens the page to see
  // what is waiting, and the link jumps down to the filters when they are wanted.
  return html`<div class="order-list">
<p class="filters-jump"><a href="#filters">${f.jump}</a></p>
<form method="get" action="/console/orders" class="filters card" role="search" id="filters">
  <label>${f.q}<input type="search" name="q" value="${query.q ?? ''}" placeholder="如：路灯 或 1024"></label>
  ${select('status', f.status, statusOptions, query.status.length === 1 ? query.status[0] : undefined)}
  ${select('category', f.category, options.categories, query.category)}
  ${select('unit', f.unit, options.units, query.unit)}
  ${select('level', f.level, Object.entries(LEVEL_LABELS).map(([value, label]) => ({ value, label })), query.level)}
  ${select('assignee', f.assignee, options.assignees, query.assignee)}
  ${options.departments?.length ? select('department', departmentTexts.filterDepartment, options.departments, query.department) : ''}
  ${select('urgency', f.urgency, Object.entries(URGENCY_LABELS).map(([value, label]) => ({ value, label })), query.urgency)}
  ${select('sort', f.sort, [{ value: 'due', label: f.due }], query.sort, f.newest)}
  <label>${f.from}<input type="date" name="from" value="${query.from ?? ''}"></label>
  <label>${f.to}<input type="date" name="to" value="${query.to ?? ''}"></label>
  <label class="check"><span><input type="checkbox" name="overdue" value="1"${query.overdue ? html` checked` : ''}> ${f.overdue}</span></label>
  <button type="submit">${c.search}</button>
  <a class="button secondary" href="/console/orders">${c.reset}</a>
  <a class="button secondary" href="/console/orders.csv${orderListSearch(query)}" download>${c.export}</a>
</form>
<p class="muted small" id="order-count">${t.countOf(count.count, count.capped)}</p>
<div class="table-wrap"><table class="responsive orders">
<thead><tr>${batch ? html`<th><span class="visually-hidden">${t.batch.pick}</span></th>` : ''}<th>${col.no}</th><th>${col.createdAt}</th><th>${col.status}</th><th>${col.category}</th><th>${col.text}</th><th>${col.grid}</th><th>${col.assignee}</th><th>${col.deadline}</th></tr></thead>
<tbody>
${rows.length === 0 ? html`<tr><td colspan="${batch ? 9 : 8}" class="muted">${c.noRows}</td></tr>` : ''}
${rows.map(
  (o) => html`<tr data-no="${o.no}">
  ${batch ? html`<td data-label="${t.batch.pick}"><input type="checkbox" name="nos" value="${o.no}" form="batch-form" aria-label="${t.batch.pickOne(o.no)}"></td>` : ''}
  <td data-label="${col.no}"><a href="/console/orders/${o.no}">#${o.no}</a></td>
  <td data-label="${col.createdAt}">${formatDateTime(o.createdAt)}</td>
  <td data-label="${col.status}">${statusBadge(o.status)}${o.urgency === 'urgent' ? html` <span class="badge urgent">${URGENCY_LABELS.urgent}</span>` : ''}</td>
  <td data-label="${col.category}">${o.categoryName}</td>
  <td data-label="${col.text}"><a href="/console/orders/${o.no}">${excerpt(o.text, 60)}</a></td>
  <td data-label="${col.grid}">${o.gridName}${o.level !== 'grid' ? html` <span class="badge">${levelName({ name: o.unitName, level: o.level })}：${o.unitName}</span>` : ''}</td>
  <td data-label="${col.assignee}">${o.assigneeName ?? '—'}</td>
  <td data-label="${col.deadline}">${deadlineCell(o, now, calendar)}</td>
</tr>`,
)}
</tbody></table></div>
${batch && rows.length > 0 ? batchForm(batch.csrfToken, options.assignees) : ''}
<nav class="pager">
  ${query.after ? html`<a href="/console/orders${orderListSearch({ ...query, after: undefined })}">${t.first}</a>` : ''}
  ${next ? html`<a rel="next" href="/console/orders${orderListSearch({ ...query, after: undefined }, { after: next })}">${t.more}</a>` : ''}
</nav>
</div>`;
}

/** 批量督办 / 派单 for the ticked rows (the boxes belong to this form through their `form` attribute). */
function batchForm(csrfToken: string, assignees: Option[]): SafeHtml {
  const b = t.batch;
  return html`<form method="post" action="/console/orders/batch" id="batch-form" class="card form-grid batch">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <label>${b.action}<select name="action">${(['supervise', 'assign'] as const).map((a) => html`<option value="${a}">${b.actions[a]}</option>`)}</select></label>
  <label>${b.staff}<select name="staffId"><option value=""></option>${assignees.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</select></label>
  <label>${b.note}<input name="note" maxlength="2000"></label>
  <div><button type="submit">${b.submit}</button></div>
</form>`;
}

/** A phone number as a tel: link (its dialable digits in the href, the number as written shown); plain text if it is no number. */
export function phoneLink(phone: string): SafeHtml {
  const dialable = dialablePhone(phone);
  return dialable ? html`<a href="tel:${dialable}" class="tel">${phone}</a>` : html`${phone}`;
}

/** One timeline entry's text: label, who, and what was said or changed. */
export function eventLine(e: {
  type: string;
  actorKind: string;
  actorName: string | null;
  residentName: string | null;
  toName: string | null;
  note: string | null;
  channel: string;
  data: unknown;
  at: Date;
}, categoryName: (id: number) => string): SafeHtml {
  const who = e.actorKind === 'staff' ? e.actorName ?? '工作人员' : e.actorKind === 'resident' ? `居民${e.residentName ?? ''}` : '系统';
  const data = (e.data ?? {}) as Record<string, unknown>;
  const detail: (string | SafeHtml)[] = [];
  if (['assign', 'reassign', 'escalate', 'return', 'reopen'].includes(e.type) && e.toName) detail.push(`→ ${e.toName}`);
  if (e.type === 'request_extension' || e.type === 'approve_extension') detail.push(`${String(data.days ?? '')} 个工作日`);
  if (e.type === 'survey' && typeof data.answer === 'string') detail.push(SURVEY_LABELS[data.answer as keyof typeof SURVEY_LABELS] ?? data.answer);
  if (e.type === 'change_category' && typeof data.toCategoryId === 'number') {
    detail.push(`${categoryName(data.toCategoryId)}（${URGENCY_LABELS[(data.toUrgency as 'normal' | 'urgent') ?? 'normal']}）`);
  }
  if (e.type === 'note') detail.push(html`<span class="internal">${t.internalOnly}</span>`);
  if (e.type === 'merge' && typeof data.intoNo === 'number') detail.push(html`→ <a href="/console/orders/${data.intoNo}">#${data.intoNo}</a>`);
  return html`<li data-type="${e.type}"><div><strong>${EVENT_LABELS[e.type] ?? e.type}</strong> · ${who} ${detail.map((d) => html`<span>${d}</span> `)}</div>
    ${e.note ? html`<div class="resident-text">${e.note}</div>` : ''}
    <div class="when">${formatDateTime(e.at)} · ${CHANNEL_LABELS[e.channel] ?? e.channel}</div></li>`;
}
