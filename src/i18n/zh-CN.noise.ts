/**
 * Texts of the group noise budget and of private reports (举报). Kept apart from zh-CN.ts to avoid edit conflicts.
 */
import type { WithholdReason } from '../modules/notifications/noise.models';
import { orderNo } from './format';

export const noiseTexts = {
  /** The one intermediate line an order may spend in a group: the step itself, and where the rest can be seen. */
  compactGroupLine: (text: string, no: number) => `${text}后续进展不再在群里逐条通知，可@我发「查询 ${no}」查看。`,
  /** A "+1" follower hears the reporter's steps, told it is the order they follow. */
  forFollower: (text: string) => `【您关注的工单】${text.replace(/^您的工单/u, '工单')}`,
  followerResolved: (o: { no: number; note: string }) => `【您关注的工单】工单 ${orderNo(o.no)} 已办结：${o.note}`,
  /** Why a notice did not go to the group: the outbox row's note, shown in the console. */
  withheld: {
    group_confirmation: '未发群：签收/进展不在群里通知（居民不是好友；已记录，可查询）',
    group_budget_spent: '未发群：本工单在群里的过程通知已用完（已记录，可查询）',
    group_reminder: '未发群：提醒不在群里重复（已记录）',
    private_order: '未发群：举报类工单只私聊，不在群里@居民（居民不是好友，请电话联系）',
  } satisfies Record<WithholdReason, string>,
  /** A 举报 / complaint about a neighbour written in a group: the only thing said there. */
  privateInGroup: '这类反映涉及邻里，为保护您的隐私，请私聊我详细说明，谢谢。',
  /** …and, when the bot can reach the resident 1:1, what it writes there. */
  privateDirect: '您好，您刚才在群里反映的情况涉及邻里，为保护您的隐私，请在这里把情况告诉我（地点、问题），我会为您登记并只私下通知您进展。',
  /** A resident asks in the group after an order of theirs that is private (举报): the answer goes 1:1 only. */
  privateAnswerInGroup: (friend: boolean) =>
    friend ? '该工单涉及隐私，办理情况已私聊发给您，请查看。' : '该工单涉及隐私，请私聊我发「查询」查看办理情况。',
};
