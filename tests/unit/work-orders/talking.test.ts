import { describe, expect, it } from 'vitest';
import {
  COMMUNITY_OFFICER,
  LEADER,
  NEIGHBOUR,
  NOW,
  OWNER,
  hoursAfter,
  hoursBefore,
  inPlaceEvent,
  orderIn,
  refusal,
  succeed,
} from './builders';

const HOUR = 3_600_000;

describe('waiting on the resident (the clock pauses)', () => {
  it('asking the resident pauses the order now', () => {
    const before = orderIn('accepted');
    const { order, events } = succeed({ order: before, command: { type: 'ask_resident', question: '请问是几号楼？' }, actor: LEADER });
    expect(order).toEqual({ ...before, pausedAt: NOW });
    expect(events).toEqual([inPlaceEvent(LEADER, before, 'ask_resident', { note: '请问是几号楼？' })]);
  });

  it('asking again while waiting is refused with ALREADY_PAUSED', () => {
    const { order } = succeed({ order: orderIn('accepted'), command: { type: 'ask_resident', question: '几号楼？' }, actor: LEADER });
    expect(refusal({ order, command: { type: 'ask_resident', question: '几单元？' }, actor: LEADER, now: hoursAfter(1) })).toBe('ALREADY_PAUSED');
  });

  it('a question must say something', () => {
    expect(refusal({ order: orderIn('accepted'), command: { type: 'ask_resident', question: ' ' }, actor: LEADER })).toBe('INVALID_ARGUMENT');
  });

  it('the resident’s answer resumes the clock and moves the deadline by exactly the time paused', () => {
    const asked = succeed({ order: orderIn('accepted'), command: { type: 'ask_resident', question: '几号楼？' }, actor: LEADER, now: NOW }).order;
    const answeredAt = hoursAfter(7);
    const { order, events } = succeed({ order: asked, command: { type: 'resident_reply', text: '3号楼' }, actor: OWNER, now: answeredAt });
    expect(order.pausedAt).toBeNull();
    expect(order.deadlineAt).toEqual(hoursAfter(7, asked.deadlineAt!));
    expect(order.signDeadlineAt).toEqual(asked.signDeadlineAt);
    expect(events).toEqual([
      expect.objectContaining({ type: 'resident_reply', note: '3号楼', data: { pausedMs: 7 * HOUR }, at: answeredAt, actorResidentId: OWNER.residentId }),
    ]);
  });

  it('while still unsigned, the sign-for limit moves by the pause too', () => {
    const asked = orderIn('assigned', { pausedAt: hoursBefore(3), signDeadlineAt: hoursAfter(1), deadlineAt: hoursAfter(50) });
    const { order } = succeed({ order: asked, command: { type: 'resident_reply', text: '3号楼' }, actor: OWNER });
    expect(order).toMatchObject({ status: 'assigned', pausedAt: null, signDeadlineAt: hoursAfter(4), deadlineAt: hoursAfter(53) });
  });

  it('an assignment made while waiting keeps its own 签收 limit: only the wait since it moves that limit', () => {
    // Asked 5 hours ago; reassigned 1 hour ago with a fresh 2-hour limit; the resident answers now.
    const asked = orderIn('assigned', { pausedAt: hoursBefore(5), assignedAt: hoursBefore(1), signDeadlineAt: hoursAfter(1), deadlineAt: hoursAfter(50) });
    const { order } = succeed({ order: asked, command: { type: 'resident_reply', text: '3号楼' }, actor: OWNER });
    expect(order).toMatchObject({ signDeadlineAt: hoursAfter(2), deadlineAt: hoursAfter(55) });
  });

  it('a limit that had already run out when the pause began is not revived by it', () => {
    const asked = orderIn('assigned', { pausedAt: hoursBefore(3), signDeadlineAt: hoursBefore(4), deadlineAt: hoursAfter(50) });
    const { order } = succeed({ order: asked, command: { type: 'resident_reply', text: '3号楼' }, actor: OWNER });
    expect(order).toMatchObject({ signDeadlineAt: hoursBefore(4), deadlineAt: hoursAfter(53) });
  });

  it('an order without a deadline stays without one', () => {
    const asked = orderIn('accepted', { pausedAt: hoursBefore(3), deadlineAt: null });
    expect(succeed({ order: asked, command: { type: 'resident_reply', text: '好的' }, actor: OWNER }).order.deadlineAt).toBeNull();
  });

  it('an answer at the very moment of the question shifts nothing', () => {
    const asked = orderIn('accepted', { pausedAt: NOW });
    const { order, events } = succeed({ order: asked, command: { type: 'resident_reply', text: '好的' }, actor: OWNER });
    expect(order).toEqual({ ...asked, pausedAt: null });
    expect(events[0]?.data).toEqual({ pausedMs: 0 });
  });

  it('a message from the resident when nobody asked is recorded as information and changes nothing', () => {
    const before = orderIn('accepted');
    const { order, events } = succeed({ order: before, command: { type: 'resident_reply', text: '补充：晚上更严重' }, actor: OWNER });
    expect(order).toEqual(before);
    expect(events).toEqual([inPlaceEvent(OWNER, before, 'resident_info', { note: '补充：晚上更严重' })]);
  });

  it('an empty message from the resident is refused', () => {
    expect(refusal({ order: orderIn('accepted', { pausedAt: hoursBefore(1) }), command: { type: 'resident_reply', text: '  ' }, actor: OWNER })).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('resolution ends a pause', () => {
    const asked = orderIn('accepted', { pausedAt: hoursBefore(1) });
    expect(succeed({ order: asked, command: { type: 'resolve', note: '电话沟通后已修复' }, actor: LEADER }).order.pausedAt).toBeNull();
  });
});

describe('others speaking on the order', () => {
  it('each neighbour’s +1 adds one supporter', () => {
    const once = succeed({ order: orderIn('assigned'), command: { type: 'support' }, actor: NEIGHBOUR }).order;
    const twice = succeed({ order: once, command: { type: 'support' }, actor: { kind: 'resident', residentId: 102 } });
    expect(twice.order.supporters).toBe(2);
    expect(twice.events[0]).toMatchObject({ type: 'support', actorResidentId: 102, note: null });
  });

  it('督办 and replies to the resident are recorded without changing the order, and must say something', () => {
    const before = orderIn('accepted');
    const supervised = succeed({ order: before, command: { type: 'supervise', note: '请今日内办结' }, actor: COMMUNITY_OFFICER });
    expect(supervised.order).toEqual(before);
    expect(supervised.events).toEqual([inPlaceEvent(COMMUNITY_OFFICER, before, 'supervise', { note: '请今日内办结' })]);
    const replied = succeed({ order: orderIn('closed'), command: { type: 'reply', note: '已转物业回访' }, actor: LEADER });
    expect(replied.order).toEqual(orderIn('closed'));
    expect(refusal({ order: before, command: { type: 'supervise', note: '' }, actor: COMMUNITY_OFFICER })).toBe('INVALID_ARGUMENT');
    expect(refusal({ order: before, command: { type: 'reply', note: ' ' }, actor: LEADER })).toBe('INVALID_ARGUMENT');
  });
});

describe('changing the category or urgency', () => {
  it('takes the new category, urgency and deadline and records what changed', () => {
    const { order, events } = succeed({
      order: orderIn('assigned'),
      command: { type: 'change_category', categoryId: 7, urgency: 'urgent', deadlineAt: hoursAfter(4), note: '涉及安全' },
      actor: LEADER,
    });
    expect(order).toMatchObject({ categoryId: 7, urgency: 'urgent', deadlineAt: hoursAfter(4), status: 'assigned' });
    expect(events[0]).toMatchObject({
      type: 'change_category',
      note: '涉及安全',
      data: { fromCategoryId: 7, toCategoryId: 7, fromUrgency: 'normal', toUrgency: 'urgent' },
    });
  });

  it('may clear the deadline of an order not yet routed', () => {
    const { order } = succeed({
      order: orderIn('submitted', { deadlineAt: hoursAfter(10) }),
      command: { type: 'change_category', categoryId: 9, urgency: 'normal', deadlineAt: null },
      actor: LEADER,
    });
    expect(order.deadlineAt).toBeNull();
  });

  it('with nothing changed is refused with INVALID_ARGUMENT', () => {
    expect(
      refusal({ order: orderIn('accepted'), command: { type: 'change_category', categoryId: 7, urgency: 'normal', deadlineAt: hoursAfter(9) }, actor: LEADER }),
    ).toBe('INVALID_ARGUMENT');
  });
});
