import { eq } from 'drizzle-orm';
import { CHAT_LOCATION_DATUM, storedPoint } from '../grids/places.models';
import type { AppContext } from '../../app-context';
import type { Database } from '../../db/client';
import { botTexts } from '../../i18n/zh-CN.bot';
import { classifyDemand } from '../classification/classification.models';
import { assessDemand } from '../classification/vagueness.models';
import { residents } from '../people/residents.table';
import type { Channel } from '../work-orders/work-orders.deps';
import { submitDemand, supportOrder } from '../work-orders/intake/submit-demand.usecases';
import { attachHeld } from './attachments.usecases';
import { intakeSeveral } from './demand-split.usecases';
import { type Step, type Turn, noticesOr, outboxMark, speakerKey, step } from './conversation.turn';
import { stableKey } from './identity.models';
import { rememberGrid } from './identity.repository';
import {
  type InboundRow,
  type PendingDemandPayload,
  type PendingOutcome,
  claimPending,
  duePendingDemands,
  finishInbound,
  latestPending,
  setOutcome,
} from './inbound.repository';
import { PENDING_DEMAND_MS } from './intake.models';
import { hasDemandContent } from './intent.models';
import { intentTexts } from '../../i18n/zh-CN.intent';
import { insertOutbox } from '../work-orders/work-orders.repository';
import { orderByNo } from './chat.repository';
import { orderStatusText } from './resident-commands.usecases';

export type DemandInput = {
  residentId: number;
  gridId: number;
  chatGroupId: number | null;
  channel: 'group' | 'direct';
  text: string;
  lat?: number | null;
  lng?: number | null;
  locationText?: string | null;
};

/**
 * What a chat demand (as taken, or as held in an inbound row's payload) gives submitDemand: its people, place
 * and words, with the grid settled and the message it came from. The one place a chat demand becomes an order's
 * input; callers add only what differs (no duplicate check, another category, no receipt).
 */
export function orderInputOf(
  demand: Omit<DemandInput, 'gridId'>,
  { gridId, sourceMessageId }: { gridId: number; sourceMessageId: string | null },
) {
  return {
    sourceMessageId,
    channel: demand.channel,
    residentId: demand.residentId,
    gridId,
    chatGroupId: demand.chatGroupId,
    text: demand.text,
    lat: demand.lat ?? null,
    lng: demand.lng ?? null,
    locationText: demand.locationText ?? null,
  };
}

/** Whether the bot should ask one question first: vague, and not urgent (an urgent demand is never held). */
async function vagueness(ctx: AppContext, text: string) {
  const categories = (await ctx.categories.all()).filter((c) => c.active);
  const classification = classifyDemand({ text, categories, tokenize: ctx.tokenize, model: await ctx.classifier.model() });
  const category = categories.find((c) => c.code === classification.categoryCode);
  const namesProblem = classification.matched.length > 0;
  const assessment = assessDemand({ text, tokenize: ctx.tokenize, categoryKind: category?.kind, namesProblem });
  return assessment.vague && !classification.urgent ? assessment.reason ?? 'too_short' : null;
}

function payloadOf(turn: Turn, input: DemandInput, extra: Partial<PendingDemandPayload> = {}): PendingDemandPayload {
  return { contactId: turn.message.contact.id, ...input, ...extra };
}

/**
 * A demand from the chat: one question back if it is too vague to act on, the duplicates offered if there are
 * any, else the order — whose receipt is the reply. `source` is the message the demand was first written in
 * (the held one, when this is its follow-up), so submitting it twice creates one order.
 */
export async function intakeDemand(
  turn: Turn,
  input: DemandInput,
  { source = turn.inbound, askIfVague = true }: { source?: InboundRow; askIfVague?: boolean } = {},
): Promise<Step> {
  if (askIfVague) {
    const reason = await vagueness(turn.ctx, input.text);
    if (reason) return step(turn, 'pending_vague', botTexts.vagueQuestion[reason], { payload: payloadOf(turn, input) });
  }
  const several = await intakeSeveral(turn, input, source); // several problems in one message: one order each
  if (several) return several;
  const since = await outboxMark(turn);
  const result = await submitDemand({
    deps: turn.ctx.orderDeps,
    input: orderInputOf(input, { gridId: input.gridId, sourceMessageId: source.messageId }),
  });
  if (result.outcome === 'possible_duplicates') {
    // Their own order offered back as "someone reported it already" is a repeat: answered with that order.
    const own = await ownCandidate(turn, input.residentId, result.candidates);
    if (own) {
      const status = await orderStatusText(turn, own.no);
      return step(turn, 'reply', `${intentTexts.repeatOfOrder(own.no)}\n${status ?? ''}`.trim(), { orderId: own.id, payload: { intent: 'follow_up', repeat: true } });
    }
    const candidates = result.candidates.map((c) => ({ no: c.no, text: c.text }));
    return step(turn, 'pending_duplicate', botTexts.duplicateOffer(candidates), { payload: payloadOf(turn, input, { candidates }) });
  }
  const orderId = result.order.id;
  await rememberGrid(turn.db, { residentId: input.residentId, gridId: input.gridId });
  await attachHeld({ db: turn.db, fromKey: stableKey('resident', input.residentId), orderId, residentId: input.residentId, channel: input.channel, now: turn.now });
  const replies = await noticesOr(turn, { orderIds: [orderId], residentId: input.residentId, since }, null);
  return { outcome: 'order', orderId, replies, payload: payloadOf(turn, input) };
}

/** The first offered duplicate that is the resident's own order. */
async function ownCandidate(turn: Turn, residentId: number, candidates: readonly { no: number }[]) {
  for (const c of candidates) {
    const order = await orderByNo(turn.db, c.no);
    if (order?.residentId === residentId) return order;
  }
  return undefined;
}

/**
 * Whether a held message says anything to act on: "👍", "不用了谢谢" or "你好" held while the bot asked "what is
 * the problem?" is not a demand, and an order made of it would reach a volunteer as 【新工单】.
 */
export function heldHasContent(ctx: Pick<AppContext, 'tokenize'>, text: string): boolean {
  return hasDemandContent(text, ctx.tokenize);
}

/**
 * The resident's answer to the question about their vague demand: added to its text (so the order, its
 * category and the duplicate check see the place), then the demand goes on as if written whole. Returns null
 * when nothing is waiting for an answer.
 */
export async function answerVague(turn: Turn, answer: { text: string; location?: Turn['message']['location'] }): Promise<Step | null> {
  const pending = await latestPending(turn.db, {
    fromKey: speakerKey(turn),
    outcomes: ['pending_vague'],
    since: new Date(turn.now.getTime() - PENDING_DEMAND_MS),
    roomId: turn.message.room?.id ?? null,
  });
  if (!pending) return null;
  const claimed = await claimPending(turn.db, { id: pending.id, from: ['pending_vague'] });
  if (!claimed) return null;
  const held = claimed.payload as PendingDemandPayload;
  const addition = answer.location ? (answer.location.address ?? answer.location.name ?? '') : answer.text;
  // Stored in WGS-84 (the held payload's point was converted when it was held).
  const point = storedPoint(answer.location ? { ...answer.location, datum: CHAT_LOCATION_DATUM } : null);
  const input: DemandInput = {
    residentId: held.residentId,
    gridId: held.gridId!,
    chatGroupId: held.chatGroupId,
    channel: held.channel,
    text: addition ? `${held.text}\n补充：${addition}` : held.text,
    lat: point?.lat ?? held.lat ?? null,
    lng: point?.lng ?? held.lng ?? null,
    locationText: answer.location ? addition || null : (held.locationText ?? null),
  };
  const result = await settleHeld(turn, claimed, 'pending_vague', () => intakeDemand(turn, input, { source: claimed, askIfVague: false }));
  return { ...result, outcome: 'answer' };
}

/** Runs what resolves a held demand and files the held row under the result (back to pending if it failed). */
async function settleHeld(turn: Turn, held: InboundRow, heldAs: PendingOutcome, run: () => Promise<Step>): Promise<Step> {
  try {
    const result = await run();
    const outcome = result.outcome === 'pending_duplicate' ? 'pending_duplicate' : result.outcome === 'order' ? 'order' : 'supported';
    await finishInbound(turn.db, { id: held.id, outcome, orderId: result.orderId ?? null, payload: result.payload ?? held.payload, now: turn.now });
    return result;
  } catch (error) {
    await setOutcome(turn.db, { id: held.id, outcome: heldAs, from: ['resolving'] });
    throw error;
  }
}

/**
 * "+1" or "新建" after the bot offered possible duplicates. "+1" joins the (first or named) offered order;
 * "新建" submits the held demand as a new order. Null when nothing was offered to this person recently.
 */
export async function choosePending(turn: Turn, choice: { kind: 'support'; no: number | null } | { kind: 'new_order' }): Promise<Step | null> {
  const pending = await latestPending(turn.db, {
    fromKey: speakerKey(turn),
    outcomes: ['pending_duplicate'],
    since: new Date(turn.now.getTime() - PENDING_DEMAND_MS),
  });
  if (!pending) return null;
  const claimed = await claimPending(turn.db, { id: pending.id, from: ['pending_duplicate'] });
  if (!claimed) return null;
  const held = claimed.payload as PendingDemandPayload;
  const channel: Channel = turn.channel;
  if (choice.kind === 'new_order') {
    const result = await settleHeld(turn, claimed, 'pending_duplicate', () => submitAnyway(turn, claimed, held));
    return { ...result, outcome: 'answer' };
  }
  const no = choice.no ?? held.candidates?.[0]?.no;
  if (!no) return step(turn, 'answer', botTexts.noPendingChoice);
  const result = await settleHeld(turn, claimed, 'pending_duplicate', async () => {
    const since = await outboxMark(turn);
    const supported = await supportOrder({ deps: turn.ctx.orderDeps, no, residentId: held.residentId, chatGroupId: held.chatGroupId, channel });
    const orderId = supported.order.id;
    await attachHeld({ db: turn.db, fromKey: stableKey('resident', held.residentId), orderId, residentId: held.residentId, channel, now: turn.now });
    const replies = await noticesOr(turn, { orderIds: [orderId], residentId: held.residentId, since }, botTexts.supported(no));
    return { outcome: 'supported' as const, orderId, replies };
  });
  return { ...result, outcome: 'answer' };
}

async function submitAnyway(turn: Turn, source: InboundRow, held: PendingDemandPayload): Promise<Step> {
  const since = await outboxMark(turn);
  const result = await submitDemand({
    deps: turn.ctx.orderDeps,
    input: { ...orderInputOf(held, { gridId: held.gridId!, sourceMessageId: source.messageId }), checkDuplicates: false },
  });
  if (result.outcome === 'possible_duplicates') throw new Error('duplicates offered although the check was off');
  const orderId = result.order.id;
  await attachHeld({ db: turn.db, fromKey: stableKey('resident', held.residentId), orderId, residentId: held.residentId, channel: held.channel, now: turn.now });
  return { outcome: 'order', orderId, replies: await noticesOr(turn, { orderIds: [orderId], residentId: held.residentId, since }, null) };
}

/**
 * Held demands whose resident did not answer within 30 minutes become orders anyway (nothing a resident sent
 * is lost); their receipts go out through the outbox. A held message without any content (see heldHasContent)
 * becomes nothing: it stays on record as 'ignored', and the resident is told once how to report. A demand whose grid is still unknown cannot be routed: it
 * stays on record as 'grid_unknown' for the console. Safe to run from several instances: each row is claimed.
 */
export async function flushPendingDuplicates({
  ctx,
  limit = 100,
}: {
  ctx: AppContext;
  limit?: number;
}): Promise<{ created: number; failed: number; dropped: number }> {
  const now = ctx.clock.now();
  const due = await duePendingDemands(ctx.db, { before: new Date(now.getTime() - PENDING_DEMAND_MS), limit });
  let created = 0;
  let failed = 0;
  let dropped = 0;
  for (const row of due) {
    const claimed = await claimPending(ctx.db, { id: row.id, from: [row.outcome!] });
    if (!claimed) continue;
    const held = claimed.payload as PendingDemandPayload;
    try {
      if (!heldHasContent(ctx, held.text)) {
        await finishInbound(ctx.db, { id: claimed.id, outcome: 'ignored', payload: { ...held, dropped: true }, now });
        await insertOutbox(
          ctx.db,
          [
            {
              kind: 'reply',
              orderId: null,
              recipientType: 'resident',
              residentId: held.residentId,
              chatGroupId: held.chatGroupId,
              text: intentTexts.heldDropped,
              dedupeKey: `held-dropped:${claimed.id}`,
            },
          ],
          ctx.orderDeps.botAccount,
        );
        dropped++;
        continue;
      }
      const gridId = held.gridId ?? (await residentGrid(ctx.db, held.residentId));
      if (gridId === null) {
        await finishInbound(ctx.db, { id: claimed.id, outcome: 'grid_unknown', now });
        continue;
      }
      const result = await submitDemand({
        deps: ctx.orderDeps,
        input: { ...orderInputOf(held, { gridId, sourceMessageId: claimed.messageId }), checkDuplicates: false },
      });
      if (result.outcome === 'possible_duplicates') throw new Error('duplicates offered although the check was off');
      await attachHeld({ db: ctx.db, fromKey: stableKey('resident', held.residentId), orderId: result.order.id, residentId: held.residentId, channel: held.channel, now });
      await finishInbound(ctx.db, { id: claimed.id, outcome: 'order', orderId: result.order.id, now });
      created++;
    } catch (error) {
      failed++;
      ctx.log.error({ err: error, inboundId: claimed.id }, 'a held demand could not be submitted');
      await finishInbound(ctx.db, { id: claimed.id, outcome: 'error', error: String(error), now });
    }
  }
  return { created, failed, dropped };
}

async function residentGrid(db: Database, residentId: number): Promise<number | null> {
  const [row] = await db.select({ gridId: residents.gridId }).from(residents).where(eq(residents.id, residentId));
  return row?.gridId ?? null;
}
