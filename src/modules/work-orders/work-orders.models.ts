import type { ErrorCode } from '../../shared/errors/domain-error';
import { type Assignment, type UnitLevel, isAncestorOrSelf, isStrictAncestor, levelRank } from '../grids/grids.models';
import { type Actor, HANDLING_ROLES, isAdmin } from '../people/people.models';

export type OrderStatus = 'submitted' | 'assigned' | 'accepted' | 'resolved' | 'closed' | 'cancelled' | 'merged' | 'invalid';
export type Urgency = 'normal' | 'urgent';
export type Closure = 'satisfied' | 'basically_satisfied' | 'unsatisfied' | 'unrated' | 'unanswered';
/** 满意度, one of the two answers of a survey round (回访). */
export type SurveyAnswer = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

/**
 * Whether a survey round reopens the order (重办). 未解决 reopens, whatever the resident thinks of the work; 已解决
 * closes, even when the resident is 不满意 (nothing is left to redo: the answer is counted in 满意率 and told to the
 * handler and the level above, see docs/figures.md). When the resident did not say whether it was solved, a
 * 不满意 reopens as it always has: an unhappy resident who has not said it was fixed is not left with a closed order.
 */
export function surveyReopens({ answer, solved }: { answer: SurveyAnswer | null; solved: boolean | null }): boolean {
  return solved === false || (solved === null && answer === 'unsatisfied');
}

/** States in which someone is still working on the order. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['submitted', 'assigned', 'accepted'];
export const FINAL_STATUSES: readonly OrderStatus[] = ['closed', 'cancelled', 'merged', 'invalid'];

/** The part of an order the rules read and write. */
export type OrderState = {
  id: number;
  no: number;
  residentId: number;
  gridId: number;
  /** The unit the order sits at now, with its path (for "the levels above") and level. */
  unitId: number;
  unitPath: string;
  level: UnitLevel;
  assigneeId: number | null;
  /** The department holding the order as 主办 while it is dispatched (分流交办); null or absent in the grid tree. */
  departmentId?: number | null;
  categoryId: number;
  urgency: Urgency;
  status: OrderStatus;
  assignedAt: Date | null;
  acceptedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  signDeadlineAt: Date | null;
  deadlineAt: Date | null;
  pausedAt: Date | null;
  pendingExtensionDays: number | null;
  pendingExtensionReason: string | null;
  reopenCount: number;
  escalationCount: number;
  returnCount: number;
  supporters: number;
  mergedIntoId: number | null;
  closure: Closure | null;
};

/** A new assignment with the limits computed for it (the use case knows the calendar and the category). */
export type AssignmentWithLimits = Assignment & {
  unitPath: string;
  signDeadlineAt: Date;
  deadlineAt?: Date;
  /** Set when the assignee takes the order for a department (分流交办); any other assignment leaves the department. */
  departmentId?: number | null;
};

export type OrderCommand =
  | { type: 'assign'; to: AssignmentWithLimits; note?: string }
  | { type: 'reassign'; to: AssignmentWithLimits; note?: string }
  | { type: 'accept' }
  | { type: 'progress'; note: string }
  /** 内部备注: recorded on the timeline for staff only; changes nothing and tells no one. */
  | { type: 'note'; note: string }
  | { type: 'resolve'; note: string }
  | { type: 'escalate'; reason: string; to: AssignmentWithLimits }
  /** `dispute`: a department's second 退回 of the order, sent to the district dispatcher (争议派单). */
  | { type: 'return'; reason: string; to: AssignmentWithLimits; dispute?: boolean }
  | { type: 'request_extension'; days: number; reason: string }
  | { type: 'approve_extension'; newDeadlineAt: Date; note?: string }
  | { type: 'deny_extension'; reason?: string }
  | { type: 'cancel'; reason?: string }
  | { type: 'merge'; into: { id: number; no: number; status: OrderStatus } }
  /** 无效: not a demand at all (junk, a test, chatter that became an order); it leaves 受理 and every rate. */
  | { type: 'invalidate'; reason: string }
  | {
      type: 'answer_survey';
      /** 满意度; null when the resident said only whether it was solved. */
      answer: SurveyAnswer | null;
      /** 是否解决; null (or absent) when not said. At least one of the two is given. */
      solved?: boolean | null;
      comment?: string;
      /** Recorded by staff who reached the resident by phone (the console), not by the resident in the chat. */
      byPhone?: boolean;
      /** When the answer reopens the order (surveyReopens): who takes it (usually one level up). */
      reopenTo?: AssignmentWithLimits;
    }
  /** The satisfaction of a round answered without it, given in reply to the bot's one follow-up question. */
  | { type: 'complete_survey'; round: number; answer: SurveyAnswer }
  | { type: 'survey_timeout' }
  | { type: 'ask_resident'; question: string }
  | { type: 'resident_reply'; text: string }
  /** 催办: the resident chases their open order; the assignee is told (at most once per URGE_INTERVAL_MS). */
  | { type: 'urge'; note: string }
  | { type: 'supervise'; note: string }
  | { type: 'reply'; note: string }
  | { type: 'support' }
  | { type: 'change_category'; categoryId: number; urgency: Urgency; deadlineAt: Date | null; note?: string };

export type OrderCommandType = OrderCommand['type'];

/** One entry of the order's timeline, as the rules produce it (the use case adds the channel). */
export type OrderEventDraft = {
  type: string;
  actorKind: Actor['kind'];
  actorStaffId: number | null;
  actorResidentId: number | null;
  note: string | null;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  fromAssigneeId: number | null;
  toAssigneeId: number | null;
  fromUnitId: number | null;
  toUnitId: number | null;
  data: Record<string, unknown> | null;
  at: Date;
};

export type TransitionResult =
  | { ok: true; order: OrderState; events: OrderEventDraft[] }
  | { ok: false; code: ErrorCode; message: string };

export const MAX_EXTENSION_DAYS = 30;

/**
 * A resident's 催办 reaches the assignee at most this often per order: a volunteer grid leader is told that the
 * resident is waiting, not paged on every "怎么还没修好". Later ones within it go on the timeline only as status
 * replies to the resident (see the chat's follow-up handling).
 */
export const URGE_INTERVAL_MS = 4 * 3_600_000;

/** Whether a new 催办 should be recorded and told to the assignee, given when the last one was. */
export function urgeDue({ lastUrgeAt, now }: { lastUrgeAt: Date | null; now: Date }): boolean {
  return lastUrgeAt === null || now.getTime() - lastUrgeAt.getTime() >= URGE_INTERVAL_MS;
}

function fail(code: ErrorCode, message: string): TransitionResult {
  return { ok: false, code, message };
}

/**
 * The assignee, members of the department the order is dispatched to, or staff with a handling role at the
 * order's unit or above it; admins always.
 */
export function isOnOrder(actor: Actor, order: OrderState): boolean {
  if (actor.kind !== 'staff') return false;
  if (isAdmin(actor) || actor.staffId === order.assigneeId) return true;
  if (inDepartmentOf(actor, order)) return true;
  return actor.roles.some((r) => HANDLING_ROLES.includes(r.role) && isAncestorOrSelf(r.unitPath, order.unitPath));
}

/** Staff at a level strictly above the order's unit (the supervisors of its assignee), or admins. */
export function isAboveOrder(actor: Actor, order: OrderState): boolean {
  if (actor.kind !== 'staff') return false;
  if (isAdmin(actor)) return true;
  return actor.roles.some(
    (r) => (r.role === 'officer' || r.role === 'admin') && isStrictAncestor(r.unitPath, order.unitPath),
  );
}

/** Whether the member of staff works for the department that holds the order now. */
function inDepartmentOf(actor: Extract<Actor, { kind: 'staff' }>, order: Pick<OrderState, 'departmentId'>): boolean {
  return order.departmentId != null && (actor.departments ?? []).some((d) => d.departmentId === order.departmentId);
}

/**
 * Staff who may see the order at all: anyone whose unit is the order's grid or above it, who handled it, or who
 * works for the department that holds it.
 */
export function canView(
  actor: Actor,
  order: Pick<OrderState, 'assigneeId' | 'residentId'> & { gridPath: string; departmentId?: number | null },
): boolean {
  if (actor.kind === 'resident') return actor.residentId === order.residentId;
  if (actor.kind === 'system') return true;
  if (isAdmin(actor) || actor.staffId === order.assigneeId) return true;
  if (inDepartmentOf(actor, order)) return true;
  return actor.roles.some((r) => isAncestorOrSelf(r.unitPath, order.gridPath));
}

type Permission = 'resident_owner' | 'resident_other' | 'on_order' | 'above' | 'system' | 'on_order_or_system' | 'resident_owner_or_staff';

/** Who may give each command, and from which states. */
const RULES: Record<OrderCommandType, { who: Permission; from: readonly OrderStatus[] }> = {
  assign: { who: 'on_order_or_system', from: ['submitted', 'assigned', 'accepted'] },
  reassign: { who: 'on_order_or_system', from: ['assigned', 'accepted'] },
  accept: { who: 'on_order', from: ['assigned'] },
  progress: { who: 'on_order', from: ['assigned', 'accepted'] },
  note: { who: 'on_order', from: ['assigned', 'accepted'] },
  resolve: { who: 'on_order', from: ['assigned', 'accepted'] },
  escalate: { who: 'on_order_or_system', from: ['assigned', 'accepted'] },
  return: { who: 'on_order', from: ['assigned', 'accepted'] },
  request_extension: { who: 'on_order', from: ['assigned', 'accepted'] },
  approve_extension: { who: 'above', from: ['assigned', 'accepted'] },
  deny_extension: { who: 'above', from: ['assigned', 'accepted'] },
  cancel: { who: 'resident_owner', from: ['submitted', 'assigned', 'accepted'] },
  merge: { who: 'on_order', from: ['submitted', 'assigned', 'accepted'] },
  // Officers above the order (or admins) only: the handler must not be able to take an order out of the figures.
  invalidate: { who: 'above', from: ['submitted', 'assigned', 'accepted', 'resolved', 'closed'] },
  // Staff on the order or above record a 回访 made by phone (a resident the bot cannot reach).
  answer_survey: { who: 'resident_owner_or_staff', from: ['resolved'] },
  complete_survey: { who: 'resident_owner', from: ['assigned', 'accepted', 'resolved', 'closed'] },
  survey_timeout: { who: 'system', from: ['resolved'] },
  ask_resident: { who: 'on_order', from: ['assigned', 'accepted'] },
  resident_reply: { who: 'resident_owner', from: ['submitted', 'assigned', 'accepted'] },
  urge: { who: 'resident_owner', from: ['submitted', 'assigned', 'accepted'] },
  supervise: { who: 'above', from: ['assigned', 'accepted'] },
  reply: { who: 'on_order', from: ['submitted', 'assigned', 'accepted', 'resolved', 'closed'] },
  support: { who: 'resident_other', from: ['submitted', 'assigned', 'accepted'] },
  change_category: { who: 'on_order', from: ['submitted', 'assigned', 'accepted'] },
};

function permitted(who: Permission, actor: Actor, order: OrderState): boolean {
  switch (who) {
    case 'resident_owner':
      return actor.kind === 'resident' && actor.residentId === order.residentId;
    case 'resident_other':
      return actor.kind === 'resident' && actor.residentId !== order.residentId;
    case 'on_order':
      return isOnOrder(actor, order);
    case 'above':
      return isAboveOrder(actor, order);
    case 'system':
      return actor.kind === 'system';
    case 'on_order_or_system':
      return actor.kind === 'system' || isOnOrder(actor, order);
    case 'resident_owner_or_staff':
      return (actor.kind === 'resident' && actor.residentId === order.residentId) || isOnOrder(actor, order) || isAboveOrder(actor, order);
  }
}

function blankText(s: string | undefined | null): boolean {
  return !s || s.trim().length === 0;
}

/**
 * Whether `actor` may give a command of this type to the order in its present state; null when it may. Use cases
 * call it before doing costly preparation (routing, deadlines) for a command that would be refused anyway.
 */
export function precheck({
  order,
  type,
  actor,
}: {
  order: OrderState;
  type: OrderCommandType;
  actor: Actor;
}): { ok: false; code: ErrorCode; message: string } | null {
  const rule = RULES[type];
  if (!permitted(rule.who, actor, order)) {
    return { ok: false, code: 'NOT_ALLOWED', message: `${actor.kind} may not ${type} order #${order.no}` };
  }
  if (!rule.from.includes(order.status)) {
    if (type === 'answer_survey') {
      return { ok: false, code: 'SURVEY_NOT_OPEN', message: `order #${order.no} is not awaiting a survey` };
    }
    return { ok: false, code: 'INVALID_TRANSITION', message: `cannot ${type} order #${order.no} in status ${order.status}` };
  }
  return null;
}

/**
 * The work order's state machine: one pure function of (order, command, actor, now) → the new order and the
 * events for its timeline, or a typed refusal. It never throws for a bad command.
 */
export function transition({
  order,
  command,
  actor,
  now,
}: {
  order: OrderState;
  command: OrderCommand;
  actor: Actor;
  now: Date;
}): TransitionResult {
  const refused = precheck({ order, type: command.type, actor });
  if (refused) return refused;

  const event = (
    type: string,
    next: OrderState,
    extra: Partial<Pick<OrderEventDraft, 'note' | 'data'>> = {},
  ): OrderEventDraft => ({
    type,
    actorKind: actor.kind,
    actorStaffId: actor.kind === 'staff' ? actor.staffId : null,
    actorResidentId: actor.kind === 'resident' ? actor.residentId : null,
    note: extra.note ?? null,
    fromStatus: order.status,
    toStatus: next.status,
    fromAssigneeId: order.assigneeId,
    toAssigneeId: next.assigneeId,
    fromUnitId: order.unitId,
    toUnitId: next.unitId,
    data: extra.data ?? null,
    at: now,
  });
  const done = (next: OrderState, ...events: OrderEventDraft[]): TransitionResult => ({ ok: true, order: next, events });

  /** Moves the order to a new assignee; a fresh assignment must be signed for again. */
  const moveTo = (to: AssignmentWithLimits, patch: Partial<OrderState> = {}): OrderState => ({
    ...order,
    status: 'assigned',
    assigneeId: to.staffId,
    // Reassigning to another grid's staff (after a 退回 "不属本网格") moves the order to that grid.
    gridId: to.level === 'grid' ? to.unitId : order.gridId,
    unitId: to.unitId,
    unitPath: to.unitPath,
    level: to.level,
    assignedAt: now,
    acceptedAt: null,
    signDeadlineAt: to.signDeadlineAt,
    deadlineAt: to.deadlineAt ?? order.deadlineAt,
    pendingExtensionDays: null,
    pendingExtensionReason: null,
    // Any assignment but a dispatch takes the order from its department (an order never in one stays without the key).
    ...(to.departmentId != null || order.departmentId != null ? { departmentId: to.departmentId ?? null } : {}),
    ...patch,
  });

  /** The limits an assignment puts in force, recorded on its event so that the figures replay them as set. */
  const limitsOf = (next: OrderState) => ({
    signDeadlineAt: next.signDeadlineAt?.toISOString() ?? null,
    deadlineAt: next.deadlineAt?.toISOString() ?? null,
  });

  /** Progress or resolution from 'assigned' also signs for the order: the volunteer plainly took it. */
  const implicitAccept = (): { accepted: OrderState; events: OrderEventDraft[] } => {
    if (order.status !== 'assigned') return { accepted: order, events: [] };
    const accepted: OrderState = { ...order, status: 'accepted', acceptedAt: now };
    return { accepted, events: [{ ...event('accept', accepted), data: { implicit: true } }] };
  };

  switch (command.type) {
    case 'assign':
    case 'reassign': {
      if (command.to.staffId === order.assigneeId && order.status !== 'submitted') {
        return fail('INVALID_ARGUMENT', `order #${order.no} is already assigned to that person`);
      }
      const next = moveTo(command.to);
      const dispatched = next.departmentId != null ? { departmentId: next.departmentId } : {};
      return done(next, event(command.type, next, { note: command.note ?? null, data: { ...limitsOf(next), ...dispatched } }));
    }
    case 'accept': {
      const next: OrderState = { ...order, status: 'accepted', acceptedAt: now };
      return done(next, event('accept', next));
    }
    case 'progress': {
      if (blankText(command.note)) return fail('INVALID_ARGUMENT', 'progress needs a note');
      const { accepted, events } = implicitAccept();
      return done(accepted, ...events, { ...event('progress', accepted), fromStatus: accepted.status, note: command.note });
    }
    case 'note': {
      // Unlike 进展 it does not imply 签收: a note changes nothing about the order.
      if (blankText(command.note)) return fail('INVALID_ARGUMENT', 'an empty note');
      return done(order, event('note', order, { note: command.note }));
    }
    case 'resolve': {
      if (blankText(command.note)) return fail('INVALID_ARGUMENT', 'a resolution needs a note of what was done');
      const { accepted, events } = implicitAccept();
      const next: OrderState = {
        ...accepted,
        status: 'resolved',
        resolvedAt: now,
        pausedAt: null,
        pendingExtensionDays: null,
        pendingExtensionReason: null,
      };
      return done(next, ...events, { ...event('resolve', next, { note: command.note }), fromStatus: accepted.status });
    }
    case 'escalate':
    case 'return': {
      // A department's 退回 goes back to the unit that dispatched it (the same level, or the district in a dispute).
      const fromDepartment = command.type === 'return' && order.departmentId != null;
      if (!fromDepartment && order.level === 'district') return fail('TOP_LEVEL', `order #${order.no} is already at the top level`);
      if (blankText(command.reason)) return fail('INVALID_ARGUMENT', `${command.type} needs a reason`);
      if (!fromDepartment && levelRank(command.to.level) <= levelRank(order.level)) {
        return fail('INVALID_ARGUMENT', `${command.type} must go to a higher level than ${order.level}`);
      }
      const next = moveTo(
        command.to,
        command.type === 'escalate'
          ? { escalationCount: order.escalationCount + 1 }
          : { returnCount: order.returnCount + 1 },
      );
      const departmentData = fromDepartment
        ? { departmentId: order.departmentId, ...(command.type === 'return' && command.dispute ? { dispute: true } : {}) }
        : {};
      return done(next, event(command.type, next, { note: command.reason, data: { toLevel: command.to.level, ...departmentData, ...limitsOf(next) } }));
    }
    case 'request_extension': {
      if (order.pendingExtensionDays !== null) {
        return fail('EXTENSION_PENDING', `order #${order.no} already has an extension request pending`);
      }
      if (!Number.isInteger(command.days) || command.days < 1 || command.days > MAX_EXTENSION_DAYS) {
        return fail('INVALID_ARGUMENT', `an extension is 1 to ${MAX_EXTENSION_DAYS} working days`);
      }
      if (blankText(command.reason)) return fail('INVALID_ARGUMENT', 'an extension needs a reason');
      const next: OrderState = { ...order, pendingExtensionDays: command.days, pendingExtensionReason: command.reason };
      return done(next, event('request_extension', next, { note: command.reason, data: { days: command.days } }));
    }
    case 'approve_extension': {
      if (order.pendingExtensionDays === null) {
        return fail('NO_EXTENSION_PENDING', `order #${order.no} has no extension request`);
      }
      const next: OrderState = {
        ...order,
        deadlineAt: command.newDeadlineAt,
        pendingExtensionDays: null,
        pendingExtensionReason: null,
      };
      return done(
        next,
        event('approve_extension', next, {
          note: command.note ?? null,
          data: { days: order.pendingExtensionDays, from: order.deadlineAt?.toISOString() ?? null, to: command.newDeadlineAt.toISOString() },
        }),
      );
    }
    case 'deny_extension': {
      if (order.pendingExtensionDays === null) {
        return fail('NO_EXTENSION_PENDING', `order #${order.no} has no extension request`);
      }
      const next: OrderState = { ...order, pendingExtensionDays: null, pendingExtensionReason: null };
      return done(next, event('deny_extension', next, { note: command.reason ?? null, data: { days: order.pendingExtensionDays } }));
    }
    case 'cancel': {
      const next: OrderState = { ...order, status: 'cancelled', closedAt: now, pausedAt: null, pendingExtensionDays: null, pendingExtensionReason: null };
      return done(next, event('cancel', next, { note: command.reason ?? null }));
    }
    case 'merge': {
      if (command.into.id === order.id) return fail('MERGE_INTO_SELF', 'an order cannot be merged into itself');
      if (!OPEN_STATUSES.includes(command.into.status) && command.into.status !== 'resolved') {
        return fail('MERGE_TARGET_CLOSED', `order #${command.into.no} is ${command.into.status}`);
      }
      const next: OrderState = {
        ...order,
        status: 'merged',
        mergedIntoId: command.into.id,
        closedAt: now,
        pausedAt: null,
        // Like a cancellation: a merged order is finished, so no extension request is left waiting for a decision.
        pendingExtensionDays: null,
        pendingExtensionReason: null,
      };
      return done(next, event('merge', next, { data: { intoId: command.into.id, intoNo: command.into.no } }));
    }
    case 'invalidate': {
      if (blankText(command.reason)) return fail('INVALID_ARGUMENT', 'marking an order 无效 needs a reason');
      const next: OrderState = { ...order, status: 'invalid', closedAt: order.closedAt ?? now, pausedAt: null, pendingExtensionDays: null, pendingExtensionReason: null };
      return done(next, event('invalidate', next, { note: command.reason }));
    }
    case 'answer_survey': {
      const solved = command.solved ?? null;
      if (command.answer === null && solved === null) return fail('INVALID_ARGUMENT', 'a survey answer says whether it was solved or how satisfied, or both');
      const data = {
        ...(command.answer !== null ? { answer: command.answer } : {}),
        ...(solved !== null ? { solved } : {}),
        round: order.reopenCount,
        ...(command.byPhone ? { by: 'phone' } : {}),
      };
      if (!surveyReopens({ answer: command.answer, solved })) {
        const next: OrderState = { ...order, status: 'closed', closedAt: now, closure: command.answer ?? 'unrated' };
        return done(next, event('survey', next, { note: command.comment ?? null, data }));
      }
      if (!command.reopenTo) return fail('NO_ASSIGNEE', `nobody to reopen order #${order.no} to`);
      const next = moveTo(command.reopenTo, { reopenCount: order.reopenCount + 1, resolvedAt: null, pausedAt: null });
      return done(
        next,
        { ...event('survey', next, { note: command.comment ?? null, data }), toStatus: 'resolved', toAssigneeId: order.assigneeId, toUnitId: order.unitId },
        { ...event('reopen', next, { data: { toLevel: command.reopenTo.level, ...limitsOf(next) } }), fromStatus: 'resolved' },
      );
    }
    case 'complete_survey': {
      // Only the closure of the round that closed the order changes; a reopened order stays as it is.
      const closes = order.status === 'closed' && order.closure === 'unrated' && command.round === order.reopenCount;
      const next: OrderState = closes ? { ...order, closure: command.answer } : order;
      return done(next, event('survey_complete', next, { data: { round: command.round, answer: command.answer } }));
    }
    case 'survey_timeout': {
      const next: OrderState = { ...order, status: 'closed', closedAt: now, closure: 'unanswered' };
      return done(next, event('survey_timeout', next, { data: { round: order.reopenCount } }));
    }
    case 'ask_resident': {
      if (order.pausedAt) return fail('ALREADY_PAUSED', `order #${order.no} is already waiting on the resident`);
      if (blankText(command.question)) return fail('INVALID_ARGUMENT', 'a question is needed');
      const next: OrderState = { ...order, pausedAt: now };
      return done(next, event('ask_resident', next, { note: command.question }));
    }
    case 'resident_reply': {
      if (blankText(command.text)) return fail('INVALID_ARGUMENT', 'an empty reply');
      if (!order.pausedAt) {
        // Additional information without a pending question: recorded, the clock was running anyway.
        return done(order, event('resident_info', order, { note: command.text }));
      }
      const pausedMs = Math.max(0, now.getTime() - order.pausedAt.getTime());
      // The time left when the pause began is kept; a pause begun after a limit ran out does not revive it.
      const shift = (d: Date | null, from: Date) => (d && d.getTime() > from.getTime() ? new Date(d.getTime() + Math.max(0, now.getTime() - from.getTime())) : d);
      // An assignment made during the pause (a reassignment while waiting) was given a whole 签收 limit then:
      // only the wait since the assignment moves it.
      const signPauseFrom = order.assignedAt && order.assignedAt > order.pausedAt ? order.assignedAt : order.pausedAt;
      const next: OrderState = {
        ...order,
        pausedAt: null,
        deadlineAt: shift(order.deadlineAt, order.pausedAt),
        signDeadlineAt: order.status === 'assigned' ? shift(order.signDeadlineAt, signPauseFrom) : order.signDeadlineAt,
      };
      return done(next, event('resident_reply', next, { note: command.text, data: { pausedMs } }));
    }
    case 'urge': {
      // Changes nothing about the order: it is on the timeline, and the assignee hears of it.
      return done(order, event('urge', order, { note: command.note.trim() || null }));
    }
    case 'supervise': {
      if (blankText(command.note)) return fail('INVALID_ARGUMENT', 'a 督办 note is needed');
      return done(order, event('supervise', order, { note: command.note }));
    }
    case 'reply': {
      if (blankText(command.note)) return fail('INVALID_ARGUMENT', 'an empty reply');
      return done(order, event('reply', order, { note: command.note }));
    }
    case 'support': {
      const next: OrderState = { ...order, supporters: order.supporters + 1 };
      return done(next, event('support', next));
    }
    case 'change_category': {
      if (command.categoryId === order.categoryId && command.urgency === order.urgency) {
        return fail('INVALID_ARGUMENT', 'nothing to change');
      }
      const next: OrderState = { ...order, categoryId: command.categoryId, urgency: command.urgency, deadlineAt: command.deadlineAt };
      return done(
        next,
        event('change_category', next, {
          note: command.note ?? null,
          data: { fromCategoryId: order.categoryId, toCategoryId: command.categoryId, fromUrgency: order.urgency, toUrgency: command.urgency },
        }),
      );
    }
  }
}

/** The status a resident sees, in order of the 五步走. */
export function isOpen(status: OrderStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** A new order as the resident submitted it (受理), before routing assigns it. */
export function submittedOrder({
  id,
  no,
  residentId,
  gridId,
  gridPath,
  categoryId,
  urgency,
  now,
  text,
}: {
  id: number;
  no: number;
  residentId: number;
  gridId: number;
  gridPath: string;
  categoryId: number;
  urgency: Urgency;
  now: Date;
  text: string;
}): { order: OrderState; event: OrderEventDraft } {
  const order: OrderState = {
    id,
    no,
    residentId,
    gridId,
    unitId: gridId,
    unitPath: gridPath,
    level: 'grid',
    assigneeId: null,
    categoryId,
    urgency,
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
  return {
    order,
    event: {
      type: 'submit',
      actorKind: 'resident',
      actorStaffId: null,
      actorResidentId: residentId,
      note: text,
      fromStatus: null,
      toStatus: 'submitted',
      fromAssigneeId: null,
      toAssigneeId: null,
      fromUnitId: null,
      toUnitId: gridId,
      data: { categoryId, urgency },
      at: now,
    },
  };
}
