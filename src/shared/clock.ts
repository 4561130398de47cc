/** Every "now" in the product comes from a clock passed in, so tests and jobs can move time. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export function createManualClock(start: Date | string): Clock & {
  set(at: Date | string): void;
  advance(ms: number): void;
  advanceHours(h: number): void;
  advanceDays(d: number): void;
} {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
    advanceHours(h) {
      this.advance(h * 3_600_000);
    },
    advanceDays(d) {
      this.advance(d * 86_400_000);
    },
  };
}
