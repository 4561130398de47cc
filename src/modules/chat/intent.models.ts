import { compactText, normalizeText } from '../../shared/text/normalize';
import type { Tokenize } from '../../shared/text/tokenizer';
import { demandSimilarity } from '../classification/similarity.models';
import { type SurveyReply, readSurveyReply } from '../surveys/surveys.models';

/** A survey answer as read from words: its two halves and, when unhappy, the resident's words. */
export type SurveyReading = SurveyReply & { comment: string | null };

/**
 * What a resident means by a message the command parser did not recognise. Residents do not type commands:
 * they chase their order (怎么还没修好), ask how it stands, answer the survey in their own words, add a detail,
 * take a report back, say thanks, or just chat. Only `new_demand` may become an order.
 */
export const INTENTS = [
  'new_demand',
  'follow_up',
  'status_question',
  'survey_answer',
  'added_detail',
  'cancellation',
  'thanks_ack',
  'chatter',
] as const;
export type Intent = (typeof INTENTS)[number];

/** What the conversation knows about the speaker when the message arrives (all optional: none is none). */
export type IntentContext = {
  /** Their open orders, newest first, with the text they reported. */
  openOrders?: readonly { no: number; text: string }[];
  /** An order of theirs is resolved and waits for their survey answer. */
  awaitingSurvey?: boolean;
  /** Their own demand of the last day (an order, or one the bot holds), to recognise a repeat. */
  recentDemand?: string | null;
  /** The bot asked them a question (where? which grid? +1 or 新建?) that is still open. */
  pendingQuestion?: boolean;
};

export type IntentReading = {
  intent: Intent;
  /** An order number the message names ("1006 啥时候来修"), else null. */
  no: number | null;
  /** The open order the text is about, by number or by likeness to what they reported; null when unclear. */
  target: number | null;
  /** For a survey answer: solved and satisfaction (either may be unknown) and, when unhappy, their words. */
  survey?: SurveyReading;
  /** The message repeats their own recent demand (same or nearly the same words). */
  repeat?: boolean;
  /** A cancellation that names what is withdrawn (点错了, 单子不要了, 修好了不用来了), not only "不用了". */
  explicit?: boolean;
  /** The text plainly speaks of a reported matter (修, 工单, 反映的, 来人…): a follow-up, not small talk. */
  aboutOrder?: boolean;
  /** The text names a matter (下水道, 煤气…) that none of their open orders is about: not theirs to chase or withdraw. */
  otherMatter?: boolean;
};

/** Texts longer than this are read as written demands: intent phrases inside long reports are incidental. */
const MAX_INTENT_CHARS = 400;
/** A message this alike the speaker's own recent demand is a repeat of it. */
export const REPEAT_SIMILARITY = 0.6;
/** A message this alike one of the speaker's open orders is about that order. */
const TARGET_SIMILARITY = 0.3;

// Lexicons, on the compact text (no punctuation, spaces or emoji; lower-case). Typos residents make with
// pinyin input are listed where they are common (在吗/再吗, 谢谢/蟹蟹, 啥时候/沙时候).

const CANCEL_EXPLICIT =
  /(单子|工单|订单|报修|报的|反映的|刚才|刚刚|上面|之前|那个|这个|那条|这条|说的).{0,8}(不要了|不用了|不需要了|取消|作废|撤[回销掉了]|删[了掉除]|算了)|^#?\d{4,7}(号|的)?(单子|工单)?(取消|撤回|撤销|作废|不要了|不用了)|可以(撤|取消|销)|点错|发错|按错|打错了|搞错了|弄错了|误报|报错了|(已经|早就?|都|刚|现在)(自己)?(修|弄|搞|处理|解决|清理?|通)(好|完|掉)了|自己(找人|叫人|请人)?(修|弄|搞|处理|解决|通|清理?)(好|完)?了|(修|弄|搞)好了.{0,3}(不用|别|不要)|不用(派人|来人|上门|过来|来了|来|修了|处理了|管了)|别(派人|来人|过来|来)了|不需要(派人|上门|处理|来人)|(帮我|给我)?(撤回|撤销|取消)(吧|一下|掉|了)|没(这|那)回事了|好了不用/u;
// Each repeated group is unambiguous (no word both inside and after it): these run on whatever residents send.
const CANCEL_WEAK = /^(#?\d{4,7}(号|的)?)?(那就|那)?((不用|不要|算了|没事|不需要)了?)+(谢谢|谢了|哈|啊|呀|啦|哦|吧|蟹蟹)*(你们|您)?$/u;

const FOLLOW_UP =
  /怎么还(没|不|是没|是(黑|坏|堵|臭|漏|不|那样|老样子))|(报|等|说)了(好|有)?[几两三四五六七八九十一半\d]+(个)?(天|周|星期|礼拜|月)|咋还(没|不)|为啥还(没|不)|为什么还(没|不)|怎么都没|还没(有)?(人)?(来|修|弄|处理|好|解决|动静|回复|回音|消息|人管|人来|派)|有人(来|去|到)(了|过)?(吗|没|么|嘛)|人来了?(吗|没|么)|有没有人(来|去|管|处理)|人(来|到)了?(没|吗)|(啥|沙|什么|神马|几)时(候|间)?(来|修|去|过来|处理|弄|能|可以|好|解决|上门|派)|多久(能|才|来|修|可以|处理)|哪天(来|修|能)|催(一下|下|催|办|促|你们)|快点|抓紧|赶紧(来|派|处理|修)|等了.{0,4}(天|周|星期|礼拜|月|小时)|(还|到底)要等|到底(什么|啥|有没有|管不管|修不修|来不来)|都.{0,3}(天|周|个星期|礼拜|月)了|(一直|还是|始终|迟迟)没(人|动静|修|来|处理)|没(人|动静)(管|来|理|回)?(啊|呀|呢|了)|怎么没(人|动静|下文)|拖了|没下文|石沉大海|再不(来|修|处理)/u;
const STATUS =
  /进度|进展|怎么样了|咋样了|如何了|怎样了|到哪(一步|了)|有(结果|消息|回复|回音|答复|进展)了?(吗|没|么)|处理(了|好)?(吗|没|么)|受理了?(吗|没)|收到了?(吗|没|么)|看到了?(吗|没)|派(给|人|单)(了)?(谁|吗|没)|谁(在|来)?(处理|负责|管|跟进|跟|办|弄)(的|我|这|那)|(什么|啥|咋)情况|情况(怎么样|如何|咋样)|查(一下|下|查)|我的(单子|工单|反映|报修)|(单子|工单)(呢|怎么|状态|现在)|状态|办得怎么样|报上去了?(吗|没)|登记(上|好)?了?(吗|没|么)|记(下|上)了?(吗|没)|有人(管|处理|跟进)(吗|没)/u;
const DETAIL_START =
  /^(补充|再补充|补一句|另外|还有就是|还有一点|还有个情况|忘了说|忘记说|忘说了|对了|顺便说|再说一下|说明一下|具体(位置|地址|是|在)|地址(是|在)|位置(是|在)|就是在|是在|在\d|我(家)?住在?|门牌|电话|联系)/u;
/** A further matter announced as such (另外想反映一下…): with a problem in it, a new demand, not a detail. */
/**
 * A line that begins with where it is (5栋301, 3号楼2单元, 东门): sent right after a report, it says where the reported
 * thing is, not a new matter, unless it names a problem of another kind.
 */
const ADDRESS_START = /^(\d{1,3}(栋|号楼|幢|座|单元|号)|[东南西北]门)/u;
/** "有人吗" with an order open: nobody answered them, which is chasing the order, not a greeting. */
const ANYONE_THERE = /^(有人吗|有人在吗|有没有人(在|管)?|人呢|没人吗|没人管吗|没有人吗)+(啊|呀|呢|吗|哦)*$/u;
const NEW_REPORT = /(想|要|再)(反映|报|投诉)(一下|个|一个|件)?|还有(个|一个|件)(事|问题)要(反映|报)/u;
const DETAIL_ANY = /补充|照片|图片|相片|拍了|拍的|发(个|张|了)?图|视频|录了|电话(是|号)|联系(方式|电话)|手机号|(上面|刚才|之前)(说|发|报)的(那个|那件)?(是|在)|(位置|地址)(是|在)|刚才忘/u;

const THANKS = /谢谢|蟹蟹|谢啦|谢了|感谢|多谢|辛苦|麻烦(你们|您|了)|给力|点赞|太好了|好人|等(你们|您)|效率(真|很|好)?高|及时/u;
const ACK = /^(好|好的|好滴|好哒|好嘞|好吧|行|行吧|可以|收到|知道|明白|了解|晓得|懂了|嗯|哦|噢|ok|okay|是的|对|对的|没问题|妥)+(了|啊|呀|哈|啦)?$/u;


const GREETING = /^(你好|您好|你们好|大家好|在吗|再吗|在不在|在么|在嘛|有人吗|有人在吗|有没有人|哈喽|哈罗|hello|hi|嗨|喂|早|早上好|早安|上午好|中午好|下午好|晚上好|晚安|小格|机器人)+(啊|呀|哈|啦|呢|吗|哦)*/u;
const SMALL_TALK =
  /你是(谁|机器人|人工|真人|ai|哪个)|是(机器人|真人|人工)吗|测试|试一下|试试|哈哈|呵呵|嘿嘿|嘻嘻|吃了(吗|没)|吃饭了|天气|在干(嘛|啥)|无聊|笑死|新年好|过年好|节日快乐|中秋快乐|生日快乐|恭喜|发财|几岁|叫什么名字|好玩|聪明|厉害啊|你真|你好棒|会不会说话|讲个笑话|唱(个|首)歌|聊(聊|天)/u;

/** Words of a problem worth reporting: with them a message carries content of its own. */
const PROBLEM =
  /坏|堵|漏|臭|味|吵|响|破|断|裂|塌|倒|掉|歪|脏|乱|不亮|黑|没(水|电|气|信号)|停(水|电|气)|积水|淹|垃圾|噪音|占道|占用|乱停|违建|违章|搭建|涂鸦|小广告|火|烟|煤气|燃气|电梯|路灯|灯|下水道|水管|管道|井盖|树|草|狗|猫|老鼠|蟑螂|蚊|施工|装修|物业|污水|异味|困|摔|受伤|危险|安全|偷|丢|诈骗|打架|吵架|扰民|广场舞|充电|电动车|车位|停车|消防|楼道|窗|门|墙|屋顶|路面|坑|桥|护栏|栏杆|下雨|雨水|冒水|爆|漏电|跳闸|信号|网络|卫生|清理|清扫|收|补贴|低保|医保|社保|户口|证明|办理|咨询|政策|怎么办|谁管|哪里办|去哪/u;

/** Demand content beyond the intent phrases: the message names a problem and says enough about it (on compact text). */
export function hasContent(c: string): boolean {
  return PROBLEM.test(c) && c.length >= 6;
}

/**
 * Whether a message says anything an order could be made of: read as a new demand, and naming a problem. A held
 * "👍", "不用了谢谢" or "我想反映个问题" that never got its content does not.
 */
export function hasDemandContent(text: string, tokenize: Tokenize): boolean {
  return PROBLEM.test(compactText(text)) && readIntent({ text, tokenize }).intent === 'new_demand';
}

/** Emoji that say yes/thanks, as residents send them alone. */
const POSITIVE_EMOJI = /👍|🙏|👌|💪|🌹|❤|♥|😊|☺|🤝|👏|😄|😁|🥰|😘|💐|🎉|✌|🙂|😀|😃/u;
/** Laughing faces: positive in a survey, but alone they are a laugh (chatter), not thanks. */
const LAUGH_EMOJI = /😄|😁|😀|😃|😂|🤣/gu;
/** Whether emoji in the text say thanks/ok (a positive one that is not only a laugh). */
function thanksEmoji(raw: string): boolean {
  return POSITIVE_EMOJI.test(raw.replace(LAUGH_EMOJI, ''));
}
const NEGATIVE_EMOJI = /👎|😡|😠|🤬|😤|💢|😞|😔|😭|😢/u;

/**
 * An order number in the text: "#1006", or four or more digits not followed by a unit ("1006 啥时候来修",
 * "1006号单子" — but not "3号楼", "2024年", a phone number).
 */
export function findOrderNo(text: string): number | null {
  const s = normalizeText(text);
  const hash = /#\s*(\d{1,9})/u.exec(s);
  if (hash) return Number(hash[1]);
  const re = /(?<!\d)(\d{4,7})(?!\d)/gu;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const after = s.slice(m.index + m[0].length);
    if (/^\s*(号楼|栋|幢|座|单元|室|层|年|元|块|米|平|斤|度|%|月|日|天)/u.test(after)) continue;
    if (/^\s*号(?!单|工单)/u.test(after) && !/^\s*号(单子|的单|工单)/u.test(after)) continue;
    return Number(m[1]);
  }
  return null;
}

/** The survey answer residents give in words or emoji (whether solved, how satisfied); null when the text is not one. */
export function readSurveyWords(text: string): SurveyReading | null {
  return readSurveyReply(text);
}

/**
 * The things residents report, each under one key, in the words they use for it: "煤气那个事" is about "厨房有
 * 煤气味", "灯还是没人修" about "路灯坏了". The duplicate measure strips too much for a short follow-up; this
 * compares only what the matter is.
 */
const SUBJECTS: readonly [string, RegExp][] = [
  ['gas', /煤气|燃气|天然气|液化气|气味/u],
  ['light', /路灯|楼道灯|灯/u],
  ['drain', /下水道|下水|排水|污水|化粪池|马桶|堵/u],
  ['lift', /电梯/u],
  ['rubbish', /垃圾|拉圾/u],
  ['water', /水管|漏水|停水|没水|自来水|爆管|渗水/u],
  ['power', /停电|没电|跳闸|电线|漏电/u],
  ['noise', /噪音|吵|广场舞|装修/u],
  ['road', /路面|坑|井盖|桥|护栏|栏杆|塌/u],
  ['parking', /停车|乱停|车位|占道|消防通道/u],
  ['tree', /树|草|绿化/u],
  ['animal', /狗|猫|老鼠|蟑螂/u],
];

function subjectsOf(c: string): Set<string> {
  return new Set(SUBJECTS.filter(([, re]) => re.test(c)).map(([key]) => key));
}

/**
 * Whether the text names the same matter (gas, lamp, drain…) as one of the speaker's open orders or their recent
 * demand: a message with problem words may be about their own matter only then.
 */
export function namesOwnMatter(text: string, context: IntentContext): boolean {
  const mine = subjectsOf(compactText(text));
  if (mine.size === 0) return false;
  const theirs = [...(context.openOrders ?? []).map((o) => o.text), context.recentDemand ?? ''];
  return theirs.some((t) => [...subjectsOf(compactText(t))].some((k) => mine.has(k)));
}

/** Whether the text names what the order is about (the same subject), or is alike it as a demand. */
function speaksOf(text: string, orderText: string, similarity: (a: string, b: string) => number): number {
  const mine = subjectsOf(compactText(text));
  const theirs = subjectsOf(compactText(orderText));
  const shared = [...mine].filter((k) => theirs.has(k)).length;
  return shared > 0 ? 1 + shared : similarity(text, orderText);
}

/** The open order the text speaks of: the number named, else the one alike what they reported, else their only one. */
function targetOrder({
  no,
  text,
  openOrders,
  similarity,
}: {
  no: number | null;
  text: string;
  openOrders: readonly { no: number; text: string }[];
  similarity: (a: string, b: string) => number;
}): { target: number | null; alike: boolean; otherMatter: boolean } {
  if (no !== null) return { target: no, alike: openOrders.some((o) => o.no === no), otherMatter: false };
  let best: { no: number; score: number } | null = null;
  for (const o of openOrders) {
    const score = speaksOf(text, o.text, similarity);
    if (score >= TARGET_SIMILARITY && (!best || score > best.score)) best = { no: o.no, score };
  }
  if (best) return { target: best.no, alike: true, otherMatter: false };
  const otherMatter = openOrders.length > 0 && subjectsOf(compactText(text)).size > 0;
  return { target: openOrders.length === 1 && !otherMatter ? openOrders[0]!.no : null, alike: false, otherMatter };
}

/** Words that plainly speak of a reported matter: with them a question in a group is about the resident's order. */
const ABOUT_ORDER = /修|工单|单子|反映的|报的|报修|我说的|我报|处理|来人|有人来|上门|派人|师傅|网格员|你们|小格/u;

/**
 * Reads what the resident means. Pure: the text and what the conversation knows about them. The rules go from
 * the most specific to the least: a plain withdrawal, a survey answer while one is awaited, a repeat of their
 * own demand, then what they ask about their open order, added details, thanks, small talk; anything with a
 * problem in it is a new demand, and short rest is small talk (a short unclear line never becomes an order).
 */
export function readIntent({
  text,
  context = {},
  tokenize,
}: {
  text: string;
  context?: IntentContext;
  tokenize: Tokenize;
}): IntentReading {
  const raw = normalizeText(text).slice(0, MAX_INTENT_CHARS);
  const c = compactText(raw);
  const openOrders = context.openOrders ?? [];
  const no = findOrderNo(raw);
  const similarity = (a: string, b: string) => demandSimilarity({ a, b, tokenize });
  const hasOpen = openOrders.length > 0 || no !== null;
  const { target, alike, otherMatter } = targetOrder({ no, text: raw, openOrders, similarity });
  const base = { no, target, ...(otherMatter ? { otherMatter } : {}) };
  const aboutOrder = alike || no !== null || ABOUT_ORDER.test(c);

  // Emoji, punctuation or nothing at all.
  if (c === '') {
    if (context.awaitingSurvey && (POSITIVE_EMOJI.test(raw) || NEGATIVE_EMOJI.test(raw))) {
      return { ...base, intent: 'survey_answer', survey: readSurveyWords(text)! };
    }
    if (thanksEmoji(raw)) return { ...base, intent: 'thanks_ack' };
    return { ...base, intent: 'chatter' };
  }
  if (text.length > MAX_INTENT_CHARS) return { ...base, intent: 'new_demand' };

  if (CANCEL_EXPLICIT.test(c)) return { ...base, intent: 'cancellation', explicit: true };

  const follow = FOLLOW_UP.test(c);
  const status = STATUS.test(c);
  const content = hasContent(c);

  // "还没修好" reads as chasing an open order; with none open but one awaiting its survey, it answers the survey.
  if (context.awaitingSurvey && ((!follow && !status) || (openOrders.length === 0 && no === null))) {
    const survey = readSurveyWords(text);
    // A new problem told after the survey is a new demand, unless it says the old one is still there.
    const newProblem = content && survey?.answer !== 'unsatisfied' && survey?.solved !== false && !THANKS.test(c) && c.length > 10;
    if (survey && !newProblem) return { ...base, intent: 'survey_answer', survey };
  }

  if (CANCEL_WEAK.test(c)) return { ...base, intent: 'cancellation', explicit: false };

  const recent = context.recentDemand ? compactText(context.recentDemand) : '';
  if (recent && ((c === recent && c.length >= 2) || (c.length >= 4 && similarity(raw, context.recentDemand!) >= REPEAT_SIMILARITY))) {
    return { ...base, intent: 'follow_up', repeat: true, aboutOrder: true };
  }

  if (follow || status) {
    // Without an open order, "路灯怎么还没修好？3号楼的" reports the lamp; a bare "有人来了吗" still asks.
    if (hasOpen || !content) return { ...base, intent: follow ? 'follow_up' : 'status_question', aboutOrder };
  }

  if (hasOpen && ANYONE_THERE.test(c)) return { ...base, intent: 'follow_up', aboutOrder: true };

  const placeOfOwn = (hasOpen || recent) && ADDRESS_START.test(c) && (!content || namesOwnMatter(raw, context));
  const detail = DETAIL_START.test(c) || DETAIL_ANY.test(c) || placeOfOwn;
  const furtherReport = content && NEW_REPORT.test(c);
  if (detail && !furtherReport && (hasOpen || recent || context.pendingQuestion || !content) && !(content && !alike && c.length > 24)) {
    return { ...base, intent: 'added_detail', aboutOrder: true };
  }

  const thanks = THANKS.test(c) || ACK.test(c) || thanksEmoji(raw);
  if (thanks && !content) return { ...base, intent: 'thanks_ack' };

  const greeting = GREETING.exec(c);
  const rest = greeting ? c.slice(greeting[0].length) : c;
  if ((greeting || SMALL_TALK.test(c)) && !hasContent(rest)) return { ...base, intent: 'chatter' };

  if (content || c.length >= 8) return { ...base, intent: 'new_demand' };
  if (PROBLEM.test(c)) return { ...base, intent: 'new_demand' };
  return { ...base, intent: 'chatter' };
}
