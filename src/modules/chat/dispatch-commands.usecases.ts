import { STATUS_LABELS } from '../../i18n/zh-CN';
import { COMMAND_USAGE } from '../../i18n/zh-CN.bot';
import { departmentTexts } from '../../i18n/zh-CN.departments';
import { isDomainError } from '../../shared/errors/domain-error';
import { type Department, dispatchingRoles, matchDepartment, servesPlace } from '../departments/departments.models';
import { dispatchOrder, directoryOf } from '../departments/dispatch.usecases';
import type { Actor } from '../people/people.models';
import { latestNote, staffOrders } from './chat.repository';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, outboxMark, refusal, step } from './conversation.turn';
import { chooseStaffOrder, confirmed } from './staff-order-choice.usecases';

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
  const chosen = await chooseStaffOrder(turn, actor, {
    given: command.no,
    candidates: await staffOrders(turn.db, { staffId: actor.staffId, statuses: ['assigned', 'accepted'] }),
    none: `${departmentTexts.noOrderToDispatch}${departmentTexts.dispatchUsage}`,
    usage: COMMAND_USAGE.dispatch,
  });
  if ('reply' in chosen) return chosen.reply;
  const { order } = chosen;
  const no = order.no;

  const directory = await directoryOf(turn.ctx.orderDeps);
  const named: Department[] = [];
  for (const query of [command.department, ...command.assists]) {
    const match = matchDepartment({ departments: directory.departments, query, placePath: order.gridPath });
    if (match.kind === 'ambiguous') return step(turn, 'command', departmentTexts.ambiguousDepartment({ query, choices: match.choices.map((d) => d.name) }));
    if (match.kind === 'unknown') return step(turn, 'command', departmentTexts.unknownDepartment({ query, choices: match.serving.map((d) => d.name) }));
    named.push(match.department);
  }
  const [lead, ...assists] = named as [Department, ...Department[]];
  // Sent again to the department that holds it (a second thumb on the send button, or not knowing it went there).
  if (order.departmentId === lead.id && assists.length === 0) {
    return step(turn, 'command', departmentTexts.alreadyWith({ no, department: lead.name, status: STATUS_LABELS[order.status] }));
  }

  // After a 重办 the department should know why the order is back: the resident's words, unless the officer wrote a note.
  const last = command.note ? undefined : await latestNote(turn.db, order.id);
  const note = command.note ?? (last?.type === 'survey' ? departmentTexts.residentSaidNote(last.note) : undefined);
  const since = await outboxMark(turn);
  try {
    const o = await dispatchOrder({
      deps: turn.ctx.orderDeps,
      ref: { no },
      actor,
      channel: turn.channel,
      departmentId: lead.id,
      assistIds: assists.map((d) => d.id),
      note,
    });
    // The officer may be told of the order too (it leaves their hands): those notices follow the confirmation.
    return await confirmed(turn, { orderId: o.order.id, staffId: actor.staffId, since }, departmentTexts.dispatched({ no, department: o.dispatch.department, assists: o.dispatch.assists }));
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
