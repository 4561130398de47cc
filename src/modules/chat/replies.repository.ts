import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { outbox } from '../notifications/outbox.table';

/** How long an in-place claim holds a notice; if the bot dies before sending, the sender takes it over. */
export const IN_PLACE_LOCK_MS = 2 * 60_000;

export type ClaimedNotice = { id: number; text: string; kind: string; lockedUntil: Date };

/** The notices claimed for the reply, and how many others the command wrote (waiting for, or taken by, the sender). */
export type SpeakerNotices = { claimed: ClaimedNotice[]; waiting: number };

/**
 * The notices a command just wrote to the person who gave it ("已受理 #1024…", "已撤回…") are delivered as the
 * reply in the conversation they are having, instead of a second message from the sender. They are claimed
 * exactly as the sender claims rows ('sending' with a lock), so the two never both send one; a notice waiting
 * behind an earlier unsent message to the same person about the same order is left to the sender, which keeps
 * their order.
 */
export async function claimNoticesForSpeaker({
  db,
  botAccount,
  orderIds,
  residentId,
  staffId,
  afterId,
  now,
}: {
  db: Database;
  botAccount: string;
  orderIds: number[];
  residentId?: number | null;
  staffId?: number | null;
  /** Only notices written after this id: the command's own, not an older one still waiting for the sender. */
  afterId: number;
  now: Date;
}): Promise<SpeakerNotices> {
  if (orderIds.length === 0 || (residentId == null && staffId == null)) return { claimed: [], waiting: 0 };
  const recipient =
    residentId != null
      ? and(eq(outbox.recipientType, 'resident'), eq(outbox.residentId, residentId))
      : and(eq(outbox.recipientType, 'staff'), eq(outbox.staffId, staffId!));
  const lockedUntil = new Date(now.getTime() + IN_PLACE_LOCK_MS);
  // Notices about the same order keep their order; older unsent ones about other orders do not hold up a reply.
  const noEarlierUnsent = sql`not exists (
    select 1 from ${outbox} as earlier
    where earlier.bot_account = ${outbox.botAccount}
      and earlier.status in ('pending', 'sending')
      and earlier.id < ${outbox.id}
      and earlier.id <= ${afterId}
      and earlier.order_id = ${outbox.orderId}
      and earlier.recipient_type = ${outbox.recipientType}
      and earlier.staff_id is not distinct from ${outbox.staffId}
      and earlier.resident_id is not distinct from ${outbox.residentId}
  )`;
  const claimed = await db
    .update(outbox)
    .set({ status: 'sending', lockedUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(
      and(
        eq(outbox.botAccount, botAccount),
        eq(outbox.status, 'pending'),
        gt(outbox.id, afterId),
        inArray(outbox.orderId, orderIds),
        recipient,
        noEarlierUnsent,
      ),
    )
    .returning({ id: outbox.id, text: outbox.text, kind: outbox.kind, lockedUntil: outbox.lockedUntil });
  const [left] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(and(eq(outbox.botAccount, botAccount), gt(outbox.id, afterId), inArray(outbox.orderId, orderIds), recipient));
  return {
    claimed: claimed.map((c) => ({ id: c.id, text: c.text, kind: c.kind, lockedUntil: c.lockedUntil ?? lockedUntil })).sort((a, b) => a.id - b.id),
    waiting: Number(left?.n ?? 0) - claimed.length,
  };
}

/** The newest outbox id now: notices a command writes after this point are its own. */
export async function outboxHighWater(db: Database): Promise<number> {
  const [row] = await db.select({ id: sql<number>`coalesce(max(${outbox.id}), 0)::bigint` }).from(outbox);
  return Number(row?.id ?? 0);
}

/**
 * After an in-place delivery: 'sent', or back to 'pending' for the sender to retry. Only while this claim holds
 * (status 'sending' with this lock), the same fencing the sender uses.
 */
export async function settleNotice(
  db: Database,
  { id, lockedUntil, sent, via, error, now }: { id: number; lockedUntil: Date; sent: boolean; via: 'direct' | 'room'; error?: string; now: Date },
): Promise<boolean> {
  const holds = and(eq(outbox.id, id), eq(outbox.status, 'sending'), eq(outbox.lockedUntil, lockedUntil));
  const updated = await db
    .update(outbox)
    .set(
      sent
        ? { status: 'sent', sentAt: now, deliveredVia: via, lockedUntil: null, lastError: null }
        : { status: 'pending', nextAttemptAt: now, lockedUntil: null, lastError: error ?? 'in-place reply failed' },
    )
    .where(holds)
    .returning({ id: outbox.id });
  return updated.length === 1;
}
