import { compactText } from '../../shared/text/normalize';
import type { Tokenize } from '../../shared/text/tokenizer';
import type { CategoryKind } from '../categories/categories.seed';
import { mentionsPlace, stripDemandMarkers } from './demand-text.models';

export type VaguenessReason = 'too_short' | 'no_place';
export type DemandAssessment = { vague: boolean; reason?: VaguenessReason };

/** Fewer meaningful characters than this cannot describe a problem ("路灯坏了" is 4). */
export const MIN_MEANINGFUL_CHARS = 6;

/** Chat particles and interjections: "啊啊啊" makes a message longer, not clearer. */
const FILLER = /[啊吧呢吗呀哦喔嘛啦咯噢哎唉诶嗯呃哇嘞哟]/gu;

/**
 * Whether the bot should ask for more before opening an order: the message is too short once the mention,
 * trigger words and fillers are gone, or it does not say where. A consultation ("社保卡怎么补办") needs no place.
 * Punctuation, emoji and spaces do not count; "了" and "的" do ("楼下路灯坏了" is a fine report), but a message
 * needs at least one word, not just numbers. A short message that names a problem the classifier knows
 * ("路灯坏了") lacks the place, not the problem: asking "what is the problem?" there makes the resident repeat
 * themselves, so it is asked where.
 */
export function assessDemand({
  text,
  tokenize,
  categoryKind,
  namesProblem = false,
}: {
  text: string;
  tokenize: Tokenize;
  categoryKind?: CategoryKind;
  /** The classifier recognised the problem (a category keyword matched). */
  namesProblem?: boolean;
}): DemandAssessment {
  const body = stripDemandMarkers(text).replace(FILLER, '');
  const hasWord = tokenize(body).some((token) => /\p{L}/u.test(token));
  const short = [...compactText(body)].length < MIN_MEANINGFUL_CHARS;
  if (!hasWord || (short && !namesProblem)) return { vague: true, reason: 'too_short' };
  if (categoryKind !== 'consultation' && !mentionsPlace(body)) return { vague: true, reason: 'no_place' };
  return { vague: false };
}
