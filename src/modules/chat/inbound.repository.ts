import { type SQL, and, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { inboundMessages } from './chat.table';

export type InboundRow = typeof inboundMessages.$inferSelect;

/**
 * What the bot made of a message. The 'pending_*' outcomes hold a demand for the resident's answer; a
 * resolver moves a row out of them with a conditional update, so a late answer and the sweep never both act.
 */
export type InboundOutcome =
  | 'order'
  | 'pending_duplicate'
  | 'pending_vague'
  | 'pending_grid'
  /** A one-key question to a member of staff ("回复 1 签收 #1007…"); never a held demand, so no sweep touches it. */
  | 'pending_staff'
  | 'resolving'
  | 'supported'
  | 'answer'
  | 'command'
  | 'survey'
  | 'attachment'
  | 'attachment_held'
  | 'attachment_unlinked'
  | 'attachment_too_large'
  | 'unbound_group'
  | 'grid_unknown'
  | 'bind'
  | 'bind_failed'
  | 'reply'
  | 'refused'
  /** A 举报 / complaint naming a neighbour written in a group: asked to tell it 1:1 (privacy.usecases). */
  | 'private'
  | 'ignored'
  | 'error'
  /** Claimed too often without an outcome (it crashed the bot, or the database kept failing): given up, with an apology. */
  | 'failed';

export const STAFF_QUESTION_OUTCOME = 'pending_staff' satisfies InboundOutcome;

export const PENDING_DEMAND_OUTCOMES = ['pending_duplicate', 'pending_vague', 'pending_grid'] as const;
export type PendingOutcome = (typeof PENDING_DEMAND_OUTCOMES)[number];

/** What a held demand needs to be submitted later. */
export type PendingDemandPayload = {
  contactId: string;
  residentId: number;
  gridId: number | null;
  chatGroupId: number | null;
  channel: 'group' | 'direct';
  text: string;
  lat?: number | null;
  lng?: number | null;
  locationText?: string | null;
  candidates?: { no: number; text: string }[];
  gridOptions?: { id: number; name: string; code: string }[];
};

/**
 * Stores a message before anything else happens. Null when a row with this message id exists: the chat
 * network delivered the same event again, and nothing more must happen.
 */
export async function recordInbound(
  db: Database,
  row: Omit<typeof inboundMessages.$inferInsert, 'id' | 'outcome' | 'processedAt'>,
): Promise<InboundRow | null> {
  const [inserted] = await db.insert(inboundMessages).values(row).onConflictDoNothing({ target: inboundMessages.messageId }).returning();
  return inserted ?? null;
}

/**
 * Files what the bot made of a message. With `claim` (the lease of the processing that claimed it), only while
 * that claim holds: a bot whose claim lapsed and was taken over files nothing (false).
 */
export async function finishInbound(
  db: Database,
  {
    id,
    outcome,
    orderId,
    error,
    fromKey,
    payload,
    now,
    claim,
  }: {
    id: number;
    outcome: InboundOutcome;
    orderId?: number | null;
    error?: string | null;
    fromKey?: string | null;
    payload?: unknown;
    now: Date;
    claim?: Date;
  },
): Promise<boolean> {
  const updated = await db
    .update(inboundMessages)
    .set({
      outcome,
      processedAt: now,
      ...(claim ? { lockedUntil: null } : {}),
      ...(orderId !== undefined ? { orderId } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(fromKey ? { fromKey } : {}),
      ...(payload !== undefined ? { payload } : {}),
    })
    .where(and(eq(inboundMessages.id, id), claim ? and(isNull(inboundMessages.outcome), eq(inboundMessages.lockedUntil, claim)) : undefined))
    .returning({ id: inboundMessages.id });
  return updated.length === 1;
}

/**
 * The person's latest stored message since `since` that also meets `where` (newest first, on the sender index):
 * the one place the "what did the bot last ask or hold for this person" lookups are written.
 */
export async function latestInbound(db: Database, { fromKey, since, where }: { fromKey: string; since: Date; where: SQL | undefined }): Promise<InboundRow | undefined> {
  const [row] = await db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.fromKey, fromKey), gte(inboundMessages.receivedAt, since), where))
    .orderBy(desc(inboundMessages.receivedAt), desc(inboundMessages.id))
    .limit(1);
  return row;
}

/** The person's latest held demand of these kinds since `since` (in a group: that group's). */
export function latestPending(
  db: Database,
  { fromKey, outcomes, since, roomId }: { fromKey: string; outcomes: readonly PendingOutcome[]; since: Date; roomId?: string | null },
): Promise<InboundRow | undefined> {
  const room = roomId === undefined ? undefined : roomId === null ? isNull(inboundMessages.roomId) : eq(inboundMessages.roomId, roomId);
  return latestInbound(db, { fromKey, since, where: and(inArray(inboundMessages.outcome, [...outcomes]), room) });
}

/** Takes a held demand out of its pending outcome; false when someone else (the sweep, a repeat) already did. */
export async function claimPending(db: Database, { id, from }: { id: number; from: readonly string[] }): Promise<InboundRow | null> {
  const [row] = await db
    .update(inboundMessages)
    .set({ outcome: 'resolving' })
    .where(and(eq(inboundMessages.id, id), inArray(inboundMessages.outcome, [...from])))
    .returning();
  return row ?? null;
}

/** Held demands whose answer did not come in time, oldest first. */
export async function duePendingDemands(db: Database, { before, limit }: { before: Date; limit: number }): Promise<InboundRow[]> {
  return db
    .select()
    .from(inboundMessages)
    .where(and(inArray(inboundMessages.outcome, [...PENDING_DEMAND_OUTCOMES]), lt(inboundMessages.receivedAt, before)))
    .orderBy(inboundMessages.receivedAt)
    .limit(limit);
}

export async function countOutcomes(
  db: Database,
  { fromKey, outcome, since }: { fromKey: string; outcome: InboundOutcome; since: Date },
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(inboundMessages)
    .where(and(eq(inboundMessages.fromKey, fromKey), eq(inboundMessages.outcome, outcome), gte(inboundMessages.receivedAt, since)));
  return Number(row?.n ?? 0);
}

/** Attachments saved while the person's demand waited for an answer. */
export async function heldAttachments(db: Database, { fromKey, since }: { fromKey: string; since: Date }): Promise<InboundRow[]> {
  return db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.fromKey, fromKey), eq(inboundMessages.outcome, 'attachment_held'), gte(inboundMessages.receivedAt, since)))
    .orderBy(inboundMessages.receivedAt);
}

/** Demands written in a group before it was bound to a grid. */
export async function unboundDemands(db: Database, { roomId, since }: { roomId: string; since: Date }): Promise<InboundRow[]> {
  return db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.roomId, roomId), eq(inboundMessages.outcome, 'unbound_group'), gte(inboundMessages.receivedAt, since)))
    .orderBy(inboundMessages.receivedAt);
}

export async function setOutcome(
  db: Database,
  { id, outcome, orderId, from }: { id: number; outcome: InboundOutcome; orderId?: number | null; from?: readonly string[] },
): Promise<boolean> {
  const updated = await db
    .update(inboundMessages)
    .set({ outcome, ...(orderId !== undefined ? { orderId } : {}) })
    .where(and(eq(inboundMessages.id, id), from ? inArray(inboundMessages.outcome, [...from]) : undefined))
    .returning({ id: inboundMessages.id });
  return updated.length > 0;
}
