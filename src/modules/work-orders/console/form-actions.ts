import type { Actor } from '../../people/people.models';
import { consoleTexts } from '../../../i18n/zh-CN.console';
import { phoneSurveyTexts } from '../../../i18n/zh-CN.survey';
import {
  acceptOrder,
  answerSurvey,
  addInternalNote,
  changeCategory,
  decideExtension,
  escalateOrder,
  invalidateOrder,
  mergeOrder,
  reassignOrder,
  replyToResident,
  reportProgress,
  resolveOrder,
  returnOrder,
  superviseOrder,
} from '../handling/order-actions.usecases';
import type { CommandOutcome } from '../handling/apply-command.usecases';
import type { OrderDeps } from '../work-orders.deps';
import { type OrderCommandType, type OrderState, precheck } from '../work-orders.models';
import { type OrderActionName, orderActionForms } from './orders.schemas';
import type { z } from 'zod';

type Form<A extends OrderActionName> = z.infer<(typeof orderActionForms)[A]>;
type Run<A extends OrderActionName> = (args: { deps: OrderDeps; id: number; actor: Actor; form: Form<A> }) => Promise<CommandOutcome>;

/** Which state-machine command an action gives, so the page offers only what the rules allow. */
export function commandOf(action: OrderActionName, order: Pick<OrderState, 'status'>): OrderCommandType {
  switch (action) {
    case 'assign':
      return order.status === 'submitted' ? 'assign' : 'reassign';
    case 'approve-extension':
      return 'approve_extension';
    case 'deny-extension':
      return 'deny_extension';
    case 'category':
      return 'change_category';
    case 'survey':
      return 'answer_survey';
    default:
      return action;
  }
}

/** The console's actions on an order, each one existing use case (one transaction, events, outbox). */
export const CONSOLE_ACTIONS: { [A in OrderActionName]: Run<A> } = {
  accept: ({ deps, id, actor }) => acceptOrder({ deps, ref: { id }, actor, channel: 'console' }),
  progress: ({ deps, id, actor, form }) => reportProgress({ deps, ref: { id }, actor, channel: 'console', note: form.note }),
  note: ({ deps, id, actor, form }) => addInternalNote({ deps, ref: { id }, actor, channel: 'console', note: form.note }),
  resolve: ({ deps, id, actor, form }) => resolveOrder({ deps, ref: { id }, actor, channel: 'console', note: form.note }),
  assign: ({ deps, id, actor, form }) =>
    reassignOrder({ deps, ref: { id }, actor, channel: 'console', toStaffId: form.staffId, note: form.note || undefined }),
  escalate: ({ deps, id, actor, form }) => escalateOrder({ deps, ref: { id }, actor, channel: 'console', reason: form.note }),
  return: ({ deps, id, actor, form }) => returnOrder({ deps, ref: { id }, actor, channel: 'console', reason: form.note }),
  'approve-extension': ({ deps, id, actor, form }) =>
    decideExtension({ deps, ref: { id }, actor, channel: 'console', approve: true, reason: form.note || undefined }),
  'deny-extension': ({ deps, id, actor, form }) =>
    decideExtension({ deps, ref: { id }, actor, channel: 'console', approve: false, reason: form.note || undefined }),
  supervise: ({ deps, id, actor, form }) => superviseOrder({ deps, ref: { id }, actor, channel: 'console', note: form.note }),
  merge: ({ deps, id, actor, form }) => mergeOrder({ deps, ref: { id }, actor, channel: 'console', intoNo: form.intoNo }),
  invalidate: ({ deps, id, actor, form }) => invalidateOrder({ deps, ref: { id }, actor, channel: 'console', reason: form.note }),
  category: ({ deps, id, actor, form }) =>
    changeCategory({ deps, ref: { id }, actor, channel: 'console', categoryId: form.categoryId, urgency: form.urgency, note: form.note || undefined }),
  reply: ({ deps, id, actor, form }) => replyToResident({ deps, ref: { id }, actor, channel: 'console', note: form.note }),
  survey: ({ deps, id, actor, form }) =>
    answerSurvey({
      deps,
      ref: { id },
      actor,
      channel: 'console',
      byPhone: true,
      solved: form.solved === 'unknown' ? null : form.solved === 'yes',
      answer: form.answer === 'unknown' ? null : form.answer,
      comment: form.note || undefined,
    }),
};

/** Each action's label and button. */
export const ACTION_TEXTS: { [A in OrderActionName]: { label: string; submit: string } } = {
  ...consoleTexts.orders.actions,
  survey: { label: phoneSurveyTexts.label, submit: phoneSurveyTexts.submit },
};

export const ACTION_NAMES = Object.keys(orderActionForms) as OrderActionName[];

/** The actions this actor may take on the order now (the use case checks again when it runs). */
export function availableActions(order: OrderState, actor: Actor): OrderActionName[] {
  return ACTION_NAMES.filter((action) => {
    if ((action === 'approve-extension' || action === 'deny-extension') && order.pendingExtensionDays === null) return false;
    return precheck({ order, type: commandOf(action, order), actor }) === null;
  });
}
