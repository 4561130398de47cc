import { describe, expect, it } from 'vitest';
import {
  dispatcherStaff,
  overdueNoticeRecipients,
  overdueWorkingDays,
  supervisorsAbove,
  urgeRecipients,
} from '../../../src/jobs/overdue.models';
import type { StaffAtUnit, UnitNode } from '../../../src/modules/grids/grids.models';
import { china, seededCalendar } from './builders';

const calendar = seededCalendar();

// district 1 → town 2 → community 3 → grid 4
const units: UnitNode[] = [
  { id: 1, parentId: null, level: 'district', path: '/1/', code: 'D', name: '示范区' },
  { id: 2, parentId: 1, level: 'town', path: '/1/2/', code: 'T', name: '东湖街道' },
  { id: 3, parentId: 2, level: 'community', path: '/1/2/3/', code: 'C', name: '柳岸社区' },
  { id: 4, parentId: 3, level: 'grid', path: '/1/2/3/4/', code: 'G', name: '第一网格' },
];
const chainOf = (unitId: number) => units.filter((u) => u.id <= unitId).reverse();
const at = (staffId: number, unitId: number, role: StaffAtUnit['role'], active = true): StaffAtUnit => ({ staffId, unitId, role, active });
const LEADER = 40;
const COMMUNITY = 30;
const TOWN = [20, 21];
const DISTRICT = 10;
const ADMIN = 11;
const HANDLER = 70;
const HEAD = 71;
const staff = [
  at(LEADER, 4, 'leader'),
  at(COMMUNITY, 3, 'officer'),
  at(TOWN[1]!, 2, 'officer'),
  at(TOWN[0]!, 2, 'officer'),
  at(22, 2, 'officer', false),
  at(DISTRICT, 1, 'officer'),
  at(ADMIN, 1, 'admin'),
];

describe('who hears of an overdue order', () => {
  it('a grid order: its assignee and the one responsible a level up; at the district, its admins', () => {
    expect(overdueNoticeRecipients({ order: { assigneeId: LEADER, unitId: 4 }, department: null, chainOf, staff })).toEqual([
      { staffId: LEADER, as: 'assignee' },
      { staffId: COMMUNITY, as: 'supervisor' },
    ]);
    expect(overdueNoticeRecipients({ order: { assigneeId: DISTRICT, unitId: 1 }, department: null, chainOf, staff })).toEqual([
      { staffId: DISTRICT, as: 'assignee' },
      { staffId: ADMIN, as: 'supervisor' },
    ]);
    // An admin holding the order at the top is not told as their own supervisor.
    expect(overdueNoticeRecipients({ order: { assigneeId: ADMIN, unitId: 1 }, department: null, chainOf, staff })).toEqual([{ staffId: ADMIN, as: 'assignee' }]);
  });

  it('a department’s order: the handler, the department’s heads and the dispatching town’s active officers, not the grid tree above the order', () => {
    const department = { departmentId: 7, headIds: [HEAD], dispatcherUnitId: 2 };
    expect(overdueNoticeRecipients({ order: { assigneeId: HANDLER, unitId: 4 }, department, chainOf, staff })).toEqual([
      { staffId: HANDLER, as: 'assignee' },
      { staffId: HEAD, as: 'head' },
      { staffId: 20, as: 'dispatcher' },
      { staffId: 21, as: 'dispatcher' },
    ]);
    // No dispatch on record: pressed from the level above the order, as a grid order is.
    expect(overdueNoticeRecipients({ order: { assigneeId: HANDLER, unitId: 4 }, department: { ...department, dispatcherUnitId: null }, chainOf, staff })).toEqual([
      { staffId: HANDLER, as: 'assignee' },
      { staffId: HEAD, as: 'head' },
      { staffId: COMMUNITY, as: 'dispatcher' },
    ]);
    // A department without a head: the handler and the dispatcher only.
    expect(overdueNoticeRecipients({ order: { assigneeId: HANDLER, unitId: 4 }, department: { ...department, headIds: [] }, chainOf, staff }).map((r) => r.as)).toEqual([
      'assignee',
      'dispatcher',
      'dispatcher',
    ]);
  });

  it('the 催办升级: the heads, the dispatcher’s officers and the level above the dispatcher, each once and never the handler', () => {
    const department = { departmentId: 7, headIds: [HEAD, HANDLER], dispatcherUnitId: 2 };
    expect(urgeRecipients({ order: { assigneeId: HANDLER, unitId: 4 }, department, chainOf, staff })).toEqual([
      { staffId: HEAD, as: 'head' },
      { staffId: 20, as: 'dispatcher' },
      { staffId: 21, as: 'dispatcher' },
      { staffId: DISTRICT, as: 'above_dispatcher' },
    ]);
    // Dispatched by the district: above it are the district's admins (热线中心).
    expect(urgeRecipients({ order: { assigneeId: HANDLER, unitId: 1 }, department: { ...department, dispatcherUnitId: 1 }, chainOf, staff })).toEqual([
      { staffId: HEAD, as: 'head' },
      { staffId: DISTRICT, as: 'dispatcher' },
      { staffId: ADMIN, as: 'above_dispatcher' },
    ]);
  });

  it('a dispatching unit speaks through its officers, or its admins where it has none', () => {
    expect(dispatcherStaff({ unitId: 2, staff })).toEqual([20, 21]);
    expect(dispatcherStaff({ unitId: 1, staff: staff.filter((s) => s.role !== 'officer') })).toEqual([ADMIN]);
    expect(dispatcherStaff({ unitId: 4, staff })).toEqual([]);
    expect(supervisorsAbove({ chain: chainOf(3), staff })).toEqual([20]);
  });
});

describe('how many working days an order is overdue', () => {
  it('counts whole working days after the deadline, as the follow-up rule does', () => {
    const deadline = china('2026-11-26 00:00'); // the end of Wednesday 11-25
    expect(overdueWorkingDays({ deadline, now: china('2026-11-26 09:00'), calendar })).toBe(0);
    expect(overdueWorkingDays({ deadline, now: china('2026-11-27 00:00'), calendar })).toBe(1);
    // 11-26, 11-27, (weekend), 11-30, 12-01, 12-02
    expect(overdueWorkingDays({ deadline, now: china('2026-12-02 23:59'), calendar })).toBe(4);
    expect(overdueWorkingDays({ deadline, now: china('2026-12-03 09:00'), calendar })).toBe(5);
    expect(overdueWorkingDays({ deadline, now: china('2026-12-10 09:00'), calendar })).toBe(10);
  });

  it('skips National Day and counts its make-up Saturday', () => {
    // Deadline the end of 09-30; 10-01..10-07 off; 10-08, 10-09, 10-10 (the make-up Saturday), 10-12, 10-13 worked.
    const deadline = china('2026-10-01 00:00');
    expect(overdueWorkingDays({ deadline, now: china('2026-10-08 09:00'), calendar })).toBe(0);
    expect(overdueWorkingDays({ deadline, now: china('2026-10-14 00:00'), calendar })).toBe(5);
  });
});
