import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { outbox } from '../notifications/outbox.table';
import { inboundMessages } from './chat.table';
import type { InboundRow } from './inbound.repository';

/**
 * Stores a message as it arrives, before any processing. `fresh` is false when a row with this id was already
 * there: the chat network delivered the event again (the caller decides, by its outcome, whether it still needs
 * processing).
 */
export async function storeInbound(
  db: Database,
  row: Omit<typeof inboundMessages.$inferInsert, 'id' | 'outcome' | 'processedAt' | 'attempts' | 'lockedUntil'>,
): Promise<{ row: InboundRow; fresh: boolean }> {
  const [inserted] = await db.insert(inboundMessages).values(row).onConflictDoNothing({ target: inboundMessages.messageId }).returning();
  if (inserted) return { row: inserted, fresh: true };
  const [existing] = await db.select().from(inboundMessages).where(eq(inboundMessages.messageId, row.messageId));
  if (!existing) throw new Error(`inbound message ${row.messageId} vanished while it was stored`);
  return { row: existing, fresh: false };
}

/** Unprocessed rows of one talker (the key a row has until it is processed), for keeping their order. */
export async function hasUnprocessedFrom(db: Database, { botAccount, fromKey }: { botAccount: string; fromKey: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.botAccount, botAccount), eq(inboundMessages.fromKey, fromKey), isNull(inboundMessages.outcome)))
    .limit(1);
  return Boolean(row);
}

/**
 * Takes an unprocessed row for processing until `lockedUntil`: a conditional update, so of two bots (or a bot
 * and its own sweep) exactly one gets it. Never while an earlier row of the same talker is still unprocessed:
 * a talker's messages are processed in the order they were stored. Counts the attempt.
 */
export async function claimInbound(db: Database, { id, now, lockedUntil }: { id: number; now: Date; lockedUntil: Date }): Promise<InboundRow | null> {
  const [row] = await db
    .update(inboundMessages)
    .set({ lockedUntil, attempts: sql`${inboundMessages.attempts} + 1` })
    .where(
      and(
        eq(inboundMessages.id, id),
        isNull(inboundMessages.outcome),
        or(isNull(inboundMessages.lockedUntil), lt(inboundMessages.lockedUntil, now)),
        sql`not exists (
          select 1 from ${inboundMessages} as earlier
          where earlier.bot_account = ${inboundMessages.botAccount}
            and earlier.from_key = ${inboundMessages.fromKey}
            and earlier.outcome is null
            and earlier.id < ${inboundMessages.id}
        )`,
      ),
    )
    .returning();
  return row ?? null;
}

/** Gives a claimed row back (processing failed for a passing reason): the sweep takes it again. */
export async function releaseInbound(db: Database, { id, lockedUntil, error }: { id: number; lockedUntil: Date; error: string }): Promise<void> {
  await db
    .update(inboundMessages)
    .set({ lockedUntil: null, error })
    .where(and(eq(inboundMessages.id, id), isNull(inboundMessages.outcome), eq(inboundMessages.lockedUntil, lockedUntil)));
}

/** A group message kept only in case it was an answer, which turned out to be chatter: not kept. */
export async function forgetInbound(db: Database, { id, lockedUntil }: { id: number; lockedUntil: Date }): Promise<void> {
  await db
    .delete(inboundMessages)
    .where(and(eq(inboundMessages.id, id), isNull(inboundMessages.outcome), eq(inboundMessages.lockedUntil, lockedUntil)));
}

/**
 * Rows nobody has processed: stored before `before` (a short grace, so a row the live path is about to take is
 * left to it) and not held by a live claim. In storage order, which is each talker's order.
 */
export async function unprocessedInbound(
  db: Database,
  { botAccount, before, now, limit }: { botAccount: string; before: Date; now: Date; limit: number },
): Promise<InboundRow[]> {
  return db
    .select()
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.botAccount, botAccount),
        isNull(inboundMessages.outcome),
        lt(inboundMessages.receivedAt, before),
        or(isNull(inboundMessages.lockedUntil), lt(inboundMessages.lockedUntil, now)),
      ),
    )
    .orderBy(asc(inboundMessages.id))
    .limit(limit);
}

export type ReplyDraft = {
  text: string;
  recipientType: 'resident' | 'staff';
  residentId: number | null;
  staffId: number | null;
  chatGroupId: number | null;
};

/**
 * The replies to one message, written to the outbox with a key per message and position, so processing it again
 * writes none twice. `inPlaceUntil`: claimed for delivery in the conversation (as the sender claims rows); if the
 * bot dies before sending, the claim lapses and the sender delivers them. Null: left to the sender.
 */
export async function writeReplies(
  tx: Database,
  { botAccount, messageId, replies, inPlaceUntil, now }: { botAccount: string; messageId: string; replies: ReplyDraft[]; inPlaceUntil: Date | null; now: Date },
): Promise<{ id: number; lockedUntil: Date | null; position: number }[]> {
  if (replies.length === 0) return [];
  const rows = await tx
    .insert(outbox)
    .values(
      replies.map((r, i) => ({
        botAccount,
        kind: 'reply',
        orderId: null,
        recipientType: r.recipientType,
        residentId: r.residentId,
        staffId: r.staffId,
        chatGroupId: r.chatGroupId,
        text: r.text,
        dedupeKey: `reply:${messageId}:${i}`,
        createdAt: now,
        ...(inPlaceUntil ? { status: 'sending' as const, lockedUntil: inPlaceUntil, attempts: 1 } : {}),
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id, lockedUntil: outbox.lockedUntil, dedupeKey: outbox.dedupeKey });
  return rows.map((r) => ({ id: r.id, lockedUntil: r.lockedUntil, position: Number(r.dedupeKey!.split(':').at(-1)) }));
}

/**
 * Drops every claim on unprocessed rows: only when this process is the only one that can hold any (embedded
 * PGlite, one process per data directory), so the claims are a dead process's and need not lapse first.
 */
export async function dropClaims(db: Database, { botAccount }: { botAccount: string }): Promise<number> {
  const rows = await db
    .update(inboundMessages)
    .set({ lockedUntil: null })
    .where(and(eq(inboundMessages.botAccount, botAccount), isNull(inboundMessages.outcome), sql`${inboundMessages.lockedUntil} is not null`))
    .returning({ id: inboundMessages.id });
  return rows.length;
}
