import type { Rng } from '../lib/rng';
import { cumulativeWeights } from '../lib/rng';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

/** Reports by hour of day (China time): quiet at night, a morning peak, an evening peak after work. */
const HOURLY = [0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 1.2, 3.2, 5.5, 7, 7.2, 6.5, 5, 5.2, 6, 6.2, 6, 6.3, 7, 7.4, 6.8, 5, 2.8, 1.1];
const HOURLY_CUMULATIVE = cumulativeWeights(HOURLY);
const HOURS = HOURLY.map((_, h) => h);

export type DayCount = { start: number; count: number };

/**
 * How many orders each China day of the `months` before `now` receives, `count` in all: volume grows over the
 * period (the hotline becomes known), weekends are quieter, summer busier (noise, water, mosquitoes), and today
 * only has the hours gone by. Deterministic: no randomness, so every worker agrees on it.
 */
export function dailyCounts({ count, now, months }: { count: number; now: Date; months: number }): DayCount[] {
  const days = Math.round(months * 30.44);
  const todayStart = Math.floor((now.getTime() + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;
  const firstDay = todayStart - (days - 1) * DAY;
  const elapsedToday = (now.getTime() - todayStart) / HOUR;
  const weights: number[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(firstDay + d * DAY + CHINA_OFFSET);
    const weekday = date.getUTCDay();
    const month = date.getUTCMonth();
    let w = (1 + (0.6 * d) / days) * (weekday === 0 || weekday === 6 ? 0.75 : 1) * (month >= 5 && month <= 8 ? 1.2 : 1);
    if (d === days - 1) w *= HOURLY.slice(0, Math.floor(elapsedToday)).reduce((a, b) => a + b, 0) / HOURLY.reduce((a, b) => a + b, 0);
    weights.push(w);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  // Largest-remainder rounding, so the counts add up to exactly `count`.
  const exact = weights.map((w) => (w / total) * count);
  const perDay = exact.map(Math.floor);
  let missing = count - perDay.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; missing > 0; k = (k + 1) % byRemainder.length, missing--) perDay[byRemainder[k]![1]]!++;
  return perDay.map((n, d) => ({ start: firstDay + d * DAY, count: n }));
}

/** The creation times of one day's orders, ascending, following the hour-of-day profile, all before now. */
export function timesOfDay({ rng, day, nowMs }: { rng: Rng; day: DayCount; nowMs: number }): number[] {
  const times: number[] = [];
  for (let i = 0; i < day.count; i++) {
    for (;;) {
      const hour = rng.weighted(HOURS, HOURLY_CUMULATIVE);
      const at = day.start + hour * HOUR + Math.floor(rng.next() * HOUR);
      if (at < nowMs - 60_000) {
        times.push(at);
        break;
      }
    }
  }
  return times.sort((a, b) => a - b);
}

/** Consecutive days grouped into chunks of about `size` orders: the unit of work of one generator worker. */
export function chunkDays(days: DayCount[], size: number): { index: number; days: DayCount[]; firstId: number; count: number }[] {
  const chunks: { index: number; days: DayCount[]; firstId: number; count: number }[] = [];
  let current: DayCount[] = [];
  let count = 0;
  let firstId = 1;
  for (const day of days) {
    current.push(day);
    count += day.count;
    if (count >= size) {
      chunks.push({ index: chunks.length, days: current, firstId, count });
      firstId += count;
      current = [];
      count = 0;
    }
  }
  if (current.length) chunks.push({ index: chunks.length, days: current, firstId, count });
  return chunks;
}
