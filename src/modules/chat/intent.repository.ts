import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { orderEvents, workOrders } from '../work-orders/work-orders.table';
import { inboundMessages } from './chat.table';
import { type InboundRow, latestInbound } from './inbound.repository';
import type { SurveyReading } from './intent.models';

/** When the resident last chased this order (催办), or null. */
export async function lastUrgeAt(db: Database, orderId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: orderEvents.at })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'urge')))
    .orderBy(desc(orderEvents.at))
    .limit(1);
  return row?.at ?? null;
}

/** The resident's latest order in these statuses created since `since` (a withdrawal after a withdrawal). */
export async function latestOwnOrder(
  db: Database,
  { residentId, statuses, since }: { residentId: number; statuses: string[]; since: Date },
): Promise<{ id: number; no: number } | undefined> {
  const [row] = await db
    .select({ id: workOrders.id, no: workOrders.no })
    .from(workOrders)
    .where(and(eq(workOrders.residentId, residentId), inArray(workOrders.status, statuses as never[]), gte(workOrders.createdAt, since)))
    .orderBy(desc(workOrders.createdAt), desc(workOrders.id))
    .limit(1);
  return row;
}

/** What a message of the bot's asking "which order?" keeps, to take the one-key answer that follows. */
export type WhichOrderAsk = {
  ask: 'which_order';
  intent: 'follow_up' | 'status_question' | 'cancellation' | 'added_detail' | 'survey_answer';
  nos: number[];
  text: string;
  survey?: SurveyReading;
};

/** The person's latest unanswered "which order?" since `since`. */
export function latestWhichOrderAsk(db: Database, { fromKey, since }: { fromKey: string; since: Date }): Promise<InboundRow | undefined> {
  return latestInbound(db, { fromKey, since, where: and(eq(inboundMessages.outcome, 'reply'), sql`${inboundMessages.payload}->>'ask' = 'which_order'`) });
}

/** Marks a "which order?" as answered, once: false when another message took it already. */
export async function closeWhichOrderAsk(db: Database, id: number): Promise<boolean> {
  const updated = await db
    .update(inboundMessages)
    .set({ payload: sql`jsonb_set(${inboundMessages.payload}, '{ask}', '"answered"')` })
    .where(and(eq(inboundMessages.id, id), sql`${inboundMessages.payload}->>'ask' = 'which_order'`))
    .returning({ id: inboundMessages.id });
  return updated.length === 1;
}

/** A held demand's text with the resident's added detail, while it stays held (only if still in `outcome`). */
export async function appendToHeld(db: Database, { id, outcome, text }: { id: number; outcome: string; text: string }): Promise<boolean> {
  const updated = await db
    .update(inboundMessages)
    .set({ payload: sql`jsonb_set(${inboundMessages.payload}, '{text}', to_jsonb(${text}::text))` })
    .where(and(eq(inboundMessages.id, id), eq(inboundMessages.outcome, outcome)))
    .returning({ id: inboundMessages.id });
  return updated.length === 1;
}

/** The person's latest held demand they withdrew (filed 'ignored' with `withdrawn`), since `since`. */
export function latestWithdrawnHeld(db: Database, { fromKey, since }: { fromKey: string; since: Date }): Promise<InboundRow | undefined> {
  return latestInbound(db, {
    fromKey,
    since,
    where: and(eq(inboundMessages.outcome, 'ignored'), sql`(${inboundMessages.payload}->>'withdrawn')::boolean is true`),
  });
}
