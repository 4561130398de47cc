import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { residents } from '../people/residents.table';
import { pointsLedger } from './points.table';

/** Points for taking part: a report that became an order, a survey answered. */
export const POINTS = { report: 2, survey: 1 } as const;

/**
 * Credits points once per (resident, reason, order): the ledger's unique index makes a repeat a no-op, and the
 * cached total moves only when the ledger row was written. Call inside the transaction of the cause.
 */
export async function awardPoints({
  db,
  residentId,
  reason,
  orderId,
  now,
}: {
  db: Database;
  residentId: number;
  reason: keyof typeof POINTS;
  orderId: number;
  now: Date;
}): Promise<number> {
  const delta = POINTS[reason];
  // One statement: the total moves only by the ledger row this insert wrote (none on a repeat). Prepared, as
  // the other statements of a new order (see work-orders.repository.ts).
  const awarded = db.$with('awarded').as(
    db.insert(pointsLedger).values({ residentId, delta, reason, orderId, at: now }).onConflictDoNothing().returning({ id: pointsLedger.id }),
  );
  const credited = await db
    .with(awarded)
    .update(residents)
    .set({ points: sql`${residents.points} + ${delta}` })
    .from(awarded)
    .where(eq(residents.id, residentId))
    .returning({ id: residents.id })
    .prepare('award_points')
    .execute();
  return credited.length > 0 ? delta : 0;
}
