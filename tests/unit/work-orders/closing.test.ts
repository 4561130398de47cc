import { describe, expect, it } from 'vitest';
import type { OrderCommand, OrderState, OrderStatus } from '../../../src/modules/work-orders/work-orders.models';
import type { Actor } from '../../../src/modules/people/people.models';
import {
  COMMUNITY_OFFICER,
  LEADER,
  NOW,
  OWNER,
  SYSTEM,
  UNITS,
  assignmentTo,
  hoursAfter,
  hoursBefore,
  orderIn,
  refusal,
  succeed,
} from './builders';

const reopenToCommunity = assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community, {
  signDeadlineAt: hoursAfter(3),
  deadlineAt: hoursAfter(120),
});

describe('cancelling (撤回)', () => {
  it('closes the order now with the resident’s reason', () => {
    for (const status of ['submitted', 'assigned', 'accepted'] as const) {
      const { order, events } = succeed({ order: orderIn(status), command: { type: 'cancel', reason: '已自行解决' }, actor: OWNER });
      expect(order).toMatchObject({ status: 'cancelled', closedAt: NOW });
      expect(events).toEqual([
        expect.objectContaining({ type: 'cancel', fromStatus: status, toStatus: 'cancelled', note: '已自行解决', actorResidentId: OWNER.residentId }),
      ]);
    }
  });

  it('without a reason records a null note', () => {
    const { events } = succeed({ order: orderIn('submitted'), command: { type: 'cancel' }, actor: OWNER });
    expect(events[0]?.note).toBeNull();
  });
});

describe('merging (并单)', () => {
  const merge = (into: { id: number; status: OrderStatus }): OrderCommand => ({ type: 'merge', into: { ...into, no: 1000 + into.id } });

  it('points the duplicate at the order it repeats and closes it', () => {
    const { order, events } = succeed({ order: orderIn('assigned'), command: merge({ id: 9, status: 'accepted' }), actor: LEADER });
    expect(order).toMatchObject({ status: 'merged', mergedIntoId: 9, closedAt: NOW });
    expect(events[0]).toMatchObject({ type: 'merge', fromStatus: 'assigned', toStatus: 'merged', data: { intoId: 9, intoNo: 1009 } });
  });

  it('into itself is refused with MERGE_INTO_SELF', () => {
    expect(refusal({ order: orderIn('accepted'), command: merge({ id: 1, status: 'accepted' }), actor: LEADER })).toBe('MERGE_INTO_SELF');
  });

  it('into an order that is open or awaiting its survey is allowed; into a closed, cancelled or merged one is not', () => {
    const into = (status: OrderStatus) => refusal({ order: orderIn('accepted'), command: merge({ id: 2, status }), actor: LEADER });
    expect(['submitted', 'assigned', 'accepted', 'resolved'].map((s) => into(s as OrderStatus))).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(['closed', 'cancelled', 'merged'].map((s) => into(s as OrderStatus))).toEqual([
      'MERGE_TARGET_CLOSED',
      'MERGE_TARGET_CLOSED',
      'MERGE_TARGET_CLOSED',
    ]);
  });
});

describe('the satisfaction survey (回访)', () => {
  it('满意 and 基本满意 close the order with that closure', () => {
    for (const answer of ['satisfied', 'basically_satisfied'] as const) {
      const { order, events } = succeed({ order: orderIn('resolved'), command: { type: 'answer_survey', answer, comment: '谢谢' }, actor: OWNER });
      expect(order).toMatchObject({ status: 'closed', closedAt: NOW, closure: answer });
      expect(events).toEqual([
        expect.objectContaining({ type: 'survey', fromStatus: 'resolved', toStatus: 'closed', note: '谢谢', data: { answer, round: 0 } }),
      ]);
    }
  });

  it('不满意 reopens the order to the one named, to be signed for again, and counts the reopening', () => {
    const before = orderIn('resolved');
    const { order, events } = succeed({
      order: before,
      command: { type: 'answer_survey', answer: 'unsatisfied', comment: '灯还是不亮', reopenTo: reopenToCommunity },
      actor: OWNER,
    });
    expect(order).toEqual({
      ...before,
      status: 'assigned',
      assigneeId: COMMUNITY_OFFICER.staffId,
      unitId: UNITS.community.id,
      unitPath: UNITS.community.path,
      level: 'community',
      assignedAt: NOW,
      acceptedAt: null,
      resolvedAt: null,
      signDeadlineAt: hoursAfter(3),
      deadlineAt: hoursAfter(120),
      reopenCount: 1,
    });
    expect(order.closedAt).toBeNull();
    expect(order.closure).toBeNull();
    const common = { actorKind: 'resident', actorResidentId: OWNER.residentId, actorStaffId: null, at: NOW };
    expect(events).toEqual([
      {
        ...common,
        type: 'survey',
        note: '灯还是不亮',
        data: { answer: 'unsatisfied', round: 0 },
        fromStatus: 'resolved',
        toStatus: 'resolved',
        fromAssigneeId: LEADER.staffId,
        toAssigneeId: LEADER.staffId,
        fromUnitId: UNITS.grid.id,
        toUnitId: UNITS.grid.id,
      },
      {
        ...common,
        type: 'reopen',
        note: null,
        data: { toLevel: 'community', signDeadlineAt: hoursAfter(3).toISOString(), deadlineAt: hoursAfter(120).toISOString() },
        fromStatus: 'resolved',
        toStatus: 'assigned',
        fromAssigneeId: LEADER.staffId,
        toAssigneeId: COMMUNITY_OFFICER.staffId,
        fromUnitId: UNITS.grid.id,
        toUnitId: UNITS.community.id,
      },
    ]);
  });

  it('不满意 with nobody to reopen to is refused with NO_ASSIGNEE', () => {
    expect(refusal({ order: orderIn('resolved'), command: { type: 'answer_survey', answer: 'unsatisfied' }, actor: OWNER })).toBe('NO_ASSIGNEE');
  });

  it('the survey round says how many times the order was reopened before', () => {
    const { events } = succeed({ order: orderIn('resolved', { reopenCount: 2 }), command: { type: 'answer_survey', answer: 'satisfied' }, actor: OWNER });
    expect(events[0]?.data).toEqual({ answer: 'satisfied', round: 2 });
  });

  it('a survey nobody answers in time closes the order as unanswered (未评价)', () => {
    const { order, events } = succeed({ order: orderIn('resolved', { reopenCount: 1 }), command: { type: 'survey_timeout' }, actor: SYSTEM });
    expect(order).toMatchObject({ status: 'closed', closedAt: NOW, closure: 'unanswered' });
    expect(events).toEqual([
      expect.objectContaining({ type: 'survey_timeout', actorKind: 'system', fromStatus: 'resolved', toStatus: 'closed', data: { round: 1 } }),
    ]);
  });
});

describe('a finished order', () => {
  const busy = (status: OrderStatus) =>
    orderIn(status, { pausedAt: hoursBefore(1), pendingExtensionDays: 3, pendingExtensionReason: '等待配件' });
  const endings: Array<[string, OrderState, OrderCommand, Actor]> = [
    ['cancelled', busy('accepted'), { type: 'cancel' }, OWNER],
    ['merged', busy('accepted'), { type: 'merge', into: { id: 2, no: 1002, status: 'accepted' } }, LEADER],
    ['resolved', busy('accepted'), { type: 'resolve', note: '已修好' }, LEADER],
  ];

  it.each(endings)('once %s keeps no pause and no extension request waiting for a decision', (_, before, command, actor) => {
    const { order } = succeed({ order: before, command, actor });
    expect(order).toMatchObject({ pausedAt: null, pendingExtensionDays: null, pendingExtensionReason: null });
  });
});
