import { describe, expect, it } from 'vitest';
import { noiseTexts } from '../../../src/i18n/zh-CN.noise';
import type { ChatRoomRef, Route } from '../../../src/modules/notifications/delivery.models';
import { followerNotices } from '../../../src/modules/notifications/followers.models';
import { applyGroupBudget, mentionsFor, noticeClass } from '../../../src/modules/notifications/noise.models';
import { notificationsFor } from '../../../src/modules/notifications/notifications.models';
import { type OrderCommandType, transition } from '../../../src/modules/work-orders/work-orders.models';
import { LEADER, NOW, OWNER, SAMPLE_COMMANDS, readyFor, staff, role, UNITS } from '../work-orders/builders';

const group: ChatRoomRef = { groupId: 3, roomId: 'g3@chatroom', topic: '柳岸社区第一网格居民群' };
const chen = { name: '陈阿姨', chatKey: 'GL-R1', chatContactId: 'wx-1' };
const inRoom: Exclude<Route, { via: 'none' }> = { via: 'room', room: group, mention: chen };
const direct: Exclude<Route, { via: 'none' }> = { via: 'direct', contact: chen };
const fresh = { privateOrder: false, intermediateSpent: false };

const ctx = {
  text: '3号楼路灯坏了',
  categoryName: '路灯照明',
  chatGroupId: 3,
  place: '一社区 1号网格',
  people: new Map(),
  unitNames: new Map(),
  approverIds: [],
};

const OFFICER = staff(20, role('officer', UNITS.community));

/** What the resident's group hears of one command on an order of a resident who is not the bot's friend. */
function groupHears(type: OrderCommandType, facts = fresh): string[] {
  const before = readyFor(type);
  const actor = type === 'answer_survey' || type === 'resident_reply' || type === 'cancel' ? OWNER : type === 'approve_extension' || type === 'invalidate' ? OFFICER : LEADER;
  const result = transition({ order: before, command: SAMPLE_COMMANDS[type], actor, now: NOW });
  if (!result.ok) throw new Error(`${type}: ${result.code}`);
  const drafts = notificationsFor({ before, after: result.order, events: result.events, ctx }).filter((d) => d.recipientType === 'resident');
  return drafts.map((d) => {
    const decision = applyGroupBudget({ route: inRoom, recipientType: 'resident', orderId: d.orderId, kind: d.kind, dedupeKey: d.dedupeKey ?? null, facts });
    return decision.action === 'withhold' ? `withhold:${decision.reason}` : decision.compact ? 'compact' : 'send';
  });
}

describe('the group noise budget', () => {
  it('keeps steps that only keep the receipt\'s promise (签收, 进展) out of a non-friend\'s group', () => {
    expect(groupHears('accept')).toEqual(['withhold:group_confirmation']);
    expect(groupHears('progress')).toEqual(['withhold:group_confirmation']);
  });

  it('spends the order\'s one compact line on the first change of promise, and withholds the later ones', () => {
    for (const type of ['reassign', 'escalate', 'return', 'approve_extension'] as const) {
      expect(groupHears(type)).toEqual(['compact']);
      expect(groupHears(type, { privateOrder: false, intermediateSpent: true })).toEqual(['withhold:group_budget_spent']);
    }
  });

  it('always lets the result, a cancellation, a question and a reply through', () => {
    expect(groupHears('resolve')).toEqual(['send']);
    expect(groupHears('cancel')).toEqual(['send']);
    expect(groupHears('merge')).toEqual(['send']);
    expect(groupHears('invalidate')).toEqual(['send']);
    expect(groupHears('ask_resident')).toEqual(['send']);
    expect(groupHears('reply')).toEqual(['send']);
    // Even after the compact line was spent: the result is what the group needs.
    expect(groupHears('resolve', { privateOrder: false, intermediateSpent: true })).toEqual(['send']);
  });

  it('sends nothing of a private order (举报) to a group, not even its result', () => {
    for (const type of ['accept', 'resolve', 'escalate', 'ask_resident'] as const) {
      expect(groupHears(type, { privateOrder: true, intermediateSpent: false }).every((d) => d === 'withhold:private_order')).toBe(true);
    }
    expect(applyGroupBudget({ route: inRoom, recipientType: 'resident', orderId: 1, kind: 'receipt', dedupeKey: null, facts: { privateOrder: true, intermediateSpent: false } })).toEqual({
      action: 'withhold',
      reason: 'private_order',
    });
  });

  it('never limits 1:1 notices, staff, group messages or messages without an order', () => {
    for (const kind of ['status', 'change', 'reminder']) {
      expect(applyGroupBudget({ route: direct, recipientType: 'resident', orderId: 1, kind, dedupeKey: null, facts: { privateOrder: true, intermediateSpent: true } })).toEqual({
        action: 'send',
        route: direct,
        compact: false,
      });
    }
    expect(applyGroupBudget({ route: inRoom, recipientType: 'group', orderId: 1, kind: 'status', dedupeKey: null, facts: fresh }).action).toBe('send');
    expect(applyGroupBudget({ route: inRoom, recipientType: 'resident', orderId: null, kind: 'status', dedupeKey: null, facts: fresh }).action).toBe('send');
  });

  it('tells the survey from its reminder, which is not repeated in a group', () => {
    expect(noticeClass({ kind: 'survey', dedupeKey: null })).toBe('result');
    expect(noticeClass({ kind: 'survey', dedupeKey: 'survey-remind:7:2026-11-23T02:00:00.000Z' })).toBe('reminder');
    expect(applyGroupBudget({ route: inRoom, recipientType: 'resident', orderId: 7, kind: 'survey', dedupeKey: 'survey-remind:7:x', facts: fresh })).toEqual({
      action: 'withhold',
      reason: 'group_reminder',
    });
  });

  it('writes the compact line as the step itself and where to see the rest', () => {
    expect(noiseTexts.compactGroupLine('工单 #1007 已改由网格长刘洋办理。', 1007)).toBe(
      '工单 #1007 已改由网格长刘洋办理。后续进展不再在群里逐条通知，可@我发「查询 1007」查看。',
    );
  });

  it('mentions everybody sharing a line once, the primary recipient first', () => {
    const wang = { name: '老王', chatKey: 'GL-R2', chatContactId: 'wx-2' };
    expect(mentionsFor(chen, [wang, { ...chen }]).map((p) => p.name)).toEqual(['陈阿姨', '老王']);
    expect(mentionsFor(null, [wang]).map((p) => p.name)).toEqual(['老王']);
  });
});

describe('followers (+1)', () => {
  const followers = [
    { residentId: 101, chatGroupId: 3 },
    { residentId: 102, chatGroupId: null },
  ];

  function forFollowers(type: OrderCommandType) {
    const before = readyFor(type);
    const actor = type === 'cancel' ? OWNER : type === 'approve_extension' ? OFFICER : LEADER;
    const result = transition({ order: before, command: SAMPLE_COMMANDS[type], actor, now: NOW });
    if (!result.ok) throw new Error(result.code);
    const drafts = notificationsFor({ before, after: result.order, events: result.events, ctx });
    return followerNotices({ drafts, after: result.order, events: result.events, followers: [...followers, { residentId: before.residentId, chatGroupId: 3 }] });
  }

  it('hear every step the reporter hears, marked as the order they follow', () => {
    const accepted = forFollowers('accept');
    expect(accepted.map((d) => [d.residentId, d.kind, d.chatGroupId])).toEqual([
      [101, 'status', 3],
      [102, 'status', 3],
    ]);
    expect(accepted[0]!.text).toMatch(/^【您关注的工单】工单 #\d+ 已由.*签收，正在办理。$/u);
    expect(forFollowers('progress')[0]!.text).toMatch(/^【您关注的工单】工单 #\d+ 进展：已联系物业$/u);
    expect(forFollowers('escalate').map((d) => d.kind)).toEqual(['change', 'change']);
    expect(forFollowers('approve_extension').map((d) => d.kind)).toEqual(['change', 'change']);
  });

  it('hear the resolution as a result, without the survey, which stays with the reporter', () => {
    const resolved = forFollowers('resolve');
    expect(resolved.map((d) => [d.residentId, d.kind])).toEqual([
      [101, 'result'],
      [102, 'result'],
    ]);
    expect(resolved[0]!.text).toMatch(/^【您关注的工单】工单 #\d+ 已办结：已更换灯泡$/u);
    expect(resolved[0]!.text).not.toContain('评价');
  });

  it('are not sent what is personal to the reporter: a question, a reply, a cancellation', () => {
    expect(forFollowers('ask_resident')).toEqual([]);
    expect(forFollowers('reply')).toEqual([]);
    expect(forFollowers('cancel')).toEqual([]);
  });
});
