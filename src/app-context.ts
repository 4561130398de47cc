import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config/config';
import type { Database, DatabaseKind } from './db/client';
import type { CalendarProvider } from './modules/calendar/calendar.repository';
import type { CategoryProvider } from './modules/categories/categories.repository';
import type { DemandClassifier } from './modules/classification/classifier.repository';
import type { OrderDeps } from './modules/work-orders/work-orders.deps';
import type { Clock } from './shared/clock';
import type { Tokenize } from './shared/text/tokenizer';

export type Logger = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;

/**
 * Everything a part of the product (console, jobs, bot) needs, built once in main.ts (or a test) and passed
 * down. Nothing in here is looked up globally.
 */
export type AppContext = {
  config: Config;
  db: Database;
  dbKind: DatabaseKind;
  clock: Clock;
  calendar: CalendarProvider;
  categories: CategoryProvider;
  tokenize: Tokenize;
  /** The trained demand classifier: trained on first use, retrained at start and nightly by the jobs. */
  classifier: DemandClassifier;
  orderDeps: OrderDeps;
  log: Logger;
};
