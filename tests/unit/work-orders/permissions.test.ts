import { describe, expect, it } from 'vitest';
import { type Actor, HANDLING_ROLES, isAdmin } from '../../../src/modules/people/people.models';
import {
  type OrderCommandType,
  type OrderState,
  canView,
  isAboveOrder,
  isOnOrder,
  transition,
} from '../../../src/modules/work-orders/work-orders.models';
import {
  ADMIN,
  ASSISTANT,
  COMMUNITY_OFFICER,
  DISTRICT_OFFICER,
  INFORMANT,
  LEADER,
  NEIGHBOUR,
  NOW,
  OTHER_COMMUNITY_OFFICER,
  OTHER_DISTRICT_OFFICER,
  OWNER,
  PREFIX_LEADER,
  SAMPLE_COMMANDS,
  SIBLING_LEADER,
  SYSTEM,
  TOWN_OFFICER,
  UNITS,
  orderIn,
  readyFor,
  role,
  staff,
} from './builders';

/** Who may give what, written from DESIGN.md's table of users, independently of the module's RULES. */
const RESIDENT_OWN: OrderCommandType[] = ['cancel', 'resident_reply', 'complete_survey'];
const RESIDENT_OTHERS: OrderCommandType[] = ['support'];
const SYSTEM_ONLY: OrderCommandType[] = ['survey_timeout'];
/** 审批延期 and 督办 belong to the level above the order: never to the order's own unit. */
const ABOVE_ONLY: OrderCommandType[] = ['approve_extension', 'deny_extension', 'supervise'];
/** Handling commands jobs may also give: routing, and overdue escalation. */
const HANDLING_OR_SYSTEM: OrderCommandType[] = ['assign', 'reassign', 'escalate'];
const HANDLING_ONLY: OrderCommandType[] = [
  'accept',
  'progress',
  'note',
  'resolve',
  'return',
  'request_extension',
  'merge',
  'ask_resident',
  'reply',
  'change_category',
];
const HANDLING = [...HANDLING_OR_SYSTEM, ...HANDLING_ONLY];
const STAFF_COMMANDS = [...HANDLING, ...ABOVE_ONLY];
const RESIDENT_COMMANDS = [...RESIDENT_OWN, ...RESIDENT_OTHERS];

function attempt(actor: Actor, type: OrderCommandType, base?: OrderState) {
  return transition({ order: readyFor(type, base), command: SAMPLE_COMMANDS[type], actor, now: NOW });
}

function outcomes(actor: Actor, types: OrderCommandType[], base?: OrderState): Record<string, string> {
  return Object.fromEntries(types.map((type) => [type, summary(attempt(actor, type, base))]));
}

function summary(result: ReturnType<typeof transition>): string {
  return result.ok ? 'ok' : result.code;
}

function all(types: OrderCommandType[], outcome: string): Record<string, string> {
  return Object.fromEntries(types.map((type) => [type, outcome]));
}

/** An order escalated to community 3 and held by its officer. */
const atCommunity = orderIn('accepted', {
  unitId: UNITS.community.id,
  unitPath: UNITS.community.path,
  level: 'community',
  assigneeId: COMMUNITY_OFFICER.staffId,
  escalationCount: 1,
});

describe('residents', () => {
  it('the resident who reported an order may cancel it, answer its survey and reply to a question on it', () => {
    expect(outcomes(OWNER, RESIDENT_OWN)).toEqual(all(RESIDENT_OWN, 'ok'));
  });

  it('another resident may not cancel, answer the survey of or reply on someone else’s order', () => {
    expect(outcomes(NEIGHBOUR, RESIDENT_OWN)).toEqual(all(RESIDENT_OWN, 'NOT_ALLOWED'));
  });

  it('a resident may +1 a neighbour’s order but not their own', () => {
    expect(summary(attempt(NEIGHBOUR, 'support'))).toBe('ok');
    expect(summary(attempt(OWNER, 'support'))).toBe('NOT_ALLOWED');
  });

  it('a resident may give none of the staff or system commands, even on their own order', () => {
    const types = [...STAFF_COMMANDS, ...SYSTEM_ONLY];
    expect(outcomes(OWNER, types)).toEqual(all(types, 'NOT_ALLOWED'));
    expect(outcomes(NEIGHBOUR, types)).toEqual(all(types, 'NOT_ALLOWED'));
  });

  it('a stranger is told NOT_ALLOWED, not what state the order is in', () => {
    const closed = orderIn('closed');
    expect(transition({ order: closed, command: { type: 'cancel' }, actor: NEIGHBOUR, now: NOW })).toMatchObject({
      ok: false,
      code: 'NOT_ALLOWED',
    });
    expect(transition({ order: closed, command: SAMPLE_COMMANDS.progress, actor: SIBLING_LEADER, now: NOW })).toMatchObject({
      ok: false,
      code: 'NOT_ALLOWED',
    });
  });
});

describe('staff handling the order', () => {
  it('the assignee may give every handling command', () => {
    expect(outcomes(LEADER, HANDLING)).toEqual(all(HANDLING, 'ok'));
  });

  it('the assignee may act even when none of their roles is at the order’s unit', () => {
    const stranger = staff(60, role('leader', UNITS.otherGrid));
    const heldByStranger = orderIn('accepted', { assigneeId: stranger.staffId });
    expect(outcomes(stranger, HANDLING_ONLY, heldByStranger)).toEqual(all(HANDLING_ONLY, 'ok'));
  });

  it('an assistant of the grid, and officers of its community, town and district, may handle it', () => {
    for (const actor of [ASSISTANT, COMMUNITY_OFFICER, TOWN_OFFICER, DISTRICT_OFFICER]) {
      expect(outcomes(actor, HANDLING), `staff ${actor.staffId}`).toEqual(all(HANDLING, 'ok'));
    }
  });

  it('an informant (信息员) of the grid reports and watches but may not handle', () => {
    expect(outcomes(INFORMANT, STAFF_COMMANDS)).toEqual(all(STAFF_COMMANDS, 'NOT_ALLOWED'));
    expect(isOnOrder(INFORMANT, orderIn('accepted'))).toBe(false);
    expect(canView(INFORMANT, { ...orderIn('accepted'), gridPath: UNITS.grid.path })).toBe(true);
  });

  it('staff of a sibling grid, another community or another district may not act on the order', () => {
    for (const actor of [SIBLING_LEADER, OTHER_COMMUNITY_OFFICER, OTHER_DISTRICT_OFFICER]) {
      expect(outcomes(actor, STAFF_COMMANDS), `staff ${actor.staffId}`).toEqual(all(STAFF_COMMANDS, 'NOT_ALLOWED'));
    }
  });

  it('grid 44 is not under grid 4 although its path starts with the same digits', () => {
    expect(outcomes(PREFIX_LEADER, STAFF_COMMANDS)).toEqual(all(STAFF_COMMANDS, 'NOT_ALLOWED'));
    const inGrid44 = orderIn('accepted', { gridId: 44, unitId: 44, unitPath: UNITS.prefixGrid.path, assigneeId: PREFIX_LEADER.staffId });
    expect(isOnOrder(LEADER, inGrid44)).toBe(false);
  });

  it('staff may not give the resident’s commands or time out a survey', () => {
    for (const actor of [LEADER, COMMUNITY_OFFICER, ADMIN]) {
      const types = [...RESIDENT_COMMANDS, ...SYSTEM_ONLY];
      expect(outcomes(actor, types), `staff ${actor.staffId}`).toEqual(all(types, 'NOT_ALLOWED'));
    }
  });

  it('the survey answer is the resident’s, or recorded by staff on the order or above after a 回访 by phone', () => {
    for (const actor of [OWNER, LEADER, COMMUNITY_OFFICER, ADMIN]) expect(summary(attempt(actor, 'answer_survey')), `actor ${JSON.stringify(actor)}`).toBe('ok');
    for (const actor of [NEIGHBOUR, SIBLING_LEADER, OTHER_COMMUNITY_OFFICER, SYSTEM]) expect(summary(attempt(actor, 'answer_survey'))).toBe('NOT_ALLOWED');
  });

  it('once the order went up to the community, the grid’s own staff no longer handle it but the levels above do', () => {
    const handling = HANDLING_ONLY.filter((t) => t !== 'return');
    expect(outcomes(LEADER, handling, atCommunity)).toEqual(all(handling, 'NOT_ALLOWED'));
    expect(outcomes(ASSISTANT, handling, atCommunity)).toEqual(all(handling, 'NOT_ALLOWED'));
    expect(outcomes(COMMUNITY_OFFICER, handling, atCommunity)).toEqual(all(handling, 'ok'));
    expect(outcomes(TOWN_OFFICER, handling, atCommunity)).toEqual(all(handling, 'ok'));
  });
});

describe('approving extensions and supervising (审批, 督办)', () => {
  it('an officer of the community above the grid may approve, deny and supervise', () => {
    expect(outcomes(COMMUNITY_OFFICER, ABOVE_ONLY)).toEqual(all(ABOVE_ONLY, 'ok'));
    expect(outcomes(TOWN_OFFICER, ABOVE_ONLY)).toEqual(all(ABOVE_ONLY, 'ok'));
    expect(outcomes(DISTRICT_OFFICER, ABOVE_ONLY)).toEqual(all(ABOVE_ONLY, 'ok'));
  });

  it('nobody at the order’s own grid may approve, deny or supervise, the assignee least of all', () => {
    for (const actor of [LEADER, ASSISTANT, INFORMANT]) {
      expect(outcomes(actor, ABOVE_ONLY), `staff ${actor.staffId}`).toEqual(all(ABOVE_ONLY, 'NOT_ALLOWED'));
    }
  });

  it('the grid leader cannot approve the extension their own assistant asked for', () => {
    const heldByAssistant = orderIn('accepted', { assigneeId: ASSISTANT.staffId });
    const requested = transition({ order: heldByAssistant, command: SAMPLE_COMMANDS.request_extension, actor: ASSISTANT, now: NOW });
    if (!requested.ok) throw new Error(requested.code);
    const approve = SAMPLE_COMMANDS.approve_extension;
    expect(transition({ order: requested.order, command: approve, actor: LEADER, now: NOW })).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(transition({ order: requested.order, command: approve, actor: ASSISTANT, now: NOW })).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
    expect(transition({ order: requested.order, command: approve, actor: COMMUNITY_OFFICER, now: NOW })).toMatchObject({ ok: true });
  });

  it('for an order at the community, the community’s officer may not approve their own extension but the town may', () => {
    expect(outcomes(COMMUNITY_OFFICER, ABOVE_ONLY, atCommunity)).toEqual(all(ABOVE_ONLY, 'NOT_ALLOWED'));
    expect(outcomes(TOWN_OFFICER, ABOVE_ONLY, atCommunity)).toEqual(all(ABOVE_ONLY, 'ok'));
    expect(outcomes(DISTRICT_OFFICER, ABOVE_ONLY, atCommunity)).toEqual(all(ABOVE_ONLY, 'ok'));
  });

  it('an officer of another community or district may not approve or supervise', () => {
    for (const actor of [OTHER_COMMUNITY_OFFICER, OTHER_DISTRICT_OFFICER, SIBLING_LEADER]) {
      expect(outcomes(actor, ABOVE_ONLY), `staff ${actor.staffId}`).toEqual(all(ABOVE_ONLY, 'NOT_ALLOWED'));
    }
  });
});

describe('admins and the system', () => {
  it('an admin (热线中心) may give every staff command, approvals included', () => {
    expect(outcomes(ADMIN, STAFF_COMMANDS)).toEqual(all(STAFF_COMMANDS, 'ok'));
    expect(outcomes(ADMIN, ABOVE_ONLY, atCommunity)).toEqual(all(ABOVE_ONLY, 'ok'));
  });

  it('the system may assign, reassign, escalate and time out a survey', () => {
    const types = [...HANDLING_OR_SYSTEM, ...SYSTEM_ONLY];
    expect(outcomes(SYSTEM, types)).toEqual(all(types, 'ok'));
  });

  it('the system may neither speak for the resident nor handle, approve or supervise the order itself', () => {
    const types = [...RESIDENT_COMMANDS, ...HANDLING_ONLY, ...ABOVE_ONLY];
    expect(outcomes(SYSTEM, types)).toEqual(all(types, 'NOT_ALLOWED'));
  });
});

describe('the permission predicates', () => {
  const order = orderIn('accepted');

  it('isOnOrder holds for the assignee, handling roles at the unit or above, and admins, and for nobody else', () => {
    expect(isOnOrder(LEADER, order)).toBe(true);
    expect(isOnOrder(ASSISTANT, order)).toBe(true);
    expect(isOnOrder(COMMUNITY_OFFICER, order)).toBe(true);
    expect(isOnOrder(TOWN_OFFICER, order)).toBe(true);
    expect(isOnOrder(DISTRICT_OFFICER, order)).toBe(true);
    expect(isOnOrder(ADMIN, order)).toBe(true);
    expect(isOnOrder(INFORMANT, order)).toBe(false);
    expect(isOnOrder(SIBLING_LEADER, order)).toBe(false);
    expect(isOnOrder(OTHER_COMMUNITY_OFFICER, order)).toBe(false);
    expect(isOnOrder(OWNER, order)).toBe(false);
    expect(isOnOrder(SYSTEM, order)).toBe(false);
  });

  it('an informant who is also an assistant elsewhere is on an order only where the handling role is', () => {
    const both = staff(61, role('informant', UNITS.grid), role('assistant', UNITS.siblingGrid));
    expect(isOnOrder(both, order)).toBe(false);
    expect(isOnOrder(both, orderIn('accepted', { unitId: 5, gridId: 5, unitPath: UNITS.siblingGrid.path }))).toBe(true);
  });

  it('isAboveOrder holds for officers strictly above the unit and admins, never for the unit itself', () => {
    expect(isAboveOrder(COMMUNITY_OFFICER, order)).toBe(true);
    expect(isAboveOrder(TOWN_OFFICER, order)).toBe(true);
    expect(isAboveOrder(ADMIN, order)).toBe(true);
    expect(isAboveOrder(LEADER, order)).toBe(false);
    expect(isAboveOrder(ASSISTANT, order)).toBe(false);
    expect(isAboveOrder(COMMUNITY_OFFICER, atCommunity)).toBe(false);
    expect(isAboveOrder(OTHER_COMMUNITY_OFFICER, order)).toBe(false);
    expect(isAboveOrder(OWNER, order)).toBe(false);
    expect(isAboveOrder(SYSTEM, order)).toBe(false);
  });

  it('a leader role above the order does not make one a supervisor; only officers and admins supervise', () => {
    const oddLeader = staff(62, role('leader', UNITS.community), role('assistant', UNITS.town));
    expect(isAboveOrder(oddLeader, order)).toBe(false);
  });

  it('canView lets the owner, the system, admins, the assignee and any staff of the grid or above see the order', () => {
    const view = (actor: Actor, o = order) => canView(actor, { ...o, gridPath: UNITS.grid.path });
    expect(view(OWNER)).toBe(true);
    expect(view(NEIGHBOUR)).toBe(false);
    expect(view(SYSTEM)).toBe(true);
    expect(view(ADMIN)).toBe(true);
    expect(view(LEADER)).toBe(true);
    expect(view(INFORMANT)).toBe(true);
    expect(view(COMMUNITY_OFFICER)).toBe(true);
    expect(view(TOWN_OFFICER)).toBe(true);
    expect(view(SIBLING_LEADER)).toBe(false);
    expect(view(PREFIX_LEADER)).toBe(false);
    expect(view(OTHER_COMMUNITY_OFFICER)).toBe(false);
    expect(view(OTHER_DISTRICT_OFFICER)).toBe(false);
    const elsewhere = staff(63, role('officer', UNITS.otherCommunity));
    expect(view(elsewhere, { ...order, assigneeId: elsewhere.staffId })).toBe(true);
  });

  it('the grid’s staff still see an order after it went up to the community', () => {
    expect(canView(LEADER, { ...atCommunity, gridPath: UNITS.grid.path })).toBe(true);
    expect(canView(SIBLING_LEADER, { ...atCommunity, gridPath: UNITS.grid.path })).toBe(false);
  });
});

describe('actors', () => {
  it('an admin is staff with an admin role anywhere; residents and the system never are', () => {
    expect(isAdmin(ADMIN)).toBe(true);
    expect(isAdmin(staff(64, role('leader', UNITS.grid), role('admin', UNITS.otherDistrict)))).toBe(true);
    expect(isAdmin(DISTRICT_OFFICER)).toBe(false);
    expect(isAdmin(staff(65))).toBe(false);
    expect(isAdmin(OWNER)).toBe(false);
    expect(isAdmin(SYSTEM)).toBe(false);
  });

  it('every staff role handles orders except the informant', () => {
    expect([...HANDLING_ROLES].sort()).toEqual(['admin', 'assistant', 'leader', 'officer']);
  });

  it('staff with no roles at all handle nothing they are not assigned', () => {
    expect(outcomes(staff(66), STAFF_COMMANDS)).toEqual(all(STAFF_COMMANDS, 'NOT_ALLOWED'));
  });
});
