import { readFileSync } from 'node:fs';
import type { TrainedModel } from '../classification/trained.models';
import type { Tokenize } from '../../shared/text/tokenizer';
import { type IntentExample, trainIntentModel } from './intent-model.models';

/** The labelled conversational messages the product ships and learns from (in sync with the test fixture). */
export const INTENT_TRAINING_FILE = new URL('./training/intents.json', import.meta.url);

let trained: { tokenize: Tokenize; model: TrainedModel } | undefined;

/**
 * The intent model, trained once on first use (in memory, about 100 ms): no database, nothing to migrate, and a
 * change of the shipped examples takes effect on the next start. Retrained if another tokenizer is passed (tests).
 */
export function intentModel(tokenize: Tokenize): TrainedModel {
  if (trained?.tokenize !== tokenize) {
    const { messages } = JSON.parse(readFileSync(INTENT_TRAINING_FILE, 'utf8')) as { messages: IntentExample[] };
    trained = { tokenize, model: trainIntentModel({ examples: messages, tokenize }) };
  }
  return trained.model;
}
