import { and, eq, sql } from 'drizzle-orm';
import { surveyTexts } from '../../i18n/zh-CN.survey';
import type { SurveyReply } from '../surveys/surveys.models';
import { readSatisfaction, readSolved } from '../surveys/surveys.models';
import { answerSurvey, completeSurvey } from '../work-orders/handling/order-actions.usecases';
import { inboundMessages } from './chat.table';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, noticesOr, outboxMark, refusal, say, speakerKey } from './conversation.turn';
import { latestInbound } from './inbound.repository';

/** How long the bot's one follow-up ("您对这次办理满意吗？") waits for its answer. */
export const SATISFACTION_ASK_WINDOW_MS = 24 * 3_600_000;

/** What the reply that asked the follow-up keeps, to take the answer that follows. */
export type SatisfactionAsk = { ask: 'survey_satisfaction'; no: number; round: number };

/**
 * Records a survey round from the chat (the digit menu or the resident's words). When the resident said only
 * whether it was solved, the reply ends with the one follow-up question about satisfaction (and keeps what it
 * asked); a reply with only the satisfaction asks nothing more: the round keeps 是否解决 unknown.
 */
export async function recordSurveyAnswer(
  turn: Turn,
  { residentId, no, reply, fallback }: { residentId: number; no: number; reply: SurveyReply & { comment: string | null }; fallback?: string },
): Promise<Step> {
  const since = await outboxMark(turn);
  const outcome = await answerSurvey({
    deps: turn.ctx.orderDeps,
    ref: { no },
    actor: { kind: 'resident', residentId },
    channel: turn.channel,
    answer: reply.answer,
    solved: reply.solved,
    comment: reply.comment ?? undefined,
  });
  const closedUnhappy = outcome.after.status === 'closed' && reply.answer === 'unsatisfied';
  const text = closedUnhappy ? surveyTexts.solvedUnsatisfied(no) : reply.answer === null && reply.solved ? surveyTexts.recordedSolved(no) : (fallback ?? surveyTexts.satisfactionRecorded(no));
  const replies = await noticesOr(turn, { orderIds: [outcome.order.id], residentId, since }, text);
  if (reply.answer !== null) return { outcome: 'survey', orderId: outcome.order.id, replies };
  const ask: SatisfactionAsk = { ask: 'survey_satisfaction', no, round: outcome.before.reopenCount };
  return { outcome: 'survey', orderId: outcome.order.id, replies: [...replies, say(turn, surveyTexts.askSatisfaction)], payload: ask };
}

/**
 * The answer to the bot's one follow-up ("满意" / "基本满意" / "不满意" in words, after a reply that said only whether
 * it was solved): it completes that round. Null when nothing was asked recently, the text is not a satisfaction, or
 * the round has its satisfaction already (the message then goes on as any other).
 */
export async function answerSatisfactionAsk(turn: Turn, command: ChatCommand): Promise<Step | null> {
  const resident = turn.speaker.resident;
  if (!resident || turn.message.kind !== 'text') return null;
  if (command.kind !== 'survey' && command.kind !== 'text' && command.kind !== 'chitchat') return null;
  // A digit belongs to the menu of a survey still waiting, not to this question.
  if (command.kind === 'survey' && /^\s*[1-4]/u.test(turn.message.text.normalize('NFKC'))) return null;
  if (command.kind === 'survey' && command.no !== null) return null;
  const answer = command.kind === 'survey' && command.solved === null ? command.answer : readSatisfaction(turn.message.text);
  // "还是没修好" is not an answer about satisfaction: the problem is back, which is a matter of its own.
  if (!answer || readSolved(turn.message.text) === false) return null;
  const row = await latestSatisfactionAsk(turn, speakerKey(turn));
  if (!row) return null;
  const ask = row.payload as SatisfactionAsk;
  try {
    const since = await outboxMark(turn);
    const done = await completeSurvey({ deps: turn.ctx.orderDeps, ref: { no: ask.no }, actor: { kind: 'resident', residentId: resident.id }, channel: turn.channel, answer, round: ask.round });
    await closeSatisfactionAsk(turn, row.id);
    if (!done) return null;
    const replies = await noticesOr(turn, { orderIds: [done.order.id], residentId: resident.id, since }, surveyTexts.satisfactionRecorded(ask.no));
    return { outcome: 'survey', orderId: done.order.id, replies };
  } catch (error) {
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}

function latestSatisfactionAsk(turn: Turn, fromKey: string) {
  return latestInbound(turn.db, {
    fromKey,
    since: new Date(turn.now.getTime() - SATISFACTION_ASK_WINDOW_MS),
    where: and(eq(inboundMessages.outcome, 'survey'), sql`${inboundMessages.payload}->>'ask' = 'survey_satisfaction'`),
  });
}

/** The follow-up is answered once: a second "满意" is an ordinary message. */
async function closeSatisfactionAsk(turn: Turn, id: number): Promise<void> {
  await turn.db
    .update(inboundMessages)
    .set({ payload: sql`jsonb_set(${inboundMessages.payload}, '{ask}', '"answered"')` })
    .where(eq(inboundMessages.id, id));
}

/** Whether the person has an unanswered follow-up about satisfaction (a group line then needs no @). */
export async function hasSatisfactionAsk(turn: Pick<Turn, 'db' | 'now'>, fromKey: string): Promise<boolean> {
  return Boolean(
    await latestInbound(turn.db, {
      fromKey,
      since: new Date(turn.now.getTime() - SATISFACTION_ASK_WINDOW_MS),
      where: and(eq(inboundMessages.outcome, 'survey'), sql`${inboundMessages.payload}->>'ask' = 'survey_satisfaction'`),
    }),
  );
}
