import { errorReplies } from '../../i18n/zh-CN';
import { botTexts } from '../../i18n/zh-CN.bot';
import { staffTexts } from '../../i18n/zh-CN.staff';
import type { Actor } from '../people/people.models';
import { acceptOrder, mergeOrder, reportProgress, requestExtension, resolveOrder } from '../work-orders/handling/order-actions.usecases';
import { canView } from '../work-orders/work-orders.models';
import { loadReporter } from '../work-orders/handling/apply-command.usecases';
import { type ChatOrder, expireStaffQuestions, lastNoticedOrder, latestStaffQuestion, orderByNo, staffOrders } from './chat.repository';
import { dispatchCommand } from './dispatch-commands.usecases';
import { type Step, type Turn, noticesOr, outboxMark, refusal, say, speakerKey, step } from './conversation.turn';
import { STAFF_QUESTION_OUTCOME, claimPending, setOutcome } from './inbound.repository';
import { PENDING_DEMAND_MS } from './intake.models';
import {
  type StaffChoice,
  type StaffQuestionPayload,
  type StaffWords,
  isStaffQuestionPayload,
  pickChoice,
  readStaffWords,
} from './staff-words.models';

type StaffActor = Extract<Actor, { kind: 'staff' }>;

/** A one-key question stays answerable this long (as the resident's held demands). */
export const STAFF_QUESTION_MS = PENDING_DEMAND_MS;

/**
 * A staff member's message as `readStaffWords` read it in their own words ("收到", "宽限几天", "合并一下", "谁报的"),
 * acted on. Null when it says nothing this reader acts on (nothing known, or a 待办 question, which the caller
 * answers): the caller answers as before.
 */
export async function staffWords(turn: Turn, actor: StaffActor, words: StaffWords): Promise<Step | null> {
  if (words.kind === 'none' || words.kind === 'todo') return null;
  try {
    return await actOnWords(turn, actor, words);
  } catch (error) {
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}

/**
 * "1", "2": the answer to the bot's latest one-key question to this staff member, if one waits (a bare "好的"
 * answers a question with a single option). Null when none does (or the number is not one of its options):
 * the message is read as before.
 */
export async function answerStaffQuestion(turn: Turn, actor: StaffActor, text: string): Promise<Step | null> {
  const digit = /^\s*[0-9０-９]{1,2}\s*[.。、,，!！]?\s*$/u.test(text);
  const words = digit ? null : readStaffWords(text);
  // "好的" after "要办结 #1007 吗？回复 1 办结" confirms it, rather than signing for some other order.
  const bareAck = words?.kind === 'ack' && words.no === null && words.plan === null;
  if (!digit && !bareAck) return null;
  const question = await latestStaffQuestion(turn.db, {
    fromKey: speakerKey(turn),
    since: new Date(turn.now.getTime() - STAFF_QUESTION_MS),
  });
  if (!question || !isStaffQuestionPayload(question.payload)) return null;
  const choices = question.payload.staffChoices;
  const choice = digit ? pickChoice(text, choices) : choices.length === 1 ? choices[0]! : null;
  if (!choice) return null;
  const claimed = await claimPending(turn.db, { id: question.id, from: [STAFF_QUESTION_OUTCOME] });
  if (!claimed) return null;
  try {
    const result = await applyChoice(turn, actor, choice);
    await setOutcome(turn.db, { id: claimed.id, outcome: 'answer', from: ['resolving'] });
    return result;
  } catch (error) {
    await setOutcome(turn.db, { id: claimed.id, outcome: STAFF_QUESTION_OUTCOME, from: ['resolving'] });
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}

function open(turn: Turn, actor: StaffActor): Promise<ChatOrder[]> {
  return staffOrders(turn.db, { staffId: actor.staffId, statuses: ['assigned', 'accepted'] });
}

async function actOnWords(turn: Turn, actor: StaffActor, words: Exclude<StaffWords, { kind: 'none' | 'todo' }>): Promise<Step> {
  switch (words.kind) {
    case 'ack':
      return acknowledge(turn, actor, words);
    case 'progress':
      return onOneOrder(turn, actor, words.no, staffTexts.whichForProgress, (no) => ({ action: 'progress', no, note: words.note }));
    case 'extend':
      return onOneOrder(turn, actor, words.no, staffTexts.whichForExtension, (no) => ({
        action: 'extend',
        no,
        days: words.days,
        daysGiven: words.daysGiven,
        reason: words.reason,
      }));
    case 'who':
      return onOneOrder(turn, actor, words.no, staffTexts.whichForWho, (no) => ({ action: 'who', no }));
    case 'done':
      return offerResolve(turn, actor, words);
    case 'merge':
      return merge(turn, actor, words.nos);
    case 'dispatch':
      return dispatchCommand(turn, actor, { kind: 'dispatch', no: words.no, department: words.department, assists: [], note: null });
  }
}

/**
 * "收到" / "好的" / "明天去看看": signs for the order awaiting sign-for (one: that one; several: asks which);
 * a plan after it goes to the resident as progress. With nothing to sign for, a plan is progress on their
 * only open order, and a bare acknowledgement is answered briefly.
 */
async function acknowledge(turn: Turn, actor: StaffActor, words: Extract<StaffWords, { kind: 'ack' }>): Promise<Step> {
  const awaiting = await staffOrders(turn.db, { staffId: actor.staffId, statuses: ['assigned'] });
  const sign = (no: number): StaffChoice => ({ action: 'accept', no, plan: words.plan });
  if (words.no !== null) {
    if (awaiting.some((o) => o.no === words.no)) return applyChoice(turn, actor, sign(words.no));
    if (words.plan) return applyChoice(turn, actor, { action: 'progress', no: words.no, note: words.plan });
    const mine = await open(turn, actor);
    // Already signed for: nothing to do. Someone else's number: the use case says why not.
    if (mine.some((o) => o.no === words.no)) return step(turn, 'reply', staffTexts.ackNothingToSign);
    return applyChoice(turn, actor, sign(words.no));
  }
  if (awaiting.length === 1) return applyChoice(turn, actor, sign(awaiting[0]!.no));
  if (awaiting.length > 1) return ask(turn, staffTexts.whichToSign, awaiting.map((o) => ({ choice: sign(o.no), text: o.text })));
  if (words.plan) {
    const plan = words.plan;
    return onOneOrder(turn, actor, null, staffTexts.whichForProgress, (no) => ({ action: 'progress', no, note: plan }));
  }
  return step(turn, 'reply', staffTexts.ackNothingToSign);
}

/**
 * An action on the order they name, or on their only open order; with several, a one-key question. A number
 * that is not theirs is passed to the use case, which refuses it politely (or, for "who", not found).
 */
async function onOneOrder(turn: Turn, actor: StaffActor, no: number | null, which: string, make: (no: number) => StaffChoice): Promise<Step> {
  if (no !== null) return applyChoice(turn, actor, make(no));
  const orders = await open(turn, actor);
  if (orders.length === 0) return step(turn, 'reply', staffTexts.noOrderForWords);
  if (orders.length === 1) return applyChoice(turn, actor, make(orders[0]!.no));
  const current = await currentOrder(turn, actor, orders);
  if (current) return applyChoice(turn, actor, make(current.no));
  return ask(turn, which, orders.map((o) => ({ choice: make(o.no), text: o.text })));
}

/**
 * "这个单子" among several open orders: the one the bot last told them about (the assignment they are answering,
 * a 催办...). The reply names its number, so a wrong guess is seen at once.
 */
async function currentOrder(turn: Turn, actor: StaffActor, orders: ChatOrder[]): Promise<ChatOrder | undefined> {
  const id = await lastNoticedOrder(turn.db, { staffId: actor.staffId, orderIds: orders.map((o) => o.id) });
  return orders.find((o) => o.id === id);
}

/** "修好了": a resolution is offered with their words as its note; one key confirms (the resident is surveyed). */
async function offerResolve(turn: Turn, actor: StaffActor, words: Extract<StaffWords, { kind: 'done' }>): Promise<Step> {
  const resolve = (no: number): StaffChoice => ({ action: 'resolve', no, note: words.note });
  if (words.no !== null) return question(turn, staffTexts.offerResolve(words.no, words.note), [resolve(words.no)]);
  const orders = await open(turn, actor);
  if (orders.length === 0) return step(turn, 'reply', staffTexts.noOrderForWords);
  const only = orders.length === 1 ? orders[0] : await currentOrder(turn, actor, orders);
  if (only) return question(turn, staffTexts.offerResolve(only.no, words.note), [resolve(only.no)]);
  return ask(turn, staffTexts.whichIsDone, orders.map((o) => ({ choice: resolve(o.no), text: o.text })));
}

/**
 * "1007和1001是同一个事，合并一下": the later order (the larger number) goes into the earlier one, through the
 * merge use case, which checks they may act on the merged order; the order it goes into must be one they may view.
 */
async function merge(turn: Turn, actor: StaffActor, nos: number[]): Promise<Step> {
  if (nos.length < 2) return step(turn, 'reply', staffTexts.mergeNeedsTwo);
  const [a, b] = nos as [number, number];
  if (a === b) return step(turn, 'reply', staffTexts.mergeSame);
  const from = Math.max(a, b);
  const into = Math.min(a, b);
  const target = await orderByNo(turn.db, into);
  if (!target || !canView(actor, { assigneeId: target.assigneeId, residentId: target.residentId, gridPath: target.gridPath })) {
    return step(turn, 'refused', errorReplies.NOT_FOUND);
  }
  const since = await outboxMark(turn);
  const o = await mergeOrder({ deps: turn.ctx.orderDeps, ref: { no: from }, actor, channel: turn.channel, intoNo: into });
  // The merge notice to the assignee (if they are the speaker) goes first; the reply says which went into which.
  const notices = await noticesOr(turn, { orderIds: [o.order.id], staffId: actor.staffId, since }, null);
  return { outcome: 'command', orderId: o.order.id, replies: [...notices, say(turn, staffTexts.merged(from, into))] };
}

/** Asks a one-key question: its options are stored on this message's row, so the next "1" answers it. */
async function ask(turn: Turn, intro: string, options: { choice: StaffChoice; text?: string }[]): Promise<Step> {
  return question(turn, staffTexts.askChoice(intro, options), options.map((o) => o.choice));
}

async function question(turn: Turn, text: string, choices: StaffChoice[]): Promise<Step> {
  await expireStaffQuestions(turn.db, { fromKey: speakerKey(turn) });
  const payload: StaffQuestionPayload = { staffChoices: choices };
  return step(turn, STAFF_QUESTION_OUTCOME, text, { payload });
}

/** Does what an option says, with the same use cases (and refusals) as the commands. */
async function applyChoice(turn: Turn, actor: StaffActor, choice: StaffChoice): Promise<Step> {
  const base = { deps: turn.ctx.orderDeps, ref: { no: choice.no }, actor, channel: turn.channel };
  if (choice.action === 'who') return reporter(turn, actor, choice.no);
  const since = await outboxMark(turn);
  let orderId: number;
  let text: string;
  switch (choice.action) {
    case 'accept': {
      const o = await acceptOrder(base);
      orderId = o.order.id;
      text = botTexts.accepted(choice.no, o.order.deadlineAt);
      if (choice.plan) {
        await reportProgress({ ...base, note: choice.plan });
        text = staffTexts.acceptedWithPlan(choice.no, o.order.deadlineAt, choice.plan);
      }
      break;
    }
    case 'progress': {
      // Writing about an order not yet signed for signs for it: the sign-for clock is for this acknowledgement.
      const found = await orderByNo(turn.db, choice.no);
      if (found && found.status === 'assigned' && found.assigneeId === actor.staffId) {
        const o = await acceptOrder(base);
        await reportProgress({ ...base, note: choice.note });
        orderId = o.order.id;
        text = staffTexts.acceptedWithPlan(choice.no, o.order.deadlineAt, choice.note);
      } else {
        const o = await reportProgress({ ...base, note: choice.note });
        orderId = o.order.id;
        text = staffTexts.progressOnly(choice.no);
      }
      break;
    }
    case 'resolve': {
      const o = await resolveOrder({ ...base, note: choice.note });
      orderId = o.order.id;
      text = botTexts.resolved(choice.no);
      break;
    }
    case 'extend': {
      const o = await requestExtension({ ...base, days: choice.days, reason: choice.reason });
      orderId = o.order.id;
      text = staffTexts.extensionAsked(choice.no, choice.days, choice.daysGiven);
      break;
    }
  }
  const replies = await noticesOr(turn, { orderIds: [orderId], staffId: actor.staffId, since }, text);
  return { outcome: 'command', orderId, replies };
}

/** Who reported the order, with their phone: for staff who may view it, and only here (1:1). */
async function reporter(turn: Turn, actor: StaffActor, no: number): Promise<Step> {
  const found = await orderByNo(turn.db, no);
  if (!found || !canView(actor, { assigneeId: found.assigneeId, residentId: found.residentId, gridPath: found.gridPath })) {
    return step(turn, 'refused', errorReplies.NOT_FOUND);
  }
  return step(turn, 'command', staffTexts.reporter(no, await loadReporter(turn.db, found.residentId)), { orderId: found.id });
}
