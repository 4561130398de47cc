/**
 * The group noise budget: what a residents' group hears about one order, as a pure rule decided when a notice is
 * sent (friendship is only known then). A resident the bot can reach 1:1 hears everything 1:1; the group hears of a
 * non-friend's order only what the group needs:
 *
 *   1. the receipt (and a "+1" follower's receipt): the reply to what they said in the group;
 *   2. the result: 办结 with the survey (a follower: the resolution), a cancellation or merge, the survey thanks;
 *   3. what needs the resident (a staff question, an answer to their own question): it cannot wait for 查询;
 *   4. AT MOST ONE compact line for all intermediate steps of the order, spent only by a step that changes what
 *      the receipt promised (another handler: 改派/上报/退回/重办; another deadline: 延期), with a pointer to 查询.
 *
 * Steps that only keep the receipt's promise (签收, 进展) and reminders are not news to the group: they are kept in
 * the outbox as withheld, on record and visible through 查询. So an ordinary order costs the group at most three
 * lines (receipt, result with survey, the survey thanks) and one whose promise changed at most four.
 * A private order (举报, a complaint naming a neighbour) never reaches a group at all: the reporter is not
 * @-mentioned in front of the neighbours.
 */
import type { ChatPerson, Route } from './delivery.models';

/** What a notice is to a group, from its outbox kind. */
export type NoticeClass = 'receipt' | 'result' | 'needed' | 'change' | 'confirmation' | 'reminder' | 'other';

/** Outbox kinds of resident notices (see notificationsFor). */
export const RESIDENT_KINDS = {
  /** Keeps the receipt's promise: 签收, 进展. */
  confirmation: 'status',
  /** Changes the receipt's promise: another handler or another deadline. */
  change: 'change',
  /** The end of the order for this resident: resolved (a follower), cancelled, merged, survey thanks. */
  result: 'result',
} as const;

export function noticeClass({ kind, dedupeKey }: { kind: string; dedupeKey: string | null }): NoticeClass {
  switch (kind) {
    case 'receipt':
      return 'receipt';
    case 'survey':
      // The survey reminder job writes kind 'survey' too (the next 1/2/3 answers it), under its own key.
      return dedupeKey?.startsWith('survey-remind:') ? 'reminder' : 'result';
    case RESIDENT_KINDS.result:
      return 'result';
    case 'question':
    case 'reply':
      return 'needed';
    case RESIDENT_KINDS.change:
      return 'change';
    case RESIDENT_KINDS.confirmation:
      return 'confirmation';
    case 'reminder':
      return 'reminder';
    default:
      return 'other';
  }
}

export type WithholdReason =
  /** 签收/进展 for a resident reached only in the group: on record, seen through 查询. */
  | 'group_confirmation'
  /** The order's one intermediate group line was already spent. */
  | 'group_budget_spent'
  /** Reminders are not repeated in front of the group. */
  | 'group_reminder'
  /** A 举报 or a complaint about a neighbour: never in a group. */
  | 'private_order';

/** What the order has already cost its group, read at send time. */
export type GroupBudgetFacts = {
  /** The order is a 举报 / a complaint naming a neighbour (privacy.models). */
  privateOrder: boolean;
  /** An intermediate line of this order already went to a group. */
  intermediateSpent: boolean;
};

export type BudgetDecision =
  | { action: 'send'; route: Exclude<Route, { via: 'none' }>; compact: boolean }
  | { action: 'withhold'; reason: WithholdReason };

/**
 * Applies the budget to a route chosen by chooseRoute. Only order notices to residents are budgeted: a 1:1 route
 * is never limited, staff and group rows are untouched, and a row without an order (a plain message) goes as
 * routed. `compact`: the one intermediate line, sent with a pointer to 查询.
 */
export function applyGroupBudget({
  route,
  recipientType,
  orderId,
  kind,
  dedupeKey,
  facts,
}: {
  route: Exclude<Route, { via: 'none' }>;
  recipientType: string;
  orderId: number | null;
  kind: string;
  dedupeKey: string | null;
  facts: GroupBudgetFacts;
}): BudgetDecision {
  if (route.via !== 'room' || recipientType !== 'resident' || orderId === null) return { action: 'send', route, compact: false };
  if (facts.privateOrder) return { action: 'withhold', reason: 'private_order' };
  switch (noticeClass({ kind, dedupeKey })) {
    case 'receipt':
    case 'result':
    case 'needed':
    case 'other':
      return { action: 'send', route, compact: false };
    case 'reminder':
      return { action: 'withhold', reason: 'group_reminder' };
    case 'confirmation':
      return { action: 'withhold', reason: 'group_confirmation' };
    case 'change':
      return facts.intermediateSpent ? { action: 'withhold', reason: 'group_budget_spent' } : { action: 'send', route, compact: true };
  }
}

/** Kinds whose delivery to a group spends the order's one intermediate line. */
export const INTERMEDIATE_KINDS: readonly string[] = [RESIDENT_KINDS.change, RESIDENT_KINDS.confirmation];

/** Who else is @-mentioned on one group line (followers told of the same step in the same room). */
export function mentionsFor(primary: ChatPerson | null, others: ChatPerson[]): ChatPerson[] {
  const all = [primary, ...others].filter((p): p is ChatPerson => p !== null);
  const seen = new Set<string>();
  return all.filter((p) => {
    const key = p.chatContactId ?? p.chatKey ?? p.name;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
