/**
 * The order commands a job gives as the system — 上报 when a limit ran out, 未评价 when a survey timed out — for a
 * whole batch of orders in the caller's transaction. The domain is the one applyCommand runs for a single
 * order (precheck, routing one level up with fresh limits, the state machine `transition`, notificationsFor):
 * only the reads and writes are made once per batch (the units and staff above the orders, the people the
 * notices name, one UPDATE of the states, one INSERT each of events, messages and survey rounds) instead of a
 * transaction of a dozen statements per order.
 *
 * The caller has locked the orders (lockOrders) and asked its rule again on their locked state.
 */
import type { Database } from '../db/client';
import type { WorkCalendar } from '../modules/calendar/calendar.models';
import type { Actor } from '../modules/people/people.models';
import { type OutboxDraft, notificationsFor } from '../modules/notifications/notifications.models';
import { surveyAnswers } from '../modules/surveys/surveys.table';
import { syncDispatches } from '../modules/departments/dispatch-sync.usecases';
import { responsibleAbove } from '../modules/grids/grids.models';
import { assignmentAboveIn, loadAdditions, loadReporters, notifiedStaff, notifyContext } from '../modules/work-orders/handling/apply-command.usecases';
import { staffTexts } from '../i18n/zh-CN.staff';
import { type OrderCommand, type OrderEventDraft, type OrderState, precheck, transition } from '../modules/work-orders/work-orders.models';
import { toState } from '../modules/work-orders/work-orders.repository';
import { DomainError } from '../shared/errors/domain-error';
import type { JobDeps } from './job-deps';
import { type LockedOrder, type UnitTree, insertOrderEvents, insertOutboxRows, loadPeopleBook, loadUnitTree, saveOrderStates } from './jobs.repository';

export type SystemCommand = { type: 'escalate'; reason: string } | { type: 'survey_timeout' };

export type SystemCommandOutcome = { done: LockedOrder[]; refused: { order: LockedOrder; error: DomainError }[] };

const SYSTEM: Actor = { kind: 'system' };

export async function applySystemCommand({
  tx,
  deps,
  orders,
  command,
  now,
  calendar,
}: {
  tx: Database;
  deps: JobDeps;
  orders: readonly LockedOrder[];
  command: SystemCommand;
  now: Date;
  calendar: WorkCalendar;
}): Promise<SystemCommandOutcome> {
  const outcome: SystemCommandOutcome = { done: [], refused: [] };
  if (orders.length === 0) return outcome;
  const tree = await loadUnitTree(tx, orders.map((o) => o.unitPath));

  const changes: { order: LockedOrder; before: OrderState; after: OrderState; events: OrderEventDraft[] }[] = [];
  for (const order of orders) {
    const before = toState(order, order.unitPath);
    try {
      const refused = precheck({ order: before, type: command.type, actor: SYSTEM });
      if (refused) throw new DomainError(refused.code, refused.message);
      const result = transition({ order: before, command: prepare(command, before, tree, now, calendar), actor: SYSTEM, now });
      if (!result.ok) throw new DomainError(result.code, result.message);
      changes.push({ order, before, after: result.order, events: result.events });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      deps.log.warn({ orderId: order.id, code: error.code, err: error.message }, 'job could not apply its command to the order');
      outcome.refused.push({ order, error });
    }
  }
  if (changes.length === 0) return outcome;

  await saveOrderStates(tx, changes.map((c) => c.after), now);
  await insertOrderEvents(tx, changes.flatMap((c) => c.events.map((event) => ({ orderId: c.order.id, channel: 'system', event }))));

  // The notices, with the context buildNotifyContext gives one order: its chain after the change, the
  // approver above it, the people they name.
  const named = changes.map((c) => {
    const chain = tree.chain(c.after.unitId);
    const approver = responsibleAbove({ chain, staff: tree.staff });
    const approverIds = approver ? [approver.staffId] : [];
    return { ...c, chain, approverIds, ids: notifiedStaff({ state: c.after, before: c.before, approverIds, extraStaff: [] }) };
  });
  const book = await loadPeopleBook(tx, named.flatMap((c) => c.ids));
  // The one who takes an escalated order calls the resident: the notice names them, as a new order's does.
  const reporters = await loadReporters(tx, named.map((c) => c.order.residentId));
  // Whoever takes an order over reads what the resident added after the report, as in buildNotifyContext.
  const additions = await loadAdditions(tx, named.filter((c) => c.before.assigneeId !== c.after.assigneeId).map((c) => c.order.id));
  const drafts: OutboxDraft[] = [];
  for (const c of named) {
    const ctx = notifyContext({
      text: staffTexts.reportWithAdditions(c.order.text, additions.get(c.order.id) ?? []),
      // The category is unchanged by these commands: its name as read with the order.
      categoryName: c.order.categoryName,
      chatGroupId: c.order.chatGroupId,
      gridName: c.order.gridName,
      unitName: c.order.unitName,
      chain: c.chain,
      approverIds: c.approverIds,
      people: book.of(c.ids, c.chain.map((u) => u.id)),
      reporter: reporters.get(c.order.residentId),
    });
    drafts.push(...notificationsFor({ before: c.before, after: c.after, events: c.events, ctx }));
  }
  drafts.push(
    ...(await syncDispatches({
      tx,
      changes: changes.map((c) => ({ before: c.before, after: c.after, events: c.events, text: c.order.text, categoryName: c.order.categoryName })),
      now,
    })),
  );
  await insertOutboxRows(tx, drafts, deps.botAccount);

  if (command.type === 'survey_timeout') {
    await tx
      .insert(surveyAnswers)
      .values(changes.map((c) => ({ orderId: c.order.id, residentId: c.order.residentId, round: c.before.reopenCount, answer: 'unanswered' as const, channel: 'system', at: now })))
      .onConflictDoNothing();
  }
  outcome.done = changes.map((c) => c.order);
  return outcome;
}

/** The command with what the use case would prepare for it: for 上报, the responsible person one level up. */
function prepare(command: SystemCommand, state: OrderState, tree: UnitTree, now: Date, calendar: WorkCalendar): OrderCommand {
  if (command.type === 'survey_timeout') return command;
  return { type: 'escalate', reason: command.reason, to: assignmentAboveIn({ chain: tree.chain(state.unitId), staff: tree.staff, state, now, calendar }) };
}
