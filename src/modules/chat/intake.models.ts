import { normalizeText } from '../../shared/text/normalize';
import { TRIGGER_WORDS } from '../classification/demand-text.models';

/** A demand held for the resident's answer ("+1 or 新建?", "where is it?") is created anyway after this. */
export const PENDING_DEMAND_MS = 30 * 60_000;
/** Photos, voice, files and locations this soon after a demand, from the same person, attach to it. */
export const ATTACHMENT_WINDOW_MS = 10 * 60_000;
/** A bind code may be tried this many times per hour by one chat contact (codes are short). */
export const MAX_BIND_ATTEMPTS_PER_HOUR = 5;

/**
 * The text without the @-mention of the bot, otherwise as the resident wrote it (the order keeps their words;
 * rules normalize for themselves). WeChat ends a mention with a four-per-em space (U+2005) or a space; a
 * mention at the end of the text has neither.
 */
export function stripBotMention(text: string, botNames: readonly string[]): string {
  let out = text;
  for (const name of botNames.filter(Boolean)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
    out = out.replace(new RegExp(`@${escaped}(\\u2005|\\s|$)`, 'gu'), ' ');
  }
  return out.replace(/[\s\u3000]+/gu, ' ').trim();
}

/** Whether a group message names itself a demand: it starts with a trigger word or "#" (after 【】 or spaces). */
export function startsWithTrigger(text: string): boolean {
  const body = normalizeText(text).replace(/^[\s【[(（「]+/u, '');
  if (body.startsWith('#')) return true;
  return TRIGGER_WORDS.some((w) => body.startsWith(w));
}

/**
 * Whether a group message is for the bot at all. Only these are stored; everything else is the residents'
 * own conversation and stays theirs. `expecting` covers the answers the bot asked this person for (a bare
 * survey answer, "+1"/"新建", the place of a vague demand) and attachments right after their demand.
 */
export function isAddressedToBot({
  mentionsBot,
  text,
  expecting,
}: {
  mentionsBot: boolean;
  text: string;
  expecting: boolean;
}): boolean {
  return mentionsBot || startsWithTrigger(text) || expecting;
}

/** Whether a held item from `at` is still within `windowMs` of `now`. */
export function withinWindow({ at, now, windowMs }: { at: Date; now: Date; windowMs: number }): boolean {
  const age = now.getTime() - at.getTime();
  return age >= 0 && age <= windowMs;
}

export type OrderChoice<T extends { no: number }> =
  | { kind: 'found'; order: T }
  | { kind: 'none' }
  | { kind: 'ambiguous'; orders: T[] };

/**
 * Which order a command means. A number given outside `candidates` is passed on as given, so the use case can
 * say why it is refused; without a number, the person's only candidate is meant, and several are ambiguous.
 */
export function chooseOrder<T extends { no: number }>({
  given,
  candidates,
}: {
  given: number | null;
  candidates: readonly T[];
}): OrderChoice<T> | { kind: 'given'; no: number } {
  if (given !== null) {
    const found = candidates.find((c) => c.no === given);
    return found ? { kind: 'found', order: found } : { kind: 'given', no: given };
  }
  if (candidates.length === 1) return { kind: 'found', order: candidates[0]! };
  if (candidates.length === 0) return { kind: 'none' };
  return { kind: 'ambiguous', orders: [...candidates] };
}

export type GridOption = { id: number; name: string; code: string };

/**
 * The grid of a resident writing 1:1: the one grid among the groups they share with the bot; with none, the
 * grid they were last seen in; several distinct grids are ambiguous (the bot asks).
 */
export function gridForDirectDemand({
  sharedGrids,
  knownGridId,
}: {
  sharedGrids: readonly GridOption[];
  knownGridId: number | null;
}): { kind: 'grid'; gridId: number } | { kind: 'ask'; options: GridOption[] } {
  const distinct = [...new Map(sharedGrids.map((g) => [g.id, g])).values()];
  if (distinct.length === 1) return { kind: 'grid', gridId: distinct[0]!.id };
  if (distinct.length === 0 && knownGridId !== null) return { kind: 'grid', gridId: knownGridId };
  return { kind: 'ask', options: distinct };
}

/** The resident's answer to "which grid?": a listed number, or a grid's name or code (or a unique part of it). */
export function matchGridAnswer({ text, options }: { text: string; options: readonly GridOption[] }): GridOption | null {
  const body = normalizeText(text);
  const index = /^(\d{1,2})$/u.exec(body);
  if (index) return options[Number(index[1]) - 1] ?? null;
  const exact = options.filter((o) => body.includes(o.name) || body.toUpperCase() === o.code.toUpperCase());
  if (exact.length === 1) return exact[0]!;
  const partial = options.filter((o) => body.length >= 2 && o.name.includes(body));
  return partial.length === 1 ? partial[0]! : null;
}

export type AttachmentKind = 'image' | 'voice' | 'video' | 'file' | 'location' | 'link';

/** A safe file name for storage: no path separators or control characters, at most 80 characters. */
export function safeFileName(name: string | null | undefined, fallback: string): string {
  const cleaned = (name ?? '')
    .replace(/[\\/:*?"<>|\p{C}]/gu, '_')
    .replace(/^\.+/u, '')
    .trim()
    .slice(-80);
  return cleaned || fallback;
}
