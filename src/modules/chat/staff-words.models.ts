import { normalizeText } from '../../shared/text/normalize';
import { MAX_EXTENSION_DAYS } from '../work-orders/work-orders.models';

/**
 * What a member of staff meant by a message that is not a command: grid leaders are volunteers answering
 * from a phone, and write "收到", "1038收到了，我明天去看看" or "这个单子能不能宽限几天" rather than "接单 1038".
 * A pure, bounded reader of a few intents; anything else is `none` and gets the usual "not understood".
 */
export type StaffWords =
  /** "收到", "好的", "马上去", "明天去看看": signing for the order just assigned; a plan after it is a progress note. */
  | { kind: 'ack'; no: number | null; plan: string | null }
  /** "能不能宽限几天，物业要找施工队": an extension request, in the staff member's own words. */
  | { kind: 'extend'; no: number | null; days: number; daysGiven: boolean; reason: string }
  /** "1007和1001是同一个事，合并一下": the later order goes into the earlier one. */
  | { kind: 'merge'; nos: number[] }
  /** "这个是哪个居民报的，电话多少": who reported the order, and how to reach them. */
  | { kind: 'who'; no: number | null }
  /** "修好了": the work is done; their words are the resolution note (offered, not applied at once). */
  | { kind: 'done'; no: number | null; note: string }
  /** "1012派给供水公司", "派 1012 供水", "转给物业": 派单, the department as they named it. */
  | { kind: 'dispatch'; no: number | null; department: string }
  /** "哪些超期了", "还有几个单子没办": a question their 待办 answers. */
  | { kind: 'todo' }
  /** "已经联系物业了，下午来修": a progress note. */
  | { kind: 'progress'; no: number | null; note: string }
  | { kind: 'none' };

/** Longer messages are not read for intents (a leader's long text is more likely a note than an "ok"). */
export const MAX_STAFF_WORDS = 120;
/** "宽限几天" without a number asks for this many working days; the reply says so, and the officer decides. */
export const DEFAULT_EXTENSION_DAYS = 3;

/**
 * Frequent IME slips (homophones) in the words this reader looks for, mapped to the intended word before any
 * rule runs: "受到" for 收到, "和并" for 合并, "款限" for 宽限...
 */
const TYPOS: readonly [RegExp, string][] = [
  [/^受到/u, '收到'],
  [/收倒/gu, '收到'],
  [/好得/gu, '好的'],
  [/好滴|好哒|好嘞|好勒|好咧/gu, '好的'],
  [/明白l/gu, '明白'],
  [/和并|合拼|和拼/gu, '合并'],
  [/款限|宽线/gu, '宽限'],
  [/电化|店话/gu, '电话'],
  [/修号了|修豪了/gu, '修好了'],
  [/里修好|以修好|己修好/gu, '已修好'],
  [/以经|己经|已近/gu, '已经'],
];

const PUNCT = /[\s,.;:!?~、，。；：！？～…·'"“”‘’()（）【】[\]]+/gu;

/** Order numbers as written: "#1007", "1007号单", "1007". Four digits at least unless marked with "#". */
export function orderNumbersIn(text: string): number[] {
  const found: number[] = [];
  for (const m of text.matchAll(/#\s*(\d{1,9})|(?<!\d)(\d{4,9})(?!\d)(?![栋幢座楼层室米元块年月日天号](?!单))/gu)) {
    const no = Number(m[1] ?? m[2]);
    if (!found.includes(no)) found.push(no);
  }
  return found;
}

function withoutNumbers(text: string): string {
  return text
    .replace(/#\s*\d{1,9}|(?<!\d)\d{4,9}(?!\d)/gu, ' ')
    .trim();
}

/** The text as they wrote it, with full-width digits and "#" made ASCII and spaces collapsed (notes keep "，"). */
function asWritten(raw: string): string {
  return raw
    .replace(/[０-９＃]/gu, (c) => String.fromCodePoint((c.codePointAt(0) ?? 0) - 0xfee0))
    .replace(/[\s\u3000]+/gu, ' ')
    .trim();
}

/** The text as a rule reads it: canonical width, lower case, typos fixed. */
function canonical(raw: string): string {
  let s = normalizeText(raw).toLowerCase();
  for (const [from, to] of TYPOS) s = s.replace(from, to);
  return s;
}

const EDGE_PUNCT = /^[\s,.;:!?~、，。；：！？～…·]+|[\s,.;:!?~、，。；：！？～…·]+$/gu;
const LEADING_FILLER = /^(了|啦|啊|呀|哈|哦|噢|嗯|的|吧|这个单子|这个单|这单|那个单子|那个单|这件事|这件|这个|那个|号单|号)+/u;
const TRAILING_FILLER = /(啊|呀|哈|哦|吧|嘛|谢谢|辛苦了)+$/u;

/** A piece of what they wrote without punctuation and filler words at its ends; its inside is kept as written. */
function trimFiller(s: string): string {
  let out = s;
  for (let i = 0; i < 3; i++) {
    out = out.replace(EDGE_PUNCT, '').replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '');
  }
  return out.replace(EDGE_PUNCT, '').trim();
}

/** "Which are overdue, what is left": a question about their open orders, answered by 待办. */
const TODO_QUESTION =
  /(哪些|哪几|几个|几件|几单|多少|有没有|还有啥|还有什么).{0,6}(超期|逾期|超时|过期|没办|没处理|没弄|待办|单子|工单)|(超期|逾期|超时)(了)?的?(单子|工单|单)?(有)?(哪些|哪几|几个|几件|多少|吗|么|没有|没)/u;

/** "Merge": two orders about the same thing. */
const MERGE = /合并|并单|并到|并入|并成一个|合成一个|合在一起|同一个(事|问题|单|情况)|同一件事|一回事|重复(了|的)?(单|工单|报)?|一样的(事|问题)/u;
/** "Who reported it, what is their number": a question about the reporter. */
const WHO =
  /(谁|哪个|哪位|哪家|什么人).{0,6}(报|反映|提|投诉)|报事人|反映人|报的人|(电话|手机|手机号|号码|联系方式)(是|是多少|多少|呢|给我|发我|发一下|有吗|有没有)|联系方式|怎么联系(居民|他|她|报事人)|(居民|他|她|报事人)的?(电话|手机)/u;
/** "More time": an extension request. */
const EXTEND =
  /宽限|延期|延长|延几天|缓几天|缓一缓|推迟|推几天|晚几天|多给.{0,3}(几|两|二|三|\d+).{0,2}(天|日)|再给.{0,3}(几|两|二|三|\d+).{0,3}(天|日|时间)|多要.{0,2}(几|两|\d+)天|时间不够|来不及|需要(更多|多点|多一点)?时间|要等(施工队|材料|配件|厂家)/u;
/** "It is done": the work is finished. */
const DONE =
  /(修好|弄好|搞好|处理好|办好|换好|装好|清理好|清理干净|清干净|打扫干净|疏通好|解决好|整改好|收拾好)(了|啦)|修复了|已修好|已修复|已处理|已解决|已办好|已完成|已更换|已清理|已疏通|已整改|搞定(了|啦)?|解决了|处理完(了|毕)|完工了|疏通了|已经好了|没问题了|恢复正常|恢复(供电|供水|供气|通电|通水|用电|用水)|(来|通)(电|水|气)了|复电了|已复电/u;
/** Acknowledgements that, right after an assignment, mean "I take it". */
const ACK = /^(收到了?|好的|好吧|好|行的|行|可以|okay|ok|嗯+|明白了?|了解了?|知道了|没问题|签收了?|接了|接单了?|我接了|👌|👍|🫡)/u;
/** A plan or an action under way: a time, or going/coming/doing something about it. */
const PLAN =
  /(今天|明天|后天|下午|上午|晚上|中午|一会|待会|等会|马上|立刻|现在|稍后|晚点|这就|周[一二三四五六日末]|星期[一二三四五六日天]|\d+点).{0,8}(去|来|过去|到|看|修|处理|联系|安排|上门)|(去|过去).{0,3}看看|已经?联系|已通知|已安排|已经?打(了)?电话|正在|在修|在处理|在弄|约了|已派|跟进|等(配件|材料|施工队|物业|师傅)|物业说|师傅(说|在|明天|下午|来)/u;

/** "3天", "两天", "一周": the days asked for, when they are given. */
function daysIn(s: string): number | null {
  const digits = /(\d{1,2})\s*(个工作日|个?天|日|个工作天)/u.exec(s);
  if (digits) return Number(digits[1]);
  const words: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
  const worded = /([一两二三四五六七八九十])\s*(个工作日|个?天|日)/u.exec(s);
  if (worded) return words[worded[1]!] ?? null;
  if (/一周|一个星期|一个礼拜|一星期/u.test(s)) return 5;
  if (/两周|两个星期|两个礼拜/u.test(s)) return 10;
  return null;
}

const NOT_DONE = /(还没|没有|没|未|不|尚未)(有|能)?(修|弄|搞|处理|解决|办|换|装|清|疏通|完|好|恢复|来电|来水|通电|通水)|修好了?吗|好了吗|好没好|(来|通)(电|水|气)了吗/u;

function saysDone(s: string): boolean {
  return DONE.test(s) && !NOT_DONE.test(s);
}

/**
 * Reads a staff member's message that parseCommand did not take as a command (or took as a bare
 * acknowledgement). The order number, when written, is taken from anywhere in the text; the intents are
 * checked from the most specific (merge, who, extension) to the most general (an acknowledgement).
 */
export function readStaffWords(raw: string): StaffWords {
  if (raw.length > MAX_STAFF_WORDS) return { kind: 'none' };
  const s = canonical(raw);
  if (!s) return { kind: 'none' };
  const nos = orderNumbersIn(s);
  const no = nos[0] ?? null;
  const body = withoutNumbers(s);
  const own = trimFiller(withoutNumbers(asWritten(raw)));

  const dispatch = readDispatch(s);
  if (dispatch) return dispatch;
  if (TODO_QUESTION.test(body) && nos.length === 0) return { kind: 'todo' };
  if (MERGE.test(body) && !/不是同一|不要合并|别合并|不用合并|不合并/u.test(body)) return { kind: 'merge', nos };
  if (WHO.test(body)) return { kind: 'who', no };
  if (EXTEND.test(body) && !/不用延期|不需要延期|不延期|不用宽限/u.test(body)) {
    const given = daysIn(body);
    const days = Math.min(MAX_EXTENSION_DAYS, Math.max(1, given ?? DEFAULT_EXTENSION_DAYS));
    return { kind: 'extend', no, days, daysGiven: given !== null, reason: own || raw.trim() };
  }
  if (saysDone(body)) return { kind: 'done', no, note: own || raw.trim() };

  const compact = body.replace(PUNCT, ' ').trim();
  const ack = ACK.exec(compact);
  if (ack && isWholeAck(ack[0], compact.slice(ack[0].length))) {
    const rest = trimFiller(compact.slice(ack[0].length));
    if (rest === '' || /^(收到|好的|好|的|了|啦|嗯|谢谢|辛苦了?)+$/u.test(rest.replace(/\s+/gu, ''))) return { kind: 'ack', no, plan: null };
    const plan = planFrom(raw, ack[0]);
    if (PLAN.test(rest) || /^(去|过去|来|处理|看看|安排)/u.test(rest)) return { kind: 'ack', no, plan };
    // "收到，谢谢" and the like are acknowledgements; anything longer after "好" is read for what it says.
    if (rest.length <= 4) return { kind: 'ack', no, plan: null };
    return { kind: 'progress', no, note: plan ?? rest };
  }
  if (PLAN.test(compact)) {
    // "明天去看看" alone reads as taking the order with a plan; "已联系物业" as progress.
    const going = /(今天|明天|后天|下午|上午|晚上|中午|一会|待会|等会|马上|立刻|现在|稍后|晚点|这就).{0,4}(去|过去|到|上门)|^(去|过去).{0,3}看看/u.test(compact);
    return going ? { kind: 'ack', no, plan: own || raw.trim() } : { kind: 'progress', no, note: own || raw.trim() };
  }
  return { kind: 'none' };
}

const SEND_TO = '(?:派单给|派单到|派给|派到|派单|转派给|转派|转给|转到|交给|交办给|派)';
/** "派 1012 供水", "派给供水公司", "派1012给供水": the verb first. */
const DISPATCH_VERB_FIRST = new RegExp(`^${SEND_TO}\\s*(?:#\\s*)?(\\d{4,9})?\\s*(?:号单?)?\\s*[给到]?\\s*([^\\s\\d#][^\\s]{0,19})$`, 'u');
/** "1012派给供水公司", "#1012 交给物业": the number first. */
const DISPATCH_NUMBER_FIRST = new RegExp(`^#?\\s*(\\d{4,9})\\s*(?:号单?)?\\s*${SEND_TO}\\s*([^\\s\\d#][^\\s]{0,19})$`, 'u');
/** What they add after the name that is not part of it: "供水公司处理吧", "物业去办". */
const AFTER_NAME = /(去?(处理|办理|办|跟进)|一下|吧|了|啊)+$/u;

/**
 * 派单 as officers type it on a phone, when it is not the command's own form: the verb (派, 派给, 转给, 交给…) and a
 * name, with the number before or after the verb or left out. The whole message must be only that, so "派人来看看"
 * or "已派师傅" are not read as it.
 */
function readDispatch(s: string): Extract<StaffWords, { kind: 'dispatch' }> | null {
  const text = s.replace(/[,.;:!?~、，。；：！？～]+/gu, ' ').replace(/\s+/gu, ' ').trim();
  const m = DISPATCH_NUMBER_FIRST.exec(text) ?? DISPATCH_VERB_FIRST.exec(text);
  if (!m) return null;
  const department = m[2]!.replace(AFTER_NAME, '');
  if (department.length < 2 || /^(人|师傅|个人|谁)/u.test(department) || /[吗呢么没]$/u.test(department)) return null;
  return { kind: 'dispatch', no: m[1] ? Number(m[1]) : null, department };
}

/**
 * Short acknowledgements ("好", "行", "可以", "ok") count only as a word of their own: "好像还没修好" and
 * "可以帮我查一下吗" are not "OK". Longer ones ("收到", "明白") may run on ("收到我明天去看看").
 */
function isWholeAck(word: string, after: string): boolean {
  if (after === '' || /^[\s了的啦嘞呀哈滴哒吧]/u.test(after)) return true;
  return !/^(好|行|可以|ok|okay|嗯+)$/u.test(word);
}

/** The plan after the acknowledgement, cut from what they wrote (their punctuation and case kept). */
function planFrom(raw: string, ackWord: string): string | null {
  const written = withoutNumbers(asWritten(raw));
  const lower = canonical(written);
  const at = lower.indexOf(ackWord);
  const after = at >= 0 ? written.slice(at + ackWord.length) : written;
  const plan = trimFiller(after.replace(/^(了|啦)/u, ''));
  return plan || null;
}

/** One option of a question the bot asked a member of staff, answered with its number ("1", "2"). */
export type StaffChoice =
  | { action: 'accept'; no: number; plan: string | null }
  | { action: 'resolve'; no: number; note: string }
  | { action: 'progress'; no: number; note: string }
  | { action: 'extend'; no: number; days: number; daysGiven: boolean; reason: string }
  | { action: 'who'; no: number };

/** What is stored on the question's inbound row, so the next bare number answers it. */
export type StaffQuestionPayload = { staffChoices: StaffChoice[] };

/** A staff member's one-key answer: "1", "２", "1." → the chosen option, or null when it is not one. */
export function pickChoice(text: string, choices: readonly StaffChoice[]): StaffChoice | null {
  const m = /^(\d{1,2})$/u.exec(normalizeText(text).replace(/[.。、,，!！]+$/u, ''));
  if (!m) return null;
  return choices[Number(m[1]) - 1] ?? null;
}

export function isStaffQuestionPayload(payload: unknown): payload is StaffQuestionPayload {
  return typeof payload === 'object' && payload !== null && Array.isArray((payload as StaffQuestionPayload).staffChoices);
}

/** An open order in a staff member's 待办, with what its marks need. */
export type TodoOrder = {
  no: number;
  urgent: boolean;
  deadlineAt: Date | null;
  pausedAt?: Date | null;
};

export type TodoMark = { overdue: boolean; urgent: boolean; msLeft: number | null };

/**
 * 待办 in the order a volunteer should work: overdue first, then urgent, then by time left (orders without a
 * limit last). Each order gets its marks; ties keep the order number order.
 */
export function sortTodo<T extends TodoOrder>(orders: readonly T[], now: Date): (T & { mark: TodoMark })[] {
  const marked = orders.map((o) => {
    const msLeft = o.deadlineAt ? o.deadlineAt.getTime() - (o.pausedAt ?? now).getTime() : null;
    return { ...o, mark: { overdue: msLeft !== null && msLeft < 0 && !o.pausedAt, urgent: o.urgent, msLeft } };
  });
  const rank = (m: TodoMark) => (m.overdue ? 0 : m.urgent ? 1 : 2);
  return marked.sort((a, b) => {
    const r = rank(a.mark) - rank(b.mark);
    if (r !== 0) return r;
    const la = a.mark.msLeft ?? Number.POSITIVE_INFINITY;
    const lb = b.mark.msLeft ?? Number.POSITIVE_INFINITY;
    if (la !== lb) return la - lb;
    return a.no - b.no;
  });
}
