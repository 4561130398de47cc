import { describe, expect, it } from 'vitest';
import {
  type OrderFact,
  type StatsEvent,
  deriveOrderFacts,
  nextDueAt,
  responseOutcome,
} from '../../../src/modules/stats/order-facts.models';
import { china, seededCalendar } from '../calendar/calendar.fixtures';

const calendar = seededCalendar();
const LIMITS = new Map([
  [1, { limitWorkingDays: 3, urgentLimitHours: 4 }],
  [2, { limitWorkingDays: 10, urgentLimitHours: 24 }],
]);
const ctx = { calendar, categoryLimits: (id: number) => LIMITS.get(id) };

const ev = (type: string, at: string, data: Record<string, unknown> | null = null): StatsEvent => ({ type, at: china(at), data });
const submitted = (at: string, categoryId = 1, urgency = 'normal') => [
  ev('submit', at, { categoryId, urgency }),
  ev('assign', at),
];
const derive = (events: StatsEvent[], now = '2026-12-31 00:00') => deriveOrderFacts({ events, ctx, now: china(now) });
const only = <K extends OrderFact['kind']>(facts: OrderFact[], kind: K) => facts.filter((f): f is Extract<OrderFact, { kind: K }> => f.kind === kind);

describe('responding to an assignment (签收)', () => {
  it('is in time when signed on or before the limit of two working hours, late after it', () => {
    // Monday 2026-11-23 10:00: the limit is 12:00 the same day.
    const onTheDot = derive([...submitted('2026-11-23 10:00'), ev('accept', '2026-11-23 12:00')]);
    expect(only(onTheDot, 'assignment')).toEqual([
      expect.objectContaining({ signDeadlineAt: china('2026-11-23 12:00'), signedAt: china('2026-11-23 12:00'), outcome: 'in_time' }),
    ]);
    const late = derive([...submitted('2026-11-23 10:00'), ev('accept', '2026-11-23 12:01')]);
    expect(only(late, 'assignment')[0]!.outcome).toBe('late');
  });

  it('counts working hours only: an order received Friday evening may be signed Monday morning', () => {
    const facts = derive([...submitted('2026-11-27 17:30'), ev('accept', '2026-11-30 10:30')]);
    expect(only(facts, 'assignment')[0]).toMatchObject({ signDeadlineAt: china('2026-11-30 10:30'), outcome: 'in_time' });
  });

  it('gives urgent orders thirty minutes, day or night', () => {
    const facts = derive([...submitted('2026-11-28 23:00', 1, 'urgent'), ev('accept', '2026-11-28 23:31')]);
    expect(only(facts, 'assignment')[0]).toMatchObject({ signDeadlineAt: china('2026-11-28 23:30'), outcome: 'late' });
  });

  it('is pending while unsigned within the limit, and missed once the limit has passed', () => {
    const events = submitted('2026-11-23 10:00');
    expect(only(derive(events, '2026-11-23 11:00'), 'assignment')[0]!.outcome).toBe('pending');
    expect(only(derive(events, '2026-11-23 12:00:01'), 'assignment')[0]!.outcome).toBe('missed');
    expect(nextDueAt(derive(events, '2026-11-23 11:00'))).toEqual(china('2026-11-23 12:00'));
    expect(nextDueAt(derive(events, '2026-11-23 12:01'))).toBeNull();
  });

  it('is void when taken away unsigned before the limit, and missed when taken away after it', () => {
    const early = derive([...submitted('2026-11-23 10:00'), ev('escalate', '2026-11-23 11:00'), ev('accept', '2026-11-23 11:30')]);
    expect(only(early, 'assignment').map((a) => a.outcome)).toEqual(['void', 'in_time']);
    const afterLimit = derive([...submitted('2026-11-23 10:00'), ev('reassign', '2026-11-23 15:00'), ev('accept', '2026-11-23 15:10')]);
    expect(only(afterLimit, 'assignment').map((a) => a.outcome)).toEqual(['missed', 'in_time']);
    const cancelled = derive([...submitted('2026-11-23 10:00'), ev('cancel', '2026-11-23 10:10')]);
    expect(only(cancelled, 'assignment').map((a) => a.outcome)).toEqual(['void']);
  });

  it('marks the assignment that was returned (退回), whether or not it was signed', () => {
    const facts = derive([...submitted('2026-11-23 10:00'), ev('accept', '2026-11-23 10:05'), ev('return', '2026-11-23 10:30'), ev('assign', '2026-11-23 11:00')]);
    expect(only(facts, 'assignment').map((a) => [a.outcome, a.returned])).toEqual([
      ['in_time', true],
      ['void', false], // the level above reassigned it within its limit
      ['missed', false],
    ]);
  });

  it('shifts an unsigned assignment’s limit by the time spent waiting on the resident', () => {
    const facts = derive([
      ...submitted('2026-11-23 10:00'),
      ev('ask_resident', '2026-11-23 11:00'),
      ev('resident_reply', '2026-11-23 15:00', { pausedMs: 4 * 3_600_000 }),
      ev('accept', '2026-11-23 15:30'),
    ]);
    expect(only(facts, 'assignment')[0]).toMatchObject({ signDeadlineAt: china('2026-11-23 16:00'), outcome: 'in_time' });
  });

  it('prefers a limit the event itself records', () => {
    const facts = derive([
      ev('submit', '2026-11-23 10:00', { categoryId: 1, urgency: 'normal' }),
      ev('assign', '2026-11-23 10:00', { signDeadlineAt: '2026-11-23T03:00:00.000Z' }),
      ev('accept', '2026-11-23 11:30'),
    ]);
    expect(only(facts, 'assignment')[0]).toMatchObject({ signDeadlineAt: china('2026-11-23 11:00'), outcome: 'late' });
  });
});

describe('resolving on time (按时办结)', () => {
  it('uses the category’s working days from the day after receipt, ending at 24:00', () => {
    // Received Monday 11-23: three working days are 24, 25, 26; the limit is 11-27 00:00.
    const onTime = derive([...submitted('2026-11-23 10:00'), ev('resolve', '2026-11-27 00:00')]);
    expect(only(onTime, 'resolution')).toEqual([{ kind: 'resolution', at: china('2026-11-27 00:00'), deadlineAt: china('2026-11-27 00:00'), onTime: true }]);
    const late = derive([...submitted('2026-11-23 10:00'), ev('resolve', '2026-11-27 00:01')]);
    expect(only(late, 'resolution')[0]!.onTime).toBe(false);
  });

  it('takes the limit an assignment recorded: an order nobody could be routed to, assigned the next day', () => {
    const facts = derive([
      ev('submit', '2026-11-23 10:00', { categoryId: 1, urgency: 'normal' }),
      ev('assign', '2026-11-24 09:00', { signDeadlineAt: '2026-11-24T03:00:00.000Z', deadlineAt: '2026-11-26T16:00:00.000Z' }),
      ev('resolve', '2026-11-26 23:00'),
    ]);
    expect(only(facts, 'resolution')[0]).toMatchObject({ deadlineAt: china('2026-11-27 00:00'), onTime: true });
    const unrecorded = derive([ev('submit', '2026-11-23 10:00', { categoryId: 1, urgency: 'normal' }), ev('assign', '2026-11-24 09:00'), ev('resolve', '2026-11-26 23:00')]);
    expect(only(unrecorded, 'resolution')[0]).toMatchObject({ deadlineAt: null, onTime: true });
  });

  it('skips holidays: received before 国庆 2026, the limit falls after the break', () => {
    // 10-01..10-07 are off; 10-08, 10-09 and the 调休 Saturday 10-10 count: the limit is 10-11 00:00.
    const facts = derive([...submitted('2026-09-30 10:00'), ev('resolve', '2026-10-10 23:00')]);
    expect(only(facts, 'resolution')[0]).toMatchObject({ deadlineAt: china('2026-10-11 00:00'), onTime: true });
  });

  it('moves the limit by an approved extension and by a pause begun before it', () => {
    const extended = derive([
      ...submitted('2026-11-23 10:00'),
      ev('approve_extension', '2026-11-25 10:00', { days: 2, to: '2026-11-30T16:00:00.000Z' }),
      ev('resolve', '2026-11-30 12:00'),
    ]);
    expect(only(extended, 'resolution')[0]).toMatchObject({ deadlineAt: new Date('2026-11-30T16:00:00.000Z'), onTime: true });

    const paused = derive([
      ...submitted('2026-11-23 10:00'),
      ev('ask_resident', '2026-11-25 10:00'),
      ev('resident_reply', '2026-11-26 10:00'),
      ev('resolve', '2026-11-27 20:00'),
    ]);
    expect(only(paused, 'resolution')[0]).toMatchObject({ deadlineAt: china('2026-11-28 00:00'), onTime: true });
  });

  it('moves a 签收 limit set during a pause only by the wait since that assignment, as the rules do', () => {
    // Asked at 10:00; reassigned at 14:00 (limit 16:00); the resident answers at 15:00: the limit becomes 17:00.
    const facts = derive([
      ...submitted('2026-11-23 09:00'),
      ev('accept', '2026-11-23 09:30'),
      ev('ask_resident', '2026-11-23 10:00'),
      ev('reassign', '2026-11-23 14:00'),
      ev('resident_reply', '2026-11-23 15:00'),
      ev('accept', '2026-11-23 16:30'),
    ]);
    expect(only(facts, 'assignment')[1]).toMatchObject({ signDeadlineAt: china('2026-11-23 17:00'), outcome: 'in_time' });
  });

  it('does not revive a limit that had run out before the pause', () => {
    const facts = derive([
      ...submitted('2026-11-23 10:00'),
      ev('ask_resident', '2026-11-27 10:00'),
      ev('resident_reply', '2026-11-30 10:00'),
      ev('resolve', '2026-11-30 11:00'),
    ]);
    expect(only(facts, 'resolution')[0]).toMatchObject({ deadlineAt: china('2026-11-27 00:00'), onTime: false });
  });

  it('recomputes the limit from the submission on a change of category, and afresh at 重办', () => {
    const changed = derive([
      ...submitted('2026-11-23 10:00', 1),
      ev('change_category', '2026-11-24 10:00', { fromCategoryId: 1, toCategoryId: 2, fromUrgency: 'normal', toUrgency: 'normal' }),
      ev('resolve', '2026-12-01 10:00'),
    ]);
    expect(only(changed, 'resolution')[0]).toMatchObject({ deadlineAt: china('2026-12-08 00:00'), onTime: true });

    const reopened = derive([
      ...submitted('2026-11-23 10:00'),
      ev('accept', '2026-11-23 10:10'),
      ev('resolve', '2026-11-24 10:00'),
      ev('survey', '2026-11-24 11:00', { answer: 'unsatisfied', round: 0 }),
      ev('reopen', '2026-11-24 11:00', { toLevel: 'community' }),
      ev('resolve', '2026-11-28 10:00'),
    ]);
    expect(only(reopened, 'resolution').map((r) => [r.deadlineAt, r.onTime])).toEqual([
      [china('2026-11-27 00:00'), true],
      [china('2026-11-28 00:00'), false], // 3 working days after 11-24: 25, 26, 27
    ]);
  });
});

describe('surveys and closing', () => {
  it('closes on 满意 or 基本满意 or a time-out, and reopens on 不满意', () => {
    const facts = derive([
      ...submitted('2026-11-23 10:00'),
      ev('accept', '2026-11-23 10:10'),
      ev('resolve', '2026-11-24 10:00'),
      ev('survey', '2026-11-24 11:00', { answer: 'unsatisfied', round: 0 }),
      ev('reopen', '2026-11-24 11:00'),
      ev('resolve', '2026-11-25 10:00'),
      ev('survey_timeout', '2026-11-28 10:00', { round: 1 }),
    ]);
    expect(facts.filter((f) => f.kind === 'survey' || f.kind === 'close' || f.kind === 'reopen')).toEqual([
      { kind: 'survey', at: china('2026-11-24 11:00'), answer: 'unsatisfied' },
      { kind: 'reopen', at: china('2026-11-24 11:00') },
      { kind: 'survey', at: china('2026-11-28 10:00'), answer: 'unanswered' },
      { kind: 'close', at: china('2026-11-28 10:00'), firstTime: false },
    ]);
  });

  it('counts a close as first-time only with no 上报 and no 重办 before it', () => {
    const firstTime = derive([...submitted('2026-11-23 10:00'), ev('resolve', '2026-11-23 11:00'), ev('survey', '2026-11-23 12:00', { answer: 'basically_satisfied' })]);
    expect(only(firstTime, 'close')).toEqual([{ kind: 'close', at: china('2026-11-23 12:00'), firstTime: true }]);
    const escalated = derive([
      ...submitted('2026-11-23 10:00'),
      ev('escalate', '2026-11-23 10:30'),
      ev('resolve', '2026-11-23 11:00'),
      ev('survey', '2026-11-23 12:00', { answer: 'satisfied' }),
    ]);
    expect(only(escalated, 'close')[0]!.firstTime).toBe(false);
    expect(only(escalated, 'escalate')).toHaveLength(1);
  });

  it('ignores a survey event without a known answer and events it does not read', () => {
    const facts = derive([...submitted('2026-11-23 10:00'), ev('survey', '2026-11-23 12:00', { answer: 'maybe' }), ev('supervise', '2026-11-23 12:00'), ev('progress', '2026-11-23 12:00')]);
    expect(facts.map((f) => f.kind)).toEqual(['submit', 'assignment']);
  });
});

describe('responseOutcome', () => {
  const limit = china('2026-11-23 12:00');
  it('judges signed, taken away and still open assignments', () => {
    expect(responseOutcome({ signDeadlineAt: limit, signedAt: limit, endedAt: null }, limit)).toBe('in_time');
    expect(responseOutcome({ signDeadlineAt: limit, signedAt: null, endedAt: limit }, limit)).toBe('void');
    expect(responseOutcome({ signDeadlineAt: limit, signedAt: null, endedAt: null }, limit)).toBe('pending');
    expect(responseOutcome({ signDeadlineAt: limit, signedAt: null, endedAt: null }, new Date(limit.getTime() + 1))).toBe('missed');
  });
});
