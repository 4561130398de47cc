import type { ThreadLine } from '../../chat/thread.repository';
import { URGENCY_LABELS } from '../../../i18n/zh-CN';
import { phoneSurveyTexts, surveyRoundLabel } from '../../../i18n/zh-CN.survey';
import { ACTION_TEXTS } from './form-actions';
import { levelName } from '../../grids/grids.models';
import { consoleTexts } from '../../../i18n/zh-CN.console';
import { excerpt, formatDateTime } from '../../../i18n/format';
import { type SafeHtml, html } from '../../../http/views/html';
import { csrfField } from '../../../http/views/layout';
import type { WorkCalendar } from '../../calendar/calendar.models';
import type { OrderPageData } from './orders.queries';
import type { OrderActionName } from './orders.schemas';
import { CHANNEL_LABELS, type Option, deadlineCell, eventLine, formatLimit, phoneLink, statusBadge } from './orders.views';
import { mediaTexts } from '../../../i18n/zh-CN.media';
import { ATTACHMENT_WINDOW_MS } from '../../chat/intake.models';
import { ATTACHMENT_STAGES, type AttachmentStage, displayKind, effectiveStage, extensionOf } from '../rules/attachments.models';
import { recordedByStaff } from '../../surveys/surveys.models';

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
  const texts = ACTION_TEXTS[action];
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
    case 'survey': {
      const ps = phoneSurveyTexts;
      const choice = (name: string, label: string, options: Record<string, string>) =>
        html`<fieldset class="field"><legend>${label}</legend>${Object.entries(options).map(
          ([value, text]) => html`<label><input type="radio" name="${name}" value="${value}"${value === 'unknown' ? html` checked` : ''}> ${text}</label> `,
        )}</fieldset>`;
      return html`<p class="muted small">${ps.note}</p>${choice('solved', ps.solved, ps.solvedOptions)}${choice('answer', ps.answer, ps.answerOptions)}${noteField('note', ps.comment, false)}`;
    }
    case 'reply':
      return html`${noteField('note', a.reply.note, false)}
      <label class="field">${a.reply.canned}<select name="canned" data-fill="note"><option value=""></option>${t.cannedReplies.map(
        (text, i) => html`<option value="${i}">${text}</option>`,
      )}</select></label>`;
  }
}

/** The resident's conversation with the bot, oldest first: their words as written, the bot's answers beside. */
function threadSection(thread: readonly ThreadLine[]): SafeHtml | '' {
  if (thread.length === 0) return '';
  return html`<section class="card" id="thread"><h2>${p.thread}</h2><p class="muted small">${p.threadHint}</p>
<ol class="thread">${thread.map((line) =>
    line.who === 'resident'
      ? html`<li class="from-resident"><span class="muted small">${formatDateTime(line.at)} ${p.threadResident(line.inGroup)}</span>
  <div class="resident-text">${line.type === 'text' ? (line.text ?? '') : (p.threadMedia[line.type] ?? p.threadMedia.other)}</div></li>`
      : html`<li class="from-bot"><span class="muted small">${formatDateTime(line.at)} ${p.threadBot}</span><div>${line.text}</div></li>`,
  )}</ol></section>`;
}

const mt = mediaTexts.console;
type AttachmentRow = OrderPageData['attachments'][number];

const fileUrl = (no: number, id: number) => `/console/orders/${no}/attachments/${id}`;

/** Who added an attachment: the member of staff named on its timeline event, else the resident. */
function addedByNames(data: OrderPageData): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of data.events) {
    const id = (e.event.data as { attachmentId?: unknown } | null)?.attachmentId;
    if (e.event.type === 'attachment' && typeof id === 'number' && e.event.actorKind === 'staff' && e.actorName) names.set(id, e.actorName);
  }
  return names;
}

/** One attachment that is not a photo: a place, a voice note (playable or to download), a file, a link. */
function attachmentItem(no: number, f: AttachmentRow, by: string): SafeHtml {
  const when = html`<span class="muted small">${by} · ${formatDateTime(f.createdAt)}</span>`;
  const size = f.sizeBytes !== null ? html` <span class="muted small">${mt.size(f.sizeBytes)}</span>` : '';
  const download = f.storagePath ? html`<a href="${fileUrl(no, f.id)}" download>${mt.download}</a>` : html`<span class="muted">${mt.noFile}</span>`;
  switch (displayKind(f.kind, f.mime)) {
    case 'location':
      return html`<li class="att-location"><strong>${mt.location}</strong> ${f.address ?? ''}${
        f.lat !== null && f.lng !== null ? html` <span class="coords">${mt.coordinates(f.lat, f.lng)}</span>` : ''
      } ${when}</li>`;
    case 'audio':
      return html`<li class="att-voice"><strong>${mt.voice}</strong> <audio controls preload="none" src="${fileUrl(no, f.id)}"></audio> ${download}${size} ${when}</li>`;
    case 'voice-download': {
      const format = (extensionOf(f.originalName) || f.mime?.split('/')[1] || 'silk').toUpperCase();
      return html`<li class="att-voice"><strong>${mt.voice}</strong> ${download}${size} <span class="muted small">${mt.voiceNeedsConversion(format)}</span> ${when}</li>`;
    }
    case 'link':
      // Shown as text only: the console loads nothing from elsewhere, and a resident's link is not vouched for.
      return html`<li><strong>${mt.link}</strong> <code>${f.url ?? ''}</code> ${when}</li>`;
    default:
      return html`<li><strong>${f.kind === 'video' ? mt.video : mt.file}</strong> ${f.originalName ?? ''} ${download}${size} ${when}</li>`;
  }
}

/**
 * The order's photos, voice notes, places and files, grouped by when they came: with the report, while it was
 * handled, after 办结 (so before/after photos sit side by side). Photos as thumbnails linking to the full file.
 */
function attachmentsSection(data: OrderPageData): SafeHtml | string {
  if (data.attachments.length === 0) return '';
  const no = data.row.no;
  const resolve = [...data.events].reverse().find((e) => e.event.toStatus === 'resolved');
  const order = { resolvedAt: data.row.resolvedAt, resolvedByStaffId: resolve?.event.actorStaffId ?? null };
  const names = addedByNames(data);
  const byStage = new Map<AttachmentStage, AttachmentRow[]>();
  for (const f of data.attachments) {
    const stage = effectiveStage(f, order, ATTACHMENT_WINDOW_MS);
    byStage.set(stage, [...(byStage.get(stage) ?? []), f]);
  }
  return html`<section class="card" id="attachments"><h2>${p.attachments}</h2>${ATTACHMENT_STAGES.filter((s) => byStage.has(s)).map((stage) => {
    const rows = byStage.get(stage)!;
    const photos = rows.filter((f) => f.storagePath && displayKind(f.kind, f.mime) === 'photo');
    const others = rows.filter((f) => !photos.includes(f));
    const by = (f: AttachmentRow) => (f.addedByStaffId !== null ? mt.addedBy(names.get(f.id) ?? '') : mt.byResident);
    return html`<div class="att-stage" data-stage="${stage}"><h3>${mt.stages[stage]}</h3>
      ${photos.length
        ? html`<ul class="thumbs">${photos.map(
            (f) => html`<li><a href="${fileUrl(no, f.id)}" title="${mt.openFull}"><img src="${fileUrl(no, f.id)}" alt="${f.originalName ?? mt.stages[stage]}" loading="lazy" width="160" height="120"></a>
              <span class="muted small">${by(f)} · ${formatDateTime(f.createdAt)}</span></li>`,
          )}</ul>`
        : ''}
      ${others.length ? html`<ul class="att-list">${others.map((f) => attachmentItem(no, f, by(f)))}</ul>` : ''}</div>`;
  })}</section>`;
}

export function orderPageBody({
  data,
  actions,
  user,
  candidates,
  categories,
  now,
  calendar,
  thread = [],
  map,
  departments = '',
  trackingLinks = '',
}: {
  data: OrderPageData;
  actions: OrderActionName[];
  user: { csrfToken: string };
  candidates: Option[];
  categories: Option[];
  now: Date;
  calendar: WorkCalendar;
  /** The resident's chat with the bot about this order (orderThread). */
  thread?: ThreadLine[];
  /** The order's point and its grid on a map (orderMap), when it has either. */
  map?: SafeHtml;
  /** The departments card (分流交办: who holds it, dispatches, the 派单 form), rendered by the departments module. */
  departments?: SafeHtml | '';
  /** The resident page's tracking links (网页查询链接: state, 作废链接), rendered by the resident-web module. */
  trackingLinks?: SafeHtml | '';
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
  ${map ?? ''}
  <section class="card">
    <h2>${p.timeline}</h2>
    <ol class="timeline" id="timeline">${data.events.map((e) =>
      eventLine({ ...e.event, actorName: e.actorName, residentName: e.residentName, toName: e.toName }, categoryName),
    )}</ol>
  </section>
  ${departments}
  ${attachmentsSection(data)}
  ${data.surveys.length
    ? html`<section class="card"><h2>${p.survey}</h2><ul>${data.surveys.map(
        (s) => html`<li>${p.round(s.round)}：<strong>${surveyRoundLabel(s)}</strong>${recordedByStaff(s.channel) ? html` <span class="muted small">${phoneSurveyTexts.byPhone}</span>` : ''}${s.comment ? html` — <span class="resident-text">${s.comment}</span>` : ''} <span class="muted small">${formatDateTime(s.at)}</span></li>`,
      )}</ul></section>`
    : ''}
  ${threadSection(thread)}
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
  ${trackingLinks}
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
