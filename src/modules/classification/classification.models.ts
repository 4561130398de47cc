import { compactText } from '../../shared/text/normalize';
import type { Tokenize } from '../../shared/text/tokenizer';
import { type RankedCategory, type TrainedModel, predict } from './trained.models';
import { fixTypos } from './typos.models';
import { findUrgentTerms } from './urgency.models';

export { URGENT_TERMS, findUrgentTerms } from './urgency.models';

export const FALLBACK_CATEGORY_CODE = 'other';

export type ClassifiableCategory = {
  code: string;
  keywords: readonly string[];
  defaultUrgency: 'normal' | 'urgent';
};

export type DemandClassification = {
  categoryCode: string;
  urgent: boolean;
  /** The urgent terms found in the text (empty when urgency only comes from the category). */
  urgentTerms: string[];
  /** 0 when nothing matched; grows with the winning score and its lead over the runner-up. */
  confidence: number;
  /** The winning category's keywords found in the text. */
  matched: string[];
};

/**
 * Picks the category of a demand. Known typos are read as meant first (fixTypos). With a trained model, its
 * probabilities are blended with the keywords' (see blend); without one, the keywords alone decide. A keyword
 * matches wherever it appears in the compacted text, so odd segmentations ("路/灯不亮") still match; matches
 * that are also jieba tokens weigh more (see keywordWeight). A keyword inside a longer matched keyword of the
 * same category is not counted twice. Urgency comes from the urgent rules only (findUrgentTerms), never from
 * the model: a life-safety rule must not depend on what a model happened to learn.
 */
export function classifyDemand({
  text,
  categories,
  tokenize,
  model,
}: {
  text: string;
  categories: readonly ClassifiableCategory[];
  tokenize: Tokenize;
  /** The trained model; without it the keywords alone decide (as before there was one). */
  model?: TrainedModel;
}): DemandClassification {
  const read = fixTypos(text);
  const keywords = keywordScores({ text: read, categories, tokenize });
  const urgentTerms = keywords.urgentTerms;
  const ranked = model ? blend({ keywords, model, text, tokenize, categories }) : undefined;
  const winnerCode = ranked ? ranked[0]?.code : keywords.scored[0] && keywords.scored[0].score > 0 ? keywords.scored[0].category.code : undefined;
  const categoryCode = winnerCode ?? FALLBACK_CATEGORY_CODE;
  const keywordWinner = keywords.scored.find((s) => s.category.code === categoryCode);
  const urgentByCategory = categories.find((c) => c.code === categoryCode)?.defaultUrgency === 'urgent';

  const best = keywords.scored[0];
  const keywordConfidence = best && best.score > 0 ? confidenceOf(best.score, keywords.scored[1]?.score ?? 0) : 0;
  return {
    categoryCode,
    urgent: urgentTerms.length > 0 || urgentByCategory,
    urgentTerms,
    confidence: ranked ? Math.round((ranked[0]?.probability ?? 0) * 100) / 100 : keywordConfidence,
    matched: keywordWinner?.matched.map((m) => m.keyword) ?? [],
  };
}

type ScoredCategory = { category: ClassifiableCategory; index: number; matched: KeywordMatch[]; score: number; longest: number };

/**
 * The keyword score of every category, best first. Ties go to the category with the longest matched keyword,
 * then to the earlier category in the list.
 */
export function keywordScores({
  text,
  categories,
  tokenize,
}: {
  text: string;
  categories: readonly ClassifiableCategory[];
  tokenize: Tokenize;
}): { scored: ScoredCategory[]; urgentTerms: string[] } {
  // The urgent detector reads many phrasings as one danger ("电梯卡在两层中间" → 电梯困人); a category that
  // lists that danger as a keyword gets the credit as if the resident had written it.
  const urgentTerms = findUrgentTerms({ text });
  const tokens = new Set([...tokenize(text), ...urgentTerms]);
  const compact = [compactText(text), ...urgentTerms].join('|');

  const scored = categories.map((category, index) => {
    const matched = matchKeywords({ keywords: category.keywords, tokens, compact });
    const score = matched.reduce((sum, m) => sum + m.weight, 0);
    const longest = matched.reduce((max, m) => Math.max(max, m.keyword.length), 0);
    return { category, index, matched, score, longest };
  });
  scored.sort((a, b) => b.score - a.score || b.longest - a.longest || a.index - b.index);
  return { scored, urgentTerms };
}

/**
 * How much the keywords count against the trained model. Measured by 10-fold cross-validation on the training
 * set (see tests/unit/classification/classification.accuracy.test.ts): the model alone and the keywords alone
 * both do worse than the mix.
 */
export const KEYWORD_WEIGHT = 0.4;

/**
 * The trained model's probabilities mixed with the keywords' share of the total keyword score. The keywords
 * are the floor: a category the model never learnt (an admin added it) is still reached through its keywords,
 * and the keyword lists an admin edits keep their effect.
 */
function blend({
  keywords,
  model,
  text,
  tokenize,
  categories,
}: {
  keywords: { scored: ScoredCategory[] };
  model: TrainedModel;
  text: string;
  tokenize: Tokenize;
  categories: readonly ClassifiableCategory[];
}): RankedCategory[] {
  const allowed = new Set(categories.map((c) => c.code));
  const learnt = predict({ model, text, tokenize, allowed });
  const total = keywords.scored.reduce((sum, s) => sum + s.score, 0);
  if (learnt.length === 0 && total === 0) return [];
  const learntWeight = learnt.length === 0 ? 0 : total === 0 ? 1 : 1 - KEYWORD_WEIGHT;
  const byCode = new Map(learnt.map((r) => [r.code, r.probability]));
  const mixed = keywords.scored.map((s) => ({
    code: s.category.code,
    index: s.index,
    probability: learntWeight * (byCode.get(s.category.code) ?? 0) + (1 - learntWeight) * (total > 0 ? s.score / total : 0),
  }));
  mixed.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return mixed.map(({ code, probability }) => ({ code, probability }));
}

type KeywordMatch = { keyword: string; weight: number };

function matchKeywords({
  keywords,
  tokens,
  compact,
}: {
  keywords: readonly string[];
  tokens: ReadonlySet<string>;
  compact: string;
}): KeywordMatch[] {
  const found: (KeywordMatch & { at: number[] })[] = [];
  for (const keyword of compacted(keywords)) {
    if (!keyword || found.some((f) => f.keyword === keyword)) continue;
    const at = occurrences(compact, keyword);
    if (at.length === 0) continue;
    found.push({ keyword, weight: keywordWeight(keyword, tokens.has(keyword)), at });
  }
  // "物业费" and "物业" both match "物业费"; the shorter one only counts where it stands on its own.
  return found
    .filter((m) =>
      m.at.some(
        (start) =>
          !found.some(
            (o) =>
              o.keyword.length > m.keyword.length &&
              o.at.some((os) => os <= start && start + m.keyword.length <= os + o.keyword.length),
          ),
      ),
    )
    .map(({ keyword, weight }) => ({ keyword, weight }));
}

/**
 * compactText of a category's keywords, kept per keywords array: the category cache hands out the same arrays
 * for every demand, and compacting some 500 keywords each time cost more than the matching. The result is the
 * same either way.
 */
const compactedKeywords = new WeakMap<readonly string[], string[]>();

function compacted(keywords: readonly string[]): string[] {
  let found = compactedKeywords.get(keywords);
  if (!found) compactedKeywords.set(keywords, (found = keywords.map((k) => compactText(k))));
  return found;
}

/**
 * Longer keywords say more. A keyword jieba also cut out as a whole word gets a bonus: it agrees with the
 * reading of the sentence, while a bare substring may straddle two words (a lone "漏" inside "漏电").
 */
function keywordWeight(keyword: string, isToken: boolean): number {
  const length = [...keyword].length;
  if (length === 1) return isToken ? 2.5 : 1;
  return Math.min(length, 4) + (isToken ? 0.5 : 0);
}

function occurrences(haystack: string, needle: string): number[] {
  const starts: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) starts.push(at);
  return starts;
}

function confidenceOf(score: number, runnerUp: number): number {
  const lead = (score - runnerUp) / score;
  const strength = Math.min(score, 6) / 6;
  return Math.round((0.5 * lead + 0.5 * strength) * 100) / 100;
}
