/**
 * The chat network of the fault suite: a fake transport that fails, hangs, answers late or refuses everything while
 * the account is logged out, and writes down every call and every delivery by outbox id (each row's text carries
 * its id, see `tagNewRows`).
 */
import { gt, sql } from 'drizzle-orm';
import { SimulatedNetworkError } from '../../bots/sender/flaky-transport';
import type { ContactTarget, RoomTarget, Transport } from '../../bots/sender/transport';
import type { Database } from '../../src/db/client';
import { outbox } from '../../src/modules/notifications/outbox.table';
import type { Random } from '../../src/modules/notifications/pacing.models';
import type { Clock } from '../../src/shared/clock';

/** ok: delivered; fail: refused; hang: never answers (and never arrives); late: arrives and answers after lateMs;
 * logout: refused because the session is gone; gone: the contact no longer exists (always refused). */
export type CallKind = 'ok' | 'fail' | 'hang' | 'late' | 'logout' | 'gone';
export type Call = { id: number; at: number; kind: CallKind };
export type Delivery = { id: number; at: number };

export type FaultRates = { fail: number; hang: number; late: number };

const TAG = /⟨(\d+)⟩$/u;

/** Appends ` ⟨id⟩` to every row written since the last call, so the network can tell rows apart. */
export async function tagNewRows(db: Database, after: { id: number }): Promise<void> {
  const tagged = await db
    .update(outbox)
    .set({ text: sql`${outbox.text} || ' ⟨' || ${outbox.id} || '⟩'` })
    .where(gt(outbox.id, after.id))
    .returning({ id: outbox.id });
  for (const { id } of tagged) after.id = Math.max(after.id, id);
}

export function createFaultyNetwork({
  clock,
  random,
  rates,
  lateMs,
  loggedOut,
  goneContacts,
}: {
  clock: Clock;
  random: Random;
  rates: FaultRates;
  lateMs: number;
  /** True while the server has ended the session (whether or not the puppet knows yet). */
  loggedOut: () => boolean;
  /** Contact ids that the network no longer knows (a resident who deleted the bot). */
  goneContacts: Set<string>;
}) {
  const calls: Call[] = [];
  const deliveries: Delivery[] = [];
  const late: { due: number; deliver: () => void }[] = [];

  function send(text: string, contactId: string | null): Promise<void> {
    const id = Number(text.match(TAG)?.[1]);
    if (!Number.isInteger(id)) throw new Error(`untagged message: ${text}`);
    const at = clock.now().getTime();
    const call = (kind: CallKind) => calls.push({ id, at, kind });
    if (loggedOut()) {
      call('logout');
      return Promise.reject(new Error('sendMsg failed: BaseResponse.Ret=1101 (session ended)'));
    }
    if (contactId && goneContacts.has(contactId)) {
      call('gone');
      return Promise.reject(new Error(`contact not found (id ${contactId})`));
    }
    const r = random();
    if (r < rates.fail) {
      call('fail');
      return Promise.reject(new SimulatedNetworkError());
    }
    if (r < rates.fail + rates.hang) {
      call('hang');
      return new Promise<void>(() => {});
    }
    if (r < rates.fail + rates.hang + rates.late) {
      call('late');
      return new Promise<void>((resolve) => {
        late.push({
          due: at + lateMs,
          deliver: () => {
            deliveries.push({ id, at: clock.now().getTime() });
            resolve();
          },
        });
      });
    }
    call('ok');
    deliveries.push({ id, at });
    return Promise.resolve();
  }

  const transport: Transport = {
    sendToContact: async (to: ContactTarget, text: string) => send(text, to.contactId),
    sendToRoom: async (_room: RoomTarget, text: string) => send(text, null),
  };

  return {
    transport,
    calls,
    deliveries,
    /** Lets the late answers that are due by `now` arrive; returns how many did. */
    answerLate(now: number): number {
      const due = late.filter((l) => l.due <= now);
      for (const l of due) {
        late.splice(late.indexOf(l), 1);
        l.deliver();
      }
      return due.length;
    },
  };
}

/** The token-bucket rule of pacing.models: any stretch of sends holds at most burst + span/minGap of them. */
export function pacingViolations(times: number[], { burst, minGapMs }: { burst: number; minGapMs: number }): string[] {
  const sorted = [...times].sort((a, b) => a - b);
  const problems: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + burst; j < sorted.length; j++) {
      const allowed = burst + Math.floor((sorted[j]! - sorted[i]!) / minGapMs);
      if (j - i + 1 > allowed) problems.push(`${j - i + 1} sends in ${sorted[j]! - sorted[i]!} ms (allowed ${allowed})`);
    }
  }
  return problems;
}

/** The shortest time between a send and the one `burst` places after it: the sustained pace, bursts excluded. */
export function minSustainedGapMs(times: number[], burst: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let min = Infinity;
  for (let i = 0; i + burst < sorted.length; i++) min = Math.min(min, sorted[i + burst]! - sorted[i]!);
  return min;
}
