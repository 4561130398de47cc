import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../../app-context';
import { residentWebTexts } from '../../i18n/zh-CN.resident-web';
import { isDomainError } from '../../shared/errors/domain-error';
import { MAX_DEMAND_TEXT } from '../../shared/text/limits';
import { dialablePhone } from '../../shared/text/phone';
import { writeAudit } from '../audit/audit.usecases';
import { attachToOrder } from '../chat/attachments.usecases';
import type { SurveyAnswer } from '../work-orders/work-orders.models';
import { answerSurvey } from '../work-orders/handling/order-actions.usecases';
import { type DuplicateCandidate, submitDemand, supportOrder } from '../work-orders/intake/submit-demand.usecases';
import { WebPageError } from './resident-web.errors';
import {
  WEB_LIMITS,
  type WebPhoto,
  type WebReportPayload,
  canAddPhoto,
  limitReached,
  linkState,
  uploadLimitReached,
  pointOf,
  reportGrid,
} from './resident-web.models';
import {
  deleteReport,
  ensureLink,
  findOrCreateWebResident,
  insertReport,
  loadGridUnit,
  loadLink,
  loadPlacedGrids,
  reportByKey,
  reportsSince,
  residentPhotos,
  revokeLinks,
  trackedOrder,
  updateReport,
  uploadsSince,
} from './resident-web.repository';
import { gridOfToken, gridToken, linkIdOfToken, trackingMacMatches, trackingToken } from './resident-web.tokens';

const e = residentWebTexts.errors;
const CHANNEL = 'web' as const;

/** The client address as stored: an HMAC, so the limits work without keeping anyone's IP address. */
export function addressKey(key: Buffer, ip: string): string {
  return createHmac('sha256', key).update(`addr:${ip}`).digest().subarray(0, 16).toString('base64url');
}

/** The grid a poster's token names; a forged, altered or stale token (or a unit that is not a grid) is refused. */
export async function posterGrid(ctx: AppContext, key: Buffer, token: string) {
  const id = gridOfToken(key, token);
  const grid = id === null ? undefined : await loadGridUnit(ctx.db, id);
  if (!grid || grid.level !== 'grid') throw new WebPageError(404, e.gridToken);
  return grid;
}

/** A claim's payload until the report or the upload is read. */
const EMPTY_PAYLOAD = { text: '', phone: null, locationText: null, lat: null, lng: null } as const;

/**
 * Claims a place in the address's limits before anything is read or stored: the claim is the report's row
 * itself, counted with the others; over a limit it is removed again and the resident is told which limit.
 * Two requests racing at the limit may both be refused, never both admitted past it.
 */
export async function claimReport(ctx: AppContext, { address, gridId }: { address: string; gridId: number }) {
  const now = ctx.clock.now();
  const key = randomBytes(16).toString('base64url');
  const payload: WebReportPayload = { ...EMPTY_PAYLOAD, photos: [] };
  const id = await insertReport(ctx.db, { key, address, gridId, payload, now });
  // The counts include this claim.
  const { lastHour, lastDay } = await lastHourAndDay(ctx, address, reportsSince);
  await dropClaimOverLimit(ctx, id, limitReached({ lastHour: lastHour - 1, lastDay: lastDay - 1 }), (reached) =>
    reached === 'day' ? e.dayLimit(WEB_LIMITS.perDay) : e.hourLimit(WEB_LIMITS.perHour),
  );
  return { id, key };
}

/** What an address did in the last hour and in the last day, as `since` counts it (reports, or photos uploaded). */
async function lastHourAndDay(
  ctx: AppContext,
  address: string,
  since: (db: AppContext['db'], q: { address: string; since: Date }) => Promise<number>,
): Promise<{ lastHour: number; lastDay: number }> {
  const now = ctx.clock.now().getTime();
  const [lastHour, lastDay] = await Promise.all([
    since(ctx.db, { address, since: new Date(now - 3_600_000) }),
    since(ctx.db, { address, since: new Date(now - 86_400_000) }),
  ]);
  return { lastHour, lastDay };
}

/** A claim that passes a limit is removed, and the resident is told which limit (429). */
async function dropClaimOverLimit(ctx: AppContext, id: number, reached: 'hour' | 'day' | null, message: (reached: 'hour' | 'day') => string): Promise<void> {
  if (!reached) return;
  await deleteReport(ctx.db, id);
  throw new WebPageError(429, message(reached));
}

export async function dropClaim(ctx: AppContext, id: number) {
  await deleteReport(ctx.db, id);
}

const num = (s: string | undefined) => {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
};

/** The report's fields, bounded and normalised; a refusal names what to fix. */
export function reportPayload(fields: Record<string, string>, photos: WebPhoto[]): WebReportPayload {
  const text = (fields.text ?? '').trim();
  if (!text) throw new WebPageError(400, e.text);
  if (text.length > MAX_DEMAND_TEXT) throw new WebPageError(400, e.textTooLong(MAX_DEMAND_TEXT));
  const locationText = (fields.location ?? '').trim();
  if (locationText.length > WEB_LIMITS.locationText) throw new WebPageError(400, e.fieldTooLong(residentWebTexts.location, WEB_LIMITS.locationText));
  const phone = (fields.phone ?? '').trim();
  if (phone.length > WEB_LIMITS.phone) throw new WebPageError(400, e.fieldTooLong(residentWebTexts.phone, WEB_LIMITS.phone));
  const point = pointOf(num(fields.lat), num(fields.lng));
  return { text, phone: dialablePhone(phone), locationText: locationText || null, lat: point?.lat ?? null, lng: point?.lng ?? null, photos };
}

export type FileOutcome =
  | { kind: 'filed'; token: string; orderNo: number }
  | { kind: 'supported'; token: string; orderNo: number }
  | { kind: 'duplicates'; key: string; candidates: DuplicateCandidate[] };

/**
 * Files a claimed report: stores what the resident sent on its row first (nothing is lost whatever follows),
 * finds the grid, the resident (by phone among this page's residents, or new) and hands the demand to the same
 * pipeline as the chat — classification, the duplicate question, deadlines, routing. The page is the receipt
 * (none is queued for a resident no chat can reach).
 */
export async function fileReport(
  ctx: AppContext,
  { key, claim, poster, payload }: { key: Buffer; claim: { id: number; key: string }; poster: { id: number; path: string }; payload: WebReportPayload },
): Promise<FileOutcome> {
  const now = ctx.clock.now();
  const grid = reportGrid({ poster, point: pointOf(payload.lat, payload.lng), grids: await loadPlacedGrids(ctx.db) });
  await updateReport(ctx.db, claim.id, { payload, gridId: grid.gridId });
  try {
    const residentId = await findOrCreateWebResident(ctx.db, { phone: payload.phone, gridId: grid.gridId, now });
    await updateReport(ctx.db, claim.id, { residentId });
    return await submitOrOffer(ctx, key, { claimKey: claim.key, reportId: claim.id, residentId, gridId: grid.gridId, payload, checkDuplicates: true });
  } catch (error) {
    await updateReport(ctx.db, claim.id, { outcome: 'failed' });
    throw error;
  }
}

async function submitOrOffer(
  ctx: AppContext,
  key: Buffer,
  r: { claimKey: string; reportId: number; residentId: number; gridId: number; payload: WebReportPayload; checkDuplicates: boolean },
): Promise<FileOutcome> {
  const result = await submitDemand({
    deps: ctx.orderDeps,
    input: {
      sourceMessageId: `web:${r.claimKey}`,
      channel: CHANNEL,
      residentId: r.residentId,
      gridId: r.gridId,
      text: r.payload.text,
      locationText: r.payload.locationText,
      lat: r.payload.lat,
      lng: r.payload.lng,
      checkDuplicates: r.checkDuplicates,
      receipt: false,
    },
  });
  if (result.outcome === 'possible_duplicates') {
    await updateReport(ctx.db, r.reportId, { outcome: 'duplicates', payload: { ...r.payload, candidates: result.candidates.map((c) => c.no) } });
    return { kind: 'duplicates', key: r.claimKey, candidates: result.candidates };
  }
  const orderId = result.order.id;
  await attachPhotos(ctx, { orderId, residentId: r.residentId, photos: r.payload.photos, source: `web:${r.claimKey}` });
  await updateReport(ctx.db, r.reportId, { outcome: 'filed', orderId });
  const token = await linkFor(ctx, key, { orderId, residentId: r.residentId });
  return { kind: 'filed', token, orderNo: result.order.no };
}

async function attachPhotos(ctx: AppContext, { orderId, residentId, photos, source }: { orderId: number; residentId: number; photos: WebPhoto[]; source: string }) {
  for (const [i, photo] of photos.entries()) {
    await attachToOrder({
      db: ctx.db,
      orderId,
      residentId,
      channel: CHANNEL,
      draft: { kind: 'image', file: photo },
      sourceMessageId: `${source}:${i}`,
      now: ctx.clock.now(),
    });
  }
}

async function linkFor(ctx: AppContext, key: Buffer, { orderId, residentId }: { orderId: number; residentId: number }) {
  const link = await ensureLink(ctx.db, { orderId, residentId, nonce: randomBytes(16).toString('base64url'), now: ctx.clock.now() });
  return trackingToken(key, link);
}

/**
 * The answer to the duplicate question: 'new' files the report as its own order (no second question); a number
 * among those offered joins that order (附议) — the resident then follows it, and their photos are added to it.
 */
export async function answerDuplicates(ctx: AppContext, key: Buffer, { reportKey, choice }: { reportKey: string; choice: string }): Promise<FileOutcome> {
  const report = await reportByKey(ctx.db, reportKey);
  if (!report || report.residentId === null) throw new WebPageError(410, e.draft);
  if (report.outcome === 'filed' || report.outcome === 'supported') {
    // A second press of the button: the same result again.
    if (report.orderId === null) throw new WebPageError(410, e.draft);
    const order = await trackedOrder(ctx.db, report.orderId);
    const token = await linkFor(ctx, key, { orderId: report.orderId, residentId: report.residentId });
    return { kind: report.outcome, token, orderNo: order!.no };
  }
  if (report.outcome !== 'duplicates') throw new WebPageError(410, e.draft);
  const payload = report.payload;
  if (choice === 'new') {
    return submitOrOffer(ctx, key, { claimKey: report.key, reportId: report.id, residentId: report.residentId, gridId: report.gridId, payload, checkDuplicates: false });
  }
  const no = Number(choice);
  if (!Number.isInteger(no) || !(payload.candidates ?? []).includes(no)) throw new WebPageError(400, e.choice);
  try {
    const supported = await supportOrder({ deps: ctx.orderDeps, no, residentId: report.residentId, channel: CHANNEL });
    await attachPhotos(ctx, { orderId: supported.order.id, residentId: report.residentId, photos: payload.photos, source: `web:${report.key}` });
    await updateReport(ctx.db, report.id, { outcome: 'supported', orderId: supported.order.id });
    const token = await linkFor(ctx, key, { orderId: supported.order.id, residentId: report.residentId });
    return { kind: 'supported', token, orderNo: supported.order.no };
  } catch (error) {
    // The order closed meanwhile: the report is filed as its own order instead of being lost.
    if (isDomainError(error) && (error.code === 'INVALID_TRANSITION' || error.code === 'NOT_FOUND')) {
      return submitOrOffer(ctx, key, { claimKey: report.key, reportId: report.id, residentId: report.residentId, gridId: report.gridId, payload, checkDuplicates: false });
    }
    throw error;
  }
}

/** The link a tracking token names, checked: forged → 404, revoked → 410, expired → 410. */
export async function trackedLink(ctx: AppContext, key: Buffer, token: string) {
  const claimed = linkIdOfToken(token);
  const link = claimed ? await loadLink(ctx.db, claimed.id) : undefined;
  if (!claimed || !link || !trackingMacMatches(key, link, claimed.mac)) throw new WebPageError(404, e.trackToken);
  const order = await trackedOrder(ctx.db, link.orderId);
  if (!order) throw new WebPageError(404, e.trackToken);
  const state = linkState({ revokedAt: link.revokedAt, closedAt: order.closedAt, now: ctx.clock.now() });
  if (state === 'revoked') throw new WebPageError(410, e.revoked);
  if (state === 'expired') throw new WebPageError(410, e.expired);
  return { link, order, owner: order.residentId === link.residentId };
}

/** The order a tracking page may add photos to: its own resident's link only, while the order is open. */
export async function photoTarget(ctx: AppContext, key: Buffer, token: string) {
  const { link, order, owner } = await trackedLink(ctx, key, token);
  if (!owner) throw new WebPageError(403, e.notOwner);
  if (!canAddPhoto(order.status)) throw new WebPageError(409, e.photoClosed);
  return { link, order };
}

/**
 * The address's photo limits with `counted` photos of this claim already in the counts: past one, the claim is
 * removed and the resident told which (429).
 */
async function keepUploadWithinLimits(ctx: AppContext, claim: { id: number; address: string }, counted: number): Promise<void> {
  const { lastHour, lastDay } = await lastHourAndDay(ctx, claim.address, uploadsSince);
  await dropClaimOverLimit(ctx, claim.id, uploadLimitReached({ lastHour: lastHour - counted, lastDay: lastDay - counted, adding: counted }), (reached) =>
    reached === 'day' ? e.uploadDayLimit(WEB_LIMITS.uploadsPerDay) : e.uploadHourLimit(WEB_LIMITS.uploadsPerHour),
  );
}

/**
 * Claims a place in the address's photo limits before an upload on a tracking page is read, as `claimReport` does
 * for reports: the claim is a `web_reports` row (outcome 'photos') counting as one photo until the photos are
 * known (`countUpload`). Over a limit the claim is removed and the resident is told which limit (429).
 */
export async function claimUpload(
  ctx: AppContext,
  { address, order, residentId }: { address: string; order: { id: number; gridId: number }; residentId: number },
): Promise<{ id: number; address: string }> {
  const id = await insertReport(ctx.db, {
    key: randomBytes(16).toString('base64url'),
    address,
    gridId: order.gridId,
    payload: { ...EMPTY_PAYLOAD, photos: [] },
    now: ctx.clock.now(),
    upload: { orderId: order.id, residentId },
  });
  // The counts include this claim, as one.
  await keepUploadWithinLimits(ctx, { id, address }, 1);
  return { id, address };
}

/**
 * The photos read for a claimed upload, recorded on the claim and counted again at their number: past a limit
 * the claim is removed (the caller removes the files). Two uploads racing at the limit may both be refused,
 * never both admitted past it. With no photos (a refused upload, its files removed) the claim counts one.
 */
export async function countUpload(ctx: AppContext, claim: { id: number; address: string }, photos: WebPhoto[]): Promise<void> {
  await updateReport(ctx.db, claim.id, { payload: { ...EMPTY_PAYLOAD, photos } });
  if (photos.length === 0) return;
  await keepUploadWithinLimits(ctx, claim, photos.length);
}

/** A photo added on the tracking page: the order's own resident only, while it is open, within the per-order cap. */
export async function addTrackedPhotos(ctx: AppContext, key: Buffer, { token, photos }: { token: string; photos: WebPhoto[] }): Promise<number> {
  const { link, order } = await photoTarget(ctx, key, token);
  if (photos.length === 0) throw new WebPageError(400, e.noPhoto);
  const counted = await residentPhotos(ctx.db, order.id);
  if (counted.web + photos.length > WEB_LIMITS.photosPerOrder) throw new WebPageError(400, e.orderPhotos(WEB_LIMITS.photosPerOrder));
  const source = `web:t${link.id}:${ctx.clock.now().getTime()}:${randomBytes(4).toString('hex')}`;
  await attachPhotos(ctx, { orderId: order.id, residentId: link.residentId, photos, source });
  return photos.length;
}

/**
 * 作废链接 from the console: revokes every link of the order still in force and audits who did it and why, in one
 * transaction; how many it revoked (0: none was in force, nothing audited). A revoked link stays revoked: a later
 * report that joins the order gets the same link back, dead, and the console has no way to hand out a new one.
 */
export async function revokeOrderLinks(
  ctx: AppContext,
  { order, staffId, reason, ip }: { order: { id: number; no: number }; staffId: number; reason: string; ip: string },
): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const revoked = await revokeLinks(tx, { orderId: order.id, now });
    if (revoked > 0) {
      await writeAudit({
        db: tx,
        now,
        entry: { actorStaffId: staffId, action: 'order.tracking_links_revoke', targetType: 'order', targetId: order.no, data: { reason, links: revoked }, ip },
      });
    }
    return revoked;
  });
}

/** 回访 on the tracking page: the existing answer_survey command, as the order's resident, channel 'web'. */
export async function answerTrackedSurvey(
  ctx: AppContext,
  key: Buffer,
  { token, answer, comment }: { token: string; answer: SurveyAnswer; comment?: string },
) {
  const { link, owner } = await trackedLink(ctx, key, token);
  if (!owner) throw new WebPageError(403, e.notOwner);
  try {
    return await answerSurvey({
      deps: ctx.orderDeps,
      ref: { id: link.orderId },
      actor: { kind: 'resident', residentId: link.residentId },
      channel: CHANNEL,
      answer,
      comment: comment?.trim() ? comment.trim() : undefined,
    });
  } catch (error) {
    if (isDomainError(error) && error.code === 'SURVEY_NOT_OPEN') throw new WebPageError(409, e.surveyNotOpen);
    throw error;
  }
}

/** The first grid's report page (by code), for the demo's start-up line: a poster to try without printing one. */
export async function firstPosterPath(ctx: AppContext, key: Buffer): Promise<{ gridName: string; path: string } | null> {
  const grids = await loadPlacedGrids(ctx.db);
  const first = [...grids].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))[0];
  if (!first) return null;
  const grid = await loadGridUnit(ctx.db, first.id);
  return grid ? { gridName: grid.name, path: `/r/${gridToken(key, grid.id)}` } : null;
}
