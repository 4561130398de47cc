import { describe, expect, it } from 'vitest';
import {
  ADMIN,
  ASSISTANT,
  COMMUNITY_OFFICER,
  DISTRICT_OFFICER,
  LEADER,
  NOW,
  SIBLING_LEADER,
  SYSTEM,
  TOWN_OFFICER,
  UNITS,
  assignmentTo,
  hoursAfter,
  orderIn,
  refusal,
  succeed,
} from './builders';

const toCommunity = assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community, { signDeadlineAt: hoursAfter(3) });
const atDistrict = orderIn('accepted', {
  unitId: UNITS.district.id,
  unitPath: UNITS.district.path,
  level: 'district',
  assigneeId: DISTRICT_OFFICER.staffId,
});

describe('signing for an order (签收)', () => {
  it('reporting progress on an unsigned order signs for it first, with an implicit accept event', () => {
    const { order, events } = succeed({ order: orderIn('assigned'), command: { type: 'progress', note: '已联系物业' }, actor: LEADER });
    expect(order).toMatchObject({ status: 'accepted', acceptedAt: NOW });
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.data])).toEqual([
      ['accept', 'assigned', 'accepted', { implicit: true }],
      ['progress', 'accepted', 'accepted', null],
    ]);
  });

  it('resolving an unsigned order records the implicit accept before the resolution', () => {
    const { order, events } = succeed({ order: orderIn('assigned'), command: { type: 'resolve', note: '已更换灯泡' }, actor: ASSISTANT });
    expect(order).toMatchObject({ status: 'resolved', acceptedAt: NOW, resolvedAt: NOW });
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorStaffId])).toEqual([
      ['accept', 'assigned', 'accepted', ASSISTANT.staffId],
      ['resolve', 'accepted', 'resolved', ASSISTANT.staffId],
    ]);
  });

  it('progress on an order already signed for keeps its original acceptance time', () => {
    const before = orderIn('accepted');
    const { order, events } = succeed({ order: before, command: { type: 'progress', note: '物业已上门' }, actor: LEADER });
    expect(order.acceptedAt).toEqual(before.acceptedAt);
    expect(events.map((e) => e.type)).toEqual(['progress']);
  });

  it('progress and resolution need a note of what was done; blank is not a note', () => {
    for (const note of ['', '   ', '\n']) {
      expect(refusal({ order: orderIn('accepted'), command: { type: 'progress', note }, actor: LEADER })).toBe('INVALID_ARGUMENT');
      expect(refusal({ order: orderIn('assigned'), command: { type: 'resolve', note }, actor: LEADER })).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('escalating (上报) and returning (退回)', () => {
  it('escalation moves the order to the level above, to be signed for again, and counts it', () => {
    const before = orderIn('accepted', { escalationCount: 1, returnCount: 1 });
    const { order, events } = succeed({ order: before, command: { type: 'escalate', reason: '需社区协调', to: toCommunity }, actor: LEADER });
    expect(order).toMatchObject({
      status: 'assigned',
      assigneeId: COMMUNITY_OFFICER.staffId,
      unitId: UNITS.community.id,
      unitPath: UNITS.community.path,
      level: 'community',
      gridId: UNITS.grid.id,
      escalationCount: 2,
      returnCount: 1,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'escalate',
        note: '需社区协调',
        data: { toLevel: 'community', signDeadlineAt: toCommunity.signDeadlineAt.toISOString(), deadlineAt: before.deadlineAt?.toISOString() ?? null },
        fromStatus: 'accepted',
        toStatus: 'assigned',
        fromAssigneeId: LEADER.staffId,
        toAssigneeId: COMMUNITY_OFFICER.staffId,
        fromUnitId: UNITS.grid.id,
        toUnitId: UNITS.community.id,
        at: NOW,
      }),
    ]);
  });

  it('a return counts as a return, not an escalation', () => {
    const before = orderIn('assigned');
    const { order, events } = succeed({ order: before, command: { type: 'return', reason: '不属本网格', to: toCommunity }, actor: LEADER });
    expect(order).toMatchObject({ status: 'assigned', level: 'community', returnCount: 1, escalationCount: 0 });
    expect(events.map((e) => [e.type, e.note, e.data])).toEqual([
      ['return', '不属本网格', { toLevel: 'community', signDeadlineAt: toCommunity.signDeadlineAt.toISOString(), deadlineAt: before.deadlineAt?.toISOString() ?? null }],
    ]);
  });

  it('overdue escalation by the system is recorded as the system’s', () => {
    const { events } = succeed({ order: orderIn('assigned'), command: { type: 'escalate', reason: '超时未签收', to: toCommunity }, actor: SYSTEM });
    expect(events[0]).toMatchObject({ actorKind: 'system', actorStaffId: null, actorResidentId: null });
  });

  it('escalation and return need a reason', () => {
    for (const type of ['escalate', 'return'] as const) {
      for (const reason of ['', '  ']) {
        expect(refusal({ order: orderIn('accepted'), command: { type, reason, to: toCommunity }, actor: LEADER })).toBe('INVALID_ARGUMENT');
      }
    }
  });

  it('escalation and return must go to a higher level, not sideways or down', () => {
    const sideways = assignmentTo(SIBLING_LEADER.staffId, UNITS.siblingGrid);
    const atCommunity = { unitId: 3, unitPath: UNITS.community.path, level: 'community' as const, assigneeId: COMMUNITY_OFFICER.staffId };
    for (const type of ['escalate', 'return'] as const) {
      expect(refusal({ order: orderIn('accepted'), command: { type, reason: '换人', to: sideways }, actor: LEADER })).toBe('INVALID_ARGUMENT');
      const order = orderIn('accepted', atCommunity);
      const otherCommunity = assignmentTo(21, UNITS.otherCommunity);
      expect(refusal({ order, command: { type, reason: '换人', to: otherCommunity }, actor: COMMUNITY_OFFICER })).toBe('INVALID_ARGUMENT');
      const down = assignmentTo(LEADER.staffId, UNITS.grid);
      expect(refusal({ order, command: { type, reason: '下派', to: down }, actor: COMMUNITY_OFFICER })).toBe('INVALID_ARGUMENT');
    }
  });

  it('escalation may skip a level nobody staffs', () => {
    const toTown = assignmentTo(TOWN_OFFICER.staffId, UNITS.town);
    const { order } = succeed({ order: orderIn('accepted'), command: { type: 'escalate', reason: '社区无人', to: toTown }, actor: LEADER });
    expect(order).toMatchObject({ level: 'town', unitId: UNITS.town.id, assigneeId: TOWN_OFFICER.staffId, escalationCount: 1 });
  });

  it('an order at the district cannot go higher: TOP_LEVEL, whatever the reason', () => {
    const nowhere = assignmentTo(ADMIN.staffId, UNITS.district);
    for (const type of ['escalate', 'return'] as const) {
      expect(refusal({ order: atDistrict, command: { type, reason: '需市级协调', to: nowhere }, actor: DISTRICT_OFFICER })).toBe('TOP_LEVEL');
      expect(refusal({ order: atDistrict, command: { type, reason: '', to: nowhere }, actor: ADMIN })).toBe('TOP_LEVEL');
    }
  });
});

describe('a fresh assignment (派单, 改派)', () => {
  it('must be signed for again: acceptance reset, new sign-for limit, assigned now', () => {
    const to = assignmentTo(ASSISTANT.staffId, UNITS.grid, { signDeadlineAt: hoursAfter(2) });
    const before = orderIn('accepted');
    const { order } = succeed({ order: before, command: { type: 'reassign', to }, actor: COMMUNITY_OFFICER });
    expect(order).toMatchObject({ status: 'assigned', assigneeId: ASSISTANT.staffId, assignedAt: NOW, acceptedAt: null, signDeadlineAt: hoursAfter(2) });
    expect(order.deadlineAt).toEqual(before.deadlineAt);
  });

  it('takes the new resolution limit when one comes with it', () => {
    const to = assignmentTo(ASSISTANT.staffId, UNITS.grid, { deadlineAt: hoursAfter(200) });
    const { order } = succeed({ order: orderIn('assigned'), command: { type: 'assign', to }, actor: SYSTEM });
    expect(order.deadlineAt).toEqual(hoursAfter(200));
  });

  it('drops an extension request nobody has decided on', () => {
    const before = orderIn('accepted', { pendingExtensionDays: 5, pendingExtensionReason: '等待配件' });
    for (const command of [
      { type: 'reassign' as const, to: assignmentTo(ASSISTANT.staffId, UNITS.grid) },
      { type: 'escalate' as const, reason: '需社区协调', to: toCommunity },
      { type: 'return' as const, reason: '不属本网格', to: toCommunity },
    ]) {
      const { order } = succeed({ order: before, command, actor: LEADER });
      expect(order, command.type).toMatchObject({ pendingExtensionDays: null, pendingExtensionReason: null });
    }
  });

  it('to the person who already holds the order is refused', () => {
    const same = assignmentTo(LEADER.staffId, UNITS.grid);
    expect(refusal({ order: orderIn('accepted'), command: { type: 'reassign', to: same }, actor: COMMUNITY_OFFICER })).toBe('INVALID_ARGUMENT');
    expect(refusal({ order: orderIn('assigned'), command: { type: 'assign', to: same }, actor: SYSTEM })).toBe('INVALID_ARGUMENT');
  });

  it('the first routing of a submitted order goes to whoever routing chose', () => {
    const { order, events } = succeed({ order: orderIn('submitted'), command: { type: 'assign', to: assignmentTo(LEADER.staffId, UNITS.grid) }, actor: SYSTEM });
    expect(order).toMatchObject({ status: 'assigned', assigneeId: LEADER.staffId, assignedAt: NOW });
    expect(events[0]).toMatchObject({ type: 'assign', fromStatus: 'submitted', fromAssigneeId: null, toAssigneeId: LEADER.staffId });
  });

  it('after a return, handing the order to another grid’s leader moves it to that grid', () => {
    const returned = succeed({ order: orderIn('accepted'), command: { type: 'return', reason: '不属本网格', to: toCommunity }, actor: LEADER });
    const { order, events } = succeed({
      order: returned.order,
      command: { type: 'assign', to: assignmentTo(SIBLING_LEADER.staffId, UNITS.siblingGrid) },
      actor: COMMUNITY_OFFICER,
    });
    expect(order).toMatchObject({ gridId: UNITS.siblingGrid.id, unitId: UNITS.siblingGrid.id, unitPath: UNITS.siblingGrid.path, level: 'grid' });
    expect(events[0]).toMatchObject({ fromUnitId: UNITS.community.id, toUnitId: UNITS.siblingGrid.id });
  });
});

describe('extensions (延期)', () => {
  const ask = (days: number, reason = '等待配件') => ({ type: 'request_extension' as const, days, reason });

  it('may be asked for 1 to 30 whole working days', () => {
    for (const days of [1, 30]) {
      const { order } = succeed({ order: orderIn('accepted'), command: ask(days), actor: LEADER });
      expect(order).toMatchObject({ pendingExtensionDays: days, pendingExtensionReason: '等待配件' });
    }
    for (const days of [0, -1, 31, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(refusal({ order: orderIn('accepted'), command: ask(days), actor: LEADER }), String(days)).toBe('INVALID_ARGUMENT');
    }
  });

  it('need a reason', () => {
    expect(refusal({ order: orderIn('accepted'), command: ask(3, ' '), actor: LEADER })).toBe('INVALID_ARGUMENT');
  });

  it('a second request while one is pending is refused with EXTENSION_PENDING', () => {
    const { order } = succeed({ order: orderIn('accepted'), command: ask(3), actor: LEADER });
    expect(refusal({ order, command: ask(2, '再等等'), actor: LEADER })).toBe('EXTENSION_PENDING');
  });

  it('approval moves the deadline, records from and to, and lets the assignee ask again later', () => {
    const requested = succeed({ order: orderIn('accepted'), command: ask(3), actor: LEADER }).order;
    const newDeadlineAt = hoursAfter(144);
    const { order, events } = succeed({ order: requested, command: { type: 'approve_extension', newDeadlineAt }, actor: COMMUNITY_OFFICER });
    expect(order).toMatchObject({ deadlineAt: newDeadlineAt, pendingExtensionDays: null, pendingExtensionReason: null, status: 'accepted' });
    expect(events[0]).toMatchObject({
      type: 'approve_extension',
      data: { days: 3, from: requested.deadlineAt?.toISOString(), to: newDeadlineAt.toISOString() },
    });
    expect(refusal({ order, command: ask(1), actor: LEADER })).toBe('ok');
  });

  it('approval of an order without a deadline records from as null', () => {
    const requested = orderIn('accepted', { deadlineAt: null, pendingExtensionDays: 2, pendingExtensionReason: '等待' });
    const { events } = succeed({ order: requested, command: { type: 'approve_extension', newDeadlineAt: hoursAfter(48) }, actor: TOWN_OFFICER });
    expect(events[0]?.data).toEqual({ days: 2, from: null, to: hoursAfter(48).toISOString() });
  });

  it('denial keeps the deadline and clears the request', () => {
    const requested = orderIn('accepted', { pendingExtensionDays: 2, pendingExtensionReason: '等待' });
    const { order, events } = succeed({ order: requested, command: { type: 'deny_extension', reason: '可就近采购' }, actor: COMMUNITY_OFFICER });
    expect(order).toEqual({ ...requested, pendingExtensionDays: null, pendingExtensionReason: null });
    expect(events[0]).toMatchObject({ type: 'deny_extension', note: '可就近采购', data: { days: 2 } });
  });

  it('approving or denying when nothing is pending is refused with NO_EXTENSION_PENDING', () => {
    const order = orderIn('accepted');
    expect(refusal({ order, command: { type: 'approve_extension', newDeadlineAt: hoursAfter(48) }, actor: COMMUNITY_OFFICER })).toBe('NO_EXTENSION_PENDING');
    expect(refusal({ order, command: { type: 'deny_extension' }, actor: COMMUNITY_OFFICER })).toBe('NO_EXTENSION_PENDING');
  });

  it('resolving the order drops a request nobody decided on', () => {
    const requested = orderIn('accepted', { pendingExtensionDays: 2, pendingExtensionReason: '等待' });
    const { order } = succeed({ order: requested, command: { type: 'resolve', note: '已修好' }, actor: LEADER });
    expect(order).toMatchObject({ pendingExtensionDays: null, pendingExtensionReason: null });
  });
});
