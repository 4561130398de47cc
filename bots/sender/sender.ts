import { deliveryTexts, unreachableTexts } from '../../src/i18n/zh-CN.delivery';
import { type ChatPerson, type Route, chooseRoute } from '../../src/modules/notifications/delivery.models';
import { loadGroupBudgetFacts, loadRecipientFacts } from '../../src/modules/notifications/delivery.repository';
import { type WithholdReason, applyGroupBudget, mentionsFor } from '../../src/modules/notifications/noise.models';
import { noiseTexts } from '../../src/i18n/zh-CN.noise';
import {
  type ClaimedRow,
  type FailedTry,
  claimCompanions,
  claimDueOutbox,
  deadLetterOutbox,
  hasDueOutbox,
  markOutboxSent,
  nextOutboxDueAt,
  noteOutboxError,
  pendingCompanions,
  refundOutboxTries,
  scheduleOutboxRetry,
  withholdOutbox,
} from '../../src/modules/notifications/outbox.repository';
import { afterFailure, createBucket, pacingWait, takeToken } from '../../src/modules/notifications/pacing.models';
import { sendOutboxByWechat } from '../../src/modules/notifications/outbox.repository';
import { WecomApiError } from '../../src/modules/wecom/wecom.api';
import { cardTaskId, isCardNotice, newOrderCard } from '../../src/modules/wecom/wecom.cards.models';
import { cardFactsOf, wecomTargetOf } from '../../src/modules/wecom/wecom.repository';
import { wecomTexts } from '../../src/i18n/zh-CN.wecom';
import { type MemberWindow, memberWindowWait, noteMemberSend } from '../../src/modules/wecom/wecom-pacing.models';
import type { OutboxSender, OutboxSenderOptions, StepResult } from './sender.types';

export type { OutboxSender, OutboxSenderOptions, Sleep, StepResult } from './sender.types';

class SendTimeoutError extends Error {}

/** A follower's row sharing another row's group line. */
type Folded = { claim: ClaimedRow; person: ChatPerson };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(deliveryTexts.timedOut(ms))), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function createOutboxSender(o: OutboxSenderOptions): OutboxSender {
  let bucket = createBucket({ config: o.pacing, now: o.clock.now().getTime(), random: o.random });
  let stopped = false;
  let running: Promise<void> | null = null;
  let inFlight = 0;
  const wakers = new Set<() => void>();
  /** Tries that failed since the last delivery: a logout noticed afterwards gives them back. */
  let failedSinceDelivery: (FailedTry & { at: number })[] = [];
  const lateRecords = new Set<Promise<unknown>>();
  const logoutGraceMs = o.logoutGraceMs ?? o.lockMs;
  /** WeCom: when each member (by staff id) was last sent to, for the 30-a-minute limit. */
  const memberWindows = new Map<number, MemberWindow>();

  /** Members who had their messages this minute: their rows are not claimed until the window moves on. */
  function fullMembers(): number[] | undefined {
    if (o.channel !== 'wecom' || !o.wecom) return undefined;
    const now = o.clock.now().getTime();
    const full: number[] = [];
    for (const [staffId, window] of memberWindows) {
      if (memberWindowWait({ window, now, perMinute: o.wecom.memberPerMinute }) > 0) full.push(staffId);
      else if (window.sentAt.every((t) => t <= now - 60_000)) memberWindows.delete(staffId);
    }
    return full;
  }

  /** A sleep that wake() and stop() cut short. */
  async function nap(ms: number): Promise<void> {
    if (stopped || ms <= 0) return;
    let waker = () => {};
    const woken = new Promise<void>((resolve) => (waker = resolve));
    wakers.add(waker);
    try {
      await Promise.race([o.sleep(ms), woken]);
    } finally {
      wakers.delete(waker);
    }
  }

  function wakeAll(): void {
    for (const w of [...wakers]) w();
  }

  async function send(route: Exclude<Route, { via: 'none' }>, text: string, alsoMention: ChatPerson[] = []): Promise<void> {
    if (route.via === 'direct') {
      const c = route.contact;
      await o.transport.sendToContact({ contactId: c.chatContactId, chatKey: c.chatKey, name: c.name }, text);
    } else {
      const mentions = mentionsFor(route.mention, alsoMention).map((m) => ({ contactId: m.chatContactId, chatKey: m.chatKey, name: m.name }));
      await o.transport.sendToRoom({ roomId: route.room.roomId, topic: route.room.topic }, text, mentions);
    }
  }

  /**
   * Followers told of the same step in the same group share the line (one line @-mentions several people): their
   * rows are claimed under this row's lease and settled with it. Each must be routed to this room and allowed by
   * the budget exactly as this row is.
   */
  async function foldCompanions(row: ClaimedRow, route: Exclude<Route, { via: 'none' }>, compact: boolean): Promise<Folded[]> {
    if (route.via !== 'room' || row.recipientType !== 'resident' || row.orderId === null) return [];
    const chosen = new Map<number, ChatPerson>();
    for (const c of await pendingCompanions({ db: o.db, row })) {
      const r = chooseRoute(await loadRecipientFacts({ db: o.db, row: c }));
      if (r.via !== 'room' || r.room.groupId !== route.room.groupId || !r.mention) continue;
      const facts = await loadGroupBudgetFacts({ db: o.db, row: c });
      if (!facts) continue;
      const d = applyGroupBudget({ route: r, recipientType: c.recipientType, orderId: c.orderId, kind: c.kind, dedupeKey: c.dedupeKey, facts });
      if (d.action === 'send' && d.compact === compact) chosen.set(c.id, r.mention);
    }
    const claimed = await claimCompanions({ db: o.db, ids: [...chosen.keys()], lockedUntil: row.lockedUntil });
    return claimed.map((claim) => ({ claim, person: chosen.get(claim.id)! }));
  }

  /** The shared line did not (or may not) go out: the folded rows go back to the queue to be sent on their own. */
  async function releaseFolded(folded: Folded[], error: unknown): Promise<void> {
    for (const f of folded) {
      await scheduleOutboxRetry({ db: o.db, claim: f.claim, nextAttemptAt: o.clock.now(), error: describe(error) }).catch((e: unknown) =>
        o.log.warn({ err: e, outboxId: f.claim.id }, 'outbox: a folded row could not be released; its lease will end'),
      );
    }
  }

  /**
   * The row went out: record it at once. While the database is away this keeps trying (until the sender stops): a
   * row left 'sending' would be claimed again when its lease ends and reach the person twice. Recording after the
   * lease is still right as long as nobody took the row over; if somebody did, the claim says so.
   */
  async function recordSent(row: ClaimedRow, via: 'direct' | 'room' | 'wecom'): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const held = await markOutboxSent({ db: o.db, claim: row, via, now: o.clock.now() });
        if (!held) o.log.warn({ outboxId: row.id }, 'outbox: sent after the claim was taken over; it may reach the person twice');
        return;
      } catch (error) {
        if (stopped) throw error;
        o.log.warn({ err: error, outboxId: row.id }, 'outbox: could not record a delivery; retrying');
        await nap(Math.min(5_000, 200 * 2 ** Math.min(attempt - 1, 5)));
      }
    }
  }

  async function recordFailure(row: ClaimedRow, error: unknown): Promise<StepResult> {
    const now = o.clock.now();
    const message = deliveryTexts.failed({ attempt: row.attempts, maxAttempts: o.maxAttempts, message: describe(error) });
    if (o.channel === 'wecom') {
      // WeCom refused this member for good, or its tries ran out (e.g. the server's IP left the 可信IP list): the
      // member is reached on WeChat instead, with its own tries.
      const permanent = error instanceof WecomApiError && error.kind === 'recipient';
      if (permanent || row.attempts >= o.maxAttempts) return fallBack(row, message);
    }
    if (!o.isOnline()) {
      // Logged out mid-send: not the message's fault; it waits for the next login without spending a try.
      await scheduleOutboxRetry({ db: o.db, claim: row, nextAttemptAt: now, error: message, refundAttempt: true });
      await refundLogoutTries();
      return { kind: 'retry', id: row.id };
    }
    const outcome = afterFailure({ attempts: row.attempts, maxAttempts: o.maxAttempts, now, config: o.backoff, random: o.random });
    if (outcome.status === 'dead') {
      if (await deadLetterOutbox({ db: o.db, claim: row, error: message })) noteFailure(row);
      o.log.warn({ outboxId: row.id, attempts: row.attempts, error: message }, 'outbox: dead-lettered after the last try');
      return { kind: 'dead', id: row.id };
    }
    if (await scheduleOutboxRetry({ db: o.db, claim: row, nextAttemptAt: outcome.nextAttemptAt, error: message })) noteFailure(row);
    o.log.info({ outboxId: row.id, attempts: row.attempts, retryInMs: outcome.delayMs }, 'outbox: send failed; will retry');
    return { kind: 'retry', id: row.id };
  }

  function noteFailure(row: ClaimedRow): void {
    failedSinceDelivery.push({ id: row.id, attempts: row.attempts, at: o.clock.now().getTime() });
    // Only the last stretch matters; a long outage without a logout keeps its count bounded.
    if (failedSinceDelivery.length > 1_000) failedSinceDelivery = failedSinceDelivery.slice(-1_000);
  }

  /**
   * The bot is found logged out. A web puppet learns of a logout from its next poll, so the sends just before
   * failed for that reason, not for their own: those tries (since the last delivery, within the grace) are given
   * back, and a message that one of them dead-lettered is pending again.
   */
  async function refundLogoutTries(): Promise<void> {
    if (failedSinceDelivery.length === 0) return;
    const since = o.clock.now().getTime() - logoutGraceMs;
    const tries = failedSinceDelivery.filter((f) => f.at >= since);
    failedSinceDelivery = [];
    const refunded = await refundOutboxTries({ db: o.db, tries, now: o.clock.now() });
    if (refunded > 0) o.log.warn({ refunded }, 'outbox: logged out; tries that failed just before are given back');
  }

  /**
   * The network neither took nor refused the message in time. Another try now could reach the person twice if
   * this one still gets through, so the row keeps its claim (nobody sends it) until the lease ends, and a late
   * answer settles it: sent, or failed and retried. With no answer by then the row is claimed again as a new try.
   */
  async function leaveBehind(row: ClaimedRow, via: 'direct' | 'room' | 'wecom', sending: Promise<void>, error: unknown): Promise<StepResult> {
    const track = (record: () => Promise<unknown>) => {
      const p = record().catch((e: unknown) => o.log.error({ err: e, outboxId: row.id }, 'outbox: could not record a late answer'));
      lateRecords.add(p);
      void p.finally(() => lateRecords.delete(p));
    };
    sending.then(
      () => track(() => recordSent(row, via)),
      (late: unknown) => track(() => recordFailure(row, late)),
    );
    await noteOutboxError({ db: o.db, claim: row, error: describe(error) });
    o.log.warn({ outboxId: row.id, attempts: row.attempts }, 'outbox: send did not answer; left behind until its lease ends');
    return { kind: 'timeout', id: row.id };
  }

  /** The group noise budget (noise.models) for a routed row: withhold it, or send it (as the compact line). */
  async function groupBudget(
    row: ClaimedRow,
    route: Exclude<Route, { via: 'none' }>,
  ): Promise<{ action: 'send'; text: string; compact: boolean } | { action: 'withhold'; reason: WithholdReason }> {
    const plain = { action: 'send' as const, text: row.text, compact: false };
    if (route.via !== 'room' || row.recipientType !== 'resident' || row.orderId === null) return plain;
    const facts = await loadGroupBudgetFacts({ db: o.db, row });
    if (!facts) return plain;
    const decision = applyGroupBudget({ route, recipientType: row.recipientType, orderId: row.orderId, kind: row.kind, dedupeKey: row.dedupeKey, facts });
    if (decision.action === 'withhold') return decision;
    return decision.compact ? { action: 'send', text: noiseTexts.compactGroupLine(row.text, facts.no), compact: true } : plain;
  }

  async function step(): Promise<StepResult> {
    inFlight += 1;
    try {
      return await stepOnce();
    } finally {
      inFlight -= 1;
    }
  }

  async function pauseForLogout(): Promise<StepResult> {
    await refundLogoutTries();
    return { kind: 'offline' };
  }

  async function stepOnce(): Promise<StepResult> {
    if (stopped) return { kind: 'stopped' };
    if (!o.isOnline()) return pauseForLogout();
    for (;;) {
      const paced = pacingWait({ bucket, config: o.pacing, now: o.clock.now().getTime(), random: o.random });
      bucket = paced.bucket;
      if (paced.waitMs <= 0) break;
      await nap(paced.waitMs);
      if (stopped) return { kind: 'stopped' };
      // The wait may be seconds long; a logout meanwhile means nothing goes out.
      if (!o.isOnline()) return pauseForLogout();
    }
    const [row] = await claimDueOutbox({ db: o.db, botAccount: o.botAccount, now: o.clock.now(), lockMs: o.lockMs, channel: o.channel, skipStaffIds: fullMembers() });
    if (!row) return { kind: 'idle' };
    if (row.attempts > o.maxAttempts) {
      // Its last try never answered (hung past the lease, or its sender died mid-send): it may have arrived, so
      // it is not sent again on its own; an admin checks and retries it from the console.
      const attempts = row.attempts - 1;
      await deadLetterOutbox({ db: o.db, claim: row, attempts, error: deliveryTexts.noAnswer({ attempt: attempts, maxAttempts: o.maxAttempts }) });
      o.log.warn({ outboxId: row.id, attempts }, 'outbox: last try never answered; dead-lettered');
      return { kind: 'dead', id: row.id };
    }

    if (o.channel === 'wecom') return stepWecom(row);
    const route = chooseRoute(await loadRecipientFacts({ db: o.db, row }));
    if (route.via === 'none') {
      // Nobody to send it to: retrying would not help; an admin fixes the binding and retries from the console.
      await deadLetterOutbox({ db: o.db, claim: row, error: unreachableTexts[route.reason] });
      o.log.warn({ outboxId: row.id, reason: route.reason }, 'outbox: recipient unreachable; dead-lettered');
      return { kind: 'dead', id: row.id };
    }
    const budget = await groupBudget(row, route);
    if (budget.action === 'withhold') {
      // Kept out of the group, not lost: settled as withheld with the reason, seen through 查询 and the console.
      await withholdOutbox({ db: o.db, claim: row, reason: noiseTexts.withheld[budget.reason] });
      o.log.info({ outboxId: row.id, reason: budget.reason }, 'outbox: kept out of the group (noise budget)');
      return { kind: 'withheld', id: row.id };
    }
    // The pace was waited for above, so a token is there (unless the clock went backwards: send anyway, once).
    bucket = takeToken({ bucket, config: o.pacing, now: o.clock.now().getTime(), random: o.random }).bucket;
    const folded = await foldCompanions(row, route, budget.compact);
    const sending = send(route, budget.text, folded.map((f) => f.person));
    try {
      await withTimeout(sending, o.sendTimeoutMs);
    } catch (error) {
      await releaseFolded(folded, error);
      if (error instanceof SendTimeoutError) return leaveBehind(row, route.via, sending, error);
      return recordFailure(row, error);
    }
    // The network works (a late answer says only that it worked back then, so it does not count here).
    failedSinceDelivery = [];
    await recordSent(row, route.via);
    for (const f of folded) await recordSent(f.claim, route.via);
    return { kind: 'sent', id: row.id };
  }

  async function fallBack(row: ClaimedRow, reason: string): Promise<StepResult> {
    await sendOutboxByWechat({ db: o.db, claim: row, error: wecomTexts.fellBack(reason), now: o.clock.now() });
    o.log.warn({ outboxId: row.id, reason }, 'outbox: WeCom cannot deliver it; handed to WeChat');
    return { kind: 'fallback', id: row.id };
  }

  /**
   * A row for the WeCom app: to the member's userid, as the new-order card when it offers 接单 and the order still
   * waits for it, else as text. A member whose 30-a-minute window is full is not claimed (fullMembers).
   */
  async function stepWecom(row: ClaimedRow): Promise<StepResult> {
    const wecom = o.wecom!;
    const target = row.staffId === null ? null : await wecomTargetOf(o.db, row.staffId);
    if (!target) return fallBack(row, 'unbound');
    const now = o.clock.now().getTime();
    const staffId = row.staffId!;
    const card = isCardNotice(row) && row.staffId !== null ? await cardFactsOf(o.db, { orderId: row.orderId!, staffId: row.staffId }) : null;
    bucket = takeToken({ bucket, config: o.pacing, now: o.clock.now().getTime(), random: o.random }).bucket;
    memberWindows.set(staffId, noteMemberSend({ window: memberWindows.get(staffId), now, perMinute: wecom.memberPerMinute }));
    const sending = (async () => {
      if (card?.waitsForMember) {
        await wecom.api.sendCard(target.userId, newOrderCard({ no: card.no, categoryName: card.categoryName, text: row.text, taskId: cardTaskId({ orderId: row.orderId!, outboxId: row.id }) }));
      } else {
        await wecom.api.sendText(target.userId, row.text);
      }
    })();
    try {
      await withTimeout(sending, o.sendTimeoutMs);
    } catch (error) {
      if (error instanceof SendTimeoutError) return leaveBehind(row, 'wecom', sending, error);
      if (error instanceof WecomApiError && error.kind === 'rate') {
        // WeCom counted more than we did (another process, or the app's messages sent by hand): wait a full minute.
        memberWindows.set(staffId, { sentAt: Array.from({ length: wecom.memberPerMinute }, () => now) });
      }
      if (error instanceof WecomApiError && error.kind === 'config') o.log.error({ err: error }, 'WeCom refuses the app: check its secret, agent id and 可信IP list');
      return recordFailure(row, error);
    }
    failedSinceDelivery = [];
    await recordSent(row, 'wecom');
    return { kind: 'sent', id: row.id };
  }

  async function drain(): Promise<StepResult[]> {
    const results: StepResult[] = [];
    for (;;) {
      const r = await step();
      if (r.kind === 'idle' || r.kind === 'offline' || r.kind === 'stopped') return results;
      results.push(r);
    }
  }

  async function run(): Promise<void> {
    let errors = 0;
    while (!stopped) {
      try {
        const r = await step();
        errors = 0;
        if (r.kind === 'offline') await nap(o.idlePollMs);
        else if (r.kind === 'idle') {
          const due = await nextOutboxDueAt({ db: o.db, botAccount: o.botAccount, channel: o.channel });
          const untilDue = due ? due.getTime() - o.clock.now().getTime() : o.idlePollMs;
          await nap(Math.max(10, Math.min(o.idlePollMs, untilDue)));
        }
      } catch (error) {
        // The database is away or a row could not be settled: its claim expires and it is tried again.
        errors += 1;
        o.log.error({ err: error }, 'outbox sender: step failed');
        await nap(Math.min(30_000, 500 * 2 ** Math.min(errors, 6)));
      }
    }
  }

  return {
    step,
    drain,
    run() {
      running ??= run();
      return running;
    },
    wake: wakeAll,
    async idle() {
      if (inFlight > 0) return false;
      if (stopped || !o.isOnline()) return true;
      if (!(await hasDueOutbox({ db: o.db, botAccount: o.botAccount, now: o.clock.now(), channel: o.channel, skipStaffIds: fullMembers() }))) return inFlight === 0;
      wakeAll();
      return false;
    },
    async settled() {
      // A late answer is recorded from a callback: let callbacks that are due run first.
      do {
        await new Promise((resolve) => setImmediate(resolve));
        await Promise.all([...lateRecords]);
      } while (lateRecords.size > 0);
    },
    async stop() {
      stopped = true;
      wakeAll();
      await running;
    },
  };
}
