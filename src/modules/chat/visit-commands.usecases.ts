import { COMMAND_USAGE } from '../../i18n/zh-CN.bot';
import { STATUS_LABELS } from '../../i18n/zh-CN';
import { departmentTexts } from '../../i18n/zh-CN.departments';
import { isDomainError } from '../../shared/errors/domain-error';
import type { Actor } from '../people/people.models';
import { answerSurvey } from '../work-orders/handling/order-actions.usecases';
import { ordersAwaitingVisit } from './chat.repository';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, outboxMark, refusal, step } from './conversation.turn';
import { chooseStaffOrder, confirmed } from './staff-order-choice.usecases';

type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type VisitCommand = Extract<ChatCommand, { kind: 'visit' }>;

/**
 * "回访 1007 修好了 满意" from staff on the order or above (the grid leader asked to call a resident the bot cannot
 * reach): the 回访 is recorded as the console's 记录电话回访 records it (`answerSurvey` with `byPhone`), so 未解决
 * reopens the order one level up and the round counts in the figures like the resident's own answer; the round is
 * filed as staff's, from the chat. Without a number: the only resolved order in their area whose resident the bot
 * cannot reach, else (none such) the only resolved one in their area.
 */
export async function visitCommand(turn: Turn, actor: StaffActor, command: VisitCommand): Promise<Step> {
  let candidates = await ordersAwaitingVisit(turn.db, { actor });
  // None the bot cannot reach: the leader called one who does not answer the bot (an old resident, say).
  if (candidates.length === 0 && command.no === null) candidates = await ordersAwaitingVisit(turn.db, { actor, reachable: true });
  const chosen = await chooseStaffOrder(turn, actor, {
    given: command.no,
    candidates,
    none: `${departmentTexts.noVisitWaiting}${departmentTexts.visitUsage}`,
    usage: COMMAND_USAGE.visit,
  });
  if ('reply' in chosen) return chosen.reply;
  const { order } = chosen;
  const no = order.no;
  const since = await outboxMark(turn);
  try {
    const o = await answerSurvey({
      deps: turn.ctx.orderDeps,
      ref: { no },
      actor,
      channel: turn.channel,
      byPhone: true,
      answer: command.answer,
      solved: command.solved,
      comment: command.comment ?? undefined,
    });
    const reopened = o.order.status === 'assigned' ? o.order.handler : null;
    const done = departmentTexts.visitRecorded({ no, answer: command.answer, solved: command.solved, reopenedTo: reopened });
    // The leader may also hear of the order (he is its handler's contact, or it is reopened to him): after the reply.
    return await confirmed(turn, { orderId: o.order.id, staffId: actor.staffId, since }, done);
  } catch (error) {
    if (isDomainError(error) && error.code === 'SURVEY_NOT_OPEN') {
      return step(turn, 'refused', departmentTexts.visitNotOpen({ no, status: STATUS_LABELS[order.status] }), { error: `${error.code}: ${error.message}` });
    }
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}
