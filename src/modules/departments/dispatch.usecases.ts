import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { departmentTexts } from '../../i18n/zh-CN.departments';
import { DomainError } from '../../shared/errors/domain-error';
import type { WorkCalendar } from '../calendar/calendar.models';
import { routeUp } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import type { OutboxDraft } from '../notifications/notifications.models';
import type { Actor } from '../people/people.models';
import { type CommandOutcome, applyCommand, withLimits } from '../work-orders/handling/apply-command.usecases';
import type { Channel, OrderDeps } from '../work-orders/work-orders.deps';
import type { OrderCommand, OrderState } from '../work-orders/work-orders.models';
import { type LoadedOrder, type OrderRef, insertOutbox, loadChain, loadStaffAtUnits } from '../work-orders/work-orders.repository';
import {
  type Department,
  type DispatchLimits,
  type DispatchRole,
  departmentHandler,
  dispatchLimits,
  dispatcherUnitFor,
  isFinalDecision,
  mayReturn,
  returnTarget,
  servesPlace,
} from './departments.models';
import { type DispatchDirectory, countDepartmentReturns, loadDispatchDirectory, openDispatches } from './departments.repository';
import { gridContact } from './dispatch-sync.usecases';
import { orderDispatches } from './order-dispatches.table';

type Base = { deps: OrderDeps; ref: OrderRef; actor: Actor; channel: Channel };

/** The departments, members and catalogue: from the cache when the deps have one. Outside a transaction only. */
export function directoryOf(deps: Pick<OrderDeps, 'db' | 'dispatchDirectory'>): Promise<DispatchDirectory> {
  return deps.dispatchDirectory ? deps.dispatchDirectory.get() : loadDispatchDirectory(deps.db);
}

export type DispatchOutcome = CommandOutcome & {
  dispatch: { department: string; assists: string[]; final: boolean; returnDeadlineAt: Date | null };
};

/**
 * 派单 / 改派 to a department (分流交办): the order goes to the department's handler as 主办, with `assistIds` as
 * 协办, under the department's own limits; the unit the officer dispatches for takes any 退回. Officers on the
 * order (and admins) dispatch; a dispatch at the district after a 退回 is a final 争议 decision. The order stays at
 * its unit in the tree, whose staff keep following the resident.
 */
export async function dispatchOrder({
  departmentId,
  assistIds = [],
  note,
  ...base
}: Base & { departmentId: number; assistIds?: readonly number[]; note?: string }): Promise<DispatchOutcome> {
  const directory = await directoryOf(base.deps);
  const byId = new Map(directory.departments.map((d) => [d.id, d]));
  const lead = byId.get(departmentId);
  if (!lead || !lead.active) throw new DomainError('NOT_FOUND', `department ${departmentId} not found`);
  const assists = [...new Set(assistIds)]
    .filter((id) => id !== departmentId)
    .map((id) => {
      const d = byId.get(id);
      if (!d || !d.active) throw new DomainError('NOT_FOUND', `department ${id} not found`);
      return d;
    });
  let planned:
    | { dispatcherUnitId: number; limits: DispatchLimits; handlerStaffId: number; final: boolean; text: string; categoryName: string }
    | undefined;
  const outcome = await applyCommand({
    ...base,
    type: (state) => (state.status === 'submitted' ? 'assign' : 'reassign'),
    prepare: async ({ tx, loaded, calendar, categoryOf, now }) => {
      const chain = await loadChain(tx, loaded.state.unitPath);
      const dispatcher = dispatcherUnitFor(base.actor, chain);
      if (!dispatcher) throw new DomainError('NOT_ALLOWED', 'only officers and admins dispatch to departments');
      for (const d of [lead, ...assists]) {
        if (!servesPlace(d, loaded.gridPath)) throw new DomainError('INVALID_ARGUMENT', `${d.name} does not serve ${loaded.gridName}`);
      }
      const handlerStaffId = departmentHandler({ members: directory.members, departmentId });
      if (handlerStaffId === null) throw new DomainError('NO_ASSIGNEE', `nobody active in ${lead.name}`);
      const category = categoryOf(loaded.state.categoryId);
      if (!category) throw new DomainError('INVALID_ARGUMENT', `unknown category ${loaded.state.categoryId}`);
      const final = isFinalDecision({ dispatcherLevel: dispatcher.level, earlierReturns: await countDepartmentReturns(tx, loaded.row.id) });
      const limits = dispatchLimits({ now, urgency: loaded.state.urgency, category, department: lead, calendar, final });
      planned = { dispatcherUnitId: dispatcher.id, limits, handlerStaffId, final, text: loaded.row.text, categoryName: category.name };
      return {
        type: loaded.state.status === 'submitted' ? 'assign' : 'reassign',
        to: {
          staffId: handlerStaffId,
          unitId: loaded.state.unitId,
          level: loaded.state.level,
          unitPath: loaded.state.unitPath,
          signDeadlineAt: limits.signDeadlineAt,
          deadlineAt: limits.deadlineAt,
          departmentId,
        },
        note,
      };
    },
    // A fresh assignment under fresh limits deserves its own reminders.
    extraColumns: () => ({ signRemindedAt: null, reminded75At: null, remindedLastDayAt: null, overdueNoticeAt: null, overdueEscalatedAt: null }),
    extraWrites: async ({ tx, after, now }) => {
      const p = planned!;
      await insertOutbox(
        tx,
        await writeDispatch(tx, {
          state: after,
          text: p.text,
          categoryName: p.categoryName,
          lead,
          assists,
          members: directory.members,
          handlerStaffId: p.handlerStaffId,
          dispatcherUnitId: p.dispatcherUnitId,
          dispatchedByStaffId: base.actor.kind === 'staff' ? base.actor.staffId : null,
          limits: p.limits,
          final: p.final,
          now,
          tellLeader: true,
        }),
        base.deps.botAccount,
        now,
      );
    },
  });
  return {
    ...outcome,
    dispatch: { department: lead.name, assists: assists.map((a) => a.name), final: planned!.final, returnDeadlineAt: planned!.limits.returnDeadlineAt },
  };
}

/**
 * Records a dispatch (its 主办 row and any 协办 rows) and returns its notices beyond the assignment itself: the
 * handler is told until when 退回 is allowed, each 协办 department's handler is asked to help, and the grid's own
 * contact hears where the order went. Used by an officer's dispatch and by the system's at intake.
 */
export async function writeDispatch(
  tx: Database,
  args: {
    state: OrderState;
    text: string;
    categoryName: string;
    lead: Department;
    assists: readonly Department[];
    members: DispatchDirectory['members'];
    handlerStaffId: number;
    dispatcherUnitId: number;
    dispatchedByStaffId: number | null;
    limits: DispatchLimits;
    final: boolean;
    now: Date;
    tellLeader: boolean;
  },
): Promise<OutboxDraft[]> {
  const { state, lead, assists, limits, now } = args;
  const row = (departmentId: number, role: DispatchRole, handlerStaffId: number | null) => ({
    orderId: state.id,
    departmentId,
    role,
    status: 'dispatched' as const,
    dispatcherUnitId: args.dispatcherUnitId,
    dispatchedByStaffId: args.dispatchedByStaffId,
    handlerStaffId,
    dispatchedAt: now,
    signDeadlineAt: limits.signDeadlineAt,
    returnDeadlineAt: role === 'lead' ? limits.returnDeadlineAt : null,
    deadlineAt: limits.deadlineAt,
    disputed: args.final,
  });
  const assistHandlers = assists.map((a) => ({ department: a, staffId: departmentHandler({ members: args.members, departmentId: a.id }) }));
  await tx.insert(orderDispatches).values([row(lead.id, 'lead', args.handlerStaffId), ...assistHandlers.map((a) => row(a.department.id, 'assist', a.staffId))]);

  const drafts: OutboxDraft[] = [
    {
      kind: 'assignment',
      orderId: state.id,
      recipientType: 'staff',
      staffId: args.handlerStaffId,
      text: departmentTexts.returnWindow({ no: state.no, returnDeadlineAt: limits.returnDeadlineAt }),
    },
  ];
  const [grid] = await tx.select({ name: gridUnits.name }).from(gridUnits).where(eq(gridUnits.id, state.gridId));
  for (const a of assistHandlers) {
    if (a.staffId === null) continue;
    drafts.push({
      kind: 'assignment',
      orderId: state.id,
      recipientType: 'staff',
      staffId: a.staffId,
      text: departmentTexts.assistNotice({ no: state.no, category: args.categoryName, lead: lead.name, text: args.text, place: grid?.name ?? '' }),
    });
  }
  if (args.tellLeader) {
    const leader = await gridContact(tx, state.gridId);
    if (leader !== null && leader !== args.dispatchedByStaffId) {
      drafts.push({
        kind: 'status',
        orderId: state.id,
        recipientType: 'staff',
        staffId: leader,
        text: departmentTexts.toLeader.dispatched({ no: state.no, category: args.categoryName, department: lead.name, text: args.text, deadlineAt: state.deadlineAt }),
      });
    }
  }
  return drafts;
}

/**
 * The command of a department's 退回 (不属于本部门职责), prepared in the transaction: allowed to the department's
 * members within the return limit, never after a final 争议 decision; the first goes back to the unit that
 * dispatched, a second one of the same order to the district dispatcher (争议派单). The 办结 limit stays: the
 * resident has been waiting all along.
 */
export async function departmentReturnCommand({
  tx,
  loaded,
  actor,
  reason,
  now,
  calendar,
}: {
  tx: Database;
  loaded: LoadedOrder;
  actor: Actor;
  reason: string;
  now: Date;
  calendar: WorkCalendar;
}): Promise<OrderCommand> {
  const state = loaded.state;
  const departmentId = state.departmentId!;
  const member = actor.kind === 'staff' && (actor.departments ?? []).some((d) => d.departmentId === departmentId);
  const admin = actor.kind === 'staff' && actor.roles.some((r) => r.role === 'admin');
  if (!member && !admin) throw new DomainError('NOT_ALLOWED', `only ${departmentId}'s members return order #${state.no}; its dispatcher re-dispatches it`);
  const lead = (await openDispatches(tx, loaded.row.id)).find((d) => d.role === 'lead' && d.departmentId === departmentId);
  if (!lead) throw new DomainError('INVALID_TRANSITION', `order #${state.no} has no open dispatch to ${departmentId}`);
  const may = mayReturn({ dispatch: lead, now });
  if (!may.ok) throw new DomainError('RETURN_CLOSED', `order #${state.no} can no longer be returned (${may.why})`, { why: may.why });

  const [dispatcherUnit] = await tx.select({ path: gridUnits.path }).from(gridUnits).where(eq(gridUnits.id, lead.dispatcherUnitId));
  const chain = await loadChain(tx, dispatcherUnit?.path ?? state.unitPath);
  const district = chain[chain.length - 1]!;
  const target = returnTarget({ earlierReturns: await countDepartmentReturns(tx, loaded.row.id), dispatcherUnitId: lead.dispatcherUnitId, districtUnitId: district.id });
  const from = chain.slice(Math.max(0, chain.findIndex((u) => u.id === target.unitId)));
  const who = routeUp({ chain: from, staff: await loadStaffAtUnits(tx, from.map((u) => u.id)) });
  if (!who) throw new DomainError('NO_ASSIGNEE', `nobody at the dispatcher of order #${state.no} to take it back`);
  return {
    type: 'return',
    reason,
    dispute: target.dispute,
    to: withLimits({ assignment: who, path: from.find((u) => u.id === who.unitId)!.path, state, now, calendar }),
  };
}

