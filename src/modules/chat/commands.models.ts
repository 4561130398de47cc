import { isDbId } from '../../shared/ids';
import { MAX_EXTENSION_DAYS, type SurveyAnswer } from '../work-orders/work-orders.models';
import { SURVEY_DIGITS, readSolved } from '../surveys/surveys.models';

/**
 * The chat commands, as one pure parser over what people really type on a phone: full-width digits and
 * punctuation, "#1024", Chinese colons and commas, extra or missing spaces. A missing order number is left
 * null: the handler fills it in when the person has exactly one order the command can apply to.
 */
export type ChatCommand =
  | { kind: 'help' }
  | { kind: 'query'; no: number | null }
  | { kind: 'my_orders' }
  | { kind: 'cancel'; no: number | null; reason: string | null }
  | { kind: 'points' }
  /** A survey answer: how satisfied, and whether solved when the digit or the words say it (null: not said). */
  | { kind: 'survey'; answer: SurveyAnswer; solved: boolean | null; no: number | null; comment: string | null }
  | { kind: 'support'; no: number | null }
  | { kind: 'new_order' }
  | { kind: 'accept'; no: number | null }
  | { kind: 'progress'; no: number | null; note: string }
  | { kind: 'resolve'; no: number | null; note: string }
  | { kind: 'escalate'; no: number | null; reason: string }
  | { kind: 'return'; no: number | null; reason: string }
  | { kind: 'extend'; no: number | null; days: number; reason: string }
  | { kind: 'todo' }
  | { kind: 'approve_extension'; no: number | null; note: string | null }
  | { kind: 'deny_extension'; no: number | null; reason: string | null }
  | { kind: 'bind'; code: string }
  | { kind: 'bind_group'; code: string }
  /**
   * 派单 to a department by an officer: the department (主办) as typed, any 协办 named after the word 协办, and a
   * note. The names are matched against the departments by the handler.
   */
  | { kind: 'dispatch'; no: number | null; department: string; assists: string[]; note: string | null }
  /**
   * A 回访 made by phone or in person, recorded by staff for the resident: whether solved and how satisfied, each
   * only when said (null: not said, never guessed), and what the resident said.
   */
  | { kind: 'visit'; no: number | null; answer: SurveyAnswer | null; solved: boolean | null; comment: string | null }
  | { kind: 'chitchat'; what: 'thanks' | 'greeting' | 'ack' }
  /** A command word with arguments that do not fit: the reply shows the expected form. */
  | { kind: 'malformed'; command: CommandName; problem: MalformedProblem }
  /** Not a command: a demand, or an answer to a question the bot asked. */
  | { kind: 'text'; text: string };

export type CommandName = Exclude<ChatCommand['kind'], 'malformed' | 'text' | 'chitchat'>;
export type MalformedProblem = 'missing_text' | 'missing_days' | 'bad_days' | 'missing_code' | 'missing_department' | 'missing_answer';

/** Commands only staff may give; a resident who types one is refused politely. */
export const STAFF_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'accept',
  'progress',
  'resolve',
  'escalate',
  'return',
  'extend',
  'todo',
  'approve_extension',
  'deny_extension',
  'bind_group',
  'dispatch',
  'visit',
]);

const SEP = '[\\s,:;、。.!?~，：；！？～]';

type Keyword = {
  words: readonly string[];
  command: CommandName;
  /**
   * Loose keywords may be glued to their text ("办结已更换灯泡"); strict ones need a separator, a digit or "#" after
   * them, because residents start demands with the same words ("上报一个问题", "取消了的公交站").
   */
  loose?: boolean;
};

// Longer words first where one is a prefix of another (绑定网格 / 绑定, 我的工单 / 我的).
const KEYWORDS: readonly Keyword[] = [
  { words: ['帮助', '菜单', '指令', '使用说明', 'help', '?'], command: 'help' },
  { words: ['我的工单', '我的报事', '我的反映', '我的投诉'], command: 'my_orders' },
  { words: ['我的积分', '积分'], command: 'points' },
  { words: ['我的待办', '待办工单', '待办'], command: 'todo', loose: true },
  { words: ['查询', '查看', '查进度', '进度', '查'], command: 'query' },
  { words: ['撤回', '撤销', '取消'], command: 'cancel' },
  { words: ['接单', '签收'], command: 'accept', loose: true },
  { words: ['进展'], command: 'progress', loose: true },
  { words: ['办结', '已办结'], command: 'resolve', loose: true },
  { words: ['上报'], command: 'escalate' },
  { words: ['退回', '退单'], command: 'return', loose: true },
  { words: ['同意延期', '批准延期'], command: 'approve_extension', loose: true },
  { words: ['驳回延期', '不同意延期', '拒绝延期'], command: 'deny_extension', loose: true },
  { words: ['申请延期', '延期'], command: 'extend', loose: true },
  { words: ['绑定网格', '绑定群'], command: 'bind_group' },
  { words: ['绑定'], command: 'bind' },
  { words: ['新建工单', '新建', '不是同一个', '不是同一件'], command: 'new_order' },
  { words: ['+1', '加1', '加一'], command: 'support' },
  { words: ['评价'], command: 'survey' },
  // Strict: residents write "派单员…", "回访电话没人接"; a resident's 回访 is read as their own answer (readAsResident).
  { words: ['派单', '改派'], command: 'dispatch' },
  { words: ['回访'], command: 'visit' },
];

const SURVEY_WORDS: readonly { word: string; answer: SurveyAnswer }[] = [
  { word: '非常不满意', answer: 'unsatisfied' },
  { word: '很不满意', answer: 'unsatisfied' },
  { word: '不太满意', answer: 'unsatisfied' },
  { word: '不满意', answer: 'unsatisfied' },
  { word: '基本满意', answer: 'basically_satisfied' },
  { word: '比较满意', answer: 'basically_satisfied' },
  { word: '非常满意', answer: 'satisfied' },
  { word: '很满意', answer: 'satisfied' },
  { word: '满意', answer: 'satisfied' },
];

const CHITCHAT: readonly { words: readonly string[]; what: 'thanks' | 'greeting' | 'ack' }[] = [
  { words: ['谢谢', '谢谢你', '谢谢您', '感谢', '多谢', '谢了', '辛苦了', 'thanks', 'thank you'], what: 'thanks' },
  { words: ['你好', '您好', '在吗', '在不在', 'hi', 'hello', '哈喽'], what: 'greeting' },
  { words: ['好的', '好', '收到', '嗯', '嗯嗯', 'ok', '知道了', '明白', '了解'], what: 'ack' },
];

/** Characters after a number that make it a quantity or an address, not an order number ("3号楼", "5天"). */
const UNIT_AFTER_NUMBER = /^[号栋幢座楼单元室层天日个米元块年月点分岁斤度%]/u;

/** Order numbers have at least this many digits when glued to text ("办结1024已修好"); "#" always marks one. */
const GLUED_ORDER_NO_DIGITS = 4;

function trimSeparators(s: string): string {
  return s.replace(new RegExp(`^${SEP}+|${SEP}+$`, 'gu'), '').trim();
}

/**
 * Full-width ASCII and the ideographic space to their half-width forms, one character for one: positions in
 * the result are positions in the input, so free text (a note, a reason) can be cut from what the person wrote,
 * with their own punctuation.
 */
function widthNormalize(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Maps a suffix of the normalized text back to the same characters as written. */
type FreeText = (rest: string) => string;

/** An order number at the start of `rest`: "#1024", "1024", "1024，…"; null when there is none. */
export function takeOrderNo(rest: string): { no: number | null; rest: string } {
  const s = rest.replace(new RegExp(`^${SEP}+`, 'u'), '');
  const hash = /^#\s*(\d+)/u.exec(s);
  if (hash) return { no: Number(hash[1]), rest: s.slice(hash[0].length) };
  const m = /^(\d+)/u.exec(s);
  if (!m) return { no: null, rest: s };
  const after = s.slice(m[0].length);
  const separated = after === '' || new RegExp(`^${SEP}`, 'u').test(after);
  if (separated && !/^\.\d/u.test(after)) return { no: Number(m[1]), rest: after };
  if (m[1]!.length >= GLUED_ORDER_NO_DIGITS && !UNIT_AFTER_NUMBER.test(after)) return { no: Number(m[1]), rest: after };
  return { no: null, rest: s };
}

function matchKeyword(text: string): { keyword: Keyword; rest: string } | null {
  const lower = text.toLowerCase();
  for (const keyword of KEYWORDS) {
    for (const word of keyword.words) {
      if (!lower.startsWith(word)) continue;
      const rest = text.slice(word.length);
      // "?" alone asks for help; "？？？有人吗" is someone waiting for an answer, read for what it says.
      if (word === '?' && trimSeparators(rest) !== '') continue;
      if (rest === '' || keyword.loose || new RegExp(`^(${SEP}|#|\\d)`, 'u').test(rest)) return { keyword, rest };
      // "+1" is followed by digits only as an order number with a separator ("+1 1024").
    }
  }
  return null;
}

/**
 * A survey answer at the start of the text: "1", "3 灯还是不亮", "不满意，…", with an optional order number before
 * or right after the answer ("#1024 3", "3 #1024 灯还是不亮", "不满意 1024"), in the digit form as in the word form.
 * A digit of the menu (SURVEY_DIGITS) says both whether it was solved and how satisfied; a word says how satisfied,
 * and whether solved only when the rest says it ("不满意，灯还是不亮": not solved).
 */
export function parseSurvey(
  text: string,
  freeText: FreeText = trimSeparators,
): { answer: SurveyAnswer; solved: boolean | null; no: number | null; comment: string | null } | null {
  let s = text;
  let no: number | null = null;
  const hash = /^#\s*(\d+)/u.exec(s) ?? /^(\d{4,})(?=$|[\s,:;、。.!?~])/u.exec(s);
  if (hash) {
    no = Number(hash[1]);
    s = s.slice(hash[0].length).replace(new RegExp(`^${SEP}+`, 'u'), '');
  }
  let answer: SurveyAnswer;
  let solved: boolean | null = null;
  let rest: string;
  const digit = /^([1234])(?=$|[\s,:;、。.!?~])/u.exec(s);
  if (digit) {
    ({ answer, solved } = SURVEY_DIGITS[digit[1]!]!);
    rest = s.slice(1);
  } else {
    const worded = SURVEY_WORDS.find(({ word }) => s.startsWith(word));
    if (!worded) return null;
    answer = worded.answer;
    rest = s.slice(worded.word.length);
  }
  if (no === null) {
    // After an answer a small number is part of the comment ("不满意 3天了还没修", "3 5号楼也坏了").
    const taken = new RegExp(`^${SEP}*(?:#\\s*(\\d+)|(\\d{4,})(?=$|${SEP}))`, 'u').exec(rest);
    if (taken) {
      no = Number(taken[1] ?? taken[2]);
      rest = rest.slice(taken[0].length);
    }
  }
  const comment = freeText(rest) || null;
  if (!digit && comment) solved = readSolved(comment);
  return { answer, solved, no, comment };
}

const DAY_SUFFIX = '(个工作日|工作日|个?天|日)';
const MAX_DAYS_WITHOUT_MARK = 30;

/**
 * "延期 1024 3 等待配件", "延期 #1024 3天 …", "延期 3天 等待配件", "延期1024，3个工作日，…": up to two numbers lead;
 * with one, a day mark or a small value makes it the days (the order number is then left to the handler).
 */
function parseExtend(rest: string, freeText: FreeText): ChatCommand {
  const m = new RegExp(`^${SEP}*(#)?\\s*(\\d+)(?:\\s*${DAY_SUFFIX})?(?:${SEP}*(\\d+)(?:\\s*${DAY_SUFFIX})?)?`, 'u').exec(rest);
  if (!m) return { kind: 'malformed', command: 'extend', problem: 'missing_days' };
  const [, hash, first, firstMark, second] = m;
  let no: number | null = null;
  let days: number | null = null;
  if (second !== undefined) {
    no = Number(first);
    days = Number(second);
  } else if (!hash && (firstMark || Number(first) <= MAX_DAYS_WITHOUT_MARK)) {
    days = Number(first);
  } else {
    no = Number(first);
  }
  if (days === null) return { kind: 'malformed', command: 'extend', problem: 'missing_days' };
  // Beyond the rules' limit (and any integer the database holds): said in words, not passed on.
  if (days < 1 || days > MAX_EXTENSION_DAYS) return { kind: 'malformed', command: 'extend', problem: 'bad_days' };
  const reason = freeText(rest.slice(m[0].length));
  if (!reason) return { kind: 'malformed', command: 'extend', problem: 'missing_text' };
  return { kind: 'extend', no, days, reason };
}

function withNote<K extends 'progress' | 'resolve' | 'escalate' | 'return'>(command: K, rest: string, freeText: FreeText): ChatCommand {
  const { no, rest: after } = takeOrderNo(rest);
  const text = freeText(after);
  if (!text) return { kind: 'malformed', command, problem: 'missing_text' };
  if (command === 'progress' || command === 'resolve') return { kind: command, no, note: text } as ChatCommand;
  return { kind: command, no, reason: text } as ChatCommand;
}

/** Where a department's name ends: a space or punctuation ("、" also separates the 协办 from each other). */
const NAME_RUN = /^[^\s,:;、。.!?~，：；！？～]+/u;
const ASSISTS_RUN = /^[^\s,:;。.!?~，：；！？～]+/u;
const ASSIST_WORD = '协办';

/**
 * "派单 1007 燃气公司", "派单1007 区住建局 协办 城管、市政 现场需联合执法", "改派 #1007 供水公司，复核为水管爆裂",
 * "派单 燃气" (the number left to the handler): the first name is the 主办; the names after 协办 (one run, apart by
 * "、") the 协办; what follows is the note.
 */
function parseDispatch(rest: string, freeText: FreeText): ChatCommand {
  const { no, rest: after } = takeOrderNo(rest);
  let s = after.replace(new RegExp(`^${SEP}+`, 'u'), '');
  const lead = NAME_RUN.exec(s);
  if (!lead) return { kind: 'malformed', command: 'dispatch', problem: 'missing_department' };
  const glued = lead[0].indexOf(ASSIST_WORD);
  const department = glued > 0 ? lead[0].slice(0, glued) : lead[0];
  s = s.slice(department.length);
  let assists: string[] = [];
  const assistWord = new RegExp(`^${SEP}*${ASSIST_WORD}${SEP}*`, 'u').exec(s);
  if (assistWord) {
    s = s.slice(assistWord[0].length);
    const names = ASSISTS_RUN.exec(s);
    if (!names) return { kind: 'malformed', command: 'dispatch', problem: 'missing_department' };
    assists = names[0].split('、').filter(Boolean);
    s = s.slice(names[0].length);
  }
  return { kind: 'dispatch', no, department, assists, note: freeText(s) || null };
}

/**
 * "回访 1007 满意", "回访1007 解决了 基本满意", "回访 1007 没解决 居民说还是有味道", "回访 #1007 3", "回访 1007 修好了很满意":
 * a digit of the survey menu says both answers; otherwise a satisfaction word anywhere says how satisfied and the
 * words whether solved (readSolved), each only when said. The words are kept as the resident's comment unless they
 * are the bare answer.
 */
function parseVisit(rest: string, freeText: FreeText): ChatCommand {
  const { no, rest: after } = takeOrderNo(rest);
  const said = trimSeparators(after);
  const digit = /^([1234])(?=$|[\s,:;、。.!?~])/u.exec(said);
  if (digit) {
    const { answer, solved } = SURVEY_DIGITS[digit[1]!]!;
    const afterDigit = after.replace(new RegExp(`^${SEP}+`, 'u'), '').slice(1);
    return { kind: 'visit', no, answer, solved, comment: freeText(afterDigit) || null };
  }
  const worded = SURVEY_WORDS.find(({ word }) => said.includes(word));
  const solved = readSolved(worded ? said.replace(worded.word, ' ') : said);
  if (!worded && solved === null) return { kind: 'malformed', command: 'visit', problem: 'missing_answer' };
  const comment = worded && trimSeparators(said.replace(worded.word, '')) === '' ? null : freeText(after) || null;
  return { kind: 'visit', no, answer: worded?.answer ?? null, solved, comment };
}

function parseKeyword(command: CommandName, rest: string, freeText: FreeText): ChatCommand {
  switch (command) {
    case 'help':
    case 'my_orders':
    case 'points':
    case 'todo':
    case 'new_order':
      return { kind: command };
    case 'query':
    case 'accept':
    case 'support':
      return { kind: command, no: takeOrderNo(rest).no };
    case 'cancel': {
      const { no, rest: after } = takeOrderNo(rest);
      return { kind: 'cancel', no, reason: freeText(after) || null };
    }
    case 'progress':
    case 'resolve':
    case 'escalate':
    case 'return':
      return withNote(command, rest, freeText);
    case 'extend':
      return parseExtend(rest, freeText);
    case 'approve_extension': {
      const { no, rest: after } = takeOrderNo(rest);
      return { kind: 'approve_extension', no, note: freeText(after) || null };
    }
    case 'deny_extension': {
      const { no, rest: after } = takeOrderNo(rest);
      return { kind: 'deny_extension', no, reason: freeText(after) || null };
    }
    case 'bind':
    case 'bind_group': {
      const code = trimSeparators(rest).replace(/\s+/gu, '');
      if (!code) return { kind: 'malformed', command, problem: 'missing_code' };
      return { kind: command, code: command === 'bind_group' ? code.toUpperCase() : code };
    }
    case 'dispatch':
      return parseDispatch(rest, freeText);
    case 'visit':
      return parseVisit(rest, freeText);
    case 'survey': {
      const survey = parseSurvey(rest.replace(new RegExp(`^${SEP}+`, 'u'), ''), freeText);
      return survey ? { kind: 'survey', ...survey } : { kind: 'malformed', command: 'survey', problem: 'missing_text' };
    }
  }
}

/**
 * An order number is a Postgres integer: a longer run of digits ("查询 #99999999999999999999") names no order, so
 * it becomes NO_SUCH_ORDER, which every handler answers as it answers any unknown number ("not found").
 */
export const NO_SUCH_ORDER = 0;

/** Parses one chat message (the bot's @-mention already removed). */
export function parseCommand(raw: string): ChatCommand {
  const command = parseWritten(raw);
  if ('no' in command && command.no !== null && !isDbId(command.no)) {
    return { ...command, no: NO_SUCH_ORDER };
  }
  return command;
}

function parseWritten(raw: string): ChatCommand {
  const written = raw.replace(/\s+/gu, ' ').trim();
  const text = widthNormalize(written);
  if (!text) return { kind: 'text', text };
  const freeText: FreeText = (rest) => trimSeparators(written.slice(text.length - rest.length));

  const hashOnly = /^#\s*(\d+)$/u.exec(text);
  if (hashOnly) return { kind: 'query', no: Number(hashOnly[1]) };

  const keyword = matchKeyword(text);
  if (keyword) return parseKeyword(keyword.keyword.command, keyword.rest, freeText);

  const survey = parseSurvey(text, freeText);
  if (survey) return { kind: 'survey', ...survey };

  const bare = trimSeparators(text).toLowerCase();
  for (const { words, what } of CHITCHAT) if (words.includes(bare)) return { kind: 'chitchat', what };

  return { kind: 'text', text: written };
}

/**
 * 回访 is the staff's word: a resident (or anyone not bound as staff) who writes "回访 满意" or "回访 1007 还是没修好"
 * is answering their own 回访, so the words after it are read as they would be without it.
 */
export function readAsResident(command: ChatCommand, raw: string): ChatCommand {
  const isVisit = command.kind === 'visit' || (command.kind === 'malformed' && command.command === 'visit');
  if (!isVisit) return command;
  const words = raw.replace(/^\s*回访/u, '');
  const read = parseCommand(words);
  if (read.kind === 'text' && read.text === '') return { kind: 'malformed', command: 'survey', problem: 'missing_text' };
  return read;
}

/** Whether the parsed survey answer is only an answer (nothing that could be a new demand after it). */
export function isBareSurveyAnswer(command: ChatCommand): boolean {
  return command.kind === 'survey' && command.comment === null;
}
