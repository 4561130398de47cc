/** Latency figures in milliseconds, from raw samples. */
export type LatencyStats = { count: number; mean: number; p50: number; p95: number; p99: number; max: number };

export function latencyStats(samples: number[]): LatencyStats {
  if (samples.length === 0) return { count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(samples).sort();
  // Nearest-rank percentiles: p99 of 100 samples is the 99th, not an interpolation.
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, mean: round(mean), p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!) };
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Runs `fn` repeatedly on `workers` concurrent loops until `ms` have passed; returns each call's latency. */
export async function runFor({
  workers,
  ms,
  fn,
}: {
  workers: number;
  ms: number;
  fn: (worker: number, i: number) => Promise<void>;
}): Promise<{ latencies: number[]; seconds: number; errors: number; firstError: unknown }> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await fn(w, i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, errors, firstError };
}
