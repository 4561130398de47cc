import { COMMAND_USAGE, botTexts } from '../../i18n/zh-CN.bot';
import { STATUS_LABELS, errorReplies } from '../../i18n/zh-CN';
import { departmentTexts } from '../../i18n/zh-CN.departments';
import { isDomainError } from '../../shared/errors/domain-error';
import type { Actor } from '../people/people.models';
import { answerSurvey } from '../work-orders/handling/order-actions.usecases';
import { canView } from '../work-orders/work-orders.models';
import { orderByNo, ordersAwaitingVisit } from './chat.repository';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, noticesOr, outboxMark, refusal, say, step } from './conversation.turn';
import { chooseOrder } from './intake.models';

type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type VisitCommand = Extract<ChatCommand, { kind: 'visit' }>;

/**
 * "回访 1007 修好了 满意" from staff on the order or above (the grid leader asked to call a resident the bot cannot
 * reach): the 回访 is recorded as the console's 记录电话回访 records it (`answerSurvey` with `byPhone`), so 未解决
 * reopens the order one level up and the round counts in the figures like the resident's own answer; the round is
 * filed as staff's, from the chat. Without a number: the only resolved order in their area whose resident the bot
 * cannot reach.
 */
export async function visitCommand(turn: Turn, actor: StaffActor, command: VisitCommand): Promise<Step> {
  const choice = chooseOrder({ given: command.no, candidates: await ordersAwaitingVisit(turn.db, { actor }) });
  if (choice.kind === 'none') return step(turn, 'command', `${departmentTexts.noVisitWaiting}${departmentTexts.visitUsage}`);
  if (choice.kind === 'ambiguous') return step(turn, 'command', botTexts.whichOrder(choice.orders.map((o) => o.no), COMMAND_USAGE.visit));
  const no = choice.kind === 'found' ? choice.order.no : choice.no;
  const order = await orderByNo(turn.db, no);
  if (!order || !canView(actor, { assigneeId: order.assigneeId, residentId: order.residentId, gridPath: order.gridPath })) {
    return step(turn, 'refused', errorReplies.NOT_FOUND);
  }
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
    const notices = await noticesOr(turn, { orderIds: [o.order.id], staffId: actor.staffId, since }, null);
    return { outcome: 'command', orderId: o.order.id, replies: [say(turn, done), ...notices] };
  } catch (error) {
    if (isDomainError(error) && error.code === 'SURVEY_NOT_OPEN') {
      return step(turn, 'refused', departmentTexts.visitNotOpen({ no, status: STATUS_LABELS[order.status] }), { error: `${error.code}: ${error.message}` });
    }
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}
