import { ROLE_LABELS } from '../../i18n/zh-CN';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { mapsTexts } from '../../i18n/zh-CN.maps';
import type { RoleAtUnit, StaffRole } from '../../modules/people/people.models';
import { type HtmlValue, type SafeHtml, html } from './html';

const t = consoleTexts;

export type Flash = { kind: 'ok' | 'error' | 'info'; text: string };

/** The part of the logged-in user the shell needs (a ConsoleUser fits). */
export type LayoutUser = { name: string; roles: readonly RoleAtUnit[]; csrfToken: string; mustChangePassword?: boolean };

type NavItem = { key: string; href: string; label: string; roles: readonly StaffRole[] | 'staff' };

/** The console's sections; each is shown only to the roles that may open it (the routes check again). */
export const NAV_ITEMS: readonly NavItem[] = [
  { key: 'orders', href: '/console/orders', label: t.nav.orders, roles: 'staff' },
  { key: 'map', href: '/console/map', label: mapsTexts.nav, roles: 'staff' },
  { key: 'dashboard', href: '/console/dashboard', label: t.nav.dashboard, roles: ['admin', 'officer', 'leader', 'assistant'] },
  { key: 'reports', href: '/console/reports', label: t.nav.reports, roles: ['admin', 'officer'] },
  { key: 'grids', href: '/console/grids', label: t.nav.grids, roles: ['admin'] },
  { key: 'staff', href: '/console/staff', label: t.nav.staff, roles: ['admin'] },
  { key: 'groups', href: '/console/groups', label: t.nav.groups, roles: ['admin'] },
  { key: 'categories', href: '/console/categories', label: t.nav.categories, roles: ['admin'] },
  { key: 'calendar', href: '/console/calendar', label: t.nav.calendar, roles: ['admin'] },
  { key: 'outbox', href: '/console/outbox', label: t.nav.outbox, roles: ['admin'] },
  { key: 'identities', href: '/console/identities', label: t.nav.identities, roles: ['admin'] },
  { key: 'bot', href: '/console/bot', label: t.nav.bot, roles: ['admin'] },
  { key: 'audit', href: '/console/audit', label: t.nav.audit, roles: ['admin'] },
];

function visible(item: NavItem, user: LayoutUser): boolean {
  if (user.mustChangePassword) return false;
  return item.roles === 'staff' || user.roles.some((r) => (item.roles as readonly StaffRole[]).includes(r.role));
}

/** The hidden field every console form carries; requireStaff refuses a POST without it. */
export function csrfField(user: { csrfToken: string }): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${user.csrfToken}">`;
}

function roleSummary(user: LayoutUser): string {
  const labels = [...new Set(user.roles.map((r) => ROLE_LABELS[r.role]))];
  return labels.join('、');
}

function flashBlock(flash: readonly Flash[]): SafeHtml {
  return html`${flash.map((f) => html`<div class="flash flash-${f.kind}" role="${f.kind === 'error' ? 'alert' : 'status'}">${f.text}</div>`)}`;
}

/**
 * The page shell: one small stylesheet, no script needed, navigation by role, flash messages. `active` marks
 * the current section. Pages without a user (log-in, public) get the bare shell.
 */
export function layout({
  title,
  body,
  user = null,
  flash = [],
  active,
  head,
  shell = 'console',
}: {
  title: string;
  body: HtmlValue;
  user?: LayoutUser | null;
  flash?: readonly Flash[];
  active?: string;
  /** Extra tags for <head> (a page's own script or stylesheet from /static). */
  head?: HtmlValue;
  /** 'public': a page for residents (the disclosure): it links home to itself and does not call itself 后台. */
  shell?: 'console' | 'public';
}): SafeHtml {
  const nav = user
    ? html`<nav class="nav" aria-label="主菜单">${NAV_ITEMS.filter((i) => visible(i, user)).map(
        (i) => html`<a href="${i.href}"${i.key === active ? html` class="active" aria-current="page"` : ''}>${i.label}</a>`,
      )}</nav>
      <div class="who"><span>${user.name}</span> <small>${roleSummary(user)}</small>
        <a href="/console/password">${t.nav.password}</a>
        <form method="post" action="/logout" class="inline">${csrfField(user)}<button type="submit" class="link">${t.nav.logout}</button></form>
      </div>`
    : '';
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t.appName}</title>
<link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script>
${head}
</head>
<body>
<header class="top">
  ${shell === 'public'
    ? html`<a class="brand" href="/public">${t.appName}<small>${t.publicSubtitle}</small></a>`
    : html`<a class="brand" href="/console">${t.appName}<small>${t.appSubtitle}</small></a>`}
  ${nav}
</header>
<main>
<h1>${title}</h1>
${flashBlock(flash)}
${body}
</main>
</body>
</html>`;
}
