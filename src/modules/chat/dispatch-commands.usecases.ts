import { COMMAND_USAGE, botTexts } from '../../i18n/zh-CN.bot';
import { errorReplies } from '../../i18n/zh-CN';
import { departmentTexts } from '../../i18n/zh-CN.departments';
import { isDomainError } from '../../shared/errors/domain-error';
import { type Department, dispatchingRoles, matchDepartment, servesPlace } from '../departments/departments.models';
import { dispatchOrder, directoryOf } from '../departments/dispatch.usecases';
import type { Actor } from '../people/people.models';
import { canView } from '../work-orders/work-orders.models';
import { orderByNo, staffOrders } from './chat.repository';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, noticesOr, outboxMark, refusal, say, step } from './conversation.turn';
import { chooseOrder } from './intake.models';

type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type DispatchCommand = Extract<ChatCommand, { kind: 'dispatch' }>;

/**
 * "派单 1007 燃气公司 [协办 城管、市政] [备注]" from an officer (or an admin), 1:1: the names are matched against the
 * active departments, then `dispatchOrder` decides (who may dispatch, the area a department serves, 争议 final
 * decisions) and its refusals are said in words. Without a number: the officer's only order (one just returned to
 * them, say).
 */
export async function dispatchCommand(turn: Turn, actor: StaffActor, command: DispatchCommand): Promise<Step> {
  if (dispatchingRoles(actor).length === 0) return step(turn, 'refused', departmentTexts.dispatchNotAllowed(command.no));
  const choice = chooseOrder({ given: command.no, candidates: await staffOrders(turn.db, { staffId: actor.staffId, statuses: ['assigned', 'accepted'] }) });
  if (choice.kind === 'none') return step(turn, 'command', `${departmentTexts.noOrderToDispatch}${departmentTexts.dispatchUsage}`);
  if (choice.kind === 'ambiguous') return step(turn, 'command', botTexts.whichOrder(choice.orders.map((o) => o.no), COMMAND_USAGE.dispatch));
  const no = choice.kind === 'found' ? choice.order.no : choice.no;
  const order = await orderByNo(turn.db, no);
  if (!order || !canView(actor, { assigneeId: order.assigneeId, residentId: order.residentId, gridPath: order.gridPath })) {
    return step(turn, 'refused', errorReplies.NOT_FOUND);
  }

  const directory = await directoryOf(turn.ctx.orderDeps);
  const named: Department[] = [];
  for (const query of [command.department, ...command.assists]) {
    const match = matchDepartment({ departments: directory.departments, query, placePath: order.gridPath });
    if (match.kind === 'ambiguous') return step(turn, 'command', departmentTexts.ambiguousDepartment({ query, choices: match.choices.map((d) => d.name) }));
    if (match.kind === 'unknown') return step(turn, 'command', departmentTexts.unknownDepartment({ query, choices: match.serving.map((d) => d.name) }));
    named.push(match.department);
  }
  const [lead, ...assists] = named as [Department, ...Department[]];

  const since = await outboxMark(turn);
  try {
    const o = await dispatchOrder({
      deps: turn.ctx.orderDeps,
      ref: { no },
      actor,
      channel: turn.channel,
      departmentId: lead.id,
      assistIds: assists.map((d) => d.id),
      note: command.note ?? undefined,
    });
    // The officer may be told of the order too (it leaves their hands): those notices follow the confirmation.
    const notices = await noticesOr(turn, { orderIds: [o.order.id], staffId: actor.staffId, since }, null);
    const done = departmentTexts.dispatched({ no, department: o.dispatch.department, assists: o.dispatch.assists });
    return { outcome: 'command', orderId: o.order.id, replies: [say(turn, done), ...notices] };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const serving = () => directory.departments.filter((d) => servesPlace(d, order.gridPath)).map((d) => d.name);
    const why = `${error.code}: ${error.message}`;
    if (error.code === 'NOT_ALLOWED') return step(turn, 'refused', departmentTexts.dispatchNotAllowed(no), { error: why });
    if (error.code === 'NO_ASSIGNEE') return step(turn, 'refused', departmentTexts.noHandler(lead.name), { error: why });
    const outside = named.find((d) => !servesPlace(d, order.gridPath));
    if (error.code === 'INVALID_ARGUMENT' && outside) {
      return step(turn, 'refused', departmentTexts.notServing({ department: outside.name, place: order.gridName, choices: serving() }), { error: why });
    }
    return refusal(turn, error)!;
  }
}
