import { and, asc, between, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { outbox } from '../notifications/outbox.table';
import { inboundMessages } from './chat.table';
import { stableKey } from './identity.models';

/** The resident's chat before the order (what they wrote, what the bot asked) is shown this far back. */
export const THREAD_LEAD_MS = 24 * 3_600_000;
/** At most this many of the resident's messages on an order page (the newest are kept). */
export const THREAD_MAX_MESSAGES = 60;

export type ThreadLine =
  | { who: 'resident'; at: Date; type: string; text: string | null; outcome: string | null; inGroup: boolean }
  | { who: 'bot'; at: Date; kind: string; text: string };

/**
 * What a resident and the bot said about an order, oldest first: the resident's messages from a day before the
 * order until it was closed that belong to this order or to none (chatter, questions, a demand still held) —
 * never those filed under another of their orders — with the bot's replies to them, and the notices about this
 * order written to the resident. Reads only indexed paths: the sender key and time, the reply keys, the order.
 */
export async function orderThread(
  db: Database,
  { orderId, residentId, from, to }: { orderId: number; residentId: number; from: Date; to: Date },
): Promise<ThreadLine[]> {
  const said = await db
    .select({
      messageId: inboundMessages.messageId,
      at: inboundMessages.receivedAt,
      type: inboundMessages.type,
      text: inboundMessages.text,
      outcome: inboundMessages.outcome,
      roomId: inboundMessages.roomId,
    })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.fromKey, stableKey('resident', residentId)),
        between(inboundMessages.receivedAt, new Date(from.getTime() - THREAD_LEAD_MS), to),
        or(eq(inboundMessages.orderId, orderId), isNull(inboundMessages.orderId)),
      ),
    )
    .orderBy(asc(inboundMessages.receivedAt), asc(inboundMessages.id))
    .then((rows) => rows.slice(-THREAD_MAX_MESSAGES));
  const replyKeys = said.flatMap((m) => [0, 1, 2].map((i) => `reply:${m.messageId}:${i}`));
  const [replies, notices] = await Promise.all([
    replyKeys.length
      ? db.select({ id: outbox.id, at: outbox.createdAt, kind: outbox.kind, text: outbox.text, dedupeKey: outbox.dedupeKey }).from(outbox).where(inArray(outbox.dedupeKey, replyKeys))
      : [],
    db
      .select({ id: outbox.id, at: outbox.createdAt, kind: outbox.kind, text: outbox.text })
      .from(outbox)
      .where(and(eq(outbox.orderId, orderId), eq(outbox.recipientType, 'resident'), eq(outbox.residentId, residentId))),
  ]);
  // Each message is followed by the bot's answers to it; the notices about the order go in by time, after the
  // messages of the same instant (a receipt is written while its message is handled).
  const repliesTo = new Map<string, typeof replies>();
  for (const r of [...replies].sort((a, b) => a.id - b.id)) {
    const messageId = r.dedupeKey!.slice('reply:'.length, r.dedupeKey!.lastIndexOf(':'));
    repliesTo.set(messageId, [...(repliesTo.get(messageId) ?? []), r]);
  }
  const bot = (r: { at: Date; kind: string; text: string }): ThreadLine => ({ who: 'bot', at: r.at, kind: r.kind, text: r.text });
  const lines: ThreadLine[] = [];
  const pending = [...notices].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  for (const m of said) {
    while (pending.length > 0 && pending[0]!.at.getTime() < m.at.getTime()) lines.push(bot(pending.shift()!));
    lines.push({ who: 'resident', at: m.at, type: m.type, text: m.text, outcome: m.outcome, inGroup: m.roomId !== null });
    for (const r of repliesTo.get(m.messageId) ?? []) lines.push(bot(r));
  }
  lines.push(...pending.map(bot));
  return lines;
}
