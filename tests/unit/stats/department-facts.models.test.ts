import { describe, expect, it } from 'vitest';
import {
  type DispatchForStats,
  computeDepartmentFigures,
  deriveDepartmentCounts,
  departmentScore,
  emptyDepartmentCounts,
  rankDepartments,
} from '../../../src/modules/stats/department-facts.models';
import type { OrderFact } from '../../../src/modules/stats/order-facts.models';

const at = (s: string) => new Date(`2026-11-23T${s}:00+08:00`);
const NOW = at('23:00');
const lead = (d: Partial<DispatchForStats>): DispatchForStats => ({
  departmentId: 1,
  role: 'lead',
  status: 'dispatched',
  dispatchedAt: at('10:00'),
  signDeadlineAt: at('12:00'),
  signedAt: null,
  deadlineAt: at('18:00'),
  returnedAt: null,
  resolvedAt: null,
  ...d,
});
const submit: OrderFact = { kind: 'submit', at: at('09:50') };
const countsOf = (dispatches: DispatchForStats[], facts: OrderFact[] = [submit], now = NOW) => {
  const total = emptyDepartmentCounts();
  for (const r of deriveDepartmentCounts({ dispatches, facts, now })) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r.counts[k];
  return total;
};

describe('department counts from dispatches', () => {
  it('a dispatch signed in time and resolved on time', () => {
    expect(countsOf([lead({ status: 'resolved', signedAt: at('11:00'), resolvedAt: at('17:00') })])).toMatchObject({ dispatched: 1, respInTime: 1, resolved: 1, resolvedOnTime: 1, returned: 0 });
  });
  it('signed late, resolved after the limit', () => {
    expect(countsOf([lead({ status: 'resolved', signedAt: at('12:01'), resolvedAt: at('18:01') })])).toMatchObject({ respLate: 1, resolved: 1, resolvedOnTime: 0 });
  });
  it('resolved at the limit exactly is on time; resolving unsigned signs then', () => {
    expect(countsOf([lead({ status: 'resolved', resolvedAt: at('18:00') })])).toMatchObject({ respLate: 1, resolvedOnTime: 1 });
    expect(countsOf([lead({ status: 'resolved', resolvedAt: at('11:59') })])).toMatchObject({ respInTime: 1, resolvedOnTime: 1 });
  });
  it('returned unsigned before the 签收 limit: a 退回, void for the response; after it: missed', () => {
    expect(countsOf([lead({ status: 'returned', returnedAt: at('10:30') })])).toMatchObject({ dispatched: 1, returned: 1, respInTime: 0, respLate: 0, respMissed: 0 });
    expect(countsOf([lead({ status: 'returned', returnedAt: at('12:30') })])).toMatchObject({ returned: 1, respMissed: 1 });
  });
  it('unsigned and the limit passed is missed; not yet passed is pending', () => {
    expect(countsOf([lead({})])).toMatchObject({ respMissed: 1 });
    expect(countsOf([lead({})], [submit], at('11:00'))).toMatchObject({ respMissed: 0, respInTime: 0, dispatched: 1 });
  });
  it('an assist is counted apart and judged for nothing', () => {
    expect(countsOf([lead({ role: 'assist', departmentId: 2 })])).toMatchObject({ assists: 1, dispatched: 0, respMissed: 0 });
  });
  it('the survey goes to the department whose dispatch resolved the order last before it', () => {
    const facts: OrderFact[] = [
      submit,
      { kind: 'resolution', at: at('17:00'), deadlineAt: null, onTime: true },
      { kind: 'survey', at: at('18:00'), answer: 'unsatisfied' },
      { kind: 'resolution', at: at('20:00'), deadlineAt: null, onTime: true },
      { kind: 'survey', at: at('21:00'), answer: 'satisfied' },
    ];
    const rows = deriveDepartmentCounts({
      dispatches: [
        lead({ departmentId: 1, status: 'resolved', signedAt: at('10:30'), resolvedAt: at('17:00') }),
        lead({ departmentId: 2, dispatchedAt: at('18:30'), signDeadlineAt: at('20:30'), status: 'resolved', signedAt: at('19:00'), resolvedAt: at('20:00'), deadlineAt: at('23:59') }),
      ],
      facts,
      now: NOW,
    });
    const of = (id: number) => rows.filter((r) => r.departmentId === id).reduce((a, r) => ({ u: a.u + r.counts.surveyUnsatisfied, s: a.s + r.counts.surveySatisfied }), { u: 0, s: 0 });
    expect(of(1)).toEqual({ u: 1, s: 0 });
    expect(of(2)).toEqual({ u: 0, s: 1 });
  });
  it('a survey after a resolution by the grid tree is not the department’s', () => {
    const facts: OrderFact[] = [submit, { kind: 'resolution', at: at('20:00'), deadlineAt: null, onTime: true }, { kind: 'survey', at: at('21:00'), answer: 'satisfied' }];
    expect(countsOf([lead({ status: 'returned', returnedAt: at('10:30') })], facts).surveySatisfied).toBe(0);
  });
  it('an order with no facts (无效) counts nowhere; counts fall on the China date', () => {
    expect(deriveDepartmentCounts({ dispatches: [lead({})], facts: [], now: NOW })).toEqual([]);
    const rows = deriveDepartmentCounts({ dispatches: [lead({ dispatchedAt: new Date('2026-11-23T16:30:00Z'), signDeadlineAt: new Date('2026-11-23T18:00:00Z') })], facts: [submit], now: NOW });
    expect(rows.map((r) => r.day)).toEqual(['2026-11-24']);
  });
});

describe('department figures and ranking', () => {
  const c = (p: Partial<ReturnType<typeof emptyDepartmentCounts>>) => ({ ...emptyDepartmentCounts(), ...p });
  it('退回率 is returns over lead dispatches; no dispatch is no rate', () => {
    expect(computeDepartmentFigures(c({ dispatched: 3, returned: 1 })).return).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
    expect(computeDepartmentFigures(c({})).return.rate).toBeNull();
  });
  it('the score weighs 响应, 按时, 满意 and takes 20 points per 100 % returned', () => {
    expect(departmentScore(computeDepartmentFigures(c({ dispatched: 2, respInTime: 2, resolved: 2, resolvedOnTime: 2, surveySatisfied: 1 })))).toBe(100);
    expect(departmentScore(computeDepartmentFigures(c({ dispatched: 2, returned: 1, respInTime: 1, resolved: 1, resolvedOnTime: 1 })))).toBe(90);
    expect(departmentScore(computeDepartmentFigures(c({ dispatched: 1 })))).toBeNull();
  });
  it('ranks departments with dispatches, best first, red and black never overlapping', () => {
    const r = rankDepartments({
      departments: [
        { name: '甲', counts: c({ dispatched: 1, respInTime: 1 }) },
        { name: '乙', counts: c({ dispatched: 1, respLate: 1 }) },
        { name: '丙', counts: c({}) },
      ],
    });
    expect(r.ranked.map((d) => [d.name, d.rank])).toEqual([['甲', 1], ['乙', 2]]);
    expect(r.red.map((d) => d.name)).toEqual(['甲']);
    expect(r.black.map((d) => d.name)).toEqual(['乙']);
    expect(r.unranked.map((d) => d.name)).toEqual(['丙']);
  });
});
