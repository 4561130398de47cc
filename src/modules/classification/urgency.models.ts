import { normalizeText } from '../../shared/text/normalize';
import { fixTypos } from './typos.models';

/**
 * Words that mean someone may be in danger right now. Matched as substrings of the message, so odd
 * segmentation or extra words do not hide them. The list errs on the side of urgency: a false alarm costs a
 * phone call, a missed fire costs far more.
 */
export const URGENT_TERMS: readonly string[] = [
  // fire and smoke
  '着火', '起火', '失火', '火灾', '大火', '火苗', '明火', '烧起来', '冒烟', '冒黑烟', '浓烟', '烧焦', '焦糊味',
  // gas
  '燃气泄漏', '煤气泄漏', '天然气泄漏', '液化气泄漏', '泄漏', '煤气味', '燃气味', '天然气味', '液化气味', '漏气',
  '臭鸡蛋味',
  // electricity
  '漏电', '触电', '电到人', '麻手', '冒火花', '打火花', '电火花', '火花', '火星子', '冒火星', '电线冒火', '短路',
  // people trapped
  '被困', '困在', '困住', '困人', '困了人', '关在电梯', '卡在电梯', '电梯下坠', '电梯坠落', '电梯失控', '溜梯',
  '冲顶',
  // people hurt or unwell
  '受伤', '伤人', '流血', '出血', '头破', '骨折', '摔伤', '砸伤', '咬伤', '砸到人', '砸中', '晕倒', '昏倒', '昏迷',
  '被咬', '咬人', '咬了人', '休克', '叫不醒', '不省人事', '没呼吸', '抽搐', '心脏病', '急救', '救护车', '打120', '叫120', '救命', '快来人',
  // collapse and falling structures
  '坍塌', '倒塌', '塌了', '塌方', '要塌', '快塌', '塌下来', '快倒了', '要倒了', '倒下来', '树倒了', '断裂',
  // water
  '溺水', '落水', '掉河里', '掉水里', '掉进水', '爆管', '水管爆', '管子爆', '管道爆', '水管裂', '倒灌',
  // violence and self-harm
  '跳楼', '轻生', '自杀', '打架', '打起来', '持刀', '拿刀', '拿着刀', '拿菜刀', '砍人', '动刀',
  // explosions
  '爆炸', '炸了',
  // open manholes swallow people
  '井盖没了', '井盖丢', '井盖被偷', '井盖缺失', '没有井盖', '没井盖', '井盖碎', '井盖破', '井盖坏', '井盖塌',
  // people missing or vulnerable
  '走丢', '走失', '失踪', '没人应', '好几天没出门', '制氧机', '呼吸机', '吸氧', '老年痴呆', '没见人', '几天没见',
  // residents saying so
  '紧急', '急!', '急急', '十万火急', '救火',
];

/**
 * Patterns for what residents say in too many ways to list: "电梯里困了人", "电梯卡在两层中间", "总阀关不掉",
 * "随时会砸下来". Each names the danger it stands for.
 */
const URGENT_PATTERNS: readonly { term: string; pattern: RegExp }[] = [
  { term: '电梯困人', pattern: /电梯.{0,8}(困|卡住|卡在|停在|出不来|打不开|关在|被关|掉下去|下坠|坠落|失控|往下掉|往下滑)/u },
  { term: '电梯困人', pattern: /(困|关|卡)在?.{0,6}电梯/u },
  { term: '井盖缺失', pattern: /井盖.{0,6}(没了|没有了|丢|不见|被偷|缺|碎|破|塌|翻|移位|掉下去)/u },
  { term: '井盖缺失', pattern: /(没有|没|缺了?)(个)?井盖/u },
  { term: '爆管', pattern: /(水管|管子|管道|阀门|总阀|水龙头|接口).{0,10}(爆|裂开|喷|关不掉|关不上|止不住|堵不住)/u },
  { term: '爆管', pattern: /水.{0,2}(喷|哗哗|涌|漫)|淹了|被淹/u },
  { term: '坠落危险', pattern: /(随时|快要?|马上|眼看|要)(会|要|就)?(掉|砸|倒|塌|断|垮)/u },
  { term: '坠落危险', pattern: /摇摇欲坠|悬在半空|掉下来砸/u },
  { term: '水浸电器', pattern: /(水|滴|漏|渗).{0,8}(电表|电箱|配电|插座|插线板|电线|灯里|灯上|开关)/u },
  { term: '倒树', pattern: /树.{0,8}(刮倒|倒了|倒在|压倒|压到|砸到|横在|断了)/u },
  // gas in any word order: "有股煤气的味道", "天然气好像漏了"
  { term: '燃气泄漏', pattern: /(煤气|燃气|天然气|液化气).{0,6}(味|漏|泄|嘶嘶)/u },
  // people trapped anywhere, flooding with people in it ("车库进水了，里面还有人")
  { term: '人员被困', pattern: /(有人|人还|老人|孩子|小孩|小朋友).{0,8}(出不来|困|被关|锁在里面)/u },
  { term: '涉水被困', pattern: /(淹|进水|涨水|水漫|漫水|积水|水深|发大水).{0,20}(有人|人在|人还在|人被|车里|出不来|困|老人|孩子|小孩)/u },
  { term: '涉水被困', pattern: /(有人|老人|孩子|小孩|车).{0,10}(被水|在水里|泡在水|被淹|淹在)/u },
  // people hurt: "老人摔倒了起不来", "有人倒在地上" (but not "差点摔倒")
  { term: '人员受伤', pattern: /(?<!差点|险些|差一点)(摔倒|摔伤|倒在地上|倒地|摔下来|掉下去了|起不来)/u },
  // collapse of a road, bridge or wall
  { term: '坍塌', pattern: /(路|桥|墙|地面|路面|楼梯|屋顶|房顶|阳台|堤|坡).{0,6}(塌|陷下去|垮|裂开了)/u },
  // the elderly stuck at home or on the stairs when the lift is out ("电梯又坏了…老人上不去啊")
  { term: '老人受困', pattern: /(老人|老太太|老爷子|老头|奶奶|爷爷|婆婆|我妈|我爸|老妈|老爸|[七八九]十多?岁?|残疾人).{0,12}(上不去|下不来|下不去|出不去|爬不动|爬不上|困在家)/u },
  { term: '人员走失', pattern: /(迷路|找不到家|找不到回家|老人.{0,6}(不见了|找不到|丢了)|孩子.{0,6}(不见了|找不到|丢了))/u },
];

/** Children (or the elderly) near something broken that can hurt them: "桥栏杆断了 小孩子上学走那里很危险". */
const AT_RISK_PEOPLE = /(小孩|孩子|小朋友|学生|娃|老人)/u;
const AT_RISK_DANGER = /(危险|会掉|掉下去|摔下去|掉进去|不安全)/u;
const BROKEN_GUARD = /(栏杆|护栏|扶手|围栏|桥|井|坑|电线|河|塘|池|窗|台阶).{0,8}(断|坏|没了|没有|缺|塌|裂|露|松|倒)/u;

/**
 * A negation directly before a term ("打不着火", "不是着火", "没人受伤") cancels it. Only the immediate
 * neighbour counts, and punctuation breaks adjacency, so "电话打不通，着火了" stays urgent.
 */
const NEGATIONS = ['没有人', '没人', '无人', '没有', '不是', '并非', '不', '没', '未', '无', '别'];

/** The urgent terms found in a message, in list order, without duplicates. */
export function findUrgentTerms({ text }: { text: string }): string[] {
  // Whitespace is dropped so "煤气 味" matches; punctuation stays so negation cannot reach across it.
  const body = fixTypos(normalizeText(text).toLowerCase().replace(/\s+/gu, ''));
  const negated = negatedSpans(body);
  const found = new Set<string>();
  for (const term of URGENT_TERMS) {
    if (occurrences(body, term).some((start) => !isInside(negated, start, start + term.length))) found.add(term);
  }
  for (const { term, pattern } of URGENT_PATTERNS) {
    if (pattern.test(body)) found.add(term);
  }
  if (AT_RISK_PEOPLE.test(body) && AT_RISK_DANGER.test(body) && BROKEN_GUARD.test(body)) found.add('儿童危险');
  return [...found];
}

type Span = { start: number; end: number };

/** Spans "negation + term": any term lying inside such a span is negated too ("没有人受伤" hides "受伤"). */
function negatedSpans(body: string): Span[] {
  const spans: Span[] = [];
  for (const term of URGENT_TERMS) {
    for (const start of occurrences(body, term)) {
      const negation = NEGATIONS.find((n) => body.slice(Math.max(0, start - n.length), start) === n);
      if (negation && !isQuestion(body, start - negation.length)) {
        spans.push({ start: start - negation.length, end: start + term.length });
      }
    }
  }
  return spans;
}

/** "是不是着火了", "有没有人受伤", "会不会漏电": an A-not-A question asks, it does not deny. */
function isQuestion(body: string, negationStart: number): boolean {
  const before = body[negationStart - 1];
  return before !== undefined && before === body[negationStart + 1];
}

function isInside(spans: Span[], start: number, end: number): boolean {
  return spans.some((s) => s.start <= start && end <= s.end);
}

function occurrences(body: string, term: string): number[] {
  const starts: number[] = [];
  for (let at = body.indexOf(term); at !== -1; at = body.indexOf(term, at + 1)) starts.push(at);
  return starts;
}
