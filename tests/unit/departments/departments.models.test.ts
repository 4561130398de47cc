import { describe, expect, it } from 'vitest';
import { buildWorkCalendar } from '../../../src/modules/calendar/calendar.models';
import {
  type CatalogueEntry,
  dispatchLimits,
  dispatcherUnitFor,
  isFinalDecision,
  type Department,
  lookupCatalogue,
  matchDepartment,
  mayReturn,
  returnTarget,
} from '../../../src/modules/departments/departments.models';
import type { UnitNode } from '../../../src/modules/grids/grids.models';

const entry = (e: Partial<CatalogueEntry> & Pick<CatalogueEntry, 'departmentId'>): CatalogueEntry => ({
  categoryId: 1,
  unitPath: null,
  role: 'lead',
  keywords: [],
  auto: true,
  ...e,
});
const all = () => true;
const place = '/1/2/3/4/';

describe('the 派单目录 lookup', () => {
  it('finds the one lead for the category, and nothing for another category', () => {
    const entries = [entry({ departmentId: 10 })];
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: place, text: '', isActive: all })).toEqual({ kind: 'found', leadId: 10, assistIds: [], auto: true });
    expect(lookupCatalogue({ entries, categoryId: 2, placePath: place, text: '', isActive: all })).toEqual({ kind: 'none' });
  });

  it('the most specific area wins: the estate 物业 over a district-wide entry', () => {
    const entries = [entry({ departmentId: 10, unitPath: '/1/' }), entry({ departmentId: 20, unitPath: '/1/2/3/' })];
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: place, text: '', isActive: all })).toMatchObject({ kind: 'found', leadId: 20 });
    // Outside the estate the district entry applies.
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: '/1/9/', text: '', isActive: all })).toMatchObject({ kind: 'found', leadId: 10 });
  });

  it('a keyword entry outranks the whole category, and applies only when the text names it', () => {
    const entries = [entry({ departmentId: 10, unitPath: '/1/2/3/' }), entry({ departmentId: 30, keywords: ['燃气', '煤气'] })];
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: place, text: '楼道里一股煤气味', isActive: all })).toMatchObject({ leadId: 30 });
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: place, text: '楼道着火了', isActive: all })).toMatchObject({ leadId: 10 });
  });

  it('two leads equally specific are ambiguous: nothing is dispatched automatically', () => {
    const entries = [entry({ departmentId: 10 }), entry({ departmentId: 20 })];
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: place, text: '', isActive: all })).toEqual({ kind: 'ambiguous', departmentIds: [10, 20] });
  });

  it('inactive departments do not count; assists come along; a non-auto entry is only a suggestion', () => {
    const entries = [entry({ departmentId: 10, auto: false }), entry({ departmentId: 20 }), entry({ departmentId: 40, role: 'assist' })];
    expect(lookupCatalogue({ entries, categoryId: 1, placePath: place, text: '', isActive: (id) => id !== 20 })).toEqual({
      kind: 'found',
      leadId: 10,
      assistIds: [40],
      auto: false,
    });
  });
});

describe('the 退回 rules', () => {
  const now = new Date('2026-11-23T02:00:00Z');
  const open = { status: 'dispatched' as const, role: 'lead' as const, disputed: false, returnDeadlineAt: new Date('2026-11-23T04:00:00Z') };

  it('a department may return its open lead dispatch within the limit only', () => {
    expect(mayReturn({ dispatch: open, now })).toEqual({ ok: true });
    expect(mayReturn({ dispatch: open, now: new Date('2026-11-23T04:00:01Z') })).toEqual({ ok: false, why: 'too_late' });
    expect(mayReturn({ dispatch: { ...open, status: 'resolved' }, now })).toEqual({ ok: false, why: 'not_open' });
    expect(mayReturn({ dispatch: { ...open, role: 'assist' }, now })).toEqual({ ok: false, why: 'not_lead' });
  });

  it('never a final district 争议 decision', () => {
    expect(mayReturn({ dispatch: { ...open, disputed: true }, now })).toEqual({ ok: false, why: 'final' });
    expect(mayReturn({ dispatch: { ...open, returnDeadlineAt: null }, now })).toEqual({ ok: false, why: 'final' });
  });

  it('the first 退回 goes to the dispatcher, a second to the district as a dispute', () => {
    expect(returnTarget({ earlierReturns: 0, dispatcherUnitId: 2, districtUnitId: 1 })).toEqual({ unitId: 2, dispute: false });
    expect(returnTarget({ earlierReturns: 1, dispatcherUnitId: 2, districtUnitId: 1 })).toEqual({ unitId: 1, dispute: true });
  });

  it('a district dispatch after a 退回 is final; a town one, or a first one, is not', () => {
    expect(isFinalDecision({ dispatcherLevel: 'district', earlierReturns: 1 })).toBe(true);
    expect(isFinalDecision({ dispatcherLevel: 'district', earlierReturns: 0 })).toBe(false);
    expect(isFinalDecision({ dispatcherLevel: 'town', earlierReturns: 2 })).toBe(false);
  });
});

describe('a dispatch’s limits on the department’s calendar', () => {
  const calendar = buildWorkCalendar({ days: [], coveredYears: [2026] });
  const category = { limitWorkingDays: 5, urgentLimitHours: 4 };
  // Friday 2026-11-27 17:00 China time.
  const friday = new Date('2026-11-27T09:00:00Z');

  it('a company working every day counts clock hours and every day; a working-day department skips the weekend', () => {
    const company = dispatchLimits({ now: friday, urgency: 'normal', category, department: { calendar: 'every_day', signLimitHours: 1, limitDays: 2, returnLimitHours: 4 }, calendar, final: false });
    expect(company.signDeadlineAt.toISOString()).toBe('2026-11-27T10:00:00.000Z');
    expect(company.deadlineAt.toISOString()).toBe('2026-11-29T16:00:00.000Z'); // end of Sunday 11-29, China time
    expect(company.returnDeadlineAt!.toISOString()).toBe('2026-11-27T13:00:00.000Z');
    const office = dispatchLimits({ now: friday, urgency: 'normal', category, department: { calendar: 'working', signLimitHours: 2, limitDays: null, returnLimitHours: 24 }, calendar, final: false });
    expect(office.signDeadlineAt.toISOString()).toBe('2026-11-30T02:00:00.000Z'); // 1 h on Friday, 1 h on Monday from 09:00
    expect(office.deadlineAt.toISOString()).toBe('2026-12-04T16:00:00.000Z'); // five working days: Mon..Fri
  });

  it('urgent orders: 30 minutes to sign and the category’s hours; a final decision cannot be returned', () => {
    const urgent = dispatchLimits({ now: friday, urgency: 'urgent', category, department: { calendar: 'working', signLimitHours: 2, limitDays: null, returnLimitHours: 24 }, calendar, final: true });
    expect(urgent.signDeadlineAt.toISOString()).toBe('2026-11-27T09:30:00.000Z');
    expect(urgent.deadlineAt.toISOString()).toBe('2026-11-27T13:00:00.000Z');
    expect(urgent.returnDeadlineAt).toBeNull();
  });
});

describe('who dispatches for whom', () => {
  const chain: UnitNode[] = [
    { id: 3, parentId: 2, level: 'community', path: '/1/2/3/', code: 'c', name: 'c' },
    { id: 2, parentId: 1, level: 'town', path: '/1/2/', code: 't', name: 't' },
    { id: 1, parentId: null, level: 'district', path: '/1/', code: 'd', name: 'd' },
  ];
  it('an officer dispatches for the lowest unit of the chain where they are one; leaders and department staff do not', () => {
    const officer = { kind: 'staff' as const, staffId: 1, roles: [{ unitId: 2, unitPath: '/1/2/', level: 'town' as const, role: 'officer' as const }] };
    expect(dispatcherUnitFor(officer, chain)?.id).toBe(2);
    const leader = { kind: 'staff' as const, staffId: 2, roles: [{ unitId: 3, unitPath: '/1/2/3/', level: 'community' as const, role: 'leader' as const }] };
    expect(dispatcherUnitFor(leader, chain)).toBeNull();
    expect(dispatcherUnitFor({ kind: 'staff', staffId: 3, roles: [], departments: [{ departmentId: 1, role: 'head' }] }, chain)).toBeNull();
  });
});

describe('the department an officer names in the chat', () => {
  const dept = (id: number, code: string, name: string, unitPath = '/1/', active = true): Department => ({
    id,
    code,
    name,
    kind: 'company',
    unitId: id,
    unitPath,
    calendar: 'working',
    signLimitHours: 2,
    limitDays: null,
    returnLimitHours: 24,
    active,
  });
  const departments = [
    dept(1, 'RQ', '区燃气公司'),
    dept(2, 'GD', '区供电公司'),
    dept(3, 'GS', '区供水公司'),
    dept(4, 'ZJ', '区住建局'),
    dept(5, 'WY-LA', '柳岸物业', '/1/2/3/'),
    dept(6, 'WY-GY', '桂园物业', '/1/2/9/'),
    dept(7, 'OLD', '区旧燃气办', '/1/', false),
  ];
  const match = (query: string, placePath = place) => {
    const m = matchDepartment({ departments, query, placePath });
    return m.kind === 'found' ? m.department.name : m.kind === 'ambiguous' ? { ambiguous: m.choices.map((d) => d.name) } : { unknown: m.serving.map((d) => d.name) };
  };

  it.each(['区燃气公司', '燃气公司', '燃气', ' 燃 气 公 司 ', 'ＲＱ', 'rq', '给燃气公司', '燃气公司那边'])('finds the gas company from %j', (query) => {
    expect(match(query)).toBe('区燃气公司');
  });

  it.each([
    ['自来水公司', '区供水公司'],
    ['自来水', '区供水公司'],
    ['水务公司', '区供水公司'],
    ['电力公司', '区供电公司'],
    ['煤气公司', '区燃气公司'],
  ])('finds the utility from its everyday name %j', (query, name) => {
    expect(match(query)).toBe(name);
  });

  it('several that fit are ambiguous; the one serving the place wins among them; an inactive one never counts', () => {
    expect(match('公司')).toEqual({ ambiguous: ['区燃气公司', '区供电公司', '区供水公司'] });
    expect(match('物业')).toBe('柳岸物业');
    expect(match('物业', '/1/5/')).toEqual({ ambiguous: ['柳岸物业', '桂园物业'] });
    expect(match('旧燃气办')).toEqual({ unknown: ['区燃气公司', '区供电公司', '区供水公司', '区住建局', '柳岸物业'] });
  });

  it('a name that fits none lists those serving the place; one that does not serve it is still found (the dispatch says why)', () => {
    expect(match('往建局')).toEqual({ unknown: ['区燃气公司', '区供电公司', '区供水公司', '区住建局', '柳岸物业'] });
    expect(match('')).toMatchObject({ unknown: expect.any(Array) });
    expect(match('桂园物业')).toBe('桂园物业');
  });
});
