import type { UnitLevel, UnitNode } from '../../../src/modules/grids/grids.models';
import type { Actor, RoleAtUnit, StaffRole } from '../../../src/modules/people/people.models';
import {
  type AssignmentWithLimits,
  type OrderCommand,
  type OrderCommandType,
  type OrderEventDraft,
  type OrderState,
  type OrderStatus,
  transition,
} from '../../../src/modules/work-orders/work-orders.models';

/**
 * A small district for the rules to act in:
 *
 *   district 1 /1/
 *   └─ town 2 /1/2/
 *      ├─ community 3 /1/2/3/
 *      │  ├─ grid 4  /1/2/3/4/   ← the order's grid
 *      │  ├─ grid 5  /1/2/3/5/   (a sibling grid)
 *      │  └─ grid 44 /1/2/3/44/  (its path starts with "/1/2/3/4", not with "/1/2/3/4/")
 *      └─ community 6 /1/2/6/
 *         └─ grid 7 /1/2/6/7/
 *   district 8 /8/ (another district)
 */
export const UNITS = {
  district: unit(1, null, 'district', '/1/'),
  town: unit(2, 1, 'town', '/1/2/'),
  community: unit(3, 2, 'community', '/1/2/3/'),
  grid: unit(4, 3, 'grid', '/1/2/3/4/'),
  siblingGrid: unit(5, 3, 'grid', '/1/2/3/5/'),
  prefixGrid: unit(44, 3, 'grid', '/1/2/3/44/'),
  otherCommunity: unit(6, 2, 'community', '/1/2/6/'),
  otherGrid: unit(7, 6, 'grid', '/1/2/6/7/'),
  otherDistrict: unit(8, null, 'district', '/8/'),
} as const;

function unit(id: number, parentId: number | null, level: UnitLevel, path: string): UnitNode {
  return { id, parentId, level, path, code: `U${id}`, name: `${level} ${id}` };
}

export function role(role: StaffRole, at: UnitNode): RoleAtUnit {
  return { unitId: at.id, unitPath: at.path, level: at.level, role };
}

export function staff(staffId: number, ...roles: RoleAtUnit[]): Actor & { kind: 'staff' } {
  return { kind: 'staff', staffId, roles };
}

export function resident(residentId: number): Actor & { kind: 'resident' } {
  return { kind: 'resident', residentId };
}

export const SYSTEM: Actor = { kind: 'system' };

export const OWNER = resident(100);
export const NEIGHBOUR = resident(101);

export const LEADER = staff(10, role('leader', UNITS.grid));
export const ASSISTANT = staff(11, role('assistant', UNITS.grid));
export const INFORMANT = staff(12, role('informant', UNITS.grid));
export const SIBLING_LEADER = staff(13, role('leader', UNITS.siblingGrid));
export const PREFIX_LEADER = staff(14, role('leader', UNITS.prefixGrid));
export const COMMUNITY_OFFICER = staff(20, role('officer', UNITS.community));
export const OTHER_COMMUNITY_OFFICER = staff(21, role('officer', UNITS.otherCommunity));
export const TOWN_OFFICER = staff(30, role('officer', UNITS.town));
export const DISTRICT_OFFICER = staff(40, role('officer', UNITS.district));
export const OTHER_DISTRICT_OFFICER = staff(41, role('officer', UNITS.otherDistrict));
export const ADMIN = staff(50, role('admin', UNITS.district));

/** The instant every command in these tests is given at (a Monday morning, China time). */
export const NOW = new Date('2025-03-10T02:00:00.000Z');

export function hoursBefore(hours: number, from: Date = NOW): Date {
  return new Date(from.getTime() - hours * 3_600_000);
}

export function hoursAfter(hours: number, from: Date = NOW): Date {
  return new Date(from.getTime() + hours * 3_600_000);
}

/** Where a fresh assignment goes, with the limits the use case would have computed for it. */
export function assignmentTo(
  staffId: number,
  at: UnitNode,
  limits: { signDeadlineAt?: Date; deadlineAt?: Date } = {},
): AssignmentWithLimits {
  const to: AssignmentWithLimits = {
    staffId,
    unitId: at.id,
    level: at.level,
    unitPath: at.path,
    signDeadlineAt: limits.signDeadlineAt ?? hoursAfter(2),
  };
  if (limits.deadlineAt) to.deadlineAt = limits.deadlineAt;
  return to;
}

/**
 * An order of resident OWNER in grid 4, held by LEADER, in a state consistent with `status`: the timestamps a
 * real order in that status would have. Override anything.
 */
export function orderIn(status: OrderStatus, overrides: Partial<OrderState> = {}): OrderState {
  const submitted: OrderState = {
    id: 1,
    no: 1001,
    residentId: OWNER.residentId,
    gridId: UNITS.grid.id,
    unitId: UNITS.grid.id,
    unitPath: UNITS.grid.path,
    level: 'grid',
    assigneeId: null,
    categoryId: 7,
    urgency: 'normal',
    status: 'submitted',
    assignedAt: null,
    acceptedAt: null,
    resolvedAt: null,
    closedAt: null,
    signDeadlineAt: null,
    deadlineAt: null,
    pausedAt: null,
    pendingExtensionDays: null,
    pendingExtensionReason: null,
    reopenCount: 0,
    escalationCount: 0,
    returnCount: 0,
    supporters: 0,
    mergedIntoId: null,
    closure: null,
  };
  const assigned: OrderState = {
    ...submitted,
    status: 'assigned',
    assigneeId: LEADER.staffId,
    assignedAt: hoursBefore(3),
    signDeadlineAt: hoursAfter(1),
    deadlineAt: hoursAfter(72),
  };
  const accepted: OrderState = { ...assigned, status: 'accepted', acceptedAt: hoursBefore(2.5) };
  const resolved: OrderState = { ...accepted, status: 'resolved', resolvedAt: hoursBefore(1) };
  const byStatus: Record<OrderStatus, OrderState> = {
    submitted,
    assigned,
    accepted,
    resolved,
    closed: { ...resolved, status: 'closed', closedAt: hoursBefore(0.5), closure: 'satisfied' },
    cancelled: { ...accepted, status: 'cancelled', closedAt: hoursBefore(0.5) },
    merged: { ...accepted, status: 'merged', closedAt: hoursBefore(0.5), mergedIntoId: 2 },
    invalid: { ...accepted, status: 'invalid', closedAt: hoursBefore(0.5) },
  };
  return { ...byStatus[status], ...overrides };
}

/** The event the rules should record, with the acting actor's identity and `at = NOW` filled in. */
export function expectedEvent(
  actor: Actor,
  fields: Pick<
    OrderEventDraft,
    'type' | 'fromStatus' | 'toStatus' | 'fromAssigneeId' | 'toAssigneeId' | 'fromUnitId' | 'toUnitId'
  > &
    Partial<Pick<OrderEventDraft, 'note' | 'data' | 'at'>>,
): OrderEventDraft {
  return {
    actorKind: actor.kind,
    actorStaffId: actor.kind === 'staff' ? actor.staffId : null,
    actorResidentId: actor.kind === 'resident' ? actor.residentId : null,
    note: null,
    data: null,
    at: NOW,
    ...fields,
  };
}

/** An event that leaves the order where it is (same status, assignee and unit). */
export function inPlaceEvent(
  actor: Actor,
  order: OrderState,
  type: string,
  extra: Partial<Pick<OrderEventDraft, 'note' | 'data'>> = {},
): OrderEventDraft {
  return expectedEvent(actor, {
    type,
    fromStatus: order.status,
    toStatus: order.status,
    fromAssigneeId: order.assigneeId,
    toAssigneeId: order.assigneeId,
    fromUnitId: order.unitId,
    toUnitId: order.unitId,
    ...extra,
  });
}

/** A deep copy, to show that a transition left its input alone. */
export function snapshot(order: OrderState): OrderState {
  return structuredClone(order);
}

/** A well-formed command of each type, for tests about who may give it rather than what it does. */
export const SAMPLE_COMMANDS: { [K in OrderCommandType]: Extract<OrderCommand, { type: K }> } = {
  assign: { type: 'assign', to: assignmentTo(ASSISTANT.staffId, UNITS.grid) },
  reassign: { type: 'reassign', to: assignmentTo(ASSISTANT.staffId, UNITS.grid) },
  accept: { type: 'accept' },
  progress: { type: 'progress', note: '已联系物业' },
  note: { type: 'note', note: '居民情绪激动，上门时两人同去' },
  resolve: { type: 'resolve', note: '已更换灯泡' },
  escalate: { type: 'escalate', reason: '需社区协调', to: assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community) },
  return: { type: 'return', reason: '不属本网格', to: assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community) },
  request_extension: { type: 'request_extension', days: 3, reason: '等待配件' },
  approve_extension: { type: 'approve_extension', newDeadlineAt: hoursAfter(144) },
  deny_extension: { type: 'deny_extension' },
  cancel: { type: 'cancel' },
  merge: { type: 'merge', into: { id: 2, no: 1002, status: 'accepted' } },
  invalidate: { type: 'invalidate', reason: '测试消息' },
  answer_survey: { type: 'answer_survey', answer: 'basically_satisfied' },
  complete_survey: { type: 'complete_survey', round: 0, answer: 'satisfied' },
  survey_timeout: { type: 'survey_timeout' },
  ask_resident: { type: 'ask_resident', question: '请问是几号楼？' },
  urge: { type: 'urge', note: '怎么还没修好' },
  resident_reply: { type: 'resident_reply', text: '3号楼2单元' },
  supervise: { type: 'supervise', note: '请今日内办结' },
  reply: { type: 'reply', note: '已转物业处理' },
  support: { type: 'support' },
  change_category: { type: 'change_category', categoryId: 9, urgency: 'urgent', deadlineAt: hoursAfter(4) },
};

/**
 * The order of `orderIn('accepted')` (or `base`) put in a state where `type` is legal: signed-for orders for most,
 * an unsigned one for 签收, a resolved one for the survey, a pending extension or a pause where one is needed.
 */
export function readyFor(type: OrderCommandType, base: OrderState = orderIn('accepted')): OrderState {
  switch (type) {
    case 'accept':
      return { ...base, status: 'assigned', acceptedAt: null };
    case 'answer_survey':
    case 'survey_timeout':
      return { ...base, status: 'resolved', resolvedAt: hoursBefore(1) };
    case 'approve_extension':
    case 'deny_extension':
      return { ...base, pendingExtensionDays: 3, pendingExtensionReason: '等待配件' };
    case 'resident_reply':
      return { ...base, pausedAt: hoursBefore(2) };
    default:
      return base;
  }
}

type Given = { order: OrderState; command: OrderCommand; actor: Actor; now?: Date };

/** Gives the command (at NOW unless told) and returns the accepted outcome; fails the test with the code otherwise. */
export function succeed({ order, command, actor, now = NOW }: Given): { order: OrderState; events: OrderEventDraft[] } {
  const result = transition({ order, command, actor, now });
  if (!result.ok) throw new Error(`expected ${command.type} to succeed, got ${result.code}: ${result.message}`);
  return { order: result.order, events: result.events };
}

/** Gives the command and returns the refusal's code, or 'ok' when it was accepted. */
export function refusal({ order, command, actor, now = NOW }: Given): string {
  const result = transition({ order, command, actor, now });
  return result.ok ? 'ok' : result.code;
}
