import { compactText, normalizeText } from '../../shared/text/normalize';
import type { Tokenize } from '../../shared/text/tokenizer';
import { type ClassifiableCategory, FALLBACK_CATEGORY_CODE, classifyDemand } from './classification.models';
import { PLACE_MARKERS, mentionsPlace, stripDemandMarkers } from './demand-text.models';
import type { TrainedModel } from './trained.models';

/** One problem of a message that named several: its own text, category and urgency. */
export type DemandPart = { text: string; categoryCode: string; urgent: boolean; urgentTerms: string[] };

/** More than this many problems in one message is a list, not a report: it stays one order for a person to read. */
export const MAX_PARTS = 4;

/**
 * How sure a clause's category must be before it stands as a problem of its own. Below it, a clause only
 * describes the problem next to it ("晚上黑漆漆的", "老人出门看不见").
 */
export const CONFIDENT = 0.5;

/** A message of more clauses than this is read as one text (and the work of splitting stays bounded). */
export const MAX_CLAUSES = 12;

/** A clause shorter than this ("臭死了") comments on the problem; it does not name another. */
export const MIN_CLAUSE_CHARS = 4;

/** Where a resident moves on to another matter: punctuation, line breaks, and "还有", "另外", "而且"... */
const CLAUSE_BREAK = /[，,。.；;！!？?\n、~～…]+|\s+|(?=还有|另外|而且|再就是|再有|顺便说|以及|再一个)/u;
const LEADING_LINK = /^(还有个|还有|另外|而且|再就是|再有|顺便说一下|顺便说|以及|再一个|就是)/u;

/**
 * A message naming several problems ("小区门口垃圾没人收，还有路灯也不亮，晚上狗叫得睡不着") split into one part
 * per problem; null when it is one problem, however many clauses describe it. A clause counts as a problem of
 * its own only when it classifies confidently and matches a category keyword of two characters or more that is not
 * a place ("人行道"); the other clauses join the
 * problem before them (or after, at the start). Neighbouring clauses of the same category are one problem. A
 * part that does not say where borrows the place another part names ("小区门口").
 */
export function splitDemand({
  text,
  categories,
  tokenize,
  model,
}: {
  text: string;
  categories: readonly ClassifiableCategory[];
  tokenize: Tokenize;
  model?: TrainedModel;
}): DemandPart[] | null {
  const clauses = stripDemandMarkers(text)
    .split(CLAUSE_BREAK)
    .map((c) => normalizeText(c ?? ''))
    .filter((c) => c.length > 0);
  if (clauses.length < 2 || clauses.length > MAX_CLAUSES) return null;
  // An urgent message stays whole: one order, handled at once, is worth more than a tidy split.
  if (classifyDemand({ text, categories, tokenize, model }).urgent) return null;

  type Group = { clauses: string[]; categoryCode: string | null };
  const groups: Group[] = [];
  let leading: string[] = [];
  for (const clause of clauses) {
    const got = classifyDemand({ text: clause, categories, tokenize, model });
    const confident =
      got.categoryCode !== FALLBACK_CATEGORY_CODE &&
      got.matched.some((k) => [...k].length >= 2 && !PLACE_MARKERS.includes(k)) &&
      got.confidence >= CONFIDENT &&
      [...compactText(clause)].length >= MIN_CLAUSE_CHARS;
    const current = groups.at(-1);
    if (!confident) {
      if (current) current.clauses.push(clause);
      else leading.push(clause);
    } else if (current && current.categoryCode === got.categoryCode) {
      current.clauses.push(clause);
    } else {
      groups.push({ clauses: [...leading, clause], categoryCode: got.categoryCode });
      leading = [];
    }
  }
  // "垃圾没人收，路灯不亮，垃圾桶也坏了": the two sanitation clauses are one problem.
  const merged: Group[] = [];
  for (const group of groups) {
    const same = merged.find((m) => m.categoryCode === group.categoryCode);
    if (same) same.clauses.push(...group.clauses);
    else merged.push(group);
  }
  if (merged.length < 2 || merged.length > MAX_PARTS) return null;

  const texts = merged.map((g) => joinClauses(g.clauses));
  const place = texts.map(placeOf).find((p) => p !== undefined);
  return merged.map((g, i) => {
    const own = texts[i]!;
    const partText = !mentionsPlace(own) && place ? `${place} ${own}` : own;
    const got = classifyDemand({ text: partText, categories, tokenize, model });
    return { text: partText, categoryCode: g.categoryCode!, urgent: got.urgent, urgentTerms: got.urgentTerms };
  });
}

function joinClauses(clauses: string[]): string {
  return clauses.map((c, i) => (i === 0 ? c.replace(LEADING_LINK, '') || c : c)).join('，');
}

const PLACE_PATTERN = new RegExp(
  `(?:\\d+\\s*(?:号楼|号|栋|幢|单元|室)|[\\p{Script=Han}\\d]{0,4}?(?:${[...PLACE_MARKERS].sort((a, b) => b.length - a.length).join('|')}))+`,
  'u',
);

/** The place a part names ("小区门口", "3号楼"), to lend to the parts that do not say where. */
export function placeOf(text: string): string | undefined {
  return text.match(PLACE_PATTERN)?.[0];
}
