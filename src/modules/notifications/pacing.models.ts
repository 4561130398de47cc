/**
 * The pure rules of sending: how long to wait before retrying a failed message, when to give up, and how fast
 * one bot account may send. No I/O and no clock: time (in ms since the epoch) and randomness are arguments.
 */

/** A source of uniform numbers in [0, 1): Math.random in production, a seeded generator in tests. */
export type Random = () => number;

/** mulberry32: a small seeded generator, so a test that fails 30% of sends "at random" fails the same way every run. */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Keeps a misbehaving random source inside [0, 1), so a bad value can never produce a negative or huge wait. */
function unit(random: Random): number {
  const r = random();
  if (!Number.isFinite(r) || r < 0) return 0;
  return r >= 1 ? 1 - Number.EPSILON : r;
}

// --- retries ---------------------------------------------------------------------------------------------------

export type BackoffConfig = {
  /** The delay before the first retry (before jitter). */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
};

/**
 * The wait before retry number `failures` (1 = after the first failed try): exponential (base · 2^(n−1)), capped,
 * with "equal jitter": between half and all of that, so senders that failed together do not retry together, and a
 * retry never comes sooner than half the schedule.
 */
export function backoffDelayMs({
  failures,
  config,
  random,
}: {
  failures: number;
  config: BackoffConfig;
  random: Random;
}): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^(n-1) overflows to Infinity for large n; Math.min then yields the cap, which is what we want.
  const ceiling = Math.min(config.maxMs, config.baseMs * 2 ** (n - 1));
  const half = ceiling / 2;
  return Math.round(half + unit(random) * half);
}

export type FailureOutcome =
  | { status: 'dead' }
  | { status: 'pending'; nextAttemptAt: Date; delayMs: number };

/**
 * What becomes of a message whose try number `attempts` (counted from 1, including this one) failed: another try
 * later, or the dead-letter state once `maxAttempts` tries have been made. A permanent failure (nobody to send
 * it to) is dead at once.
 */
export function afterFailure({
  attempts,
  maxAttempts,
  permanent = false,
  now,
  config,
  random,
}: {
  attempts: number;
  maxAttempts: number;
  permanent?: boolean;
  now: Date;
  config: BackoffConfig;
  random: Random;
}): FailureOutcome {
  if (permanent || attempts >= maxAttempts) return { status: 'dead' };
  const delayMs = backoffDelayMs({ failures: attempts, config, random });
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + delayMs), delayMs };
}

// --- pacing ----------------------------------------------------------------------------------------------------

export type PacingConfig = {
  /** How many messages may go out at once (answering a conversation), after a quiet spell. */
  burst: number;
  /** Sustained sending: one new token every minGapMs..maxGapMs, drawn at random each time. */
  minGapMs: number;
  maxGapMs: number;
};

/** A token bucket whose refill gap is drawn afresh for every token, so the sustained stream has no fixed rhythm. */
export type Bucket = {
  tokens: number;
  /** When the last token was added (or the bucket was last seen full), in ms. */
  refilledAt: number;
  /** The gap after `refilledAt` until the next token: already drawn, so waits are deterministic. */
  nextGapMs: number;
};

/** Pacing is off (the mock puppet, tests) when there is no gap to keep. */
export function pacingDisabled(config: PacingConfig): boolean {
  return config.maxGapMs <= 0 && config.minGapMs <= 0;
}

export function drawGapMs(config: PacingConfig, random: Random): number {
  const min = Math.max(0, Math.min(config.minGapMs, config.maxGapMs));
  const max = Math.max(0, config.minGapMs, config.maxGapMs);
  return Math.round(min + unit(random) * (max - min));
}

function burstOf(config: PacingConfig): number {
  return Math.max(1, Math.floor(config.burst));
}

/** A full bucket: a bot that has been quiet may answer a conversation at once. */
export function createBucket({ config, now, random }: { config: PacingConfig; now: number; random: Random }): Bucket {
  return { tokens: burstOf(config), refilledAt: now, nextGapMs: drawGapMs(config, random) };
}

/** The bucket as of `now`: one token per elapsed gap, never more than the burst. */
export function refill({
  bucket,
  config,
  now,
  random,
}: {
  bucket: Bucket;
  config: PacingConfig;
  now: number;
  random: Random;
}): Bucket {
  const burst = burstOf(config);
  // A clock that went backwards must not make the bot wait for time that already passed once.
  let { tokens, refilledAt, nextGapMs } = { ...bucket, refilledAt: Math.min(bucket.refilledAt, now) };
  while (tokens < burst && now - refilledAt >= nextGapMs) {
    tokens += 1;
    refilledAt += nextGapMs;
    nextGapMs = drawGapMs(config, random);
  }
  // Time spent full is not saved up: the next token is counted from the moment one is spent.
  if (tokens >= burst) return { tokens: burst, refilledAt: now, nextGapMs };
  return { tokens, refilledAt, nextGapMs };
}

/** How long to wait before a message may go out (0 = now). */
export function pacingWait({
  bucket,
  config,
  now,
  random,
}: {
  bucket: Bucket;
  config: PacingConfig;
  now: number;
  random: Random;
}): { waitMs: number; bucket: Bucket } {
  if (pacingDisabled(config)) return { waitMs: 0, bucket };
  const current = refill({ bucket, config, now, random });
  if (current.tokens >= 1) return { waitMs: 0, bucket: current };
  return { waitMs: current.refilledAt + current.nextGapMs - now, bucket: current };
}

/**
 * Spends a token for a message about to go out. Returns `sent: false` (and the wait) when none is left; the caller
 * sleeps and asks again rather than going into debt, so a burst of failures cannot run ahead of the pace.
 */
export function takeToken({
  bucket,
  config,
  now,
  random,
}: {
  bucket: Bucket;
  config: PacingConfig;
  now: number;
  random: Random;
}): { taken: true; bucket: Bucket } | { taken: false; waitMs: number; bucket: Bucket } {
  if (pacingDisabled(config)) return { taken: true, bucket };
  const current = refill({ bucket, config, now, random });
  if (current.tokens < 1) {
    return { taken: false, waitMs: current.refilledAt + current.nextGapMs - now, bucket: current };
  }
  return { taken: true, bucket: { ...current, tokens: current.tokens - 1 } };
}
