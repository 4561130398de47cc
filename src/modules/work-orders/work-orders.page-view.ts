import { SURVEY_LABELS, URGENCY_LABELS } from '../../i18n/zh-CN';
import { levelName } from '../grids/grids.models';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { excerpt, formatDateTime } from '../../i18n/format';
import { type SafeHtml, html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import type { WorkCalendar } from '../calendar/calendar.models';
import type { OrderPageData } from './work-orders.queries';
import type { OrderActionName } from './work-orders.schemas';
import { CHANNEL_LABELS, type Option, deadlineCell, eventLine, formatLimit, phoneLink, statusBadge } from './work-orders.views';

const t = consoleTexts.orders;
const a = t.actions;
const p = t.page;

function noteField(name: string, label: string, required = true): SafeHtml {
  return html`<label class="field">${label}<textarea name="${name}"${required ? html` required` : ''} maxlength="2000"></textarea></label>`;
}

function actionForm(
  no: number,
  action: OrderActionName,
  user: { csrfToken: string },
  fields: SafeHtml | string,
  open = false,
): SafeHtml {
  const texts = a[action];
  return html`<details class="action" data-action="${action}"${open ? html` open` : ''}><summary>${texts.label}</summary>
    <form method="post" action="/console/orders/${no}/${action}" class="stack">${csrfField(user)}${fields}
      <button type="submit">${texts.submit}</button></form></details>`;
}

function actionFields(
  action: OrderActionName,
  { candidates, categories, order }: { candidates: Option[]; categories: Option[]; order: OrderPageData['row'] },
): SafeHtml | string {
  switch (action) {
    case 'accept':
      return '';
    case 'progress':
      return noteField('note', a.progress.note);
    case 'note':
      return noteField('note', a.note.note);
    case 'resolve':
      return noteField('note', a.resolve.note);
    case 'assign':
      return html`<label class="field">${a.assign.staff}<select name="staffId" required><option value=""></option>${candidates.map(
        (c) => html`<option value="${c.value}">${c.label}</option>`,
      )}</select></label>${noteField('note', a.assign.note, false)}`;
    case 'escalate':
      return noteField('note', a.escalate.note);
    case 'return':
      return noteField('note', a.return.note);
    case 'approve-extension':
      return noteField('note', a['approve-extension'].note, false);
    case 'deny-extension':
      return noteField('note', a['deny-extension'].note, false);
    case 'supervise':
      return noteField('note', a.supervise.note);
    case 'merge':
      return html`<label class="field">${a.merge.intoNo}<input name="intoNo" inputmode="numeric" pattern="[0-9]+" required></label>`;
    case 'invalidate':
      return noteField('note', a.invalidate.note);
    case 'category':
      return html`<label class="field">${a.category.category}<select name="categoryId">${categories.map(
        (c) => html`<option value="${c.value}"${c.value === order.categoryId ? html` selected` : ''}>${c.label}</option>`,
      )}</select></label>
      <label class="field">${a.category.urgency}<select name="urgency">${Object.entries(URGENCY_LABELS).map(
        ([value, label]) => html`<option value="${value}"${value === order.urgency ? html` selected` : ''}>${label}</option>`,
      )}</select></label>${noteField('note', a.category.note, false)}`;
    case 'reply':
      return noteField('note', a.reply.note);
  }
}

export function orderPageBody({
  data,
  actions,
  user,
  candidates,
  categories,
  now,
  calendar,
}: {
  data: OrderPageData;
  actions: OrderActionName[];
  user: { csrfToken: string };
  candidates: Option[];
  categories: Option[];
  now: Date;
  calendar: WorkCalendar;
}): SafeHtml {
  const o = data.row;
  const categoryName = (id: number) => categories.find((c) => c.value === id)?.label ?? String(id);
  return html`
<div class="cols">
<div>
  <section class="card">
    <h2>${p.text}</h2>
    <div class="resident-text" id="order-text">${o.text}</div>
    ${o.pendingExtensionDays !== null ? html`<p class="flash flash-info">${p.pendingExtension(o.pendingExtensionDays, o.pendingExtensionReason ?? '')}</p>` : ''}
  </section>
  <section class="card">
    <h2>${p.timeline}</h2>
    <ol class="timeline" id="timeline">${data.events.map((e) =>
      eventLine({ ...e.event, actorName: e.actorName, residentName: e.residentName, toName: e.toName }, categoryName),
    )}</ol>
  </section>
  ${data.attachments.length
    ? html`<section class="card"><h2>${p.attachments}</h2><ul>${data.attachments.map(
        (f) => html`<li>${f.kind} ${f.originalName ?? ''} ${f.address ?? ''}
          ${f.storagePath ? html`<a href="/console/orders/${o.no}/attachments/${f.id}">${p.download}</a>` : ''}
          ${f.lat !== null && f.lng !== null ? html`<span class="muted small">(${f.lat}, ${f.lng})</span>` : ''}
          <span class="muted small">${formatDateTime(f.createdAt)}</span></li>`,
      )}</ul></section>`
    : ''}
  ${data.surveys.length
    ? html`<section class="card"><h2>${p.survey}</h2><ul>${data.surveys.map(
        (s) => html`<li>${p.round(s.round)}：<strong>${SURVEY_LABELS[s.answer]}</strong>${s.comment ? html` — <span class="resident-text">${s.comment}</span>` : ''} <span class="muted small">${formatDateTime(s.at)}</span></li>`,
      )}</ul></section>`
    : ''}
</div>
<div>
  <section class="card">
    <h2>${p.facts}</h2>
    <dl class="facts">
      <dt>${t.columns.status}</dt><dd>${statusBadge(o.status)}${o.urgency === 'urgent' ? html` <span class="badge urgent">${URGENCY_LABELS.urgent}</span>` : ''}</dd>
      <dt>${t.columns.category}</dt><dd>${data.categoryName}</dd>
      <dt>${t.columns.grid}</dt><dd>${data.gridName}</dd>
      <dt>${p.unit}</dt><dd>${data.unitName}（${levelName({ name: data.unitName, level: o.level })}）</dd>
      <dt>${t.columns.assignee}</dt><dd>${data.assigneeName ?? '—'}${data.assigneePhone ? html` <span class="muted small">${phoneLink(data.assigneePhone)}</span>` : ''}</dd>
      <dt>${t.columns.createdAt}</dt><dd>${formatDateTime(o.createdAt)}</dd>
      <dt>${p.signDeadline}</dt><dd>${formatLimit(o.signDeadlineAt)}</dd>
      <dt>${t.columns.deadline}</dt><dd>${deadlineCell(o, now, calendar)}</dd>
      <dt>${p.resident}</dt><dd>${data.residentName ?? '—'}</dd>
      ${data.residentPhone ? html`<dt>${p.phone}</dt><dd>${phoneLink(data.residentPhone)}</dd>` : ''}
      ${o.locationText ? html`<dt>${p.location}</dt><dd>${o.locationText}</dd>` : ''}
      <dt>${p.channel}</dt><dd>${CHANNEL_LABELS[o.channel] ?? o.channel}</dd>
      ${data.mergedIntoNo ? html`<dt>${p.mergedInto}</dt><dd><a href="/console/orders/${data.mergedIntoNo}">#${data.mergedIntoNo}</a></dd>` : ''}
    </dl>
  </section>
  <section class="card" id="actions">
    <h2>${p.actions}</h2>
    ${actions.length === 0 ? html`<p class="muted">${p.noActions}</p>` : ''}
    ${actions.map((action) => actionForm(o.no, action, user, actionFields(action, { candidates, categories, order: o })))}
  </section>
  ${data.supporters.length
    ? html`<section class="card"><h2>${p.supporters}</h2><ul>${data.supporters.map((s) => html`<li>${s.name ?? '居民'} <span class="muted small">${formatDateTime(s.at)}</span></li>`)}</ul></section>`
    : ''}
  ${data.duplicates.length
    ? html`<section class="card"><h2>${p.duplicates}</h2><ul>${data.duplicates.map(
        (d) => html`<li><a href="/console/orders/${d.no}">#${d.no}</a> ${statusBadge(d.status)} ${excerpt(d.text, 40)} <span class="muted small">${p.similarity} ${Math.round(Number(d.score) * 100)}%</span></li>`,
      )}</ul></section>`
    : ''}
</div>
</div>`;
}
