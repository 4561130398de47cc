import { errorReplies } from '../../i18n/zh-CN';
import { COMMAND_USAGE, botTexts } from '../../i18n/zh-CN.bot';
import type { Actor } from '../people/people.models';
import { canView } from '../work-orders/work-orders.models';
import { loadReporter } from '../work-orders/handling/apply-command.usecases';
import {
  acceptOrder,
  decideExtension,
  escalateOrder,
  reportProgress,
  requestExtension,
  resolveOrder,
  returnOrder,
} from '../work-orders/handling/order-actions.usecases';
import type { CommandOutcome } from '../work-orders/handling/apply-command.usecases';
import { loadStaffActor } from '../work-orders/work-orders.repository';
import { staffTexts } from '../../i18n/zh-CN.staff';
import { timeLeft } from '../work-orders/rules/order-time-left.models';
import { type ChatOrder, extensionsToDecide, orderByNo, overdueDispatchedBy, staffOrders, staffTodoOrders } from './chat.repository';
import type { ChatCommand, CommandName } from './commands.models';
import { type Step, type Turn, noticesOr, outboxMark, refusal, step } from './conversation.turn';
import { chooseOrder } from './intake.models';
import { isResidentCommand, orderStatusText, residentCommand } from './resident-commands.usecases';
import { readStaffWords, sortTodo } from './staff-words.models';
import { answerStaffQuestion, staffWords } from './staff-words.usecases';
import { dispatchingRoles } from '../departments/departments.models';
import { dispatchCommand } from './dispatch-commands.usecases';
import { visitCommand } from './visit-commands.usecases';

type StaffActor = Extract<Actor, { kind: 'staff' }>;

export type StaffCommand = Extract<
  ChatCommand,
  { kind: 'accept' | 'progress' | 'resolve' | 'escalate' | 'return' | 'extend' | 'todo' | 'approve_extension' | 'deny_extension' | 'query' | 'my_orders' }
>;

export function isStaffCommand(command: ChatCommand): command is StaffCommand {
  return ['accept', 'progress', 'resolve', 'escalate', 'return', 'extend', 'todo', 'approve_extension', 'deny_extension', 'query', 'my_orders'].includes(
    command.kind,
  );
}

/**
 * A bound member of staff writing 1:1: a one-key answer to the bot's last question, an order command, or the
 * same in their own words ("收到", "宽限几天", "合并一下", "谁报的"); as a resident too, the resident's commands.
 */
export async function staffDirectMessage(turn: Turn, command: ChatCommand): Promise<Step> {
  const actor = await loadStaffActor(turn.db, turn.speaker.staff!.id);
  if (!actor) return step(turn, 'refused', errorReplies.NOT_ALLOWED);
  const text = turn.message.text;
  const answered = await answerStaffQuestion(turn, actor, text);
  if (answered) return answered;
  if (isStaffCommand(command)) return staffCommand(turn, command);
  if (command.kind === 'dispatch') return dispatchCommand(turn, actor, command);
  if (command.kind === 'visit') return visitCommand(turn, actor, command);
  if (command.kind === 'help') return step(turn, 'reply', botTexts.staffHelp({ dispatches: dispatchingRoles(actor).length > 0 }));
  if (command.kind === 'text' || (command.kind === 'chitchat' && command.what === 'ack')) {
    const words = readStaffWords(text);
    // A question about their open orders ("哪些超期了") is answered as 待办.
    if (words.kind === 'todo') return staffCommand(turn, { kind: 'todo' });
    const read = await staffWords(turn, actor, words);
    if (read) return read;
  }
  if (command.kind === 'chitchat') return step(turn, 'reply', botTexts.chitchat[command.what]);
  if (turn.speaker.resident && isResidentCommand(command)) {
    const handled = await residentCommand(turn, command);
    if (handled) return handled;
  }
  return step(turn, 'refused', botTexts.notUnderstoodStaff);
}

/** 待办: overdue and urgent orders first, marked, with their time left; then the rest; then approvals waiting. */
async function todoText(turn: Turn, actor: StaffActor): Promise<string> {
  const calendar = await turn.ctx.orderDeps.calendar.get();
  // A department's head answers for all it holds, as the overdue 督办 tells them to.
  const headOf = (actor.departments ?? []).filter((m) => m.role === 'head').map((m) => m.departmentId);
  const orders = sortTodo(await staffTodoOrders(turn.db, { staffId: actor.staffId, headOf }), turn.now);
  const approvals = await extensionsToDecide(turn.db, { actor });
  const officerUnits = actor.roles.filter((r) => r.role === 'officer').map((r) => r.unitId);
  const followUps = await overdueDispatchedBy(turn.db, { unitIds: officerUnits, now: turn.now });
  return staffTexts.todo(
    orders.map((o) => ({
      no: o.no,
      status: o.status,
      categoryName: o.categoryName,
      text: o.text,
      urgent: o.urgent,
      overdue: o.mark.overdue,
      timeLeft: timeLeft({ order: o, now: turn.now, calendar }),
    })),
    approvals.map((a) => ({ no: a.no, days: a.pendingExtensionDays })),
    followUps,
  );
}

/** The orders a command can apply to, so a missing number can be filled in when there is only one. */
async function candidatesFor(turn: Turn, actor: StaffActor, kind: StaffCommand['kind']): Promise<ChatOrder[]> {
  if (kind === 'accept') return staffOrders(turn.db, { staffId: actor.staffId, statuses: ['assigned'] });
  if (kind === 'approve_extension' || kind === 'deny_extension') return extensionsToDecide(turn.db, { actor });
  return staffOrders(turn.db, { staffId: actor.staffId, statuses: ['assigned', 'accepted'] });
}

/** The handler shown to staff after 上报/退回: "干部王主任". */
function handlerOf(outcome: CommandOutcome): string {
  return outcome.order.handler;
}

async function run(turn: Turn, actor: StaffActor, command: Exclude<StaffCommand, { kind: 'todo' | 'query' | 'my_orders' }>, no: number) {
  const base = { deps: turn.ctx.orderDeps, ref: { no }, actor, channel: turn.channel };
  switch (command.kind) {
    case 'accept': {
      const o = await acceptOrder(base);
      return { o, text: botTexts.accepted(no, o.order.deadlineAt) };
    }
    case 'progress': {
      const o = await reportProgress({ ...base, note: command.note });
      return { o, text: botTexts.progressRecorded(no) };
    }
    case 'resolve': {
      const o = await resolveOrder({ ...base, note: command.note });
      return { o, text: botTexts.resolved(no) };
    }
    case 'escalate': {
      const o = await escalateOrder({ ...base, reason: command.reason });
      return { o, text: botTexts.escalated(no, handlerOf(o)) };
    }
    case 'return': {
      const o = await returnOrder({ ...base, reason: command.reason });
      return { o, text: botTexts.returned(no, handlerOf(o)) };
    }
    case 'extend': {
      const o = await requestExtension({ ...base, days: command.days, reason: command.reason });
      return { o, text: botTexts.extensionRequested(no, command.days) };
    }
    case 'approve_extension': {
      const o = await decideExtension({ ...base, approve: true, reason: command.note ?? undefined });
      return { o, text: botTexts.extensionApproved(no, o.order.deadlineAt) };
    }
    case 'deny_extension': {
      const o = await decideExtension({ ...base, approve: false, reason: command.reason ?? undefined });
      return { o, text: botTexts.extensionDenied(no) };
    }
  }
}

/**
 * A bound member of staff's command. The order is the number given or, without one, their only order the
 * command fits; the use case decides whether they may (a refusal becomes a polite reply).
 */
export async function staffCommand(turn: Turn, command: StaffCommand): Promise<Step> {
  const actor = await loadStaffActor(turn.db, turn.speaker.staff!.id);
  if (!actor) return step(turn, 'refused', errorReplies.NOT_ALLOWED);
  try {
    if (command.kind === 'todo' || command.kind === 'my_orders') return step(turn, 'command', await todoText(turn, actor));
    if (command.kind === 'query') {
      if (command.no === null) return staffCommand(turn, { kind: 'todo' });
      const found = await orderByNo(turn.db, command.no);
      if (!found || !canView(actor, { assigneeId: found.assigneeId, residentId: found.residentId, gridPath: found.gridPath })) {
        return step(turn, 'refused', errorReplies.NOT_FOUND);
      }
      // Staff who may view the order are told who reported it and how to reach them (1:1 only: staff are never
      // answered in a group).
      const status = await orderStatusText(turn, command.no);
      const reporter = staffTexts.reporterLine(await loadReporter(turn.db, found.residentId));
      return step(turn, 'command', status ? `${status}\n${reporter}` : null, { orderId: found.id });
    }
    const choice = chooseOrder({ given: command.no, candidates: await candidatesFor(turn, actor, command.kind) });
    if (choice.kind === 'none') {
      const none = command.kind === 'approve_extension' || command.kind === 'deny_extension' ? botTexts.noOrderFor.approve : botTexts.noOrderFor.staff;
      return step(turn, 'command', none);
    }
    if (choice.kind === 'ambiguous') {
      return step(turn, 'command', botTexts.whichOrder(choice.orders.map((o) => o.no), COMMAND_USAGE[command.kind as CommandName]));
    }
    const no = choice.kind === 'found' ? choice.order.no : choice.no;
    const since = await outboxMark(turn);
    const { o, text } = await run(turn, actor, command, no);
    const replies = await noticesOr(turn, { orderIds: [o.order.id], staffId: actor.staffId, since }, text);
    return { outcome: 'command', orderId: o.order.id, replies };
  } catch (error) {
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}
