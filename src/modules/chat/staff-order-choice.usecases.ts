import { errorReplies } from '../../i18n/zh-CN';
import { botTexts } from '../../i18n/zh-CN.bot';
import type { Actor } from '../people/people.models';
import { canView } from '../work-orders/work-orders.models';
import { type ChatOrder, orderByNo } from './chat.repository';
import { type Step, type Turn, noticesOr, say, step } from './conversation.turn';
import { chooseOrder } from './intake.models';

type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type VisibleOrder = NonNullable<Awaited<ReturnType<typeof orderByNo>>>;

/**
 * The order a staff command means: the number given, else their only candidate; with none or several, the reply
 * (`none`, or the list and `usage`). An order they may not see is "not found", as an unknown number is.
 */
export async function chooseStaffOrder(
  turn: Turn,
  actor: StaffActor,
  { given, candidates, none, usage }: { given: number | null; candidates: readonly ChatOrder[]; none: string; usage: string },
): Promise<{ order: VisibleOrder } | { reply: Step }> {
  const choice = chooseOrder({ given, candidates });
  if (choice.kind === 'none') return { reply: step(turn, 'command', none) };
  if (choice.kind === 'ambiguous') return { reply: step(turn, 'command', botTexts.whichOrder(choice.orders.map((o) => o.no), usage)) };
  const order = await orderByNo(turn.db, choice.kind === 'found' ? choice.order.no : choice.no);
  if (!order || !canView(actor, { assigneeId: order.assigneeId, residentId: order.residentId, gridPath: order.gridPath })) {
    return { reply: step(turn, 'refused', errorReplies.NOT_FOUND) };
  }
  return { order };
}

/** The confirmation of a staff command, then any notice the command wrote to them (claimed since `since`). */
export async function confirmed(turn: Turn, { orderId, staffId, since }: { orderId: number; staffId: number; since: number }, text: string): Promise<Step> {
  const notices = await noticesOr(turn, { orderIds: [orderId], staffId, since }, null);
  return { outcome: 'command', orderId, replies: [say(turn, text), ...notices] };
}
