import { compactText } from '../../shared/text/normalize';
import type { Tokenize } from '../../shared/text/tokenizer';
import { fixTypos } from './typos.models';
import { stripDemandMarkers } from './demand-text.models';

/** One labelled demand: what a resident wrote and the category (and urgency) it belongs to. */
export type TrainingExample = { text: string; category: string; urgent?: boolean };

/**
 * A multinomial naive Bayes model over jieba tokens and character uni-, bi- and tri-grams. Chosen over a
 * logistic regression because it trains in one counting pass (start-up stays fast, retraining at night costs
 * nothing) and it does well on a few hundred short texts; character n-grams let "路灯不亮了" and "路灯坏" share
 * evidence whatever jieba made of them, and a typo the fix list does not know still shares most of its grams.
 */
export type TrainedModel = {
  categories: string[];
  /** log P(category), by category index. */
  logPrior: number[];
  /** log P(feature | category), by category index; unseen features fall back to logUnseen. */
  logLikelihood: Map<string, number[]>;
  logUnseen: number[];
  examples: number;
};

/** Laplace smoothing below 1: with a few dozen examples per category, add-one drowns the evidence. */
const ALPHA = 0.3;

/**
 * The features of a message: each jieba token ("w:") and each character n-gram of the compacted text ("c:"),
 * counted once (presence, not frequency: "垃圾垃圾垃圾" is not three times the evidence). Markers that only
 * address the bot (@小格, 报事) and known typos are handled first.
 */
export function featuresOf(text: string, tokenize: Tokenize): string[] {
  const body = fixTypos(stripDemandMarkers(text));
  const features = new Set<string>();
  for (const token of tokenize(body)) if (!/^\d+$/u.test(token)) features.add(`w:${token}`);
  const chars = [...compactText(body).replace(/\d+/gu, '#')];
  for (let n = 1; n <= 3; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n).join('');
      if (n === 1 && gram === '#') continue;
      features.add(`c:${gram}`);
    }
  }
  return [...features];
}

/** Counts the features of every example. Later examples of the same text replace earlier ones (corrections win). */
export function train({ examples, tokenize }: { examples: readonly TrainingExample[]; tokenize: Tokenize }): TrainedModel {
  const byText = new Map<string, TrainingExample>();
  for (const example of examples) {
    const key = compactText(example.text);
    if (key) byText.set(key, example);
  }
  const unique = [...byText.values()];
  const categories = [...new Set(unique.map((e) => e.category))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const docs = categories.map(() => 0);
  const totals = categories.map(() => 0);
  const counts = new Map<string, number[]>();
  for (const example of unique) {
    const c = index.get(example.category)!;
    docs[c]!++;
    for (const feature of featuresOf(example.text, tokenize)) {
      let row = counts.get(feature);
      if (!row) counts.set(feature, (row = categories.map(() => 0)));
      row[c]!++;
      totals[c]!++;
    }
  }
  const vocabulary = counts.size;
  const denominators = totals.map((t) => Math.log(t + ALPHA * vocabulary));
  const logLikelihood = new Map<string, number[]>();
  for (const [feature, row] of counts) logLikelihood.set(feature, row.map((n, c) => Math.log(n + ALPHA) - denominators[c]!));
  return {
    categories,
    // A flat prior: the fixture's category sizes say how it was written, not how often residents report each.
    logPrior: categories.map(() => -Math.log(Math.max(categories.length, 1))),
    logLikelihood,
    logUnseen: denominators.map((d) => Math.log(ALPHA) - d),
    examples: unique.length,
  };
}

export type RankedCategory = { code: string; probability: number };

/**
 * The categories ranked by probability for a message, limited to `allowed` when given (inactive categories
 * the model learnt are left out and the rest renormalised). Features the model never saw carry no evidence.
 * The log-likelihood is divided by the number of known features before the softmax: naive Bayes multiplies
 * every n-gram as if independent, and a long message would otherwise always look certain.
 */
export function predict({
  model,
  text,
  tokenize,
  allowed,
}: {
  model: TrainedModel;
  text: string;
  tokenize: Tokenize;
  allowed?: ReadonlySet<string>;
}): RankedCategory[] {
  const candidates = model.categories.map((code, c) => ({ code, c })).filter(({ code }) => !allowed || allowed.has(code));
  if (candidates.length === 0) return [];
  const rows = featuresOf(text, tokenize)
    .map((f) => model.logLikelihood.get(f))
    .filter((row): row is number[] => row !== undefined);
  if (rows.length === 0) return [];
  const scale = TEMPERATURE / Math.sqrt(rows.length);
  const scores = candidates.map(({ code, c }) => ({
    code,
    score: (model.logPrior[c]! + rows.reduce((sum, row) => sum + row[c]!, 0)) * scale,
  }));
  const max = Math.max(...scores.map((s) => s.score));
  const exp = scores.map((s) => ({ code: s.code, e: Math.exp(s.score - max) }));
  const total = exp.reduce((sum, s) => sum + s.e, 0);
  return exp.map((s) => ({ code: s.code, probability: s.e / total })).sort((a, b) => b.probability - a.probability);
}

/** Softens the per-feature evidence into probabilities that mean something (tuned on cross-validation). */
const TEMPERATURE = 1;
