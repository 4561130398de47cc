/**
 * Counts chat events in flight, so tests and the simulator can wait until the bot has finished with what was
 * said instead of sleeping: `waitFor(ids)` resolves once each id has been handled (or ignored) at least once.
 */
export type ConversationTracker = {
  started(messageId: string): void;
  finished(messageId: string): void;
  inFlight(): number;
  wasHandled(messageId: string): boolean;
  /** The message was stored (or deliberately not: group chatter), or storing it failed for good. */
  stored(messageId: string, ok: boolean): void;
  /** Resolves true once the message is stored (or deliberately not), false if storing it failed or timed out. */
  whenStored(messageId: string, timeoutMs?: number): Promise<boolean>;
  /** Resolves when every id in `ids` was handled and nothing is in flight; rejects after `timeoutMs`. */
  waitFor(ids: readonly string[], timeoutMs?: number): Promise<void>;
};

/** Handled ids kept for waitFor; older ones are forgotten (a long-running simulator must not grow without bound). */
const REMEMBERED = 10_000;

export function createTracker(): ConversationTracker {
  let inFlight = 0;
  const handled = new Set<string>();
  let waiters: { check(): boolean; resolve(): void }[] = [];
  const storedIds = new Map<string, boolean>();
  const storeWaiters = new Map<string, ((ok: boolean) => void)[]>();
  const wake = () => {
    waiters = waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  };
  return {
    started() {
      inFlight++;
    },
    finished(messageId) {
      inFlight = Math.max(0, inFlight - 1);
      handled.add(messageId);
      if (handled.size > REMEMBERED) handled.delete(handled.values().next().value as string);
      wake();
    },
    stored(messageId, ok) {
      storedIds.set(messageId, ok);
      if (storedIds.size > REMEMBERED) storedIds.delete(storedIds.keys().next().value as string);
      for (const resolve of storeWaiters.get(messageId) ?? []) resolve(ok);
      storeWaiters.delete(messageId);
    },
    whenStored(messageId, timeoutMs = 60_000) {
      const known = storedIds.get(messageId);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), timeoutMs);
        const done = (ok: boolean) => {
          clearTimeout(timer);
          const left = (storeWaiters.get(messageId) ?? []).filter((w) => w !== done);
          if (left.length) storeWaiters.set(messageId, left);
          else storeWaiters.delete(messageId);
          resolve(ok);
        };
        storeWaiters.set(messageId, [...(storeWaiters.get(messageId) ?? []), done]);
      });
    },
    inFlight: () => inFlight,
    wasHandled: (id) => handled.has(id),
    waitFor(ids, timeoutMs = 15_000) {
      const check = () => inFlight === 0 && ids.every((id) => handled.has(id));
      if (check()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.resolve !== done);
          reject(new Error(`the bot did not finish within ${timeoutMs} ms (in flight: ${inFlight}, waiting for ${ids.filter((id) => !handled.has(id)).join(', ') || 'nothing'})`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push({ check, resolve: done });
      });
    },
  };
}
