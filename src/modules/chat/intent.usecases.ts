import { errorReplies } from '../../i18n/zh-CN';
import { botTexts } from '../../i18n/zh-CN.bot';
import { intentTexts } from '../../i18n/zh-CN.intent';
import { compactText } from '../../shared/text/normalize';
import { OPEN_STATUSES, urgeDue } from '../work-orders/work-orders.models';
import { cancelOrder, residentReply, urgeOrder } from '../work-orders/handling/order-actions.usecases';
import { recordSurveyAnswer } from './survey.usecases';
import { type ChatOrder, orderByNo, residentOrders } from './chat.repository';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, noticesOr, outboxMark, refusal, speakerKey, step } from './conversation.turn';
import { ensureResident } from './identity.usecases';
import {
  type InboundRow,
  PENDING_DEMAND_OUTCOMES,
  type PendingDemandPayload,
  type PendingOutcome,
  claimPending,
  finishInbound,
  latestPending,
} from './inbound.repository';
import { intentModel } from './intent-model';
import { readIntentBlended } from './intent-model.models';
import type { IntentContext, IntentReading, SurveyReading } from './intent.models';
import {
  type WhichOrderAsk,
  appendToHeld,
  closeWhichOrderAsk,
  lastUrgeAt,
  latestOwnOrder,
  latestWhichOrderAsk,
  latestWithdrawnHeld,
} from './intent.repository';
import { PENDING_DEMAND_MS } from './intake.models';
import { orderStatusText } from './resident-commands.usecases';

/** A demand of the resident's this recent is "their recent demand": the same words again are a repeat. */
export const REPEAT_WINDOW_MS = 24 * 3_600_000;
/** How long the bot's "which order? reply 1 or 2" waits for the one-key answer. */
export const WHICH_ORDER_WINDOW_MS = 10 * 60_000;

/** Everything the intent step knows about the speaker, read once per message. */
export type SpeakerState = {
  residentId: number;
  open: ChatOrder[];
  resolved: ChatOrder[];
  held: InboundRow | undefined;
  context: IntentContext;
};

/** Reads the speaker's open orders, awaited surveys and held demand (no writes). */
export async function speakerState(turn: Pick<Turn, 'db' | 'now'>, { residentId, fromKey }: { residentId: number; fromKey: string }): Promise<SpeakerState> {
  const open = await residentOrders(turn.db, { residentId, statuses: OPEN_STATUSES, limit: 10 });
  const resolved = await residentOrders(turn.db, { residentId, statuses: ['resolved'], limit: 5 });
  const held = await latestPending(turn.db, { fromKey, outcomes: PENDING_DEMAND_OUTCOMES, since: new Date(turn.now.getTime() - PENDING_DEMAND_MS) });
  const recentOrder = open.find((o) => turn.now.getTime() - o.createdAt.getTime() <= REPEAT_WINDOW_MS);
  const heldText = (held?.payload as PendingDemandPayload | null)?.text;
  return {
    residentId,
    open,
    resolved,
    held,
    context: {
      openOrders: open.map((o) => ({ no: o.no, text: o.text })),
      awaitingSurvey: resolved.length > 0,
      recentDemand: heldText ?? recentOrder?.text ?? null,
      pendingQuestion: Boolean(held),
    },
  };
}

/**
 * The intent step of a resident's message (text the command parser did not recognise, small talk, or a bare
 * 撤回 while a demand is held). Returns the step when the message is a follow-up, a question, a survey answer,
 * added detail, a withdrawal, thanks or chatter; null for a new demand (or an answer to the bot's question
 * about a held one), which goes on to intake as before.
 */
export async function understandResident(turn: Turn, command: ChatCommand): Promise<Step | null> {
  if (command.kind === 'cancel') return command.no === null ? withdrawHeldOnly(turn) : null;
  if (command.kind !== 'text' && command.kind !== 'chitchat') return null;
  const resident = await ensureResident({ db: turn.db, speaker: turn.speaker, contact: turn.message.contact, group: turn.group, now: turn.now, direct: turn.channel === 'direct' });
  const state = await speakerState(turn, { residentId: resident.id, fromKey: speakerKey(turn) });
  const reading = readIntentBlended({ text: turn.message.text, context: state.context, tokenize: turn.ctx.tokenize, model: intentModel(turn.ctx.tokenize) });
  const payload = { intent: reading.intent, ...(reading.no !== null ? { no: reading.no } : {}) };
  const result = await act(turn, state, reading, command);
  return result ? { ...result, payload: result.payload ?? payload } : null;
}

async function act(turn: Turn, state: SpeakerState, reading: IntentReading, command: ChatCommand): Promise<Step | null> {
  const held = state.held;
  const heldText = (held?.payload as PendingDemandPayload | null)?.text ?? '';
  switch (reading.intent) {
    case 'new_demand':
      return null;
    case 'added_detail':
      // The answer to "where is it?" completes the held demand (answerVague, after this step).
      if (held?.outcome === 'pending_vague') return null;
      if (held) return addToHeld(turn, held, turn.message.text);
      return chooseThen(turn, state, reading, 'added_detail');
    case 'follow_up':
    case 'status_question':
      if (reading.repeat && held) {
        if (held.outcome === 'pending_vague' && compactText(turn.message.text) !== compactText(heldText)) return null;
        return step(turn, 'reply', `${intentTexts.repeatOfHeld}${intentTexts.heldQuestion[held.outcome as PendingOutcome]}`);
      }
      // "有人来了吗" while the bot still waits for what the problem is: the question again, not "no open order".
      if (held && state.open.length === 0 && reading.no === null) {
        return step(turn, 'reply', `${intentTexts.repeatOfHeld}${intentTexts.heldQuestion[held.outcome as PendingOutcome]}`);
      }
      if (reading.repeat) {
        const order = state.open.find((o) => compactText(o.text) === compactText(state.context.recentDemand ?? '')) ?? state.open[0];
        if (order) return statusReply(turn, order.no, intentTexts.repeatOfOrder(order.no), order.id);
      }
      return chooseThen(turn, state, reading, reading.intent);
    case 'survey_answer':
      if (state.resolved.length === 0) return step(turn, 'reply', intentTexts.thanks);
      return chooseThen(turn, state, reading, 'survey_answer');
    case 'cancellation':
      return withdraw(turn, state, reading);
    case 'thanks_ack':
      if (command.kind === 'chitchat') return step(turn, 'reply', quietInGroup(turn, command.what) ? null : botTexts.chitchat[command.what]);
      if (turn.channel === 'group' && !/谢|辛苦|感/u.test(turn.message.text)) {
        // A bare 👍 or 好滴 needs no answer in a group; anything longer said to the bot gets one line back.
        return step(turn, 'reply', isBareAck(turn.message.text) ? null : intentTexts.chatter);
      }
      return step(turn, 'reply', intentTexts.thanks);
    case 'chatter':
      if (command.kind === 'chitchat') return step(turn, 'reply', botTexts.chitchat[command.what]);
      return step(turn, 'reply', intentTexts.chatter);
  }
}

/** A bare "不用了" this soon after a report may withdraw it (the bot asks to confirm); later it is small talk. */
const BARE_WITHDRAWAL_WINDOW_MS = 30 * 60_000;

/** At most a few characters once punctuation, symbols and emoji are gone: "👍", "好滴", "ok啦". */
function isBareAck(text: string): boolean {
  return [...text.replace(/[\p{P}\p{S}\s]/gu, '')].length <= 4;
}

/** In a group, a bare "好的"/"收到" needs no answer: the group hears the bot only when it has something to say. */
function quietInGroup(turn: Turn, what: 'thanks' | 'greeting' | 'ack'): boolean {
  return turn.channel === 'group' && what === 'ack';
}

type Target = WhichOrderAsk['intent'];

/**
 * Finds the order the message is about — the number given, the one matching by text, or the only candidate —
 * and acts on it; with several and nothing to tell them apart, asks which with a one-key answer.
 */
async function chooseThen(turn: Turn, state: SpeakerState, reading: IntentReading, intent: Target): Promise<Step> {
  const candidates = intent === 'survey_answer' ? state.resolved : intent === 'status_question' ? [...state.open, ...state.resolved] : state.open;
  if (reading.no !== null) {
    const own = await orderByNo(turn.db, reading.no);
    if (!own || own.residentId !== state.residentId) return step(turn, 'refused', errorReplies.NOT_FOUND);
    if (!candidates.some((o) => o.no === own.no)) {
      if (intent === 'status_question' || intent === 'follow_up') return statusReply(turn, own.no, null, own.id);
      return step(turn, 'reply', intentTexts.notYourOrder(own.no));
    }
    return actOn(turn, state.residentId, own.no, intent, { text: turn.message.text, survey: reading.survey });
  }
  const target = reading.target !== null ? candidates.find((o) => o.no === reading.target) : undefined;
  // "下水道怎么还没人来" from someone whose only open order is a lamp: not that order.
  const only = candidates.length === 1 && !reading.otherMatter ? candidates[0] : undefined;
  if (!target && reading.otherMatter && intent !== 'survey_answer' && candidates.length > 0) {
    return step(turn, 'reply', intentTexts.notAbout(candidates.slice(0, 5).map((o) => ({ no: o.no, text: o.text }))));
  }
  const chosen = target ?? only;
  if (chosen) return actOn(turn, state.residentId, chosen.no, intent, { text: turn.message.text, survey: reading.survey });
  if (candidates.length === 0) {
    return step(turn, 'reply', intent === 'added_detail' ? intentTexts.detailNothingOpen : intentTexts.noOpenOrder);
  }
  const listed = candidates.slice(0, 5);
  const ask: WhichOrderAsk = { ask: 'which_order', intent, nos: listed.map((o) => o.no), text: turn.message.text, survey: reading.survey };
  return step(turn, 'reply', intentTexts.whichOrder(listed.map((o) => ({ no: o.no, text: o.text }))), { payload: ask });
}

/**
 * The one-key answer ("1", "2") to the bot's "which order?": the asked action goes on with that order. Null
 * when the message is not a bare number or nothing was asked recently.
 */
export async function answerWhichOrder(turn: Turn): Promise<Step | null> {
  const m = /^\s*([1-9])\s*$/u.exec(turn.message.text.normalize('NFKC'));
  if (!m || !turn.speaker.resident) return null;
  const row = await latestWhichOrderAsk(turn.db, { fromKey: speakerKey(turn), since: new Date(turn.now.getTime() - WHICH_ORDER_WINDOW_MS) });
  if (!row) return null;
  const ask = row.payload as WhichOrderAsk;
  const no = ask.nos[Number(m[1]) - 1];
  if (no === undefined) return step(turn, 'answer', intentTexts.whichOrder(await orderLines(turn, ask.nos)), { payload: ask });
  if (!(await closeWhichOrderAsk(turn.db, row.id))) return null;
  const result = await actOn(turn, turn.speaker.resident.id, no, ask.intent, { text: ask.text, survey: ask.survey, explicit: true });
  return { ...result, outcome: result.outcome === 'refused' ? 'refused' : 'answer' };
}

async function orderLines(turn: Turn, nos: number[]): Promise<{ no: number; text: string }[]> {
  const out: { no: number; text: string }[] = [];
  for (const no of nos) {
    const o = await orderByNo(turn.db, no);
    if (o) out.push({ no, text: o.text });
  }
  return out;
}

/** Does what the resident asked with one order of theirs. */
async function actOn(
  turn: Turn,
  residentId: number,
  no: number,
  intent: Target,
  { text, survey, explicit = false }: { text: string; survey?: SurveyReading; explicit?: boolean },
): Promise<Step> {
  const actor = { kind: 'resident' as const, residentId };
  try {
    switch (intent) {
      case 'status_question':
        return statusReply(turn, no, null);
      case 'follow_up':
        return urge(turn, residentId, no, text);
      case 'added_detail': {
        const since = await outboxMark(turn);
        const outcome = await residentReply({ deps: turn.ctx.orderDeps, ref: { no }, actor, channel: turn.channel, text });
        const replies = await noticesOr(turn, { orderIds: [outcome.order.id], residentId, since }, intentTexts.detailAdded(no));
        return { outcome: 'command', orderId: outcome.order.id, replies };
      }
      case 'cancellation': {
        if (!explicit) return step(turn, 'reply', intentTexts.confirmWithdraw(no));
        const since = await outboxMark(turn);
        const outcome = await cancelOrder({ deps: turn.ctx.orderDeps, ref: { no }, actor, channel: turn.channel, reason: text });
        const replies = await noticesOr(turn, { orderIds: [outcome.order.id], residentId, since }, botTexts.cancelled(no));
        return { outcome: 'command', orderId: outcome.order.id, replies };
      }
      case 'survey_answer':
        return recordSurveyAnswer(turn, { residentId, no, reply: survey ?? { answer: 'satisfied', solved: null, comment: null } });
    }
  } catch (error) {
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}

/** The order's status, after an optional first line. */
async function statusReply(turn: Turn, no: number, lead: string | null, orderId?: number): Promise<Step> {
  const status = await orderStatusText(turn, no);
  const text = [lead, status].filter(Boolean).join('\n');
  return step(turn, 'reply', text || null, orderId !== undefined ? { orderId } : {});
}

/**
 * 催办: the resident gets the status; the assignee gets one notice per URGE_INTERVAL_MS per order (a resident
 * who asks three times in an hour pages the volunteer once). Never a new order.
 */
async function urge(turn: Turn, residentId: number, no: number, text: string): Promise<Step> {
  const order = await orderByNo(turn.db, no);
  if (!order) return step(turn, 'refused', errorReplies.NOT_FOUND);
  if (!OPEN_STATUSES.includes(order.status)) return statusReply(turn, no, null, order.id);
  if (!urgeDue({ lastUrgeAt: await lastUrgeAt(turn.db, order.id), now: turn.now })) {
    return statusReply(turn, no, intentTexts.urgedRecently(no), order.id);
  }
  await urgeOrder({ deps: turn.ctx.orderDeps, ref: { no }, actor: { kind: 'resident', residentId }, channel: turn.channel, note: text });
  return statusReply(turn, no, intentTexts.urged(no), order.id);
}

/** Detail added to a demand the bot still holds (for "+1 or 新建?" or "which grid?"): it goes with the demand. */
async function addToHeld(turn: Turn, held: InboundRow, detail: string): Promise<Step> {
  const payload = held.payload as PendingDemandPayload;
  const added = await appendToHeld(turn.db, { id: held.id, outcome: held.outcome!, text: `${payload.text}\n补充：${detail}` });
  const question = intentTexts.heldQuestion[held.outcome as PendingOutcome];
  return step(turn, 'reply', added ? `已记下您补充的内容。${question}` : question);
}

/**
 * A withdrawal in words. A held demand is dropped (it never becomes an order); otherwise the order named, or
 * matched, or the only one — but a bare "不用了" only asks, because it may mean something else. Several: asks
 * which. An order already withdrawn is said so.
 */
async function withdraw(turn: Turn, state: SpeakerState, reading: IntentReading): Promise<Step> {
  if (state.held && reading.no === null) return dropHeld(turn, state.held);
  // A bare "没事了"/"不用了" long after their last report is "never mind" to the bot, not about an order.
  const vague = !reading.explicit && reading.no === null && reading.target === null;
  const latest = Math.max(0, ...state.open.map((o) => o.createdAt.getTime()));
  if (vague && turn.now.getTime() - latest > BARE_WITHDRAWAL_WINDOW_MS) return step(turn, 'reply', intentTexts.thanks);
  if (reading.no !== null || state.open.length > 0) {
    if (reading.no !== null) {
      const own = await orderByNo(turn.db, reading.no);
      if (own && own.residentId === state.residentId && own.status === 'cancelled') return step(turn, 'reply', intentTexts.alreadyWithdrawn(own.no));
    }
    if (reading.no === null && reading.otherMatter && reading.target === null) {
      return step(turn, 'reply', intentTexts.notAbout(state.open.slice(0, 5).map((o) => ({ no: o.no, text: o.text }))));
    }
    if (reading.no === null && state.open.length > 1 && !(reading.target !== null && reading.explicit)) {
      const listed = state.open.slice(0, 5);
      const ask: WhichOrderAsk = { ask: 'which_order', intent: 'cancellation', nos: listed.map((o) => o.no), text: turn.message.text };
      return step(turn, 'reply', intentTexts.whichOrder(listed.map((o) => ({ no: o.no, text: o.text }))), { payload: ask });
    }
    return chooseThenCancel(turn, state, reading);
  }
  const since = new Date(turn.now.getTime() - REPEAT_WINDOW_MS);
  const cancelled = await latestOwnOrder(turn.db, { residentId: state.residentId, statuses: ['cancelled'], since });
  if (cancelled) return step(turn, 'reply', intentTexts.alreadyWithdrawn(cancelled.no));
  if (await latestWithdrawnHeld(turn.db, { fromKey: speakerKey(turn), since })) return step(turn, 'reply', intentTexts.heldAlreadyWithdrawn);
  return step(turn, 'reply', intentTexts.nothingToWithdraw);
}

async function chooseThenCancel(turn: Turn, state: SpeakerState, reading: IntentReading): Promise<Step> {
  const no = reading.no ?? reading.target ?? state.open[0]!.no;
  if (reading.no !== null) {
    const own = await orderByNo(turn.db, no);
    if (!own || own.residentId !== state.residentId) return step(turn, 'refused', errorReplies.NOT_FOUND);
    if (!OPEN_STATUSES.includes(own.status)) return step(turn, 'reply', intentTexts.notYourOrder(no));
  }
  return actOn(turn, state.residentId, no, 'cancellation', { text: turn.message.text, explicit: reading.explicit === true || reading.no !== null });
}

/** Files a held demand as withdrawn: the sweep never makes an order of it. */
async function dropHeld(turn: Turn, held: InboundRow): Promise<Step> {
  const claimed = await claimPending(turn.db, { id: held.id, from: [held.outcome!] });
  if (claimed) {
    await finishInbound(turn.db, { id: held.id, outcome: 'ignored', payload: { ...(held.payload as object), withdrawn: true }, now: turn.now });
  }
  return step(turn, 'reply', intentTexts.heldWithdrawn);
}

/** A bare 撤回 while the bot holds a demand (and no order is open): the held one is withdrawn. */
async function withdrawHeldOnly(turn: Turn): Promise<Step | null> {
  if (!turn.speaker.resident) return null;
  const held = await latestPending(turn.db, {
    fromKey: speakerKey(turn),
    outcomes: PENDING_DEMAND_OUTCOMES,
    since: new Date(turn.now.getTime() - PENDING_DEMAND_MS),
  });
  if (!held) return null;
  const open = await residentOrders(turn.db, { residentId: turn.speaker.resident.id, statuses: OPEN_STATUSES, limit: 1 });
  if (open.length > 0) return null;
  return dropHeld(turn, held);
}
