import fastifyMultipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { AppContext } from '../../app-context';
import type { HttpPlugin } from '../../http/app';
import { formOf } from '../../http/console-helpers';
import { redirectWithFlash, sendNotFound } from '../../http/views/page';
import { residentWebTexts, trackingLinkTexts } from '../../i18n/zh-CN.resident-web';
import { parseDbId } from '../../shared/ids';
import { currentUser, requireStaff } from '../auth/auth.guard';
import { findVisibleOrder } from '../work-orders/console/orders.routes';
import { loadStaffActor } from '../work-orders/work-orders.repository';
import { resolveSessionSecret } from '../auth/session-secret';
import { WebPageError } from './resident-web.errors';
import { REVOKE_REASON_MAX, WEB_LIMITS, canRevokeLinks, publicTimeline, surnameOf } from './resident-web.models';
import { candidateFacts, loadGridUnit, residentPhotos, staffAtUnit, timelineOf } from './resident-web.repository';
import { gridToken, residentWebKey } from './resident-web.tokens';
import { discardPhotos, readReportForm } from './resident-web.uploads';
import {
  addTrackedPhotos,
  addressKey,
  answerDuplicates,
  answerTrackedSurvey,
  claimReport,
  claimUpload,
  countUpload,
  dropClaim,
  fileReport,
  firstPosterPath,
  photoTarget,
  posterGrid,
  reportPayload,
  revokeOrderLinks,
  trackedLink,
} from './resident-web.usecases';
import { duplicatesPage, errorPage, posterPage, reportForm, trackingPage } from './resident-web.views';
import { SURVEY_CHOICES } from '../../i18n/zh-CN.resident-web';

const t = residentWebTexts;
/** A token from the path, bounded before any work: anything longer than ours is no token (refused in words, 404). */
function tokenOf(raw: string, refusal: string): string {
  if (typeof raw !== 'string' || raw.length > 64) throw new WebPageError(404, refusal);
  return raw;
}
const gridParam = (raw: string) => tokenOf(raw, t.errors.gridToken);
const trackParam = (raw: string) => tokenOf(raw, t.errors.trackToken);

const html = (reply: FastifyReply, status: number, page: { value: string }) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);

/** The QR code's target: PUBLIC_URL when set (what residents' phones can reach), else the address the console was opened at. */
export function reportUrl(ctx: AppContext, request: FastifyRequest, token: string): string {
  const base = ctx.config.PUBLIC_URL ? ctx.config.PUBLIC_URL.replace(/\/+$/, '') : `${request.protocol}://${request.host}`;
  return `${base}/r/${token}`;
}

/** The start-up line naming the first grid's report page (the demo's poster, without printing it). */
export async function residentPageLine(ctx: AppContext, origin: string): Promise<string | null> {
  const found = await firstPosterPath(ctx, residentWebKey(resolveSessionSecret(ctx.config)));
  return found ? `resident page (扫码报事) of ${found.gridName}: ${origin.replace(/\/+$/, '')}${found.path} (every grid's poster: console → 网格 → a grid → 扫码报事海报)` : null;
}

const NOTICES: Record<string, { kind: 'ok' | 'error'; text: string }> = {
  survey: { kind: 'ok', text: t.surveyDone },
  reopened: { kind: 'ok', text: t.surveyReopened },
};

/**
 * The resident page (扫码报事): /r/<grid token> is the report form a poster's QR code opens, /t/<tracking token>
 * the private tracking page; no log-in. The console gets each grid's poster (A4 page and PNG). Redirects go only
 * to paths built here from our own tokens; no page takes a place to go back to.
 */
export const residentWebRoutes: HttpPlugin = async (app, { ctx }) => {
  const key = residentWebKey(resolveSessionSecret(ctx.config));
  const maxBytes = Math.min(WEB_LIMITS.photoBytes, ctx.config.ATTACHMENT_MAX_BYTES);
  await app.register(fastifyMultipart, {
    limits: { fileSize: maxBytes, files: WEB_LIMITS.photosPerReport + 1, fields: 12, fieldSize: 16 * 1024, parts: 20, headerPairs: 200 },
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof WebPageError) return html(reply, error.status, errorPage(error.message));
    if ((error as { statusCode?: number }).statusCode === 413) return html(reply, 413, errorPage(t.errors.photoTooLarge(Math.floor(maxBytes / 1048576))));
    if ((error as { statusCode?: number }).statusCode && (error as { statusCode: number }).statusCode < 500) return html(reply, 400, errorPage(t.errors.badForm));
    request.log.error({ err: error }, 'resident page failed');
    return html(reply, 500, errorPage(t.errors.internal));
  });

  app.get<{ Params: { token: string } }>('/r/:token', async (request, reply) => {
    const token = gridParam(request.params.token);
    const grid = await posterGrid(ctx, key, token);
    return html(reply, 200, reportForm({ gridName: grid.name, action: `/r/${token}` }));
  });

  app.post<{ Params: { token: string } }>('/r/:token', async (request, reply) => {
    const token = gridParam(request.params.token);
    const poster = await posterGrid(ctx, key, token);
    const action = `/r/${token}`;
    if (!request.isMultipart()) throw new WebPageError(400, t.errors.badForm);
    const claim = await claimReport(ctx, { address: addressKey(key, request.ip), gridId: poster.id });
    let form;
    try {
      form = await readReportForm(request, { dataDir: ctx.config.DATA_DIR, now: ctx.clock.now(), bounds: { maxPhotos: WEB_LIMITS.photosPerReport, maxBytes } });
    } catch (error) {
      await dropClaim(ctx, claim.id);
      if (error instanceof WebPageError && error.fields) return html(reply, error.status, reportForm({ gridName: poster.name, action, values: error.fields, error: error.message }));
      throw error;
    }
    let payload;
    try {
      payload = reportPayload(form.fields, form.photos);
    } catch (error) {
      await dropClaim(ctx, claim.id);
      await discardPhotos(ctx.config.DATA_DIR, form.photos);
      if (error instanceof WebPageError) return html(reply, error.status, reportForm({ gridName: poster.name, action, values: form.fields, error: error.message }));
      throw error;
    }
    let outcome;
    try {
      outcome = await fileReport(ctx, { key, claim, poster, payload });
    } catch (error) {
      if (error instanceof WebPageError) throw error;
      // What the resident sent is on the report's row (outcome 'failed'): they are told it is kept.
      request.log.error({ err: error, webReport: claim.id }, 'filing a resident report failed');
      throw new WebPageError(500, t.errors.failed);
    }
    if (outcome.kind === 'duplicates') {
      return html(reply, 200, duplicatesPage({ action: `${action}/duplicates`, reportKey: outcome.key, candidates: await candidateFacts(ctx.db, outcome.candidates) }));
    }
    return reply.redirect(`/t/${outcome.token}?new=${outcome.kind}`, 303);
  });

  app.post<{ Params: { token: string }; Body: { key?: unknown; choice?: unknown } }>('/r/:token/duplicates', async (request, reply) => {
    await posterGrid(ctx, key, gridParam(request.params.token));
    const body = z.object({ key: z.string().max(64), choice: z.string().max(16) }).safeParse(request.body ?? {});
    if (!body.success) throw new WebPageError(400, t.errors.choice);
    const outcome = await answerDuplicates(ctx, key, { reportKey: body.data.key, choice: body.data.choice });
    if (outcome.kind === 'duplicates') throw new WebPageError(410, t.errors.draft);
    return reply.redirect(`/t/${outcome.token}?new=${outcome.kind}`, 303);
  });

  app.get<{ Params: { token: string }; Querystring: { new?: string; done?: string } }>('/t/:token', async (request, reply) => {
    const token = trackParam(request.params.token);
    const { link, order, owner } = await trackedLink(ctx, key, token);
    const assignee = order.assigneeId === null ? undefined : await staffAtUnit(ctx.db, { staffId: order.assigneeId, unitId: order.unitId });
    const handler = assignee ? `${order.unitName} · ${t.staff(surnameOf(assignee.name), assignee.role)}` : order.unitName;
    const events = publicTimeline(await timelineOf(ctx.db, { orderId: order.id, residentId: link.residentId }), { owner });
    const q = request.query;
    return html(
      reply,
      200,
      trackingPage({
        token,
        no: order.no,
        status: order.status,
        categoryName: order.categoryName,
        urgent: order.urgency === 'urgent',
        handler,
        deadlineAt: order.deadlineAt,
        text: owner ? order.text : null,
        photos: owner ? (await residentPhotos(ctx.db, order.id)).all : 0,
        owner,
        events,
        banner: q.new === 'filed' || q.new === 'supported' ? q.new : null,
        notice: q.done && NOTICES[q.done] ? NOTICES[q.done]! : q.done && /^photo[1-9]$/.test(q.done) ? { kind: 'ok', text: t.photoAdded(Number(q.done.slice(5))) } : null,
      }),
    );
  });

  app.post<{ Params: { token: string } }>('/t/:token/photos', async (request, reply) => {
    const token = trackParam(request.params.token);
    // A bad link, someone else's order, a closed order and an address over its limits are refused before any file is read.
    const { link, order } = await photoTarget(ctx, key, token);
    if (!request.isMultipart()) throw new WebPageError(400, t.errors.badForm);
    const claim = await claimUpload(ctx, { address: addressKey(key, request.ip), order, residentId: link.residentId });
    const form = await readReportForm(request, { dataDir: ctx.config.DATA_DIR, now: ctx.clock.now(), bounds: { maxPhotos: WEB_LIMITS.photosPerReport, maxBytes } });
    try {
      await countUpload(ctx, claim, form.photos);
      const added = await addTrackedPhotos(ctx, key, { token, photos: form.photos });
      return reply.redirect(`/t/${token}?done=photo${added}`, 303);
    } catch (error) {
      await discardPhotos(ctx.config.DATA_DIR, form.photos);
      await countUpload(ctx, claim, []);
      throw error;
    }
  });

  app.post<{ Params: { token: string }; Body: unknown }>('/t/:token/survey', async (request, reply) => {
    const token = trackParam(request.params.token);
    const answers = SURVEY_CHOICES.map((c) => c.answer) as [string, ...string[]];
    const body = z
      .object({ answer: z.enum(answers), comment: z.string().max(WEB_LIMITS.comment).optional() })
      .safeParse(request.body ?? {});
    if (!body.success) {
      await trackedLink(ctx, key, token);
      throw new WebPageError(400, t.errors.surveyAnswer);
    }
    const outcome = await answerTrackedSurvey(ctx, key, { token, answer: body.data.answer as (typeof SURVEY_CHOICES)[number]['answer'], comment: body.data.comment });
    return reply.redirect(`/t/${token}?done=${outcome.after.status === 'closed' ? 'survey' : 'reopened'}`, 303);
  });

  // --- the console: each grid's poster ---
  const guard = requireStaff({ ctx, roles: ['admin'] });
  const gridFor = async (raw: string) => {
    const id = parseDbId(raw);
    const unit = id === undefined ? undefined : await loadGridUnit(ctx.db, id);
    return unit?.level === 'grid' ? unit : undefined;
  };

  app.get<{ Params: { id: string } }>('/console/grids/:id/poster', { preHandler: guard }, async (request, reply) => {
    const grid = await gridFor(request.params.id);
    if (!grid) return sendNotFound(request, reply);
    const url = reportUrl(ctx, request, gridToken(key, grid.id));
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return reply.type('text/html; charset=utf-8').send(posterPage({ gridName: grid.name, url, svg, pngHref: `/console/grids/${grid.id}/poster.png` }).value);
  });

  app.get<{ Params: { id: string } }>('/console/grids/:id/poster.png', { preHandler: guard }, async (request, reply) => {
    const grid = await gridFor(request.params.id);
    if (!grid) return sendNotFound(request, reply);
    const png = await QRCode.toBuffer(reportUrl(ctx, request, gridToken(key, grid.id)), { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 1024 });
    return reply
      .type('image/png')
      .header('content-disposition', `attachment; filename="qr-${grid.code.replace(/[^\w.-]/g, '_')}.png"`)
      .send(png);
  });

  // --- the console: 作废链接 on the order page's 网页查询链接 card (orderTrackingLinksSection) ---
  app.post<{ Params: { no: string } }>('/console/orders/:no/tracking-links/revoke', { preHandler: requireStaff({ ctx }) }, async (request, reply) => {
    const user = currentUser(request);
    const order = await findVisibleOrder(ctx, user, parseDbId(request.params.no));
    if (!order) return sendNotFound(request, reply);
    const flash = (kind: 'ok' | 'error', text: string) =>
      redirectWithFlash(request, reply, `/console/orders/${order.row.no}`, { kind, text }, ctx.config.COOKIE_SECURE);
    const lt = trackingLinkTexts;
    if (!canRevokeLinks(await loadStaffActor(ctx.db, user.staffId), order.state)) return flash('error', lt.errors.notAllowed);
    const form = formOf(request);
    const reason = (form.reason ?? '').trim();
    if (!reason || reason.length > REVOKE_REASON_MAX) return flash('error', lt.errors.reason(REVOKE_REASON_MAX));
    if (form.confirm !== 'yes') return flash('error', lt.errors.confirm);
    const revoked = await revokeOrderLinks(ctx, { order: order.row, staffId: user.staffId, reason, ip: request.ip });
    return revoked > 0 ? flash('ok', lt.done(revoked)) : flash('error', lt.errors.none);
  });
};
