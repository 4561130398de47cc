import { hostname } from 'node:os';
import type { AppContext, Logger } from '../app-context';
import type { Database } from '../db/client';
import type { CalendarProvider } from '../modules/calendar/calendar.repository';
import type { OrderDeps } from '../modules/work-orders/work-orders.deps';
import type { Clock } from '../shared/clock';

/** What every job needs, passed in. `orderDeps` is for the use cases a job calls (escalation, survey time-out). */
export type JobDeps = {
  db: Database;
  clock: Clock;
  calendar: CalendarProvider;
  orderDeps: OrderDeps;
  botAccount: string;
  /** PUBLIC_URL: the console's address in links sent to staff (a path alone when unset). */
  publicUrl?: string;
  log: Logger;
  /** OVERDUE_ESCALATE_AFTER_WORKING_DAYS */
  overdueEscalateAfterDays: number;
  /** Recorded on run keys, to see which instance ran a report. */
  instance: string;
  /** Most orders one sweep handles per rule; the rest wait for the next sweep. */
  batchSize: number;
};

export function jobDepsFrom(ctx: AppContext, { instance, batchSize = 500 }: { instance?: string; batchSize?: number } = {}): JobDeps {
  return {
    db: ctx.db,
    clock: ctx.clock,
    calendar: ctx.calendar,
    orderDeps: ctx.orderDeps,
    botAccount: ctx.config.BOT_ACCOUNT,
    publicUrl: ctx.config.PUBLIC_URL,
    log: ctx.log,
    overdueEscalateAfterDays: ctx.config.OVERDUE_ESCALATE_AFTER_WORKING_DAYS,
    instance: instance ?? `${hostname()}:${process.pid}`,
    batchSize,
  };
}

/** What a periodic job reports: the run key of its period, whether this call made it, and how many messages. */
export type PeriodicResult = { key: string | null; ran: boolean; sent: number };
