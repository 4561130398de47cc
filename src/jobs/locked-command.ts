import { type SQL, and, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import type { OrderDeps } from '../modules/work-orders/work-orders.deps';
import { workOrders } from '../modules/work-orders/work-orders.table';
import { DomainError } from '../shared/errors/domain-error';
import type { JobDeps } from './job-deps';

export type LockedOutcome = 'done' | 'skipped' | { refused: DomainError };

/**
 * Runs an order use case (escalation, survey time-out) for a job, once however many instances run: the order
 * is locked with `FOR UPDATE SKIP LOCKED` only while it still matches `stillDue` (the state the rule was
 * evaluated on), so an instance that comes second either skips the locked row or finds it changed. The use
 * case runs inside the same transaction (its own transaction becomes a savepoint), together with `claim`,
 * which sets the job's marker. A refusal (no one above, already at the top) rolls back the use case only;
 * `onRefused` may then record the attempt so the next sweeps do not retry it at once.
 */
export async function runLockedCommand({
  deps,
  orderId,
  stillDue,
  claim,
  command,
  onRefused,
}: {
  deps: JobDeps;
  orderId: number;
  stillDue: SQL | undefined;
  claim?: (tx: Database) => Promise<void>;
  command: (orderDeps: OrderDeps) => Promise<unknown>;
  onRefused?: (tx: Database, error: DomainError) => Promise<void>;
}): Promise<LockedOutcome> {
  return deps.db.transaction(async (tx) => {
    const locked = await tx
      .select({ id: workOrders.id })
      .from(workOrders)
      .where(and(eq(workOrders.id, orderId), stillDue))
      .for('update', { skipLocked: true });
    if (locked.length === 0) return 'skipped';
    await claim?.(tx);
    try {
      await command({ ...deps.orderDeps, db: tx });
      return 'done';
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      deps.log.warn({ orderId, code: error.code, err: error.message }, 'job could not apply its command to the order');
      await onRefused?.(tx, error);
      return { refused: error };
    }
  });
}
