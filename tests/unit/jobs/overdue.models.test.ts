import { describe, expect, it } from 'vitest';
import { overdueEscalationBound, overdueEscalationDue, overdueEscalationDueAt, overdueNoticeDue } from '../../../src/jobs/order-reminders.models';
import {
  calendarGroups,
  calendarOfOrder,
  dispatcherStaff,
  overdueNoticeRecipients,
  overdueWorkingDays,
  supervisorsAbove,
  sweepCalendars,
  urgeRecipients,
} from '../../../src/jobs/overdue.models';
import { EVERY_DAY_CALENDAR } from '../../../src/modules/departments/departments.models';
import type { StaffAtUnit, UnitNode } from '../../../src/modules/grids/grids.models';
import { china, instants, reminderOrder, seededCalendar } from './builders';

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

describe('each overdue order on its own calendar', () => {
  // 5 区燃气公司 (every day), 6 区市政所 (working), 8 区公安分局 (every day).
  const calendars = sweepCalendars({
    working: calendar,
    departments: [
      { id: 6, calendar: 'working' },
      { id: 8, calendar: 'every_day' },
      { id: 5, calendar: 'every_day' },
    ],
  });
  const GAS = 5;
  const LAMPS = 6;
  // Overdue from the first minute of 国庆 (deadline the end of 09-30), on each calendar.
  const order = (departmentId: number | null) => reminderOrder({ departmentId, deadlineAt: china('2026-10-01 00:00') });
  const noticeDue = (departmentId: number | null, now: string) => {
    const o = order(departmentId);
    return overdueNoticeDue({ order: o, now: china(now), calendar: calendarOfOrder({ order: o, calendars }) });
  };

  it('counts a department’s order on the department’s calendar, a grid order (and an unknown department’s) on the holiday calendar', () => {
    expect(calendarOfOrder({ order: { departmentId: GAS }, calendars })).toBe(EVERY_DAY_CALENDAR);
    expect(calendarOfOrder({ order: { departmentId: 8 }, calendars })).toBe(EVERY_DAY_CALENDAR);
    expect(calendarOfOrder({ order: { departmentId: LAMPS }, calendars })).toBe(calendar);
    expect(calendarOfOrder({ order: { departmentId: null }, calendars })).toBe(calendar);
    expect(calendarOfOrder({ order: { departmentId: 99 }, calendars })).toBe(calendar);
  });

  it('selects per calendar: the holiday calendar takes everything but the every-day departments, which have their own select', () => {
    expect(calendarGroups(calendars)).toEqual([
      { calendar, except: [5, 8] },
      { calendar: EVERY_DAY_CALENDAR, only: [5, 8] },
    ]);
    expect(calendarGroups(sweepCalendars({ working: calendar, departments: [{ id: 6, calendar: 'working' }] }))).toEqual([{ calendar, except: [] }]);
    expect(calendarGroups(sweepCalendars({ working: calendar, departments: [] }))).toEqual([{ calendar, except: [] }]);
  });

  it('over a holiday week 督办s an every-day company’s order in the daytime hours; a working department’s and a grid order wait for 10-08', () => {
    expect(noticeDue(GAS, '2026-10-01 00:01')).toBe(false);
    expect(noticeDue(GAS, '2026-10-01 08:59')).toBe(false);
    expect(noticeDue(GAS, '2026-10-01 09:00')).toBe(true);
    expect(noticeDue(GAS, '2026-10-03 17:59')).toBe(true);
    expect(noticeDue(GAS, '2026-10-03 18:00')).toBe(false);
    for (const departmentId of [LAMPS, null]) {
      for (const now of ['2026-10-01 09:00', '2026-10-04 10:00', '2026-10-07 17:00', '2026-10-08 08:59']) expect(noticeDue(departmentId, now)).toBe(false);
      expect(noticeDue(departmentId, '2026-10-08 09:00')).toBe(true);
    }
    // Urgent orders are 督办’d around the clock on any calendar.
    const urgent = reminderOrder({ departmentId: LAMPS, urgency: 'urgent', deadlineAt: china('2026-10-01 00:00') });
    expect(overdueNoticeDue({ order: urgent, now: china('2026-10-02 03:00'), calendar: calendarOfOrder({ order: urgent, calendars }) })).toBe(true);
  });

  it('presses an every-day company 5 days after its deadline and every 5 days after, a working department after 5 working days', () => {
    const gas = { ...order(GAS), overdueNoticeAt: china('2026-10-01 09:00') };
    const own = calendarOfOrder({ order: gas, calendars });
    expect(overdueEscalationDueAt({ order: gas, days: 5, calendar: own })).toEqual(china('2026-10-06 00:00'));
    expect(overdueEscalationDue({ order: gas, now: china('2026-10-06 00:00'), days: 5, calendar: own })).toBe(false);
    expect(overdueEscalationDue({ order: gas, now: china('2026-10-06 09:00'), days: 5, calendar: own })).toBe(true);
    expect(overdueWorkingDays({ deadline: gas.deadlineAt!, now: china('2026-10-06 09:00'), calendar: own })).toBe(5);
    const again = { ...gas, overdueEscalatedAt: china('2026-10-06 09:00') };
    expect(overdueEscalationDueAt({ order: again, days: 5, calendar: own })).toEqual(china('2026-10-11 09:00'));
    expect(overdueWorkingDays({ deadline: gas.deadlineAt!, now: china('2026-10-11 09:00'), calendar: own })).toBe(10);

    // The same deadline on the holiday calendar: 10-08, 10-09, 10-10 (调休), 10-12, 10-13.
    for (const departmentId of [LAMPS, null]) {
      const held = { ...order(departmentId), overdueNoticeAt: china('2026-10-08 09:00') };
      const working = calendarOfOrder({ order: held, calendars });
      expect(overdueEscalationDueAt({ order: held, days: 5, calendar: working })).toEqual(china('2026-10-14 00:00'));
      expect(overdueEscalationDue({ order: held, now: china('2026-10-13 17:00'), days: 5, calendar: working })).toBe(false);
      expect(overdueEscalationDue({ order: held, now: china('2026-10-14 09:00'), days: 5, calendar: working })).toBe(true);
      expect(overdueWorkingDays({ deadline: held.deadlineAt!, now: china('2026-10-07 17:00'), calendar: working })).toBe(0);
      expect(overdueWorkingDays({ deadline: held.deadlineAt!, now: china('2026-10-14 09:00'), calendar: working })).toBe(5);
    }
  });

  it('has, on the every-day calendar, an index bound no due follow-up falls outside', () => {
    for (const deadline of instants(china('2026-09-01 00:00'), china('2026-11-01 00:00'), 311)) {
      for (const days of [1, 3, 5, 10]) {
        const dueAt = overdueEscalationDueAt({ order: reminderOrder({ deadlineAt: deadline, overdueNoticeAt: deadline }), days, calendar: EVERY_DAY_CALENDAR })!;
        expect(deadline.getTime()).toBeLessThanOrEqual(overdueEscalationBound({ now: dueAt, days, calendar: EVERY_DAY_CALENDAR }).getTime());
      }
    }
    // During 国庆 the every-day bound reaches 5 days back; the holiday calendar's stays before the holiday.
    expect(overdueEscalationBound({ now: china('2026-10-06 09:00'), days: 5, calendar: EVERY_DAY_CALENDAR })).toEqual(china('2026-10-01 09:00'));
    expect(overdueEscalationBound({ now: china('2026-10-06 09:00'), days: 5, calendar }).getTime()).toBeLessThan(china('2026-09-25 00:00').getTime());
  });
});
