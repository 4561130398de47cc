import { STATUS_LABELS } from '../../i18n/zh-CN';
import { formatDateTime, formatDeadline } from '../../i18n/format';
import { EVENT_LABELS } from '../../i18n/zh-CN';
import { SURVEY_CHOICES, residentWebTexts } from '../../i18n/zh-CN.resident-web';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { type HtmlValue, type SafeHtml, html, raw } from '../../http/views/html';
import { MAX_DEMAND_TEXT } from '../../shared/text/limits';
import type { DuplicateCandidate } from '../work-orders/intake/submit-demand.usecases';
import type { OrderStatus } from '../work-orders/work-orders.models';
import { WEB_LIMITS, type PublicEvent, canAddPhoto } from './resident-web.models';

const t = residentWebTexts;

/** The resident page's own shell: a phone-first page, one stylesheet, one optional script, no console chrome. */
export function residentLayout({ title, body, script = false }: { title: string; body: HtmlValue; script?: boolean }): SafeHtml {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${consoleTexts.appName}</title>
<link rel="stylesheet" href="/static/resident.css">
${script ? html`<script src="/static/resident.js" defer></script>` : ''}
</head>
<body>
<header class="bar">${consoleTexts.appName} · ${t.channel}</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

const message = (kind: 'ok' | 'error', text: string) => html`<p class="msg msg-${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</p>`;

export function errorPage(text: string): SafeHtml {
  return residentLayout({ title: t.channel, body: message('error', text) });
}

/** The report form; works without script (text, phone, photos); the script only adds the location button. */
export function reportForm({
  gridName,
  action,
  values = {},
  error,
}: {
  gridName: string;
  action: string;
  values?: Record<string, string>;
  error?: string;
}): SafeHtml {
  return residentLayout({
    title: t.formTitle,
    script: true,
    body: html`
${error ? message('error', error) : ''}
<p class="intro">${t.formIntro(gridName)}</p>
<form method="post" action="${action}" enctype="multipart/form-data" class="report">
  <label for="text">${t.text}</label>
  <textarea id="text" name="text" rows="5" required maxlength="${MAX_DEMAND_TEXT}" placeholder="${t.textHint}">${values.text ?? ''}</textarea>
  <label for="photos">${t.photos}</label>
  <input id="photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp,image/gif" multiple>
  <fieldset>
    <legend>${t.location}</legend>
    <button type="button" id="locate" class="secondary" hidden data-locating="${t.locating}" data-located="${t.located}" data-failed="${t.locateFailed}">${t.locate}</button>
    <p id="locate-status" class="hint" aria-live="polite"></p>
    <input type="hidden" name="lat" id="lat" value="${values.lat ?? ''}">
    <input type="hidden" name="lng" id="lng" value="${values.lng ?? ''}">
    <input id="location" name="location" maxlength="${WEB_LIMITS.locationText}" placeholder="${t.locationHint}" value="${values.location ?? ''}" aria-label="${t.location}">
  </fieldset>
  <label for="phone">${t.phone}</label>
  <input id="phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" maxlength="${WEB_LIMITS.phone}" value="${values.phone ?? ''}">
  <p class="hint">${t.phoneHint}</p>
  <button type="submit">${t.submit}</button>
  <p class="hint">${t.privacy}</p>
</form>`,
  });
}

/** The duplicate question: open orders nearby, by number, category, day and status — never anyone's words. */
export function duplicatesPage({
  action,
  reportKey,
  candidates,
}: {
  action: string;
  reportKey: string;
  candidates: readonly (DuplicateCandidate & { category: string; createdAt: Date; status: OrderStatus })[];
}): SafeHtml {
  return residentLayout({
    title: t.duplicatesTitle,
    body: html`
<p class="intro">${t.duplicatesIntro}</p>
${candidates.map(
  (c) => html`<form method="post" action="${action}" class="card">
  <input type="hidden" name="key" value="${reportKey}">
  <p>${t.duplicateItem({ no: c.no, category: c.category, when: formatDateTime(c.createdAt).slice(5), status: STATUS_LABELS[c.status] })}</p>
  <button type="submit" name="choice" value="${c.no}" class="secondary">${t.sameIssue}</button>
</form>`,
)}
<form method="post" action="${action}">
  <input type="hidden" name="key" value="${reportKey}">
  <button type="submit" name="choice" value="new">${t.notSame}</button>
</form>`,
  });
}

export type TrackedView = {
  token: string;
  no: number;
  status: OrderStatus;
  categoryName: string;
  urgent: boolean;
  handler: string;
  deadlineAt: Date | null;
  text: string | null;
  photos: number;
  owner: boolean;
  events: PublicEvent[];
  notice: { kind: 'ok' | 'error'; text: string } | null;
  banner: 'filed' | 'supported' | null;
};

/** The tracking page: status, handler, deadline, the resident's own words (owner only), the timeline, the forms. */
export function trackingPage(v: TrackedView): SafeHtml {
  const base = `/t/${v.token}`;
  const banner =
    v.banner === 'filed'
      ? html`<section class="receipt"><h2>${t.receiptTitle(v.no)}</h2><p>${t.receiptBody({ category: v.categoryName, handler: v.handler, deadlineAt: v.deadlineAt })}</p>
${v.urgent ? html`<p class="msg msg-error">${t.urgentAdvice}</p>` : ''}<p class="save">${t.saveLink}</p></section>`
      : v.banner === 'supported'
        ? html`<section class="receipt"><h2>${t.supportedTitle(v.no)}</h2><p>${t.supportedBody}</p><p class="save">${t.saveLink}</p></section>`
        : '';
  const closed = !['submitted', 'assigned', 'accepted', 'resolved'].includes(v.status);
  return residentLayout({
    title: t.trackTitle(v.no),
    body: html`
${v.notice ? message(v.notice.kind, v.notice.text) : ''}
${banner}
<dl class="facts">
  <dt>${t.status}</dt><dd class="status status-${v.status}">${STATUS_LABELS[v.status]}</dd>
  <dt>${t.category}</dt><dd>${v.categoryName}</dd>
  <dt>${t.handler}</dt><dd>${v.handler}</dd>
  ${v.deadlineAt && !closed ? html`<dt>${t.deadline}</dt><dd>${formatDeadline(v.deadlineAt)}</dd>` : ''}
</dl>
<h2>${v.owner ? t.yourReport : t.joined}</h2>
${v.owner ? html`<p class="text">${v.text}</p><p class="hint">${t.photosCount(v.photos)}</p>` : ''}
${v.owner && v.status === 'resolved'
  ? html`<form method="post" action="${base}/survey" class="card survey">
  <h2>${t.surveyTitle}</h2>
  ${SURVEY_CHOICES.map((c, i) => html`<label class="choice"><input type="radio" name="answer" value="${c.answer}"${i === 0 ? raw(' required') : ''}> ${c.label}</label>`)}
  <label for="comment">${t.surveyComment}</label>
  <textarea id="comment" name="comment" rows="2" maxlength="${WEB_LIMITS.comment}"></textarea>
  <button type="submit">${t.surveySubmit}</button>
</form>`
  : ''}
<h2>${t.timeline}</h2>
<ol class="timeline">${v.events.map(
  (e) => html`<li><span class="when">${formatDateTime(e.at)}</span> <strong>${EVENT_LABELS[e.type] ?? e.type}</strong>${e.staff ? html` · ${t.staff(e.staff.surname, e.staff.role)}` : e.byYou ? html` · ${t.you}` : ''}${e.note ? html`<div class="note">${e.note}</div>` : ''}</li>`,
)}</ol>
${v.owner && canAddPhoto(v.status)
  ? html`<form method="post" action="${base}/photos" enctype="multipart/form-data" class="card">
  <label for="more-photos">${t.addPhoto}</label>
  <input id="more-photos" type="file" name="photos" accept="image/jpeg,image/png,image/webp,image/gif" multiple required>
  <button type="submit" class="secondary">${t.addPhotoSubmit}</button>
</form>`
  : ''}
${closed ? html`<p class="hint">${t.closedNote}</p>` : ''}`,
  });
}

/** The printable A4 poster: the grid's name, the QR code (inline SVG, made by the program), what to do. */
export function posterPage({ gridName, url, svg, pngHref }: { gridName: string; url: string; svg: string; pngHref: string }): SafeHtml {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.posterTitle(gridName)}</title>
<link rel="stylesheet" href="/static/resident.css">
<script src="/static/resident.js" defer></script>
</head>
<body class="poster-body">
<nav class="no-print"><a href="${pngHref}" download>${t.posterPng}</a> <button type="button" data-print hidden>${t.posterPrint}</button></nav>
<article class="poster">
  <h1>${t.posterLead}</h1>
  <p class="grid-name">${gridName}</p>
  <div class="qr">${raw(svg)}</div>
  <ol>${t.posterSteps.map((s) => html`<li>${s}</li>`)}</ol>
  <p class="examples">${t.posterExamples}</p>
  <p class="url">${url}</p>
</article>
</body>
</html>`;
}
