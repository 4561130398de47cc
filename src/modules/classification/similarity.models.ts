import type { Tokenize } from '../../shared/text/tokenizer';
import { PLACE_MARKERS, stripDemandMarkers, unitNumbers } from './demand-text.models';

/**
 * At or above this a recent order is offered to the resident as "the same problem?". Tuned on the pairs in
 * tests/unit/classification/similarity.models.test.ts: duplicates there score ≥ 0.5, distinct reports ≤ 0.44.
 */
export const DUPLICATE_THRESHOLD = 0.45;
export const DUPLICATE_WINDOW_DAYS = 7;

/**
 * Words every report in a grid shares — where ("楼下", "门口"), when ("好几天"), how bad ("太", "一直") and the
 * usual complaint ("坏了", "没人管"). Left in, "楼下路灯坏了" and "楼下垃圾没人管" would look alike; taken out,
 * what remains is the thing the report is about.
 */
/** Places that are also what the report is about: "电梯坏了", "公厕太脏". */
const PLACES_THAT_ARE_SUBJECTS = new Set(['电梯', '公厕', '垃圾站', '绿化带', '人行道', '停车场', '地下车库', '车库', '步道']);

const GENERIC = new Set([
  ...PLACE_MARKERS.filter((m) => !PLACES_THAT_ARE_SUBJECTS.has(m)),
  '下面', '上面', '里面', '外面', '前面', '后面', '边上', '这边', '那边', '这里', '那里', '我家', '家里', '家门口',
  '今天', '昨天', '现在', '最近', '晚上', '白天', '早上', '好几天', '几天', '好久', '一个多月', '半个月',
  '一直', '天天', '每天', '经常', '总是', '老是', '又', '还是', '太', '很', '特别', '非常', '真的', '严重',
  '不行', '有问题', '出问题', '没人管', '没人修', '没人处理', '没人清理', '没人', '没有人',
  '没有', '不', '了', '的', '得', '在', '有', '是', '都', '也', '还', '就', '能不能', '可以', '麻烦', '谢谢',
  '希望', '赶紧', '尽快', '处理', '解决', '一下', '快点', '好', '下', '上', '里', '一股', '很大', '太大', '是不是',
  '每天晚上', '怎么', '什么', '啥', '咋', '谁', '大家', '老人', '有人', '危险', '很危险', '吓人', '害怕',
]);

/**
 * The few ways residents say the same complaint: "不亮" and "坏了" about a lamp, "噪音" and "太吵". Rewritten
 * before tokenizing. The predicate matters once places are gone: "电梯坏了" is not "电梯里有人抽烟".
 */
const SAME_COMPLAINT: readonly [RegExp, string][] = [
  [/又/gu, ''],
  [/不亮|不灵|失灵|不好使|不能用|用不了|出故障|故障|坏掉|坏了/gu, '坏'],
  [/不见了|不见|丢了|被偷了|被偷|没了/gu, '丢'],
  [/噪音|噪声|扰民|太吵|吵死|大声|声音太大|声音很大|声音大|太响/gu, '吵'],
  [/摆摊|摊子|摊贩|地摊|小摊/gu, '摆摊'],
  [/占道经营|占道|占路|把路都?占了/gu, '占道'],
  [/臭味|发臭|异味|恶臭|臭死/gu, '臭'],
  [/渗水|滴水|漏水/gu, '漏水'],
];

/**
 * How alike two demands are, in [0, 1]: the mean of a token score and a character n-gram score over what the
 * messages are about (normalized, without punctuation, mention, trigger words, numbers or the generic words
 * above; usual complaint phrasings made one). Each score averages a symmetric measure (token Jaccard, Dice of
 * character bi- and trigrams) with containment (shared / smaller side), because a duplicate is often the same
 * report plus details: "2单元电梯坏了" and "2单元的电梯又坏了，老人上不去". The n-grams catch what jieba cuts
 * differently in the two messages. Two reports naming different buildings or units ("3号楼" / "8号楼") count 30%: most likely two lamps.
 */
export function demandSimilarity({ a, b, tokenize }: { a: string; b: string; tokenize: Tokenize }): number {
  return contentSimilarity(demandContent(a, tokenize), demandContent(b, tokenize));
}

/**
 * What a demand is about, as demandSimilarity compares it. A pure function of the text: the duplicate check
 * reads the same recent orders again and again, so callers may keep it (see createDemandContentCache).
 */
export type DemandContent = {
  chars: string;
  tokens: ReadonlySet<string>;
  grams: ReadonlySet<string>;
  /** Building, unit and room numbers named, by kind: "b3", "u2", "r302". */
  places: { readonly b: readonly string[]; readonly u: readonly string[]; readonly r: readonly string[] };
};

export function contentSimilarity(left: DemandContent, right: DemandContent): number {
  if (left.chars === '' || right.chars === '') return 0;
  const tokens = (jaccard(left.tokens, right.tokens) + containment(left.tokens, right.tokens)) / 2;
  const grams = (dice(left.grams, right.grams) + containment(left.grams, right.grams)) / 2;
  const score = (tokens + grams) / 2;
  return placesConflict(left.places, right.places) ? score * 0.3 : score;
}

export type DuplicateCandidate = { id: number; no: number; text: string; createdAt: Date };

/**
 * Recent orders that may be the same problem, most alike first (then most recent, then lowest id). Only orders
 * created within `windowDays` before `now` are compared. `contentOf` reads a candidate's text (by default
 * afresh; a cache of demandContent gives the same result).
 */
export function findDuplicateCandidates({
  text,
  candidates,
  now,
  tokenize,
  contentOf = (candidateText) => demandContent(candidateText, tokenize),
  threshold = DUPLICATE_THRESHOLD,
  windowDays = DUPLICATE_WINDOW_DAYS,
}: {
  text: string;
  candidates: readonly DuplicateCandidate[];
  now: Date;
  tokenize: Tokenize;
  contentOf?: (text: string) => DemandContent;
  threshold?: number;
  windowDays?: number;
}): { id: number; no: number; score: number }[] {
  const oldest = now.getTime() - windowDays * 86_400_000;
  const inWindow = candidates.filter((c) => c.createdAt.getTime() >= oldest);
  if (inWindow.length === 0) return [];
  const content = demandContent(text, tokenize);
  return inWindow
    .map((c) => ({ candidate: c, score: contentSimilarity(content, contentOf(c.text)) }))
    .filter(({ score }) => score >= threshold)
    .sort(
      (x, y) =>
        y.score - x.score ||
        y.candidate.createdAt.getTime() - x.candidate.createdAt.getTime() ||
        x.candidate.id - y.candidate.id,
    )
    .map(({ candidate, score }) => ({ id: candidate.id, no: candidate.no, score: Math.round(score * 1000) / 1000 }));
}

export function demandContent(text: string, tokenize: Tokenize): DemandContent {
  const tokens = new Set<string>();
  const pieces: string[] = [];
  let run = '';
  let body = stripDemandMarkers(text);
  for (const [pattern, canonical] of SAME_COMPLAINT) body = body.replace(pattern, canonical);
  for (const token of tokenize(body)) {
    if (GENERIC.has(token) || /^\d+$/u.test(token)) {
      if (run) pieces.push(run);
      run = '';
      continue;
    }
    tokens.add(token);
    run += token;
  }
  if (run) pieces.push(run);
  const numbers = [...unitNumbers(text)];
  const ofKind = (kind: string) => numbers.filter((x) => x.startsWith(kind));
  return { chars: pieces.join(''), tokens, grams: ngrams(pieces), places: { b: ofKind('b'), u: ofKind('u'), r: ofKind('r') } };
}

/** Character bi- and trigrams within each run of content, so no n-gram spans a removed word. */
function ngrams(pieces: string[]): Set<string> {
  const grams = new Set<string>();
  for (const piece of pieces) {
    const chars = [...piece];
    if (chars.length === 1) grams.add(piece);
    for (let n = 2; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) grams.add(chars.slice(i, i + n).join(''));
    }
  }
  return grams;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

function containment(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / Math.min(a.size, b.size);
}

function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** Both name a building (or unit, or room) and none of the named ones are the same. */
function placesConflict(left: DemandContent['places'], right: DemandContent['places']): boolean {
  for (const kind of ['b', 'u', 'r'] as const) {
    const l = left[kind];
    const r = right[kind];
    if (l.length > 0 && r.length > 0 && !l.some((x) => r.includes(x))) return true;
  }
  return false;
}
