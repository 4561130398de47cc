import type { Random } from '../../src/modules/notifications/pacing.models';
import type { Transport } from './transport';

export class SimulatedNetworkError extends Error {
  constructor() {
    super('simulated network failure');
    this.name = 'SimulatedNetworkError';
  }
}

/**
 * A chat network that drops a share of sends before they reach anyone (seeded, so a failing test fails the same
 * way again). Wraps a real transport in tests and in the simulator's chaos mode.
 */
export function createFlakyTransport({
  inner,
  failureRate,
  random,
}: {
  inner: Transport;
  failureRate: number;
  random: Random;
}): Transport & { failures(): number } {
  let failed = 0;
  const maybeFail = () => {
    if (random() < failureRate) {
      failed += 1;
      throw new SimulatedNetworkError();
    }
  };
  return {
    async sendToContact(to, text) {
      maybeFail();
      await inner.sendToContact(to, text);
    },
    async sendToRoom(room, text, mentions) {
      maybeFail();
      await inner.sendToRoom(room, text, mentions);
    },
    failures: () => failed,
  };
}
