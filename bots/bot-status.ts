/**
 * The bot's connection, as the console shows it: logging in (with the QR code to scan), online as whom, or
 * offline since when. In memory, one per bot process; nothing here imports Wechaty, so the console may read it.
 */
export type BotState = 'starting' | 'scan' | 'online' | 'offline';

export type BotStatusSnapshot = {
  state: BotState;
  /** The login QR code's content while state is 'scan'. */
  qrcode?: string;
  /** The logged-in account's name. */
  user?: string;
  since: Date;
  puppet: string;
  lastError?: string;
};

export type BotStatus = BotStatusSnapshot & {
  update(patch: Partial<Omit<BotStatusSnapshot, 'since' | 'puppet'>> & { state: BotState }): void;
  snapshot(): BotStatusSnapshot;
  onChange(listener: (status: BotStatusSnapshot) => void): () => void;
};

let current: BotStatus | undefined;

/** The status of the bot running in this process, if any (the console's status page reads it). */
export function currentBotStatus(): BotStatusSnapshot | undefined {
  return current?.snapshot();
}

export function createBotStatus({ puppet, now = () => new Date() }: { puppet: string; now?: () => Date }): BotStatus {
  const listeners = new Set<(status: BotStatusSnapshot) => void>();
  const status: BotStatus = {
    state: 'starting',
    since: now(),
    puppet,
    update(patch) {
      const changed = patch.state !== status.state;
      if (patch.state !== 'scan') delete status.qrcode;
      Object.assign(status, patch);
      if (changed) status.since = now();
      const snap = status.snapshot();
      for (const listener of listeners) {
        try {
          listener(snap);
        } catch {
          // A listener's failure is its own; the status stays right.
        }
      }
    },
    snapshot() {
      const { state, qrcode, user, since, lastError } = status;
      return { state, qrcode, user, since, puppet, lastError };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  current = status;
  return status;
}
