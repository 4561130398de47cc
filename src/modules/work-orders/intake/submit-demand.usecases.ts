import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { orderTexts } from '../../../i18n/zh-CN';
import { classifyTexts } from '../../../i18n/zh-CN.classify';
import { DomainError } from '../../../shared/errors/domain-error';
import { classifyDemand } from '../../classification/classification.models';
import { type AdviceKind, adviceFor } from '../../classification/safety-advice.models';
import { findDuplicateCandidates } from '../../classification/similarity.models';
import { type StaffAtUnit, type UnitNode, responsibleAbove } from '../../grids/grids.models';
import { type OutboxDraft, notificationsFor } from '../../notifications/notifications.models';
import type { Actor } from '../../people/people.models';
import { awardPoints } from '../../points/points.usecases';
import { planNewOrder } from '../rules/new-order.models';
import { type OrderSummary, applyCommand, loadReporter, notifiedStaff, notifyContext, orderSummary, summarize } from '../handling/apply-command.usecases';
import type { Channel, OrderDeps } from '../work-orders.deps';
import type { OrderEventDraft, OrderState } from '../work-orders.models';
import { insertNewOrder, loadGridChain, recentOpenOrdersInGrid } from './new-order.repository';
import { insertEvents, insertOutbox, loadOrder, peopleFrom } from '../work-orders.repository';
import { orderSupporters, workOrders } from '../work-orders.table';

const DUPLICATE_WINDOW_DAYS = 7;

export type SubmitDemandInput = {
  /** The chat network's message id (or another channel's request id): submitting it twice creates one order. */
  sourceMessageId: string | null;
  channel: Channel;
  residentId: number;
  gridId: number;
  chatGroupId?: number | null;
  text: string;
  locationText?: string | null;
  lat?: number | null;
  lng?: number | null;
  /** Overrides the classifier (Open311 service codes, the console). */
  categoryCode?: string;
  urgent?: boolean;
  /** False when the resident already declined the offered duplicates. */
  checkDuplicates?: boolean;
  /** False when the caller writes one receipt for several orders (a message about several problems). */
  receipt?: boolean;
};

export type DuplicateCandidate = { id: number; no: number; score: number; text: string; ownOrder: boolean };

export type SubmitDemandResult =
  | { outcome: 'created'; order: OrderSummary }
  | { outcome: 'existing'; order: OrderSummary }
  | { outcome: 'possible_duplicates'; candidates: DuplicateCandidate[] };

/**
 * 受理 → 分流交办: classifies the demand, offers open duplicates in the same grid, or creates the order, routes it
 * to the grid's leader (or up the tree) and writes the receipt and the assignment to the outbox — one
 * transaction. Idempotent on the source message id.
 */
export async function submitDemand({ deps, input }: { deps: OrderDeps; input: SubmitDemandInput }): Promise<SubmitDemandResult> {
  const { db, clock, tokenize } = deps;
  const text = input.text.trim();
  if (!text) throw new DomainError('INVALID_ARGUMENT', 'a demand needs text');

  if (input.sourceMessageId) {
    const existing = await existingForMessage(deps, input.sourceMessageId);
    if (existing) return { outcome: 'existing', order: existing };
  }

  const place = await loadGridChain(db, input.gridId);
  if (!place) throw new DomainError('GRID_UNKNOWN', `unit ${input.gridId} is not a grid`);
  const { chain, staff } = place;
  const grid = chain[0]!;

  const allCategories = (await deps.categories.all()).filter((c) => c.active);
  // The model is in memory once trained; awaited here, before the transaction, so classifying never reads there.
  const classification = classifyDemand({ text, categories: allCategories, tokenize, model: await deps.classifier?.model() });
  // The optional language-model reader proposes; it never lowers an urgency the rules found.
  const reading = deps.llm && !input.categoryCode ? await deps.llm.read({ text, categories: allCategories }) : null;
  const categoryCode = input.categoryCode ?? reading?.categoryCode ?? classification.categoryCode;
  const category = allCategories.find((c) => c.code === categoryCode);
  if (!category) throw new DomainError('INVALID_ARGUMENT', `unknown category ${categoryCode}`);
  const urgency = (input.urgent ?? (classification.urgent || reading?.urgent === true)) ? 'urgent' : 'normal';

  const now = clock.now();
  if (input.checkDuplicates !== false) {
    const since = new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000);
    const recent = await recentOpenOrdersInGrid(db, { gridId: grid.id, since });
    const found = findDuplicateCandidates({
      text,
      candidates: recent,
      now,
      tokenize,
      contentOf: deps.demandContent,
      windowDays: DUPLICATE_WINDOW_DAYS,
    });
    if (found.length > 0) {
      const byId = new Map(recent.map((r) => [r.id, r]));
      return {
        outcome: 'possible_duplicates',
        candidates: found.slice(0, 3).map((f) => ({
          id: f.id,
          no: f.no,
          score: f.score,
          text: byId.get(f.id)?.text ?? '',
          ownOrder: byId.get(f.id)?.residentId === input.residentId,
        })),
      };
    }
  }

  const planned = planNewOrder({
    residentId: input.residentId,
    chain,
    staff,
    categoryId: category.id,
    category,
    urgency,
    text,
    now,
    calendar: await deps.calendar.get(),
  });
  const [submitEvent, ...routingEvents] = planned.events;
  const events: OrderEventDraft[] = [
    { ...submitEvent!, data: { ...submitEvent!.data, classification: { matched: classification.matched, urgentTerms: classification.urgentTerms, confidence: classification.confidence, ...(reading ? { llm: reading } : {}) } } },
    ...routingEvents,
  ];
  const chatGroupId = input.chatGroupId ?? null;
  // Read before the transaction: the assignee's notice names the reporter (staff are reached only 1:1).
  const reporter = await loadReporter(db, input.residentId);

  const created = await db.transaction(async (tx) => {
    const row = await insertNewOrder(tx, {
      state: planned.order,
      text,
      searchTokens: tokenize(text).join(' '),
      locationText: input.locationText ?? null,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      channel: input.channel,
      chatGroupId,
      sourceMessageId: input.sourceMessageId,
      now,
    });
    if (!row) return undefined; // a concurrent submit of the same message won

    const state: OrderState = { ...planned.order, id: row.id, no: row.no };
    const { summary, drafts } = newOrderNotices({
      before: { ...planned.submitted, id: row.id, no: row.no },
      state,
      routingEvents,
      chain,
      staff,
      categoryName: category.name,
      chatGroupId,
      text,
      now,
      reporter,
      advice: adviceFor({ urgentTerms: classification.urgentTerms, categoryCode }),
      withReceipt: input.receipt !== false,
    });
    // Independent writes, sent together: on Postgres they are pipelined on the transaction's connection.
    await Promise.all([
      insertEvents(tx, { orderId: row.id, channel: input.channel, events }),
      insertOutbox(tx, drafts, deps.botAccount, now),
      awardPoints({ db: tx, residentId: input.residentId, reason: 'report', orderId: row.id, now }),
    ]);
    return summary;
  });

  if (!created) {
    const existing = await existingForMessage(deps, input.sourceMessageId!);
    if (existing) return { outcome: 'existing', order: existing };
    throw new DomainError('CONFLICT', 'the order could not be created');
  }
  return { outcome: 'created', order: created };
}

/**
 * The receipt, the notices of the routing and the summary returned of a new order, from the grid's chain and
 * staff already loaded (a pure function of them, as applyCommand's notices are of what it loads).
 */
function newOrderNotices({
  before,
  state,
  routingEvents,
  chain,
  staff,
  categoryName,
  chatGroupId,
  text,
  now,
  reporter,
  advice,
  withReceipt,
}: {
  before: OrderState;
  state: OrderState;
  routingEvents: OrderEventDraft[];
  chain: UnitNode[];
  staff: (StaffAtUnit & { name: string })[];
  categoryName: string;
  chatGroupId: number | null;
  text: string;
  now: Date;
  reporter?: { name: string | null; phone: string | null };
  /** Safety advice appended to the receipt when the order is urgent. */
  advice: AdviceKind[];
  withReceipt: boolean;
}): { summary: OrderSummary; drafts: OutboxDraft[] } {
  const grid = chain[0]!;
  // The chain from the unit the order went to (the grid, or above it when the grid has nobody).
  const unitChain = chain.slice(chain.findIndex((u) => u.id === state.unitId));
  const approver = responsibleAbove({ chain: unitChain, staff });
  const approverIds = approver ? [approver.staffId] : [];
  const named = new Set(notifiedStaff({ state, approverIds, extraStaff: [] }));
  const ctx = notifyContext({
    text,
    categoryName,
    chatGroupId,
    gridName: grid.name,
    unitName: unitChain[0]!.name,
    chain: unitChain,
    approverIds,
    people: peopleFrom(staff.filter((s) => named.has(s.staffId)), unitChain.map((u) => u.id)),
    reporter,
  });
  const summary = orderSummary({
    state,
    text,
    createdAt: now,
    categoryName,
    gridName: grid.name,
    people: peopleFrom(staff.filter((s) => s.staffId === state.assigneeId), [state.unitId]),
  });
  const receipt: OutboxDraft = {
    kind: 'receipt',
    orderId: state.id,
    recipientType: 'resident',
    residentId: state.residentId,
    chatGroupId,
    text:
      orderTexts.receipt({
        no: state.no,
        category: categoryName,
        urgent: state.urgency === 'urgent',
        handler: summary.handler,
        deadlineAt: state.deadlineAt,
      }) + (state.urgency === 'urgent' ? classifyTexts.urgentAdvice(advice) : ''),
  };
  const notices = notificationsFor({ before, after: state, events: routingEvents, ctx });
  return { summary, drafts: withReceipt ? [receipt, ...notices] : notices };
}

async function existingForMessage(deps: OrderDeps, sourceMessageId: string): Promise<OrderSummary | undefined> {
  const [found] = await deps.db
    .select({ id: workOrders.id })
    .from(workOrders)
    .where(eq(workOrders.sourceMessageId, sourceMessageId))
    .prepare('order_for_message')
    .execute();
  if (!found) return undefined;
  const loaded = await loadOrder(deps.db, { id: found.id });
  return loaded ? summarize(deps, loaded) : undefined;
}

/**
 * "+1": a resident joins an open order about the same problem instead of opening a new one. They hear of
 * its resolution too. Joining twice is harmless.
 */
export async function supportOrder({
  deps,
  no,
  residentId,
  chatGroupId,
  channel,
}: {
  deps: OrderDeps;
  no: number;
  residentId: number;
  chatGroupId?: number | null;
  channel: Channel;
}): Promise<{ order: OrderSummary; alreadySupporting: boolean }> {
  const actor: Actor = { kind: 'resident', residentId };
  let already = false;
  const result = await applyCommand({
    deps,
    ref: { no },
    actor,
    channel,
    prepare: async ({ tx, loaded }) => {
      const [joined] = await tx
        .insert(orderSupporters)
        .values({ orderId: loaded.row.id, residentId, chatGroupId: chatGroupId ?? null, at: deps.clock.now() })
        .onConflictDoNothing()
        .returning({ orderId: orderSupporters.orderId });
      already = !joined;
      return already ? null : { type: 'support' };
    },
    extraOutbox: ({ after }) => [
      {
        kind: 'receipt',
        orderId: after.state.id,
        recipientType: 'resident',
        residentId,
        chatGroupId: chatGroupId ?? null,
        text: orderTexts.supportReceipt({ no: after.state.no, handler: after.handler, deadlineAt: after.state.deadlineAt }),
      },
    ],
  });
  return { order: result.order, alreadySupporting: already };
}

export type { Database };
