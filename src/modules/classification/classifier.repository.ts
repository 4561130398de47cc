import { readFileSync } from 'node:fs';
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { assertOutsideTransaction } from '../../db/transaction-guard';
import type { Tokenize } from '../../shared/text/tokenizer';
import { categories } from '../categories/categories.table';
import { orderEvents, workOrders } from '../work-orders/work-orders.table';
import { type TrainedModel, type TrainingExample, train } from './trained.models';

/** The labelled demands the product ships with; the tests measure the classifier on the same file. */
export const TRAINING_FILE = new URL('./training/demands.json', import.meta.url);

/** The newest corrections learnt from: enough for years of a district's console work, bounded all the same. */
export const MAX_CORRECTIONS = 20_000;

let shipped: TrainingExample[] | undefined;

/** The shipped training set, read once per process. */
export function shippedExamples(): TrainingExample[] {
  shipped ??= JSON.parse(readFileSync(TRAINING_FILE, 'utf8')) as TrainingExample[];
  return shipped;
}

/**
 * Every category an officer set by hand in the console ("改类别"), as a training example: the order's text and
 * the category it was moved to (the latest move of an order wins). Oldest first, so that when the same text
 * was corrected twice the later correction is the one train() keeps.
 */
export async function loadCorrections(db: Database, limit = MAX_CORRECTIONS): Promise<TrainingExample[]> {
  const rows = await db
    .select({ orderId: orderEvents.orderId, text: workOrders.text, category: categories.code, urgency: workOrders.urgency })
    .from(orderEvents)
    .innerJoin(workOrders, eq(workOrders.id, orderEvents.orderId))
    .innerJoin(categories, eq(categories.id, sql`(${orderEvents.data}->>'toCategoryId')::int`))
    .where(eq(orderEvents.type, 'change_category'))
    .orderBy(desc(orderEvents.at), desc(orderEvents.id))
    .limit(limit);
  const latest = new Map<number, TrainingExample>();
  for (const row of rows) {
    if (!latest.has(row.orderId)) latest.set(row.orderId, { text: row.text, category: row.category, urgent: row.urgency === 'urgent' });
  }
  return [...latest.values()].reverse();
}

/**
 * What a training cost: its time, and the model's size in memory estimated from its shape (a heap difference
 * measured around it mostly shows when the garbage collector happened to run). Measured at 9 118 features for
 * the shipped set: about 2.2 MiB after a forced collection.
 */
export type TrainingRun = { examples: number; corrections: number; ms: number; features: number; approxBytes: number };

/**
 * The trained model of this process. Trained on first use (or by `retrain()` at start and every night), from
 * the shipped set with the console's corrections laid over it. Use cases await `model()` before their
 * transaction; inside one, only the model already in hand is used, so classifying never reads the database
 * there. A failed read of the corrections keeps the shipped set: the bot must classify whatever happens.
 */
export type DemandClassifier = {
  model(): Promise<TrainedModel>;
  retrain(): Promise<TrainingRun>;
  lastRun(): TrainingRun | undefined;
};

export function createDemandClassifier({
  db,
  tokenize,
  onError = () => {},
}: {
  db: Database;
  tokenize: Tokenize;
  onError?: (error: unknown) => void;
}): DemandClassifier {
  let current: Promise<TrainedModel> | undefined;
  let last: TrainingRun | undefined;

  const build = async (): Promise<{ model: TrainedModel; run: TrainingRun }> => {
    assertOutsideTransaction(db, 'classifier.retrain()');
    let corrections: TrainingExample[] = [];
    try {
      corrections = await loadCorrections(db);
    } catch (error) {
      onError(error);
    }
    const started = performance.now();
    const model = train({ examples: [...shippedExamples(), ...corrections], tokenize });
    const run = {
      examples: model.examples,
      corrections: corrections.length,
      ms: Math.round(performance.now() - started),
      features: model.logLikelihood.size,
      // Per feature: its key (~40 bytes with the string), the map entry (~40) and a number array (16 + 8 each).
      approxBytes: model.logLikelihood.size * (96 + 8 * model.categories.length),
    };
    return { model, run };
  };

  return {
    model() {
      current ??= build().then(
        ({ model, run }) => {
          last = run;
          return model;
        },
        (error: unknown) => {
          current = undefined; // the next demand tries again
          throw error;
        },
      );
      return current;
    },
    async retrain() {
      const { model, run } = await build();
      // Swapped in only when ready: demands arriving meanwhile use the previous model.
      current = Promise.resolve(model);
      last = run;
      return run;
    },
    lastRun: () => last,
  };
}
