import { type SafeHtml, html } from '../../http/views/html';
import { csrfField } from '../../http/views/layout';
import { trackingLinkTexts } from '../../i18n/zh-CN.resident-web';
import { LINK_DAYS_AFTER_CLOSE, REVOKE_REASON_MAX, linkExpiresAt, linkState } from './resident-web.models';

const t = trackingLinkTexts;

export type OrderTrackingLink = { id: number; residentId: number; createdAt: Date; revokedAt: Date | null };

/**
 * The order page's 网页查询链接 card, shown only when residents follow the order through the resident page: each
 * link (the reporter's, those who joined), whether it works and until when, and for staff who may act on the
 * order a 作废链接 form (a reason and a tick to confirm). Revoking is per order: every link still in force.
 */
export function orderTrackingLinksSection({
  no,
  order,
  links,
  canRevoke,
  csrf,
  now,
}: {
  no: number;
  order: { residentId: number; closedAt: Date | null };
  links: readonly OrderTrackingLink[];
  canRevoke: boolean;
  csrf: { csrfToken: string };
  now: Date;
}): SafeHtml | '' {
  if (links.length === 0) return '';
  const expiresAt = linkExpiresAt(order.closedAt);
  const states = links.map((l) => linkState({ revokedAt: l.revokedAt, closedAt: order.closedAt, now }));
  return html`<section class="card" id="tracking-links">
  <h2>${t.title}</h2>
  <p class="muted small">${t.intro}</p>
  <ul>${links.map((l, i) => {
    const state = states[i]!;
    return html`<li data-state="${state}">${l.residentId === order.residentId ? t.owner : t.supporter} · <strong>${
      state === 'ok' ? t.live : state === 'revoked' ? t.revoked(l.revokedAt!) : t.expired
    }</strong>${state === 'ok' ? html` · ${expiresAt ? t.expiresAt(expiresAt) : t.expiresOpen(LINK_DAYS_AFTER_CLOSE)}` : ''} <span class="muted small">${t.issued(l.createdAt)}</span></li>`;
  })}</ul>
  ${canRevoke && states.includes('ok')
    ? html`<details class="action" data-action="revoke-tracking-links"><summary>${t.revoke}</summary>
    <form method="post" action="/console/orders/${no}/tracking-links/revoke" class="stack">${csrfField(csrf)}
      <label class="field">${t.reason}<textarea name="reason" required maxlength="${REVOKE_REASON_MAX}"></textarea></label>
      <label><input type="checkbox" name="confirm" value="yes" required> ${t.confirm}</label>
      <p class="muted small">${t.noRegenerate}</p>
      <button type="submit">${t.submit}</button></form></details>`
    : ''}
</section>`;
}
