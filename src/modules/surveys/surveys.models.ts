/**
 * Reading a resident's survey (回访) answer: whether the problem was solved and how satisfied they are, two
 * answers apart, from the one-digit menu or from their own words. Pure: no I/O.
 */
import { compactText, normalizeText } from '../../shared/text/normalize';
import type { SurveyAnswer } from '../work-orders/work-orders.models';

/**
 * The channel a round is filed under (`survey_answers.channel`): where the answer came from, and whether staff
 * recorded it for the resident (a 回访 by phone or in person). The console's 记录电话回访 is 'console'; staff typing
 * "回访 …" in the chat is 'staff_chat', apart from the resident's own answer in the chat ('direct', 'group').
 */
export function surveyRoundChannel({ channel, byPhone }: { channel: string; byPhone: boolean }): string {
  return byPhone && channel !== 'console' ? 'staff_chat' : channel;
}

/** Whether a round was recorded by staff (by phone or in person) rather than answered by the resident. */
export function recordedByStaff(channel: string): boolean {
  return channel === 'console' || channel === 'staff_chat';
}

/** A survey reply: either half may be unknown (null), never both. */
export type SurveyReply = { answer: SurveyAnswer | null; solved: boolean | null };

/**
 * The menu of the survey question (i18n SURVEY_MENU): one digit gives both answers. The first three keep the
 * effect they had when the menu was "1 满意 2 基本满意 3 不满意" (1 and 2 close, 3 reopens), so a reply to a
 * question sent before the change does what the resident meant; 4 is new.
 */
export const SURVEY_DIGITS: Readonly<Record<string, { answer: SurveyAnswer; solved: boolean }>> = {
  '1': { answer: 'satisfied', solved: true },
  '2': { answer: 'basically_satisfied', solved: true },
  '3': { answer: 'unsatisfied', solved: false },
  '4': { answer: 'unsatisfied', solved: true },
};

/** The problem is still there, said as a complaint: not solved, and not satisfied either. */
const COMPLAINT =
  /还是(没|有|不|那样|老样子|一样|坏|堵|漏|臭|吵|脏)|根本(没|不|就)|没(人)?(来|到)(过|看)|没人来(看)?过|不行|又(坏|堵|漏|臭|响|吵|脏|不亮|开始|来了)|依旧|照样|老样子|没变化|没(有)?变|跟没(修|弄|处理)一样|白(修|弄|跑)|一样(臭|吵|脏|黑|堵|漏)|还(有|在)(味|臭|漏|堵|吵|响|积水|问题)|(味|臭|漏|堵|问题|积水)(道)?(还在|还有|还是)|有味道|没用|不管用/u;
/** The problem is not solved, said plainly: nothing about how satisfied they are. */
const UNSOLVED = /没(有)?(修|弄|处理|解决|搞|整)好|没(有)?(解决|修)|未解决|还没(好|修|弄|解决|处理|来)|没好|不算解决/u;
const SOLVED = /修好了|弄好了|整好了|搞好了|处理好了|(已经)?解决了|已解决|好了|亮了|通了|干净了|搞定|没问题了(?!吗)|不(漏|堵|臭|响|吵)了|修了|换了/u;

const UNSATISFIED = /不满意|差劲|太差|很差|真差|敷衍|糊弄|应付|瞎搞|不负责|太慢|慢死|拖(了|拉|太久)|(态度|服务)(差|不好|恶劣)|不像话|失望|气人/u;
const MIDDLE = /基本满意|比较满意|还行|一般般?|凑合|马马虎虎|还可以|过得去|差不多|勉强/u;
const SATISFIED = /满意|很好|挺好|不错|点赞|给力|效率|及时|太好了|真好|非常好|好样的/u;
/** Politeness: it says they are pleased unless they say in the same breath that the problem is still there. */
const THANKS = /谢谢|蟹蟹|感谢|多谢|辛苦/u;
const ACK = /^(好|好的|好滴|好哒|好嘞|可以|收到|嗯|ok|okay|行|没问题)+(了|啊|呀|哈|啦)?$/u;
const POSITIVE_EMOJI = /👍|🙏|👌|💪|🌹|❤|♥|😊|☺|🤝|👏|😄|😁|🥰|😘|💐|🎉|✌|🙂|😀|😃/u;
const NEGATIVE_EMOJI = /👎|😡|😠|🤬|😤|💢|😞|😔|😭|😢/u;

/** Whether the words say the problem was solved: true, false, or null when they do not say. */
export function readSolved(text: string): boolean | null {
  const c = compactText(text);
  if (COMPLAINT.test(c) || UNSOLVED.test(c)) return false;
  if (SOLVED.test(c)) return true;
  return null;
}

/** How satisfied the words say the resident is, or null when they do not say. */
export function readSatisfaction(text: string, solved: boolean | null = readSolved(text)): SurveyAnswer | null {
  const c = compactText(text);
  const raw = normalizeText(text);
  if (UNSATISFIED.test(c) || COMPLAINT.test(c) || NEGATIVE_EMOJI.test(raw)) return 'unsatisfied';
  if (MIDDLE.test(c)) return 'basically_satisfied';
  if (SATISFIED.test(c)) return 'satisfied';
  // "还没修好，谢谢" is politeness, not a rating of work that did not fix the problem.
  if (solved !== false && (THANKS.test(c) || POSITIVE_EMOJI.test(raw) || ACK.test(c))) return 'satisfied';
  return null;
}

/**
 * A survey reply in the resident's own words ("修好了，挺满意", "修好了但是太慢了不满意", "还没修好", "满意",
 * "好了谢谢", "👍"); null when the words say neither. The comment keeps their words when something is wrong (not
 * solved, or not satisfied), for the handler.
 */
export function readSurveyReply(text: string): (SurveyReply & { comment: string | null }) | null {
  const solved = readSolved(text);
  const answer = readSatisfaction(text, solved);
  if (solved === null && answer === null) return null;
  const unhappy = solved === false || answer === 'unsatisfied';
  return { answer, solved, comment: unhappy ? text.replace(/\s+/gu, ' ').trim() || null : null };
}
