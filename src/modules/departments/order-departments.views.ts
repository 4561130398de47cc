import { type SafeHtml, html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { formatDateTime } from '../../i18n/format';
import { DISPATCH_ROLE_LABELS, departmentTexts } from '../../i18n/zh-CN.departments-console';
import type { OrderDepartments } from './order-departments.queries';

const t = departmentTexts.dispatch;

/**
 * The order page's departments card: the department holding it, the dispatches so far (a 退回 with its reason),
 * and for officers and admins a 派单 form with the 派单目录's suggestion chosen beforehand (主办 + 协办).
 */
export function orderDepartmentsSection({
  no,
  panel,
  canDispatch,
  csrf,
}: {
  no: number;
  panel: OrderDepartments;
  canDispatch: boolean;
  csrf: { csrfToken: string };
}): SafeHtml | '' {
  if (!canDispatch && panel.history.length === 0 && !panel.held) return '';
  const names = new Map(panel.choices.map((d) => [d.id, d.name]));
  const s = panel.suggestion;
  const leadId = s?.kind === 'found' ? s.leadId : null;
  const assistIds = new Set(s?.kind === 'found' ? s.assistIds : []);
  return html`<section class="card" id="departments">
  <h2>${t.history}</h2>
  ${panel.held ? html`<p id="held-by"><strong>${departmentTexts.heldBy(panel.held.name)}</strong></p>` : ''}
  ${panel.history.length
    ? html`<ol class="timeline" id="dispatches">${panel.history.map(
        (d) => html`<li>${formatDateTime(d.dispatchedAt)} ${DISPATCH_ROLE_LABELS[d.role]} <strong>${d.departmentName}</strong> · ${t.status[d.status]}${d.returnReason ? html` — <span>${d.returnReason}</span>` : ''}</li>`,
      )}</ol>`
    : ''}
  ${canDispatch && panel.choices.length
    ? html`<form method="post" action="/console/orders/${no}/dispatch" class="stack" id="dispatch-form">${csrfField(csrf)}
    <h3>${t.title}</h3>
    <p class="muted small" id="dispatch-suggestion">${s?.kind === 'found'
      ? html`${t.suggested(names.get(s.leadId) ?? '')}${s.assistIds.length ? html`；${t.suggestedAssists(s.assistIds.map((id) => names.get(id) ?? '').join('、'))}` : ''}`
      : s?.kind === 'ambiguous'
        ? t.ambiguous
        : t.none}</p>
    <label>${t.lead}<select name="departmentId" required><option value=""></option>${panel.choices.map(
      (d) => html`<option value="${d.id}"${d.id === leadId ? html` selected` : ''}>${d.name}</option>`,
    )}</select></label>
    <label>${t.assists}<select name="assistIds" multiple size="${Math.min(6, panel.choices.length)}">${panel.choices.map(
      (d) => html`<option value="${d.id}"${assistIds.has(d.id) ? html` selected` : ''}>${d.name}</option>`,
    )}</select></label>
    <label>${t.note}<textarea name="note" rows="2" maxlength="500"></textarea></label>
    <div><button type="submit">${t.submit}</button></div>
  </form>`
    : ''}
</section>`;
}
