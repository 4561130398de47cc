import type { Database } from '../../db/client';
import type { WorkCalendar } from '../calendar/calendar.models';
import type { StaffAtUnit, UnitNode } from '../grids/grids.models';
import type { OutboxDraft, Person } from '../notifications/notifications.models';
import type { CategoryLimits } from '../work-orders/rules/order-limits.models';
import type { OrderDeps } from '../work-orders/work-orders.deps';
import type { AssignmentWithLimits, OrderState, Urgency } from '../work-orders/work-orders.models';
import { type IntakeDispatch, planIntakeDispatch } from './departments.models';
import type { DispatchDirectory } from './departments.repository';
import { directoryOf, writeDispatch } from './dispatch.usecases';

/** The catalogue's decision for a new demand, with what routing and the receipt need. */
export type IntakeDispatchPlan = {
  plan: IntakeDispatch;
  members: DispatchDirectory['members'];
  /** The assignment that replaces routing to the grid's leader: the department's handler, the order at its grid. */
  to: AssignmentWithLimits;
  /** How notices name the handler: by the department ("由区燃气公司办理"). */
  people: ReadonlyMap<number, Person>;
};

/**
 * 分流交办 at intake, decided before the order's transaction (the directory is a cached provider): the department
 * the 派单目录 names when it lets the system dispatch, else null and the order is routed in the grid tree.
 */
export async function planIntakeDispatchFor(
  deps: Pick<OrderDeps, 'db' | 'dispatchDirectory'>,
  args: {
    categoryId: number;
    category: CategoryLimits;
    urgency: Urgency;
    text: string;
    chain: UnitNode[];
    staff: StaffAtUnit[];
    now: Date;
    calendar: WorkCalendar;
  },
): Promise<IntakeDispatchPlan | null> {
  const directory = await directoryOf(deps);
  if (directory.catalogue.length === 0) return null;
  const plan = planIntakeDispatch({ directory, ...args });
  if (!plan) return null;
  const grid = args.chain[0]!;
  return {
    plan,
    members: directory.members,
    to: {
      staffId: plan.handlerStaffId,
      unitId: grid.id,
      level: grid.level,
      unitPath: grid.path,
      signDeadlineAt: plan.limits.signDeadlineAt,
      deadlineAt: plan.limits.deadlineAt,
      departmentId: plan.department.id,
    },
    people: new Map([[plan.handlerStaffId, { name: '', roleLabel: plan.department.name }]]),
  };
}

/** In the new order's transaction: the dispatch rows and their notices (the handler's 退回 window, 协办, the leader). */
export function writeIntakeDispatch(
  tx: Database,
  { intake, state, text, categoryName, now }: { intake: IntakeDispatchPlan; state: OrderState; text: string; categoryName: string; now: Date },
): Promise<OutboxDraft[]> {
  return writeDispatch(tx, {
    state,
    text,
    categoryName,
    lead: intake.plan.department,
    assists: intake.plan.assists,
    members: intake.members,
    handlerStaffId: intake.plan.handlerStaffId,
    dispatcherUnitId: intake.plan.dispatcherUnitId,
    dispatchedByStaffId: null,
    limits: intake.plan.limits,
    final: false,
    now,
    tellLeader: true,
  });
}
