import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/modules/people/people.models';
import {
  type OrderCommand,
  type OrderEventDraft,
  type OrderState,
  submittedOrder,
} from '../../../src/modules/work-orders/work-orders.models';
import { COMMUNITY_OFFICER, LEADER, NOW, OWNER, SYSTEM, UNITS, assignmentTo, hoursAfter, succeed } from './builders';

describe('a new order (受理)', () => {
  it('is submitted at the resident’s grid, unassigned, with a submit event carrying the text', () => {
    const { order, event } = submittedOrder({
      id: 1,
      no: 1001,
      residentId: OWNER.residentId,
      gridId: UNITS.grid.id,
      gridPath: UNITS.grid.path,
      categoryId: 7,
      urgency: 'urgent',
      now: NOW,
      text: '3号楼电梯困人',
    });
    expect(order).toMatchObject({
      status: 'submitted',
      residentId: OWNER.residentId,
      gridId: 4,
      unitId: 4,
      unitPath: UNITS.grid.path,
      level: 'grid',
      assigneeId: null,
      urgency: 'urgent',
      reopenCount: 0,
      escalationCount: 0,
      returnCount: 0,
      supporters: 0,
    });
    for (const key of ['assignedAt', 'acceptedAt', 'resolvedAt', 'closedAt', 'signDeadlineAt', 'deadlineAt', 'pausedAt'] as const) {
      expect(order[key], key).toBeNull();
    }
    expect(event).toEqual({
      type: 'submit',
      actorKind: 'resident',
      actorStaffId: null,
      actorResidentId: OWNER.residentId,
      note: '3号楼电梯困人',
      fromStatus: null,
      toStatus: 'submitted',
      fromAssigneeId: null,
      toAssigneeId: null,
      fromUnitId: null,
      toUnitId: 4,
      data: { categoryId: 7, urgency: 'urgent' },
      at: NOW,
    });
  });
});

describe('the whole life of an order', () => {
  it('goes from report to archive through an extension, a 不满意 reopening one level up and a second resolution', () => {
    const submitted = submittedOrder({
      id: 1,
      no: 1001,
      residentId: OWNER.residentId,
      gridId: UNITS.grid.id,
      gridPath: UNITS.grid.path,
      categoryId: 7,
      urgency: 'normal',
      now: NOW,
      text: '楼道灯坏了',
    });
    let order: OrderState = submitted.order;
    const timeline: OrderEventDraft[] = [submitted.event];
    const step = (hoursLater: number, actor: Actor, command: OrderCommand) => {
      const result = succeed({ order, command, actor, now: hoursAfter(hoursLater) });
      order = result.order;
      timeline.push(...result.events);
      return order;
    };

    step(0.1, SYSTEM, {
      type: 'assign',
      to: assignmentTo(LEADER.staffId, UNITS.grid, { signDeadlineAt: hoursAfter(2.1), deadlineAt: hoursAfter(72) }),
    });
    step(1, LEADER, { type: 'accept' });
    step(24, LEADER, { type: 'progress', note: '已联系物业，等待配件' });
    step(30, LEADER, { type: 'request_extension', days: 3, reason: '配件缺货' });
    expect(order.pendingExtensionDays).toBe(3);
    step(32, COMMUNITY_OFFICER, { type: 'approve_extension', newDeadlineAt: hoursAfter(144) });
    expect(order.deadlineAt).toEqual(hoursAfter(144));
    step(100, LEADER, { type: 'resolve', note: '已更换灯泡' });
    expect(order).toMatchObject({ status: 'resolved', resolvedAt: hoursAfter(100) });
    step(110, OWNER, {
      type: 'answer_survey',
      answer: 'unsatisfied',
      comment: '第二天又坏了',
      reopenTo: assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community, { signDeadlineAt: hoursAfter(112), deadlineAt: hoursAfter(180) }),
    });
    expect(order).toMatchObject({ status: 'assigned', level: 'community', assigneeId: COMMUNITY_OFFICER.staffId, reopenCount: 1, resolvedAt: null });
    step(130, COMMUNITY_OFFICER, { type: 'resolve', note: '更换整条线路' });
    step(140, OWNER, { type: 'answer_survey', answer: 'satisfied' });

    expect(order).toMatchObject({
      status: 'closed',
      closure: 'satisfied',
      closedAt: hoursAfter(140),
      resolvedAt: hoursAfter(130),
      acceptedAt: hoursAfter(130),
      assigneeId: COMMUNITY_OFFICER.staffId,
      unitId: UNITS.community.id,
      gridId: UNITS.grid.id,
      deadlineAt: hoursAfter(180),
      reopenCount: 1,
      escalationCount: 0,
      returnCount: 0,
      pendingExtensionDays: null,
    });

    expect(timeline.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorKind])).toEqual([
      ['submit', null, 'submitted', 'resident'],
      ['assign', 'submitted', 'assigned', 'system'],
      ['accept', 'assigned', 'accepted', 'staff'],
      ['progress', 'accepted', 'accepted', 'staff'],
      ['request_extension', 'accepted', 'accepted', 'staff'],
      ['approve_extension', 'accepted', 'accepted', 'staff'],
      ['resolve', 'accepted', 'resolved', 'staff'],
      ['survey', 'resolved', 'resolved', 'resident'],
      ['reopen', 'resolved', 'assigned', 'resident'],
      ['accept', 'assigned', 'accepted', 'staff'],
      ['resolve', 'accepted', 'resolved', 'staff'],
      ['survey', 'resolved', 'closed', 'resident'],
    ]);
    // The timeline is a chain: every event starts where the one before it ended, in time order.
    for (let i = 1; i < timeline.length; i++) {
      const [prev, next] = [timeline[i - 1]!, timeline[i]!];
      expect(next.fromStatus, `event ${i}`).toBe(prev.toStatus);
      expect(next.fromAssigneeId, `event ${i}`).toBe(prev.toAssigneeId);
      expect(next.fromUnitId, `event ${i}`).toBe(prev.toUnitId);
      expect(next.at.getTime(), `event ${i}`).toBeGreaterThanOrEqual(prev.at.getTime());
    }
    expect(timeline.filter((e) => e.type === 'survey').map((e) => e.data)).toEqual([
      { answer: 'unsatisfied', round: 0 },
      { answer: 'satisfied', round: 1 },
    ]);
    expect(timeline[9]).toMatchObject({ type: 'accept', data: { implicit: true }, actorStaffId: COMMUNITY_OFFICER.staffId });
    expect(timeline[5]?.data).toEqual({ days: 3, from: hoursAfter(72).toISOString(), to: hoursAfter(144).toISOString() });
  });
});
