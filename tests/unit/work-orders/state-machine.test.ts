import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/modules/people/people.models';
import { orderStatusEnum } from '../../../src/modules/work-orders/work-orders.table';
import {
  type AssignmentWithLimits,
  type OrderCommand,
  type OrderCommandType,
  type OrderEventDraft,
  type OrderState,
  type OrderStatus,
  precheck,
  transition,
} from '../../../src/modules/work-orders/work-orders.models';
import {
  ASSISTANT,
  COMMUNITY_OFFICER,
  LEADER,
  NEIGHBOUR,
  NOW,
  OWNER,
  SYSTEM,
  UNITS,
  assignmentTo,
  expectedEvent,
  hoursAfter,
  hoursBefore,
  inPlaceEvent,
  orderIn,
  snapshot,
} from './builders';

const ALL_STATUSES: readonly OrderStatus[] = ['submitted', 'assigned', 'accepted', 'resolved', 'closed', 'cancelled', 'merged', 'invalid'];

/**
 * Which states each command may be given in, written from DESIGN.md rather than read from the module, so a
 * wrong rule there shows up here. Open = someone still has to act (受理, 已派单, 已签收); held = an assignee has it.
 */
const OPEN: readonly OrderStatus[] = ['submitted', 'assigned', 'accepted'];
const HELD: readonly OrderStatus[] = ['assigned', 'accepted'];
const LEGAL_FROM: Record<OrderCommandType, readonly OrderStatus[]> = {
  // 分流交办: the first routing, or handing it to someone else while it is being worked on.
  assign: OPEN,
  reassign: HELD,
  // 签收 only what was handed to you and not yet signed for.
  accept: ['assigned'],
  // Working on it: only while someone holds it.
  progress: HELD,
  // 内部备注: beside 进展, by the same people.
  note: HELD,
  resolve: HELD,
  escalate: HELD,
  return: HELD,
  request_extension: HELD,
  approve_extension: HELD,
  deny_extension: HELD,
  supervise: HELD,
  ask_resident: HELD,
  // 撤回 "by the resident before resolution".
  cancel: OPEN,
  // 并单: a duplicate is found while the order is still open.
  merge: OPEN,
  // 无效: junk found at any time until it is cancelled, merged or already invalid (it then leaves the figures).
  invalidate: [...OPEN, 'resolved', 'closed'],
  // 回访: only a resolved order awaits the survey.
  answer_survey: ['resolved'],
  survey_timeout: ['resolved'],
  // The one follow-up about satisfaction completes a round already recorded: the order is reopened or closed by then.
  complete_survey: ['assigned', 'accepted', 'resolved', 'closed'],
  // The resident adds to an open order; others +1 an open one; the category is fixed while it is open.
  resident_reply: OPEN,
  // 催办: the resident chases an order someone still has to act on.
  urge: OPEN,
  support: OPEN,
  change_category: OPEN,
  // Staff may still answer the resident after resolution and archiving; a cancelled or merged order has nobody.
  reply: [...OPEN, 'resolved', 'closed'],
};

const COMMAND_TYPES = Object.keys(LEGAL_FROM) as OrderCommandType[];

type Outcome = { order: OrderState; events: OrderEventDraft[] };

/** A command as a permitted actor would give it, and everything it should do when the state allows it. */
type Spec = {
  actor: Actor;
  /** Puts the order in the shape the command needs (a pending extension, a pause), whatever its status. */
  prepare?: (order: OrderState) => OrderState;
  command: OrderCommand;
  expected: (before: OrderState) => Outcome;
};

const toAssistant = assignmentTo(ASSISTANT.staffId, UNITS.grid, { signDeadlineAt: hoursAfter(2), deadlineAt: hoursAfter(100) });
const toCommunity = assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community, {
  signDeadlineAt: hoursAfter(3),
  deadlineAt: hoursAfter(120),
});
const PAUSED_HOURS = 2;

/** The order after a fresh assignment: signed for again, new limits, any extension request dropped. */
function movedTo(before: OrderState, to: AssignmentWithLimits, patch: Partial<OrderState> = {}): OrderState {
  return {
    ...before,
    status: 'assigned',
    assigneeId: to.staffId,
    gridId: to.level === 'grid' ? to.unitId : before.gridId,
    unitId: to.unitId,
    unitPath: to.unitPath,
    level: to.level,
    assignedAt: NOW,
    acceptedAt: null,
    signDeadlineAt: to.signDeadlineAt,
    deadlineAt: to.deadlineAt ?? before.deadlineAt,
    pendingExtensionDays: null,
    pendingExtensionReason: null,
    ...patch,
  };
}

function moveEvent(
  actor: Actor,
  before: OrderState,
  to: AssignmentWithLimits,
  type: string,
  extra: Partial<Pick<OrderEventDraft, 'note' | 'data'>> = {},
): OrderEventDraft {
  return expectedEvent(actor, {
    type,
    fromStatus: before.status,
    toStatus: 'assigned',
    fromAssigneeId: before.assigneeId,
    toAssigneeId: to.staffId,
    fromUnitId: before.unitId,
    toUnitId: to.unitId,
    ...extra,
    // Every assignment records the limits it puts in force.
    data: {
      ...extra.data,
      signDeadlineAt: to.signDeadlineAt.toISOString(),
      deadlineAt: (to.deadlineAt ?? before.deadlineAt)?.toISOString() ?? null,
    },
  });
}

/** Progress or resolution from 'assigned' signs for the order first. */
function implicitlyAccepted(actor: Actor, before: OrderState): Outcome {
  if (before.status !== 'assigned') return { order: before, events: [] };
  const order: OrderState = { ...before, status: 'accepted', acceptedAt: NOW };
  const accept = expectedEvent(actor, {
    type: 'accept',
    fromStatus: 'assigned',
    toStatus: 'accepted',
    fromAssigneeId: before.assigneeId,
    toAssigneeId: before.assigneeId,
    fromUnitId: before.unitId,
    toUnitId: before.unitId,
    data: { implicit: true },
  });
  return { order, events: [accept] };
}

const SPECS: Record<OrderCommandType, Spec> = {
  assign: {
    actor: SYSTEM,
    command: { type: 'assign', to: toAssistant, note: '按网格派单' },
    expected: (before) => ({
      order: movedTo(before, toAssistant),
      events: [moveEvent(SYSTEM, before, toAssistant, 'assign', { note: '按网格派单' })],
    }),
  },
  reassign: {
    actor: COMMUNITY_OFFICER,
    command: { type: 'reassign', to: toAssistant },
    expected: (before) => ({
      order: movedTo(before, toAssistant),
      events: [moveEvent(COMMUNITY_OFFICER, before, toAssistant, 'reassign')],
    }),
  },
  accept: {
    actor: LEADER,
    command: { type: 'accept' },
    expected: (before) => {
      const order: OrderState = { ...before, status: 'accepted', acceptedAt: NOW };
      return { order, events: [{ ...inPlaceEvent(LEADER, before, 'accept'), toStatus: 'accepted' }] };
    },
  },
  progress: {
    actor: LEADER,
    command: { type: 'progress', note: '已联系物业' },
    expected: (before) => {
      const { order, events } = implicitlyAccepted(LEADER, before);
      return { order, events: [...events, inPlaceEvent(LEADER, order, 'progress', { note: '已联系物业' })] };
    },
  },
  // A note changes nothing, not even 签收 (unlike 进展): the order is as it was, one event on the timeline.
  note: {
    actor: LEADER,
    command: { type: 'note', note: '居民情绪激动，上门时两人同去' },
    expected: (before) => ({ order: before, events: [inPlaceEvent(LEADER, before, 'note', { note: '居民情绪激动，上门时两人同去' })] }),
  },
  resolve: {
    actor: LEADER,
    command: { type: 'resolve', note: '已更换灯泡' },
    expected: (before) => {
      const accepted = implicitlyAccepted(LEADER, before);
      const order: OrderState = {
        ...accepted.order,
        status: 'resolved',
        resolvedAt: NOW,
        pausedAt: null,
        pendingExtensionDays: null,
        pendingExtensionReason: null,
      };
      const resolve = { ...inPlaceEvent(LEADER, accepted.order, 'resolve', { note: '已更换灯泡' }), toStatus: 'resolved' as const };
      return { order, events: [...accepted.events, resolve] };
    },
  },
  escalate: {
    actor: LEADER,
    command: { type: 'escalate', reason: '需社区协调', to: toCommunity },
    expected: (before) => ({
      order: movedTo(before, toCommunity, { escalationCount: before.escalationCount + 1 }),
      events: [moveEvent(LEADER, before, toCommunity, 'escalate', { note: '需社区协调', data: { toLevel: 'community' } })],
    }),
  },
  return: {
    actor: LEADER,
    command: { type: 'return', reason: '不属本网格', to: toCommunity },
    expected: (before) => ({
      order: movedTo(before, toCommunity, { returnCount: before.returnCount + 1 }),
      events: [moveEvent(LEADER, before, toCommunity, 'return', { note: '不属本网格', data: { toLevel: 'community' } })],
    }),
  },
  request_extension: {
    actor: LEADER,
    command: { type: 'request_extension', days: 3, reason: '等待配件' },
    expected: (before) => ({
      order: { ...before, pendingExtensionDays: 3, pendingExtensionReason: '等待配件' },
      events: [inPlaceEvent(LEADER, before, 'request_extension', { note: '等待配件', data: { days: 3 } })],
    }),
  },
  approve_extension: {
    actor: COMMUNITY_OFFICER,
    prepare: (order) => ({ ...order, pendingExtensionDays: 3, pendingExtensionReason: '等待配件' }),
    command: { type: 'approve_extension', newDeadlineAt: hoursAfter(144), note: '同意延期' },
    expected: (before) => ({
      order: { ...before, deadlineAt: hoursAfter(144), pendingExtensionDays: null, pendingExtensionReason: null },
      events: [
        inPlaceEvent(COMMUNITY_OFFICER, before, 'approve_extension', {
          note: '同意延期',
          data: { days: 3, from: before.deadlineAt?.toISOString() ?? null, to: hoursAfter(144).toISOString() },
        }),
      ],
    }),
  },
  deny_extension: {
    actor: COMMUNITY_OFFICER,
    prepare: (order) => ({ ...order, pendingExtensionDays: 3, pendingExtensionReason: '等待配件' }),
    command: { type: 'deny_extension', reason: '配件可就近采购' },
    expected: (before) => ({
      order: { ...before, pendingExtensionDays: null, pendingExtensionReason: null },
      events: [inPlaceEvent(COMMUNITY_OFFICER, before, 'deny_extension', { note: '配件可就近采购', data: { days: 3 } })],
    }),
  },
  cancel: {
    actor: OWNER,
    command: { type: 'cancel', reason: '已自行解决' },
    expected: (before) => ({
      order: { ...before, status: 'cancelled', closedAt: NOW, pausedAt: null, pendingExtensionDays: null, pendingExtensionReason: null },
      events: [{ ...inPlaceEvent(OWNER, before, 'cancel', { note: '已自行解决' }), toStatus: 'cancelled' }],
    }),
  },
  merge: {
    actor: LEADER,
    command: { type: 'merge', into: { id: 2, no: 1002, status: 'accepted' } },
    expected: (before) => ({
      order: { ...before, status: 'merged', mergedIntoId: 2, closedAt: NOW, pausedAt: null, pendingExtensionDays: null, pendingExtensionReason: null },
      events: [{ ...inPlaceEvent(LEADER, before, 'merge', { data: { intoId: 2, intoNo: 1002 } }), toStatus: 'merged' }],
    }),
  },
  invalidate: {
    actor: COMMUNITY_OFFICER,
    command: { type: 'invalidate', reason: '测试消息，不是诉求' },
    expected: (before) => ({
      order: { ...before, status: 'invalid', closedAt: before.closedAt ?? NOW, pausedAt: null, pendingExtensionDays: null, pendingExtensionReason: null },
      events: [{ ...inPlaceEvent(COMMUNITY_OFFICER, before, 'invalidate', { note: '测试消息，不是诉求' }), toStatus: 'invalid' }],
    }),
  },
  answer_survey: {
    actor: OWNER,
    command: { type: 'answer_survey', answer: 'satisfied', comment: '处理很及时' },
    expected: (before) => ({
      order: { ...before, status: 'closed', closedAt: NOW, closure: 'satisfied' },
      events: [
        {
          ...inPlaceEvent(OWNER, before, 'survey', { note: '处理很及时', data: { answer: 'satisfied', round: 0 } }),
          toStatus: 'closed',
        },
      ],
    }),
  },
  complete_survey: {
    actor: OWNER,
    command: { type: 'complete_survey', round: 0, answer: 'basically_satisfied' },
    expected: (before) => ({
      order: before,
      events: [inPlaceEvent(OWNER, before, 'survey_complete', { data: { round: 0, answer: 'basically_satisfied' } })],
    }),
  },
  survey_timeout: {
    actor: SYSTEM,
    command: { type: 'survey_timeout' },
    expected: (before) => ({
      order: { ...before, status: 'closed', closedAt: NOW, closure: 'unanswered' },
      events: [{ ...inPlaceEvent(SYSTEM, before, 'survey_timeout', { data: { round: 0 } }), toStatus: 'closed' }],
    }),
  },
  ask_resident: {
    actor: LEADER,
    command: { type: 'ask_resident', question: '请问是几号楼？' },
    expected: (before) => ({
      order: { ...before, pausedAt: NOW },
      events: [inPlaceEvent(LEADER, before, 'ask_resident', { note: '请问是几号楼？' })],
    }),
  },
  resident_reply: {
    actor: OWNER,
    prepare: (order) => ({ ...order, pausedAt: hoursBefore(PAUSED_HOURS) }),
    command: { type: 'resident_reply', text: '3号楼2单元' },
    expected: (before) => {
      // A limit that had already run out when the pause began stays run out.
      const shifted = (d: Date | null) => (d && d > hoursBefore(PAUSED_HOURS) ? hoursAfter(PAUSED_HOURS, d) : d);
      return {
        order: {
          ...before,
          pausedAt: null,
          deadlineAt: shifted(before.deadlineAt),
          signDeadlineAt: before.status === 'assigned' ? shifted(before.signDeadlineAt) : before.signDeadlineAt,
        },
        events: [
          inPlaceEvent(OWNER, before, 'resident_reply', { note: '3号楼2单元', data: { pausedMs: PAUSED_HOURS * 3_600_000 } }),
        ],
      };
    },
  },
  urge: {
    actor: OWNER,
    command: { type: 'urge', note: '怎么还没修好' },
    expected: (before) => ({ order: before, events: [inPlaceEvent(OWNER, before, 'urge', { note: '怎么还没修好' })] }),
  },
  supervise: {
    actor: COMMUNITY_OFFICER,
    command: { type: 'supervise', note: '请今日内办结' },
    expected: (before) => ({ order: before, events: [inPlaceEvent(COMMUNITY_OFFICER, before, 'supervise', { note: '请今日内办结' })] }),
  },
  reply: {
    actor: LEADER,
    command: { type: 'reply', note: '已转物业处理' },
    expected: (before) => ({ order: before, events: [inPlaceEvent(LEADER, before, 'reply', { note: '已转物业处理' })] }),
  },
  support: {
    actor: NEIGHBOUR,
    command: { type: 'support' },
    expected: (before) => ({
      order: { ...before, supporters: before.supporters + 1 },
      events: [inPlaceEvent(NEIGHBOUR, before, 'support')],
    }),
  },
  change_category: {
    actor: LEADER,
    command: { type: 'change_category', categoryId: 9, urgency: 'urgent', deadlineAt: hoursAfter(4), note: '涉及安全，改为紧急' },
    expected: (before) => ({
      order: { ...before, categoryId: 9, urgency: 'urgent', deadlineAt: hoursAfter(4) },
      events: [
        inPlaceEvent(LEADER, before, 'change_category', {
          note: '涉及安全，改为紧急',
          data: { fromCategoryId: 7, toCategoryId: 9, fromUrgency: 'normal', toUrgency: 'urgent' },
        }),
      ],
    }),
  },
};

describe('the table of commands and states', () => {
  it('covers every status the database knows', () => {
    expect([...ALL_STATUSES].sort()).toEqual([...orderStatusEnum.enumValues].sort());
  });

  it('covers every command, each with a spec', () => {
    expect(COMMAND_TYPES.sort()).toEqual(Object.keys(SPECS).sort());
    expect(COMMAND_TYPES).toHaveLength(24);
  });
});

for (const type of COMMAND_TYPES) {
  const spec = SPECS[type];
  describe(`the ${type} command`, () => {
    for (const status of ALL_STATUSES) {
      const before = Object.freeze((spec.prepare ?? ((o) => o))(orderIn(status)));
      const untouched = snapshot(before);

      if (LEGAL_FROM[type].includes(status)) {
        const want = spec.expected(before);
        it(`from ${status} leads to ${want.order.status} and records ${want.events.map((e) => e.type).join(' then ')}`, () => {
          const result = transition({ order: before, command: spec.command, actor: spec.actor, now: NOW });
          expect(result).toEqual({ ok: true, order: want.order, events: want.events });
          expect(before).toEqual(untouched);
          expect(precheck({ order: before, type, actor: spec.actor })).toBeNull();
        });
      } else {
        const code = type === 'answer_survey' ? 'SURVEY_NOT_OPEN' : 'INVALID_TRANSITION';
        it(`from ${status} is refused with ${code} and changes nothing`, () => {
          let result: ReturnType<typeof transition> | undefined;
          expect(() => {
            result = transition({ order: before, command: spec.command, actor: spec.actor, now: NOW });
          }).not.toThrow();
          expect(result).toMatchObject({ ok: false, code });
          expect(before).toEqual(untouched);
          expect(precheck({ order: before, type, actor: spec.actor })).toMatchObject({ ok: false, code });
        });
      }
    }
  });
}
