import { hash, verify } from '@node-rs/argon2';

/** Thrown when more password checks are asked for than the gate lets wait: answer "busy, try again". */
export class PasswordWorkBusyError extends Error {
  constructor() {
    super('too many password checks at once');
    this.name = 'PasswordWorkBusyError';
  }
}

/**
 * At most `concurrency` argon2 computations at once (each takes ~19 MiB and a core for tens of ms), at most
 * `queue` more waiting; anything beyond is refused at once, so a flood of log-ins costs a 503, not the memory
 * and the latency of everyone else.
 */
export function createWorkGate({ concurrency, queue }: { concurrency: number; queue: number }) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= concurrency) {
        if (waiting.length >= queue) throw new PasswordWorkBusyError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else active++;
      try {
        return await work();
      } finally {
        // Hand the slot straight to the next waiter (active stays counted), or give it back.
        const next = waiting.shift();
        if (next) next();
        else active--;
      }
    },
    stats: () => ({ active, waiting: waiting.length }),
  };
}

/** The process's gate: libuv's 4 threads, 16 waiting (a wait of well under a second). */
export const passwordGate = createWorkGate({ concurrency: 4, queue: 16 });

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's minimum for argon2id). */
export function hashPassword(plain: string): Promise<string> {
  return hash(plain);
}

/** Checks a password through the gate; throws PasswordWorkBusyError when the gate is full. */
export async function verifyPassword(hashed: string, plain: string): Promise<boolean> {
  return passwordGate.run(async () => {
    try {
      return await verify(hashed, plain);
    } catch {
      return false;
    }
  });
}
