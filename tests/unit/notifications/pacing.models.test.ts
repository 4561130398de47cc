import { describe, expect, it } from 'vitest';
import {
  type Bucket,
  type PacingConfig,
  type Random,
  afterFailure,
  backoffDelayMs,
  createBucket,
  createSeededRandom,
  drawGapMs,
  pacingDisabled,
  pacingWait,
  refill,
  takeToken,
} from '../../../src/modules/notifications/pacing.models';

const fixed = (value: number): Random => () => value;
const ALMOST_ONE = 1 - 1e-12;
const backoff = { baseMs: 10_000, maxMs: 30 * 60_000 };

describe('the seeded random source', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const c = createSeededRandom(43);
    const seqA = Array.from({ length: 50 }, a);
    expect(Array.from({ length: 50 }, b)).toEqual(seqA);
    expect(Array.from({ length: 50 }, c)).not.toEqual(seqA);
  });

  it('stays in [0, 1) and is spread evenly enough to stand for "30% at random"', () => {
    const r = createSeededRandom(7);
    const values = Array.from({ length: 20_000 }, r);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const below30 = values.filter((v) => v < 0.3).length / values.length;
    expect(below30).toBeGreaterThan(0.28);
    expect(below30).toBeLessThan(0.32);
  });
});

describe('the retry backoff', () => {
  it('lies between half and all of base·2^(n−1), capped, for every retry number and jitter', () => {
    for (let n = 1; n <= 40; n++) {
      const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (n - 1));
      for (const r of [0, 0.1, 0.25, 0.5, 0.75, 0.9, ALMOST_ONE]) {
        const d = backoffDelayMs({ failures: n, config: backoff, random: fixed(r) });
        expect(d).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(d).toBeLessThanOrEqual(ceiling);
      }
      expect(backoffDelayMs({ failures: n, config: backoff, random: fixed(0) })).toBe(Math.round(ceiling / 2));
      expect(backoffDelayMs({ failures: n, config: backoff, random: fixed(ALMOST_ONE) })).toBe(ceiling);
    }
  });

  it('never shrinks from one retry to the next at the same jitter', () => {
    for (const r of [0, 0.3, 0.6, ALMOST_ONE]) {
      let previous = 0;
      for (let n = 1; n <= 30; n++) {
        const d = backoffDelayMs({ failures: n, config: backoff, random: fixed(r) });
        expect(d).toBeGreaterThanOrEqual(previous);
        previous = d;
      }
    }
  });

  it('doubles until the cap and then stays at the cap', () => {
    const at = (n: number) => backoffDelayMs({ failures: n, config: backoff, random: fixed(ALMOST_ONE) });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(at)).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 1_280_000]);
    expect(at(9)).toBe(backoff.maxMs);
    expect(at(1_000)).toBe(backoff.maxMs);
    expect(at(Number.MAX_SAFE_INTEGER)).toBe(backoff.maxMs);
  });

  it('treats a retry number below one as the first retry', () => {
    for (const n of [0, -1, -100, 0.5]) {
      expect(backoffDelayMs({ failures: n, config: backoff, random: fixed(ALMOST_ONE) })).toBe(10_000);
    }
  });

  it('stays within bounds when the random source misbehaves', () => {
    for (const r of [Number.NaN, -1, 1, 2, Number.POSITIVE_INFINITY]) {
      const d = backoffDelayMs({ failures: 3, config: backoff, random: fixed(r) });
      expect(d).toBeGreaterThanOrEqual(20_000);
      expect(d).toBeLessThanOrEqual(40_000);
    }
  });

  it('spreads senders that failed together over the whole jitter range', () => {
    const random = createSeededRandom(1);
    const delays = Array.from({ length: 2_000 }, () => backoffDelayMs({ failures: 3, config: backoff, random }));
    expect(Math.min(...delays)).toBeLessThan(20_500);
    expect(Math.max(...delays)).toBeGreaterThan(39_500);
    expect(new Set(delays).size).toBeGreaterThan(1_000);
  });
});

describe('what becomes of a failed message', () => {
  const now = new Date('2026-11-23T02:00:00Z');

  it('is retried until its last try and dead-lettered after it, for every limit', () => {
    for (let maxAttempts = 1; maxAttempts <= 12; maxAttempts++) {
      for (let attempts = 1; attempts <= maxAttempts + 2; attempts++) {
        const out = afterFailure({ attempts, maxAttempts, now, config: backoff, random: fixed(0.5) });
        if (attempts < maxAttempts) {
          expect(out.status).toBe('pending');
          if (out.status === 'pending') {
            expect(out.delayMs).toBe(backoffDelayMs({ failures: attempts, config: backoff, random: fixed(0.5) }));
            expect(out.nextAttemptAt.getTime()).toBe(now.getTime() + out.delayMs);
          }
        } else {
          expect(out).toEqual({ status: 'dead' });
        }
      }
    }
  });

  it('is dead-lettered at once when nobody can be reached, whatever the tries left', () => {
    expect(afterFailure({ attempts: 1, maxAttempts: 8, permanent: true, now, config: backoff, random: fixed(0) })).toEqual({
      status: 'dead',
    });
  });

  it('with the defaults (8 tries, 10 s doubling) is given up after at most about 21 minutes of retries', () => {
    let total = 0;
    for (let attempts = 1; attempts < 8; attempts++) {
      const out = afterFailure({ attempts, maxAttempts: 8, now, config: backoff, random: fixed(ALMOST_ONE) });
      if (out.status === 'pending') total += out.delayMs;
    }
    expect(total).toBe(10_000 * (2 ** 7 - 1));
  });
});

/** Sends as fast as the bucket allows, `count` messages from `start`: the moments they go out. */
function sendTimes({
  config,
  count,
  random,
  start = 0,
  demandAt = () => start,
}: {
  config: PacingConfig;
  count: number;
  random: Random;
  start?: number;
  /** When message i becomes ready to send (default: all at once). */
  demandAt?: (i: number) => number;
}): number[] {
  let bucket = createBucket({ config, now: start, random });
  let now = start;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    now = Math.max(now, demandAt(i));
    for (;;) {
      const t = takeToken({ bucket, config, now, random });
      bucket = t.bucket;
      if (t.taken) break;
      expect(t.waitMs).toBeGreaterThan(0);
      now += t.waitMs;
    }
    times.push(now);
  }
  return times;
}

describe('the pace of one bot account (token bucket)', () => {
  const config: PacingConfig = { burst: 5, minGapMs: 2_000, maxGapMs: 5_000 };

  it('answers a conversation at once: a full burst goes out without waiting, the next one waits a gap', () => {
    for (let burst = 1; burst <= 10; burst++) {
      const c = { ...config, burst };
      const random = createSeededRandom(burst);
      let bucket = createBucket({ config: c, now: 0, random });
      for (let i = 0; i < burst; i++) {
        const t = takeToken({ bucket, config: c, now: 0, random });
        expect(t.taken).toBe(true);
        bucket = t.bucket;
      }
      const refused = takeToken({ bucket, config: c, now: 0, random });
      expect(refused.taken).toBe(false);
      if (!refused.taken) {
        expect(refused.waitMs).toBeGreaterThanOrEqual(2_000);
        expect(refused.waitMs).toBeLessThanOrEqual(5_000);
      }
    }
  });

  it('sustains one message every 2–5 s with jitter after the burst', () => {
    const times = sendTimes({ config, count: 205, random: createSeededRandom(99) });
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    const gaps = times.slice(5).map((t, i) => t - times[i + 4]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(2_000);
      expect(gap).toBeLessThanOrEqual(5_000);
    }
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean).toBeGreaterThan(3_000);
    expect(mean).toBeLessThan(4_000);
    // Jitter: no fixed rhythm a platform could recognise.
    expect(new Set(gaps).size).toBeGreaterThan(150);
  });

  it('never exceeds burst + window/minGap messages in any window, for many seeds and settings', () => {
    const settings: PacingConfig[] = [
      { burst: 1, minGapMs: 1_000, maxGapMs: 1_000 },
      { burst: 3, minGapMs: 500, maxGapMs: 2_500 },
      { burst: 5, minGapMs: 2_000, maxGapMs: 5_000 },
      { burst: 10, minGapMs: 100, maxGapMs: 300 },
    ];
    for (const c of settings) {
      for (let seed = 1; seed <= 20; seed++) {
        const random = createSeededRandom(seed);
        // Demand arrives in uneven bursts with quiet spells between them.
        const demand = Array.from({ length: 120 }, (_, i) => Math.floor(i / 7) * c.maxGapMs * 4 * random());
        demand.sort((a, b) => a - b);
        const times = sendTimes({ config: c, count: demand.length, random, demandAt: (i) => demand[i]! });
        let worst = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < times.length; i++) {
          for (let j = i; j < times.length; j++) {
            const allowed = c.burst + Math.floor((times[j]! - times[i]!) / c.minGapMs);
            worst = Math.max(worst, j - i + 1 - allowed);
          }
        }
        expect(worst).toBeLessThanOrEqual(0);
      }
    }
  });

  it('gives back one token per gap of quiet, up to the burst', () => {
    const c: PacingConfig = { burst: 4, minGapMs: 3_000, maxGapMs: 3_000 };
    const random = fixed(0.5);
    let bucket: Bucket = createBucket({ config: c, now: 0, random });
    for (let i = 0; i < 4; i++) bucket = (takeToken({ bucket, config: c, now: 0, random }) as { bucket: Bucket }).bucket;
    expect(bucket.tokens).toBe(0);
    for (let k = 0; k <= 6; k++) {
      expect(refill({ bucket, config: c, now: k * 3_000, random }).tokens).toBe(Math.min(4, k));
      expect(refill({ bucket, config: c, now: k * 3_000 + 2_999, random }).tokens).toBe(Math.min(4, k));
    }
  });

  it('does not save up time spent full: after an hour of quiet only the burst is free', () => {
    const c: PacingConfig = { burst: 3, minGapMs: 2_000, maxGapMs: 2_000 };
    const times = sendTimes({ config: c, count: 5, random: fixed(0), start: 0, demandAt: () => 3_600_000 });
    expect(times).toEqual([3_600_000, 3_600_000, 3_600_000, 3_602_000, 3_604_000]);
  });

  it('does not make the bot wait longer than a gap when the clock goes backwards', () => {
    const c: PacingConfig = { burst: 1, minGapMs: 2_000, maxGapMs: 2_000 };
    const random = fixed(0);
    let bucket = createBucket({ config: c, now: 1_000_000, random });
    bucket = (takeToken({ bucket, config: c, now: 1_000_000, random }) as { bucket: Bucket }).bucket;
    const back = pacingWait({ bucket, config: c, now: 10_000, random });
    expect(back.waitMs).toBeLessThanOrEqual(2_000);
    expect(back.waitMs).toBeGreaterThan(0);
  });

  it('asks how long to wait without spending a token', () => {
    const random = createSeededRandom(3);
    let bucket = createBucket({ config, now: 0, random });
    for (let i = 0; i < 10; i++) {
      const w = pacingWait({ bucket, config, now: 0, random });
      expect(w.waitMs).toBe(0);
      bucket = w.bucket;
    }
    expect(bucket.tokens).toBe(5);
  });

  it('tells the same wait it refuses with', () => {
    const random = createSeededRandom(4);
    let bucket = createBucket({ config: { ...config, burst: 1 }, now: 0, random });
    bucket = (takeToken({ bucket, config: { ...config, burst: 1 }, now: 0, random }) as { bucket: Bucket }).bucket;
    const asked = pacingWait({ bucket, config: { ...config, burst: 1 }, now: 1_000, random });
    const refused = takeToken({ bucket: asked.bucket, config: { ...config, burst: 1 }, now: 1_000, random });
    expect(refused.taken).toBe(false);
    if (!refused.taken) expect(refused.waitMs).toBe(asked.waitMs);
  });

  it('is off when there is no gap to keep (the mock puppet): any number go out at once', () => {
    const off: PacingConfig = { burst: 5, minGapMs: 0, maxGapMs: 0 };
    expect(pacingDisabled(off)).toBe(true);
    expect(pacingDisabled(config)).toBe(false);
    expect(sendTimes({ config: off, count: 1_000, random: createSeededRandom(5) }).every((t) => t === 0)).toBe(true);
  });

  it('allows at least one message at a time when the burst is set below one', () => {
    for (const burst of [0, -3, 0.4]) {
      const times = sendTimes({ config: { burst, minGapMs: 1_000, maxGapMs: 1_000 }, count: 3, random: fixed(0) });
      expect(times).toEqual([0, 1_000, 2_000]);
    }
  });

  it('draws gaps within the range, whichever way round min and max were given', () => {
    const random = createSeededRandom(11);
    for (let i = 0; i < 1_000; i++) {
      const g = drawGapMs({ burst: 1, minGapMs: 5_000, maxGapMs: 2_000 }, random);
      expect(g).toBeGreaterThanOrEqual(2_000);
      expect(g).toBeLessThanOrEqual(5_000);
    }
    expect(drawGapMs({ burst: 1, minGapMs: 2_000, maxGapMs: 5_000 }, fixed(0))).toBe(2_000);
    expect(drawGapMs({ burst: 1, minGapMs: 2_000, maxGapMs: 5_000 }, fixed(ALMOST_ONE))).toBe(5_000);
    expect(drawGapMs({ burst: 1, minGapMs: 3_000, maxGapMs: 3_000 }, createSeededRandom(1))).toBe(3_000);
  });
});
