import { describe, expect, it } from 'vitest';
import { type RecipientFacts, chooseRoute } from '../../../src/modules/notifications/delivery.models';
import { notificationsFor } from '../../../src/modules/notifications/notifications.models';
import { transition } from '../../../src/modules/work-orders/work-orders.models';
import { ADMIN, COMMUNITY_OFFICER, LEADER, NOW, SAMPLE_COMMANDS, orderIn } from '../work-orders/builders';

const PHONE = '13700000001';
const ctx = {
  text: '3号楼路灯坏了',
  categoryName: '路灯',
  chatGroupId: 1,
  place: '一社区 1号网格',
  people: new Map(),
  unitNames: new Map(),
  approverIds: [],
  reporter: { name: '陈阿姨', phone: PHONE },
};

/** Every notice the assignments of an order write, with the reporter known. */
function assignmentNotices() {
  const drafts = [];
  for (const [command, before, actor] of [
    [SAMPLE_COMMANDS.assign, orderIn('submitted'), ADMIN],
    [SAMPLE_COMMANDS.reassign, orderIn('assigned'), COMMUNITY_OFFICER],
    [SAMPLE_COMMANDS.escalate, orderIn('accepted'), LEADER],
  ] as const) {
    const result = transition({ order: before, command, actor, now: NOW });
    if (!result.ok) throw new Error(result.code);
    drafts.push(...notificationsFor({ before, after: result.order, events: result.events, ctx }));
  }
  return drafts;
}

describe('the reporter\'s phone in staff notices', () => {
  it('is in the assignment notices, which go to staff only', () => {
    const withPhone = assignmentNotices().filter((d) => d.text.includes(PHONE));
    expect(withPhone.map((d) => d.kind)).toEqual(['assignment', 'assignment', 'assignment']);
    for (const d of withPhone) {
      expect(d.recipientType).toBe('staff');
      expect(d.text).toContain(`报事人：陈阿姨 ${PHONE}`);
    }
    // What the resident is told never carries it.
    for (const d of assignmentNotices().filter((n) => n.recipientType !== 'staff')) expect(d.text).not.toContain(PHONE);
  });

  it('is never routed to a group, whatever is known of the member of staff', () => {
    const person = { name: '张伟', chatKey: 'GL-S9', chatContactId: 'wxid_9' };
    const facts: RecipientFacts[] = [
      { recipientType: 'staff', staff: { ...person, active: true } },
      { recipientType: 'staff', staff: { ...person, active: false } },
      { recipientType: 'staff', staff: { ...person, chatKey: null, chatContactId: null, active: true } },
      { recipientType: 'staff', staff: null },
    ];
    for (const f of facts) expect(chooseRoute(f).via).not.toBe('room');
  });
});
