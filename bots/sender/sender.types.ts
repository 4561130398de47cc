import type { Logger } from '../../src/app-context';
import type { Database } from '../../src/db/client';
import type { BackoffConfig, PacingConfig, Random } from '../../src/modules/notifications/pacing.models';
import type { Clock } from '../../src/shared/clock';
import type { OutboxChannel } from '../../src/modules/notifications/outbox.repository';
import type { WecomApi } from '../../src/modules/wecom/wecom.api';
import type { Transport } from './transport';

/** The WeCom app, for a sender of the 'wecom' channel. */
export type WecomDelivery = {
  api: WecomApi;
  /** Messages to one member in any 60 s (WeCom drops what goes past 30, errcode 45009). */
  memberPerMinute: number;
};

/** Waits `ms`; production uses timers, tests advance a manual clock instead. */
export type Sleep = (ms: number) => Promise<void>;

export type OutboxSenderOptions = {
  db: Database;
  botAccount: string;
  transport: Transport;
  clock: Clock;
  random: Random;
  sleep: Sleep;
  pacing: PacingConfig;
  backoff: BackoffConfig;
  maxAttempts: number;
  /**
   * The lease: how long a claim holds. A send that has not answered after sendTimeoutMs is left behind (the sender
   * moves on) but keeps its claim until the lease ends, so a late answer settles it and nobody sends it meanwhile.
   */
  lockMs: number;
  sendTimeoutMs: number;
  /**
   * A puppet notices a logout only a while after the server ended the session; tries that failed this long
   * before the logout was noticed (and after the last delivery) are given back. Default: lockMs.
   */
  logoutGraceMs?: number;
  /** Longest idle sleep: new rows are written by other code without telling the sender. */
  idlePollMs: number;
  /** False while the bot is logged out: nothing is claimed, rows stay pending. */
  isOnline: () => boolean;
  log: Logger;
  /**
   * Which rows this sender takes when the WeCom app sends beside the bot: 'wechat' (the bot) or 'wecom' (the app,
   * with `wecom`). Unset when WeCom is off: every row, through `transport`.
   */
  channel?: OutboxChannel;
  wecom?: WecomDelivery;
};

export type StepResult =
  | { kind: 'offline' }
  | { kind: 'idle' }
  | { kind: 'stopped' }
  | { kind: 'sent'; id: number }
  | { kind: 'retry'; id: number }
  /** The send did not answer in time: left behind, still claimed, settled by a late answer or after the lease. */
  | { kind: 'timeout'; id: number }
  | { kind: 'dead'; id: number }
  /** Kept out of a group by the noise budget: settled, on record, not sent. */
  | { kind: 'withheld'; id: number }
  /** WeCom could not deliver it for good (or the member is no longer bound): handed to the WeChat sender. */
  | { kind: 'fallback'; id: number };

export type OutboxSender = {
  /** Claims and settles at most one due row (waiting for the pace first). */
  step(): Promise<StepResult>;
  /** Delivers everything due now; returns what happened to each row. For tests and for catching up. */
  drain(): Promise<StepResult[]>;
  /** Runs until stop(): steps, sleeping while idle or offline. */
  run(): Promise<void>;
  /** Cuts an idle or offline sleep short (login, new work). */
  wake(): void;
  /**
   * True when nothing is due and no send is under way (offline counts as idle: nothing can be done). When work
   * is due it wakes the loop, so whoever waits for idleness does not wait out a poll interval.
   */
  idle(): Promise<boolean>;
  /** Waits until the late answers of hung sends that have come in are recorded (tests). */
  settled(): Promise<void>;
  stop(): Promise<void>;
};
