import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { orderTexts } from '../../i18n/zh-CN';
import { DomainError } from '../../shared/errors/domain-error';
import { classifyDemand } from '../classification/classification.models';
import { findDuplicateCandidates } from '../classification/similarity.models';
import { routeUp } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import { notificationsFor } from '../notifications/notifications.models';
import type { Actor } from '../people/people.models';
import { awardPoints } from '../points/points.usecases';
import { resolveDeadline, signDeadline } from './order-limits.models';
import { applyCommand, buildNotifyContext, summarize, type OrderSummary } from './order-commands.usecases';
import type { Channel, OrderDeps } from './work-orders.deps';
import { type OrderEventDraft, type OrderState, submittedOrder, transition } from './work-orders.models';
import {
  insertEvents,
  insertOutbox,
  loadChain,
  loadOrder,
  loadPeople,
  loadStaffAtUnits,
  recentOpenOrdersInGrid,
  saveOrderState,
} from './work-orders.repository';
import { orderSupporters, workOrders } from './work-orders.table';

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

  const [grid] = await db.select().from(gridUnits).where(and(eq(gridUnits.id, input.gridId), eq(gridUnits.level, 'grid')));
  if (!grid) throw new DomainError('GRID_UNKNOWN', `unit ${input.gridId} is not a grid`);

  const allCategories = (await deps.categories.all()).filter((c) => c.active);
  const classification = classifyDemand({ text, categories: allCategories, tokenize });
  const categoryCode = input.categoryCode ?? classification.categoryCode;
  const category = allCategories.find((c) => c.code === categoryCode);
  if (!category) throw new DomainError('INVALID_ARGUMENT', `unknown category ${categoryCode}`);
  const urgency = (input.urgent ?? classification.urgent) ? 'urgent' : 'normal';

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

  const calendar = await deps.calendar.get();
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workOrders)
      .values({
        residentId: input.residentId,
        gridId: grid.id,
        unitId: grid.id,
        level: 'grid',
        categoryId: category.id,
        urgency,
        status: 'submitted',
        text,
        searchTokens: tokenize(text).join(' '),
        locationText: input.locationText ?? null,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        channel: input.channel,
        chatGroupId: input.chatGroupId ?? null,
        sourceMessageId: input.sourceMessageId,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: workOrders.sourceMessageId })
      .returning({ id: workOrders.id, no: workOrders.no });
    if (!row) return undefined; // a concurrent submit of the same message won

    const submitted = submittedOrder({
      id: row.id,
      no: row.no,
      residentId: input.residentId,
      gridId: grid.id,
      gridPath: grid.path,
      categoryId: category.id,
      urgency,
      now,
      text,
    });
    const events: OrderEventDraft[] = [{ ...submitted.event, data: { ...submitted.event.data, classification: { matched: classification.matched, urgentTerms: classification.urgentTerms, confidence: classification.confidence } } }];
    let state: OrderState = submitted.order;

    const chain = await loadChain(tx, grid.path);
    const assignee = routeUp({ chain, staff: await loadStaffAtUnits(tx, chain.map((u) => u.id)) });
    if (assignee) {
      const unit = chain.find((u) => u.id === assignee.unitId)!;
      const result = transition({
        order: state,
        command: {
          type: 'assign',
          to: {
            ...assignee,
            unitPath: unit.path,
            signDeadlineAt: signDeadline({ now, urgency, calendar }),
            deadlineAt: resolveDeadline({ now, urgency, category, calendar }),
          },
        },
        actor: { kind: 'system' },
        now,
      });
      if (!result.ok) throw new DomainError(result.code, result.message);
      state = result.order;
      events.push(...result.events);
    }
    await saveOrderState(tx, state, {}, now);
    await insertEvents(tx, { orderId: row.id, channel: input.channel, events });

    const people = await loadPeople(tx, state.assigneeId ? [state.assigneeId] : [], [state.unitId]);
    const handler = state.assigneeId ? people.get(state.assigneeId) : undefined;
    const ctx = await buildNotifyContext(tx, {
      text,
      categoryName: category.name,
      chatGroupId: input.chatGroupId ?? null,
      gridName: grid.name,
      unitName: chain.find((u) => u.id === state.unitId)?.name ?? grid.name,
      state,
      extraStaff: [],
    });
    await insertOutbox(
      tx,
      [
        {
          kind: 'receipt',
          orderId: row.id,
          recipientType: 'resident',
          residentId: input.residentId,
          chatGroupId: input.chatGroupId ?? null,
          text: orderTexts.receipt({
            no: row.no,
            category: category.name,
            urgent: urgency === 'urgent',
            handler: handler ? `${handler.roleLabel}${handler.name}` : '工作人员',
            deadlineAt: state.deadlineAt,
          }),
        },
        ...notificationsFor({ before: submitted.order, after: state, events: events.slice(1), ctx }),
      ],
      deps.botAccount,
    );
    await awardPoints({ db: tx, residentId: input.residentId, reason: 'report', orderId: row.id, now });
    return row;
  });

  if (!created) {
    const existing = await existingForMessage(deps, input.sourceMessageId!);
    if (existing) return { outcome: 'existing', order: existing };
    throw new DomainError('CONFLICT', 'the order could not be created');
  }
  const loaded = await loadOrder(db, { id: created.id });
  return { outcome: 'created', order: await summarize(deps, loaded!) };
}

async function existingForMessage(deps: OrderDeps, sourceMessageId: string): Promise<OrderSummary | undefined> {
  const [found] = await deps.db
    .select({ id: workOrders.id })
    .from(workOrders)
    .where(eq(workOrders.sourceMessageId, sourceMessageId));
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
