import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../../../src/modules/calendar/calendar.models';
import type { StaffAtUnit } from '../../../src/modules/grids/grids.models';
import { planNewOrder } from '../../../src/modules/work-orders/rules/new-order.models';
import { resolveDeadline, signDeadline } from '../../../src/modules/work-orders/rules/order-limits.models';
import { NOW, OWNER, UNITS } from './builders';

const calendar = buildWorkCalendar({ days: [], coveredYears: [2025] });
const chain = [UNITS.grid, UNITS.community, UNITS.town, UNITS.district];
const category = { limitWorkingDays: 5, urgentLimitHours: 24 };
const plan = (staff: StaffAtUnit[], urgency: 'normal' | 'urgent' = 'normal') =>
  planNewOrder({ residentId: OWNER.residentId, chain, staff, categoryId: 7, category, urgency, text: '3号楼路灯坏了', now: NOW, calendar });

describe('planning a new order (受理, 分流交办)', () => {
  it('assigns it to the grid leader with both limits, after a submit and an assign event', () => {
    const planned = plan([
      { staffId: 11, unitId: UNITS.grid.id, role: 'assistant', active: true },
      { staffId: 10, unitId: UNITS.grid.id, role: 'leader', active: true },
      { staffId: 20, unitId: UNITS.community.id, role: 'officer', active: true },
    ]);
    expect(planned.submitted).toMatchObject({ status: 'submitted', assigneeId: null, unitId: UNITS.grid.id });
    expect(planned.order).toMatchObject({
      status: 'assigned',
      assigneeId: 10,
      unitId: UNITS.grid.id,
      level: 'grid',
      assignedAt: NOW,
      signDeadlineAt: signDeadline({ now: NOW, urgency: 'normal', calendar }),
      deadlineAt: resolveDeadline({ now: NOW, urgency: 'normal', category, calendar }),
    });
    expect(planned.order).not.toHaveProperty('id');
    expect(planned.order).not.toHaveProperty('no');
    expect(planned.events.map((e) => [e.type, e.toStatus, e.toAssigneeId])).toEqual([
      ['submit', 'submitted', null],
      ['assign', 'assigned', 10],
    ]);
  });

  it('goes up to the community when the grid has nobody responsible, and stays at the grid when nobody staffs the chain', () => {
    const up = plan([
      { staffId: 10, unitId: UNITS.grid.id, role: 'leader', active: false },
      { staffId: 20, unitId: UNITS.community.id, role: 'officer', active: true },
    ]);
    expect(up.order).toMatchObject({ assigneeId: 20, unitId: UNITS.community.id, unitPath: UNITS.community.path, level: 'community', gridId: UNITS.grid.id });

    const nobody = plan([]);
    expect(nobody.order).toEqual(nobody.submitted);
    expect(nobody.events.map((e) => e.type)).toEqual(['submit']);
  });

  it('gives an urgent order the hours limit', () => {
    const urgent = plan([{ staffId: 10, unitId: UNITS.grid.id, role: 'leader', active: true }], 'urgent');
    expect(urgent.order.deadlineAt).toEqual(new Date(NOW.getTime() + 24 * 3_600_000));
  });
});
