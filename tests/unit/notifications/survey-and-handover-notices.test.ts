import { describe, expect, it } from 'vitest';
import { notificationsFor, reopenReason } from '../../../src/modules/notifications/notifications.models';
import type { SurveyAnswer } from '../../../src/modules/work-orders/work-orders.models';
import { COMMUNITY_OFFICER, LEADER, OWNER, TOWN_OFFICER, UNITS, assignmentTo, hoursAfter, orderIn, succeed } from '../work-orders/builders';

const ctx = {
  text: '3号楼路灯坏了',
  categoryName: '路灯',
  chatGroupId: 1,
  place: '一社区 1号网格',
  people: new Map([[COMMUNITY_OFFICER.staffId, { name: '王主任', roleLabel: '干部' }]]),
  unitNames: new Map(),
  approverIds: [],
};

/** The 重办 notice to the officer the order is reopened to, after the resident's 回访. */
function reopenNotice({ answer, solved, comment }: { answer: SurveyAnswer | null; solved?: boolean; comment?: string }): string {
  const before = orderIn('resolved', { assigneeId: LEADER.staffId });
  const reopenTo = assignmentTo(COMMUNITY_OFFICER.staffId, UNITS.community, { signDeadlineAt: hoursAfter(3), deadlineAt: hoursAfter(120) });
  const { order, events } = succeed({ order: before, command: { type: 'answer_survey', answer, solved, comment, reopenTo }, actor: OWNER });
  const notices = notificationsFor({ before, after: order, events, ctx }).filter((n) => n.staffId === COMMUNITY_OFFICER.staffId);
  expect(notices.map((n) => n.kind)).toEqual(['assignment']);
  return notices[0]!.text.split('\n')[0]!;
}

describe('the 重办 notice says what the resident said in the 回访', () => {
  it('未解决 alone, or with a satisfaction that is not 不满意: the problem is not solved', () => {
    expect(reopenNotice({ answer: null, solved: false })).toBe('【重办】#1001 路灯 居民反映问题未解决');
    expect(reopenNotice({ answer: 'basically_satisfied', solved: false, comment: '灯还是一闪一闪' })).toBe('【重办】#1001 路灯 居民反映问题未解决：灯还是一闪一闪');
    expect(reopenNotice({ answer: 'satisfied', solved: false })).toBe('【重办】#1001 路灯 居民反映问题未解决');
  });

  it('不满意 without saying whether it was solved: not satisfied', () => {
    expect(reopenNotice({ answer: 'unsatisfied', comment: '态度不好' })).toBe('【重办】#1001 路灯 居民不满意：态度不好');
  });

  it('未解决 and 不满意 (the menu’s "3"): both', () => {
    expect(reopenNotice({ answer: 'unsatisfied', solved: false, comment: '灯还是不亮' })).toBe('【重办】#1001 路灯 居民反映问题未解决，且不满意：灯还是不亮');
  });

  it('reads the reason from the survey event’s data', () => {
    expect(reopenReason({ answer: 'unsatisfied', solved: false })).toEqual({ unsolved: true, unsatisfied: true });
    expect(reopenReason({ solved: false })).toEqual({ unsolved: true, unsatisfied: false });
    expect(reopenReason({ answer: 'unsatisfied' })).toEqual({ unsolved: false, unsatisfied: true });
    expect(reopenReason(undefined)).toEqual({ unsolved: false, unsatisfied: true });
  });
});

describe('the resident is thanked for what they did', () => {
  const closedBy = (byPhone: boolean) => {
    const before = orderIn('resolved', { assigneeId: LEADER.staffId });
    const { order, events } = succeed({ order: before, command: { type: 'answer_survey', answer: 'satisfied', solved: true, byPhone }, actor: OWNER });
    expect(order.status).toBe('closed');
    return notificationsFor({ before, after: order, events, ctx })
      .filter((n) => n.recipientType === 'resident')
      .map((n) => n.text);
  };

  it('for their own answer in the chat: 感谢您的评价', () => {
    expect(closedBy(false)).toEqual(['感谢您的评价！工单 #1001 已归档。']);
  });

  it('for a 回访 staff made by phone and recorded (console or 回访 in chat): for taking the call, not for a rating they never typed', () => {
    expect(closedBy(true)).toEqual(['感谢您接受回访！工单 #1001 的回访结果已记录，工单已归档。']);
  });
});

describe('the previous assignee of a 改派 is told it left his hands', () => {
  const handover = (holder: typeof COMMUNITY_OFFICER, actor: typeof COMMUNITY_OFFICER) => {
    const before = orderIn('assigned', { assigneeId: holder.staffId, unitId: UNITS.community.id, unitPath: UNITS.community.path, level: 'community' });
    const { order, events } = succeed({ order: before, command: { type: 'reassign', to: assignmentTo(LEADER.staffId, UNITS.grid) }, actor });
    return notificationsFor({ before, after: order, events, ctx }).filter((n) => n.staffId === holder.staffId).map((n) => n.kind);
  };

  it('when someone else moved it', () => {
    expect(handover(COMMUNITY_OFFICER, TOWN_OFFICER)).toEqual(['handover']);
  });

  it('not when he moved it himself (his 派单 or 改派 is confirmed to him already)', () => {
    expect(handover(COMMUNITY_OFFICER, COMMUNITY_OFFICER)).toEqual([]);
  });
});
