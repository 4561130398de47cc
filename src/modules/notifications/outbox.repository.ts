import { type SQL, and, asc, desc, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { chatGroups } from '../chat/chat.table';
import { residents } from '../people/residents.table';
import { staff } from '../people/staff.table';
import { outbox } from './outbox.table';

export type OutboxRow = typeof outbox.$inferSelect;
export type OutboxStatus = OutboxRow['status'];

/**
 * A row this sender holds. `lockedUntil` doubles as the claim's fencing token: a sender whose claim expired and was
 * taken over by another can no longer change the row.
 */
export type ClaimedRow = OutboxRow & { lockedUntil: Date };

/**
 * Due now: pending and never tried, or its retry time has come; or claimed by a sender that has not finished in
 * time (crashed). A row never tried is due at once whatever its `next_attempt_at`: writers leave that to the
 * database's clock, which need not agree with the injected clock the sender runs on.
 */
function dueCondition(now: Date): SQL {
  return or(
    and(eq(outbox.status, 'pending'), or(eq(outbox.attempts, 0), lte(outbox.nextAttemptAt, now))),
    and(eq(outbox.status, 'sending'), lte(outbox.lockedUntil, now)),
  )!;
}

/** Which sender a row belongs to, when the WeCom app sends beside the WeChat bot. */
export type OutboxChannel = 'wechat' | 'wecom';

/**
 * A row the WeCom app sends: to a member of staff who is active and bound to a WeCom userid, and either answers a
 * WeCom message (channel 'wecom') or is for a member who prefers WeCom and was not sent back to WeChat (channel
 * null). Decided at claim time, so binding, unbinding or a change of preference applies to waiting rows too.
 */
const wecomRow = sql`(${outbox.recipientType} = 'staff' and ${outbox.channel} is distinct from 'wechat' and exists (
  select 1 from ${staff} where ${staff.id} = ${outbox.staffId} and ${staff.active} and ${staff.wecomUserId} is not null
    and (${outbox.channel} = 'wecom' or ${staff.preferredChannel} = 'wecom')))`;

/**
 * No filter when WeCom is off: the WeChat sender takes every row, as it always did. `skipStaffIds`: members the
 * WeCom sender may not write to this minute (their rows wait, untouched).
 */
function channelCondition(channel: OutboxChannel | undefined, skipStaffIds: number[] = []): SQL | undefined {
  if (!channel) return undefined;
  if (channel === 'wechat') return sql`not ${wecomRow}`;
  if (skipStaffIds.length === 0) return wecomRow;
  return and(wecomRow, sql`${outbox.staffId} <> all(${`{${skipStaffIds.map((n) => Math.trunc(n)).join(',')}}`}::int[])`);
}

/** Who a row is for (a resident row's group is only its fallback, not its recipient). */
const recipientKey = sql<string>`${outbox.recipientType} || ':' || coalesce(${outbox.staffId}, ${outbox.residentId}, ${outbox.chatGroupId}, 0)`;

/**
 * Messages to one recipient go out in the order they were written: only the oldest unsent row of each recipient
 * (its head) may go out, so a retried "已签收" can not arrive after "已办结". One sort of the account's unsent rows
 * per claim, where a correlated NOT EXISTS was quadratic in the backlog.
 */
function headsOf(db: Database, botAccount: string) {
  return db.$with('heads').as(
    db
      .selectDistinctOn([recipientKey], { headId: sql<number>`${outbox.id}`.as('head_id') })
      .from(outbox)
      .where(and(eq(outbox.botAccount, botAccount), inArray(outbox.status, ['pending', 'sending'])))
      .orderBy(recipientKey, asc(outbox.id)),
  );
}

/**
 * Claims up to `limit` due rows of one bot account (never two of one recipient): marks them 'sending' until
 * `now + lockMs` and counts the try. `FOR UPDATE SKIP LOCKED` plus the re-checked condition in the UPDATE mean
 * two senders on one database never claim the same row; a crashed sender's claims become due again when they
 * expire (and count as a try, so a message that crashes the sender every time still ends dead-lettered).
 */
export async function claimDueOutbox({
  db,
  botAccount,
  now,
  lockMs,
  limit = 1,
  channel,
  skipStaffIds,
}: {
  db: Database;
  botAccount: string;
  now: Date;
  lockMs: number;
  limit?: number;
  /** Only this sender's rows (unset: every row, when WeCom is off). */
  channel?: OutboxChannel;
  skipStaffIds?: number[];
}): Promise<ClaimedRow[]> {
  const lockedUntil = new Date(now.getTime() + lockMs);
  const heads = headsOf(db, botAccount);
  // CTEs, not `id IN (subquery)`: Postgres may evaluate an IN-subquery more than once, and with SKIP LOCKED each
  // evaluation can pick other rows, so LIMIT would not hold.
  const picked = db.$with('picked').as(
    db
      .select({ pickedId: sql<number>`${outbox.id}`.as('picked_id') })
      .from(outbox)
      .innerJoin(heads, eq(outbox.id, heads.headId))
      .where(and(dueCondition(now), channelCondition(channel, skipStaffIds)))
      // Oldest first: a retried message was written before the fresh ones waiting behind it.
      .orderBy(asc(outbox.id))
      .limit(limit)
      .for('update', { of: outbox, skipLocked: true }),
  );
  const claimed = await db
    .with(heads, picked)
    .update(outbox)
    .set({ status: 'sending', lockedUntil, attempts: sql`${outbox.attempts} + 1` })
    .from(picked)
    .where(and(eq(outbox.id, picked.pickedId), dueCondition(now)))
    .returning();
  return claimed.map((row) => ({ ...row, lockedUntil: row.lockedUntil ?? lockedUntil })).sort((a, b) => a.id - b.id);
}

/** Whether a row of this account could be claimed now (the simulator and tests wait until none is left). */
export async function hasDueOutbox({
  db,
  botAccount,
  now,
  channel,
  skipStaffIds,
}: {
  db: Database;
  botAccount: string;
  now: Date;
  channel?: OutboxChannel;
  skipStaffIds?: number[];
}): Promise<boolean> {
  const heads = headsOf(db, botAccount);
  const [row] = await db
    .with(heads)
    .select({ id: outbox.id })
    .from(outbox)
    .innerJoin(heads, eq(outbox.id, heads.headId))
    .where(and(dueCondition(now), channelCondition(channel, skipStaffIds)))
    .limit(1);
  return row !== undefined;
}

/** Only the holder of the current claim may settle a row. */
function holdsClaim(claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>): SQL {
  return and(eq(outbox.id, claim.id), eq(outbox.status, 'sending'), eq(outbox.lockedUntil, claim.lockedUntil))!;
}

/**
 * Records a delivery, right after the chat network accepted it and in its own statement, so that a crash after
 * this point can not send it again. False when the claim had been lost (the row was taken over after expiring).
 */
export async function markOutboxSent({
  db,
  claim,
  via,
  now,
}: {
  db: Database;
  claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>;
  via: 'direct' | 'room' | 'wecom';
  now: Date;
}): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'sent', sentAt: now, deliveredVia: via, lockedUntil: null, lastError: null })
    .where(holdsClaim(claim))
    .returning({ id: outbox.id });
  return updated.length === 1;
}

/**
 * A failed try: back to 'pending' until `nextAttemptAt`. `refundAttempt` gives the try back when the failure was
 * not the message's (the bot was logged out mid-send).
 */
export async function scheduleOutboxRetry({
  db,
  claim,
  nextAttemptAt,
  error,
  refundAttempt = false,
}: {
  db: Database;
  claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>;
  nextAttemptAt: Date;
  error: string;
  refundAttempt?: boolean;
}): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({
      status: 'pending',
      nextAttemptAt,
      lockedUntil: null,
      lastError: error,
      ...(refundAttempt ? { attempts: sql`greatest(${outbox.attempts} - 1, 0)` } : {}),
    })
    .where(holdsClaim(claim))
    .returning({ id: outbox.id });
  return updated.length === 1;
}

/**
 * Gives up on a row (after the last try, or at once when nobody can be reached); an admin sees it and may retry.
 * `attempts` corrects the count when the claim that finds a row out of tries is not a try itself.
 */
export async function deadLetterOutbox({
  db,
  claim,
  error,
  attempts,
}: {
  db: Database;
  claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>;
  error: string;
  attempts?: number;
}): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'dead', lockedUntil: null, lastError: error, ...(attempts === undefined ? {} : { attempts }) })
    .where(holdsClaim(claim))
    .returning({ id: outbox.id });
  return updated.length === 1;
}

/** Notes why a claimed row is not settled yet (a send that hangs): the console shows it; the claim stays. */
export async function noteOutboxError({
  db,
  claim,
  error,
}: {
  db: Database;
  claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>;
  error: string;
}): Promise<boolean> {
  const updated = await db.update(outbox).set({ lastError: error }).where(holdsClaim(claim)).returning({ id: outbox.id });
  return updated.length === 1;
}

/** A try that failed: the row and its attempt count right after that try was settled. */
export type FailedTry = { id: number; attempts: number };

/**
 * Gives tries back that were not the message's fault (the bot turned out to be logged out): each row goes back to
 * 'pending' with one try fewer, due at once, even when that try had dead-lettered it. Newest first, and only a
 * row that has not moved on since (same count, still pending or dead), so an admin's retry or a later delivery
 * is never undone. Returns how many tries were given back.
 */
export async function refundOutboxTries({ db, tries, now }: { db: Database; tries: FailedTry[]; now: Date }): Promise<number> {
  let refunded = 0;
  for (const t of [...tries].reverse()) {
    const updated = await db
      .update(outbox)
      .set({ status: 'pending', attempts: sql`${outbox.attempts} - 1`, nextAttemptAt: now, lockedUntil: null })
      .where(and(eq(outbox.id, t.id), eq(outbox.attempts, t.attempts), gt(outbox.attempts, 0), inArray(outbox.status, ['pending', 'dead'])))
      .returning({ id: outbox.id });
    refunded += updated.length;
  }
  return refunded;
}

export type DeadLetter = Pick<
  OutboxRow,
  'id' | 'botAccount' | 'kind' | 'orderId' | 'recipientType' | 'text' | 'attempts' | 'lastError' | 'createdAt'
> & {
  staffName: string | null;
  residentName: string | null;
  groupTopic: string | null;
};

/** Dead letters, newest first, with who they were for: what the console lists for an admin to fix and retry. */
export async function listDeadLetters({
  db,
  botAccount,
  limit = 50,
  offset = 0,
}: {
  db: Database;
  botAccount?: string;
  limit?: number;
  offset?: number;
}): Promise<DeadLetter[]> {
  return db
    .select({
      id: outbox.id,
      botAccount: outbox.botAccount,
      kind: outbox.kind,
      orderId: outbox.orderId,
      recipientType: outbox.recipientType,
      text: outbox.text,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      staffName: staff.name,
      residentName: sql<string | null>`coalesce(${residents.name}, ${residents.chatName})`,
      groupTopic: chatGroups.topic,
    })
    .from(outbox)
    .leftJoin(staff, eq(staff.id, outbox.staffId))
    .leftJoin(residents, eq(residents.id, outbox.residentId))
    .leftJoin(chatGroups, eq(chatGroups.id, outbox.chatGroupId))
    .where(and(eq(outbox.status, 'dead'), botAccount ? eq(outbox.botAccount, botAccount) : undefined))
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(limit)
    .offset(offset);
}

/**
 * Puts a dead letter back in the queue with a fresh set of tries (after an admin bound the staff member, fixed the
 * group, ...). The last error stays visible until it is delivered. False when the row is not dead.
 */
export async function retryDeadLetter({ db, id, now }: { db: Database; id: number; now: Date }): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'dead')))
    .returning({ id: outbox.id });
  return updated.length === 1;
}

export type OutboxCounts = Record<OutboxStatus, number>;

export async function countOutboxByStatus({
  db,
  botAccount,
}: {
  db: Database;
  botAccount?: string;
}): Promise<OutboxCounts> {
  const found = await db
    .select({ status: outbox.status, n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(botAccount ? eq(outbox.botAccount, botAccount) : undefined)
    .groupBy(outbox.status);
  const counts: OutboxCounts = { pending: 0, sending: 0, sent: 0, dead: 0 };
  for (const { status, n } of found) counts[status] = Number(n);
  return counts;
}

/**
 * When the next retry or expired claim of this account falls due, so an idle sender can sleep until then; null
 * when none is waiting. Fresh rows are not counted: the sender just found none it could claim, and new ones
 * written meanwhile are found by its regular poll.
 */
export async function nextOutboxDueAt({ db, botAccount, channel }: { db: Database; botAccount: string; channel?: OutboxChannel }): Promise<Date | null> {
  const [row] = await db
    .select({
      at: sql<Date | string | null>`min(case when ${outbox.status} = 'pending' then ${outbox.nextAttemptAt} else ${outbox.lockedUntil} end)`,
    })
    .from(outbox)
    .where(
      and(
        eq(outbox.botAccount, botAccount),
        or(and(eq(outbox.status, 'pending'), gt(outbox.attempts, 0)), eq(outbox.status, 'sending')),
        channelCondition(channel),
      ),
    );
  const at = row?.at;
  return at === null || at === undefined ? null : new Date(at);
}

/**
 * A notice the group budget keeps out of a group (see noise.models): settled without being sent, and kept. It is
 * 'sent' as far as the queue goes (nothing is left to do, nothing for an admin to retry), `delivered_via`
 * 'withheld' and no `sent_at` say it never went out, and `last_error` says why. The claim's try is given back:
 * `attempts` counts tries to reach the chat network, and none was made.
 */
export async function withholdOutbox({
  db,
  claim,
  reason,
}: {
  db: Database;
  claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>;
  reason: string;
}): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'sent', deliveredVia: 'withheld', lockedUntil: null, lastError: reason, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
    .where(holdsClaim(claim))
    .returning({ id: outbox.id });
  return updated.length === 1;
}

/**
 * Unsent notices written together with `row` (same order, same transaction: the same `created_at`) to other
 * residents: a follower told of the step the reporter is told of. The sender folds those bound for the same group
 * into one line @-mentioning everybody.
 */
export async function pendingCompanions({
  db,
  row,
}: {
  db: Database;
  row: Pick<OutboxRow, 'id' | 'botAccount' | 'orderId' | 'residentId'>;
}): Promise<OutboxRow[]> {
  if (row.orderId === null || row.residentId === null) return [];
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.botAccount, row.botAccount),
        eq(outbox.orderId, row.orderId),
        // Compared in the database: a JavaScript Date drops the microseconds Postgres keeps.
        sql`${outbox.createdAt} = (select same.created_at from ${outbox} as same where same.id = ${row.id})`,
        eq(outbox.status, 'pending'),
        eq(outbox.recipientType, 'resident'),
        sql`${outbox.residentId} <> ${row.residentId}`,
        sql`${outbox.id} <> ${row.id}`,
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(50);
}

/**
 * Claims companions to be folded into a line being sent, under the sending row's lease (no try is counted: the
 * line is the primary row's try). Only rows still pending: one another sender took meanwhile is left to it.
 */
export async function claimCompanions({
  db,
  ids,
  lockedUntil,
}: {
  db: Database;
  ids: number[];
  lockedUntil: Date;
}): Promise<ClaimedRow[]> {
  if (ids.length === 0) return [];
  const claimed = await db
    .update(outbox)
    .set({ status: 'sending', lockedUntil })
    .where(and(inArray(outbox.id, ids), eq(outbox.status, 'pending')))
    .returning();
  return claimed.map((r) => ({ ...r, lockedUntil: r.lockedUntil ?? lockedUntil }));
}

/**
 * A row the WeCom app cannot deliver (the member left the app's range, or its tries ran out) goes to WeChat with a
 * fresh set of tries: another channel, another count. The reason stays as its last error.
 */
export async function sendOutboxByWechat({ db, claim, error, now }: { db: Database; claim: Pick<ClaimedRow, 'id' | 'lockedUntil'>; error: string; now: Date }): Promise<boolean> {
  const updated = await db
    .update(outbox)
    .set({ status: 'pending', channel: 'wechat', attempts: 0, nextAttemptAt: now, lockedUntil: null, lastError: error })
    .where(holdsClaim(claim))
    .returning({ id: outbox.id });
  return updated.length === 1;
}
