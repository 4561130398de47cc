import cron from 'node-cron';
import { afterAll, describe, expect, it } from 'vitest';
import {
  agendaPeriod,
  digestPeriod,
  isoWeek,
  mondayOf,
  monthlyPeriod,
  previousTick,
  weeklyPeriod,
} from '../../../src/jobs/periods.models';
import { addDays } from '../../../src/modules/calendar/calendar.models';
import { china, instants, seededCalendar } from './builders';

const calendar = seededCalendar();
const tasks = new Map<string, ReturnType<typeof cron.createTask>>();
afterAll(async () => {
  for (const t of tasks.values()) await t.destroy();
});

/** node-cron's own matcher, minute by minute backwards: the reference previousTick must agree with. */
function bruteForcePreviousTick(expression: string, now: Date, lookbackDays: number): Date | null {
  const task = tasks.get(expression) ?? cron.createTask(expression, () => {}, { timezone: 'Asia/Shanghai' });
  tasks.set(expression, task);
  const start = Math.floor(now.getTime() / 60_000) * 60_000;
  const todayStart = china(`${new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)} 00:00`).getTime();
  const earliest = todayStart - lookbackDays * 86_400_000;
  for (let t = start; t >= earliest; t -= 60_000) if (task.match(new Date(t))) return new Date(t);
  return null;
}

describe('the latest tick of a schedule', () => {
  it('agrees with node-cron on the product schedules', () => {
    const expressions = ['*/5 * * * *', '30 8 * * *', '0 9 * * 1', '0 7 1 * *', '0 8 10,20 * *', '15 8,14 * * 1-5'];
    for (const expression of expressions) {
      for (const now of instants(china('2026-11-28 23:00'), china('2026-12-02 10:00'), 1013)) {
        const fields = cron.parse(expression);
        expect([expression, now.toISOString(), previousTick({ fields, now, lookbackDays: 1 })?.toISOString()]).toEqual([
          expression,
          now.toISOString(),
          bruteForcePreviousTick(expression, now, 1)?.toISOString(),
        ]);
      }
    }
  });

  it('includes a tick at the very instant, and finds none beyond the look-back', () => {
    const fields = cron.parse('0 9 * * 1');
    expect(previousTick({ fields, now: china('2026-11-23 09:00'), lookbackDays: 0 })).toEqual(china('2026-11-23 09:00'));
    expect(previousTick({ fields, now: china('2026-11-23 08:59'), lookbackDays: 0 })).toBeNull();
    expect(previousTick({ fields, now: china('2026-11-23 08:59'), lookbackDays: 7 })).toEqual(china('2026-11-16 09:00'));
  });
});

describe('periods and their run keys', () => {
  it('numbers ISO weeks as the standard does at year ends', () => {
    expect(isoWeek('2026-11-23')).toBe('2026-W48');
    expect(isoWeek('2026-11-22')).toBe('2026-W47');
    expect(isoWeek('2026-01-01')).toBe('2026-W01');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
  });

  it('advances the ISO week by one every Monday and never within a week', () => {
    let previous = isoWeek('2024-12-30');
    for (let day = '2024-12-31'; day < '2028-01-10'; day = addDays(day, 1)) {
      const week = isoWeek(day);
      if (mondayOf(day) === day) {
        const [py, pw] = previous.split('-W').map(Number) as [number, number];
        const [y, w] = week.split('-W').map(Number) as [number, number];
        expect(y === py ? w === pw + 1 : y === py + 1 && w === 1 && (pw === 52 || pw === 53)).toBe(true);
      } else {
        expect(week).toBe(previous);
      }
      previous = week;
    }
  });

  it('sends the digest for the day on working days only, including a make-up Sunday', () => {
    expect(digestPeriod({ tick: china('2026-11-23 08:30'), calendar })).toEqual({ key: 'digest:2026-11-23', date: '2026-11-23' });
    expect(digestPeriod({ tick: china('2026-11-28 08:30'), calendar })).toBeNull();
    expect(digestPeriod({ tick: china('2026-10-05 08:30'), calendar })).toBeNull();
    expect(digestPeriod({ tick: china('2026-01-01 08:30'), calendar })).toBeNull();
    expect(digestPeriod({ tick: china('2026-01-04 08:30'), calendar })?.key).toBe('digest:2026-01-04');
  });

  it('reports on the week before the tick, Monday to Sunday in China time', () => {
    expect(weeklyPeriod({ tick: china('2026-11-23 09:00') })).toEqual({
      key: 'weekly:2026-W47',
      week: '2026-W47',
      from: china('2026-11-16 00:00'),
      to: china('2026-11-23 00:00'),
      firstDay: '2026-11-16',
      lastDay: '2026-11-22',
    });
    // A tick later in the week (after downtime) reports on the same week.
    expect(weeklyPeriod({ tick: china('2026-11-26 15:00') }).key).toBe('weekly:2026-W47');
    expect(weeklyPeriod({ tick: china('2027-01-04 09:00') }).key).toBe('weekly:2026-W53');
  });

  it('analyses the month before the tick, against the month before that, across a year end', () => {
    expect(monthlyPeriod({ tick: china('2026-12-01 07:00') })).toEqual({
      key: 'monthly:2026-11',
      month: '2026-11',
      from: china('2026-11-01 00:00'),
      to: china('2026-12-01 00:00'),
      previousMonth: '2026-10',
      previousFrom: china('2026-10-01 00:00'),
    });
    const january = monthlyPeriod({ tick: china('2027-01-01 07:00') });
    expect([january.key, january.previousMonth]).toEqual(['monthly:2026-12', '2026-11']);
    expect(monthlyPeriod({ tick: china('2026-01-01 07:00') }).previousMonth).toBe('2025-11');
  });

  it('holds the town-level 民情沟通日 in the first half of the month and the district-level one in the second', () => {
    expect(agendaPeriod({ tick: china('2026-12-10 08:00') })).toEqual({ key: 'agenda:town:2026-12', level: 'town', month: '2026-12', date: '2026-12-10' });
    expect(agendaPeriod({ tick: china('2026-12-20 08:00') }).key).toBe('agenda:district:2026-12');
    expect(agendaPeriod({ tick: china('2026-12-15 08:00') }).level).toBe('town');
    expect(agendaPeriod({ tick: china('2026-12-16 08:00') }).level).toBe('district');
  });
});
