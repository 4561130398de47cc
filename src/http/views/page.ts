import type { FastifyReply, FastifyRequest } from 'fastify';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { maybeUser } from '../../modules/auth/auth.guard';
import { cookieSecure, setFlash, takeFlash } from './flash';
import { type HtmlValue, html } from './html';
import { type Flash, layout } from './layout';

/**
 * Renders a page in the console shell for the request's user (if `requireStaff` admitted one), with the
 * flash messages a redirect left, and sends it.
 */
export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  {
    title,
    body,
    active,
    status = 200,
    head,
    flash = [],
    shell = 'console',
  }: { title: string; body: HtmlValue; active?: string; status?: number; head?: HtmlValue; flash?: Flash[]; shell?: 'console' | 'public' },
): FastifyReply {
  // A public page shows no one's menu, even to a signed-in officer who opens it.
  const user = shell === 'public' ? null : (maybeUser(request) ?? null);
  const page = layout({ title, body, active, head, user, shell, flash: [...takeFlash(request, reply), ...flash] });
  return reply.status(status).type('text/html; charset=utf-8').send(page.value);
}

/** The same 404 page for "does not exist" and "not yours", so record numbers are not confirmed. */
export function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendPage(request, reply, {
    title: '404',
    status: 404,
    body: html`<p class="flash flash-error">${consoleTexts.common.notFound}</p><p><a href="/console">${consoleTexts.common.back}</a></p>`,
  });
}

/** Post/redirect/get: a message for the next page, then the redirect (303 so the browser GETs). */
export function redirectWithFlash(
  request: FastifyRequest,
  reply: FastifyReply,
  url: string,
  flash: Flash | Flash[],
  secure?: boolean,
): FastifyReply {
  setFlash(reply, flash, cookieSecure(request, secure));
  return reply.redirect(url, 303);
}
