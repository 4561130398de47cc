import { describe, expect, it } from 'vitest';
import { notificationsFor } from '../../../src/modules/notifications/notifications.models';
import { transition } from '../../../src/modules/work-orders/work-orders.models';
import { LEADER, NOW, SAMPLE_COMMANDS, orderIn } from '../work-orders/builders';

const ctx = {
  text: '3号楼路灯坏了',
  categoryName: '路灯',
  chatGroupId: 1,
  place: '一社区 1号网格',
  people: new Map(),
  unitNames: new Map(),
  approverIds: [],
};

describe('an internal note (内部备注)', () => {
  it('sends nothing to anyone, where 进展 tells the resident', () => {
    const before = orderIn('accepted');
    const note = transition({ order: before, command: SAMPLE_COMMANDS.note, actor: LEADER, now: NOW });
    if (!note.ok) throw new Error(note.code);
    expect(note.events.map((e) => e.type)).toEqual(['note']);
    expect(notificationsFor({ before, after: note.order, events: note.events, ctx })).toEqual([]);

    const progress = transition({ order: before, command: SAMPLE_COMMANDS.progress, actor: LEADER, now: NOW });
    if (!progress.ok) throw new Error(progress.code);
    expect(notificationsFor({ before, after: progress.order, events: progress.events, ctx }).map((n) => n.recipientType)).toEqual(['resident']);
  });
});
