import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { DomainError } from '../../../shared/errors/domain-error';
import type { WorkCalendar } from '../../calendar/calendar.models';
import type { CategoryRecord } from '../../categories/categories.repository';
import { type Assignment, type StaffAtUnit, type UnitNode, isAncestorOrSelf, levelRank, responsibleAbove } from '../../grids/grids.models';
import { syncDispatches } from '../../departments/dispatch-sync.usecases';
import { followerNotices } from '../../notifications/followers.models';
import { type NotifyContext, type OutboxDraft, type Person, notificationsFor } from '../../notifications/notifications.models';
import { orderTexts } from '../../../i18n/zh-CN';
import { staffTexts } from '../../../i18n/zh-CN.staff';
import type { Actor } from '../../people/people.models';
import { gridUnits } from '../../grids/grids.table';
import { residents } from '../../people/residents.table';
import { staff, staffRoles } from '../../people/staff.table';
import { signDeadline } from '../rules/order-limits.models';
import type { Channel, OrderDeps } from '../work-orders.deps';
import {
  type AssignmentWithLimits,
  type OrderCommand,
  type OrderCommandType,
  type OrderEventDraft,
  type OrderState,
  precheck,
  transition,
} from '../work-orders.models';
import {
  type LoadedOrder,
  type OrderRef,
  insertEvents,
  insertOutbox,
  loadChain,
  loadOrder,
  loadPeople,
  loadStaffAtUnits,
  saveOrderState,
  supporterIds,
} from '../work-orders.repository';
import { orderEvents, type workOrders } from '../work-orders.table';

/** What callers (the bot, the console, Open311) get back about an order. */
export type OrderSummary = {
  id: number;
  no: number;
  status: OrderState['status'];
  text: string;
  categoryId: number;
  categoryName: string;
  urgent: boolean;
  residentId: number;
  gridId: number;
  gridName: string;
  level: OrderState['level'];
  assigneeId: number | null;
  /** "网格长张三", as the resident is told. */
  handler: string;
  deadlineAt: Date | null;
  createdAt: Date;
  pendingExtensionDays: number | null;
};

export async function summarize(deps: Pick<OrderDeps, 'db' | 'categories'>, loaded: LoadedOrder): Promise<OrderSummary> {
  const { row, state } = loaded;
  const category = await deps.categories.byId(row.categoryId);
  const people = await loadPeople(deps.db, state.assigneeId ? [state.assigneeId] : [], [state.unitId]);
  return orderSummary({
    state,
    text: row.text,
    createdAt: row.createdAt,
    categoryName: category?.name ?? '',
    gridName: loaded.gridName,
    people,
  });
}

/** The summary of an order in `state`, from what the caller already holds. */
export function orderSummary({
  state,
  text,
  createdAt,
  categoryName,
  gridName,
  people,
}: {
  state: OrderState;
  text: string;
  createdAt: Date;
  categoryName: string;
  gridName: string;
  /** At least the assignee. */
  people: ReadonlyMap<number, Person>;
}): OrderSummary {
  const handler = state.assigneeId ? people.get(state.assigneeId) : undefined;
  return {
    id: state.id,
    no: state.no,
    status: state.status,
    text,
    categoryId: state.categoryId,
    categoryName,
    urgent: state.urgency === 'urgent',
    residentId: state.residentId,
    gridId: state.gridId,
    gridName,
    level: state.level,
    assigneeId: state.assigneeId,
    handler: handler ? `${handler.roleLabel}${handler.name}` : '工作人员',
    deadlineAt: state.deadlineAt,
    createdAt,
    pendingExtensionDays: state.pendingExtensionDays,
  };
}

/** Names, places and approvers the notices of an order's change need. */
export async function buildNotifyContext(
  db: Database,
  args: {
    text: string;
    categoryName: string;
    chatGroupId: number | null;
    gridName: string;
    unitName: string;
    state: OrderState;
    before?: OrderState;
    extraStaff: number[];
  },
): Promise<NotifyContext> {
  const chain = await loadChain(db, args.state.unitPath);
  const above = chain.slice(1);
  const approver = above.length ? responsibleAbove({ chain, staff: await loadStaffAtUnits(db, above.map((u) => u.id)) }) : null;
  const approverIds = approver ? [approver.staffId] : [];
  const people = await loadPeople(db, notifiedStaff({ ...args, approverIds }), chain.map((u) => u.id));
  // Whoever takes the order over reads what the resident added after the report (the flat, what it looks like).
  const text = args.before && args.before.assigneeId !== args.state.assigneeId ? await withAdditions(db, args.state.id, args.text) : args.text;
  return notifyContext({ ...args, text, chain, approverIds, people, reporter: await loadReporter(db, args.state.residentId) });
}

/**
 * The report with the resident's 补充 (their `resident_info` and `resident_reply` notes), oldest first; the report
 * alone when none.
 */
async function withAdditions(db: Database, orderId: number, text: string): Promise<string> {
  return staffTexts.reportWithAdditions(text, (await loadAdditions(db, [orderId])).get(orderId) ?? []);
}

/** The resident's 补充 of many orders at once (a sweep's batch), oldest first, by order (on order_events_order_idx). */
export async function loadAdditions(db: Database, orderIds: readonly number[]): Promise<Map<number, string[]>> {
  const byOrder = new Map<number, string[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await db
    .select({ orderId: orderEvents.orderId, note: orderEvents.note })
    .from(orderEvents)
    .where(and(inArray(orderEvents.orderId, [...new Set(orderIds)]), inArray(orderEvents.type, ['resident_info', 'resident_reply'])))
    .orderBy(asc(orderEvents.orderId), asc(orderEvents.at), asc(orderEvents.id));
  for (const { orderId, note } of rows) {
    if (!note) continue;
    const list = byOrder.get(orderId);
    if (list) list.push(note);
    else byOrder.set(orderId, [note]);
  }
  return byOrder;
}

/** The name and phone of the resident who reported an order, for the assignee's notice (staff only, 1:1). */
export async function loadReporter(db: Database, residentId: number): Promise<{ name: string | null; phone: string | null }> {
  const [row] = await db
    .select({ name: residents.name, chatName: residents.chatName, phone: residents.phone })
    .from(residents)
    .where(eq(residents.id, residentId));
  return { name: row?.name?.trim() || row?.chatName?.trim() || null, phone: row?.phone?.trim() || null };
}

/** loadReporter for many orders at once (a sweep's batch): one query, by resident id. */
export async function loadReporters(db: Database, residentIds: readonly number[]): Promise<Map<number, { name: string | null; phone: string | null }>> {
  const ids = [...new Set(residentIds)];
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: residents.id, name: residents.name, chatName: residents.chatName, phone: residents.phone })
    .from(residents)
    .where(inArray(residents.id, ids));
  return new Map(rows.map((r) => [r.id, { name: r.name?.trim() || r.chatName?.trim() || null, phone: r.phone?.trim() || null }]));
}

/** Whose names the notices may use: the assignee before and after, the approvers, and `extraStaff`. */
export function notifiedStaff({
  state,
  before,
  approverIds,
  extraStaff,
}: {
  state: OrderState;
  before?: OrderState;
  approverIds: number[];
  extraStaff: number[];
}): number[] {
  return [state.assigneeId, before?.assigneeId, ...approverIds, ...extraStaff].filter((x): x is number => x != null);
}

/** The notices' context from the order's unit chain (`chain[0]` is its unit) and the people they name. */
export function notifyContext({
  text,
  categoryName,
  chatGroupId,
  gridName,
  unitName,
  chain,
  approverIds,
  people,
  reporter,
}: {
  text: string;
  categoryName: string;
  chatGroupId: number | null;
  gridName: string;
  unitName: string;
  chain: UnitNode[];
  approverIds: number[];
  people: ReadonlyMap<number, Person>;
  reporter?: NotifyContext['reporter'];
}): NotifyContext {
  return {
    reporter,
    text,
    categoryName,
    chatGroupId,
    place: orderTexts.place({ gridName, unitName }),
    people,
    unitNames: new Map(chain.map((u) => [u.id, u.name])),
    approverIds,
  };
}

type Prepared = OrderCommand | null;

export type CommandOutcome = {
  order: OrderSummary;
  before: OrderState;
  after: OrderState;
  events: OrderEventDraft[];
};

/**
 * Runs one command on one order in one transaction: lock the order, check the actor may give it, prepare the
 * command (routing, deadlines), apply the pure transition, save the state and its events, and write the
 * notices to the outbox. A refusal throws a DomainError and rolls everything back.
 */
export async function applyCommand({
  deps,
  ref,
  actor,
  channel,
  type,
  prepare,
  extraColumns,
  extraWrites,
  extraOutbox,
}: {
  deps: OrderDeps;
  ref: OrderRef;
  actor: Actor;
  channel: Channel;
  /** The command's type for the early permission check; a function when it depends on the order's state. */
  type?: OrderCommandType | ((state: OrderState) => OrderCommandType);
  /** `calendar` and `categoryOf` were loaded before the transaction (providers are not called inside one). */
  prepare: (args: {
    tx: Database;
    loaded: LoadedOrder;
    calendar: WorkCalendar;
    categoryOf: (id: number) => CategoryRecord | undefined;
    now: Date;
  }) => Promise<Prepared> | Prepared;
  extraColumns?: (args: { before: OrderState; after: OrderState; now: Date }) => Partial<typeof workOrders.$inferInsert>;
  extraWrites?: (args: { tx: Database; before: OrderState; after: OrderState; events: OrderEventDraft[]; now: Date }) => Promise<void>;
  extraOutbox?: (args: { after: { state: OrderState; handler: string } }) => OutboxDraft[];
}): Promise<CommandOutcome> {
  const [calendar, categoryList] = await Promise.all([deps.calendar.get(), deps.categories.all()]);
  const categoryOf = (id: number) => categoryList.find((c) => c.id === id);
  const now = deps.clock.now();
  const outcome = await deps.db.transaction(async (tx) => {
    const loaded = await loadOrder(tx, ref, { lock: true });
    if (!loaded) throw new DomainError('NOT_FOUND', `order ${'no' in ref ? `#${ref.no}` : ref.id} not found`);
    const before = loaded.state;
    if (type) {
      const refused = precheck({ order: before, type: typeof type === 'function' ? type(before) : type, actor });
      if (refused) throw new DomainError(refused.code, refused.message);
    }
    const command = await prepare({ tx, loaded, calendar, categoryOf, now });
    if (command === null) return { loaded, before, after: before, events: [] as OrderEventDraft[] };

    const result = transition({ order: before, command, actor, now });
    if (!result.ok) throw new DomainError(result.code, result.message);
    const after = result.order;
    await saveOrderState(tx, after, extraColumns?.({ before, after, now }) ?? {}, now);
    await insertEvents(tx, { orderId: after.id, channel, events: result.events });

    const ctx = await buildNotifyContext(tx, {
      text: loaded.row.text,
      categoryName: categoryOf(after.categoryId)?.name ?? '',
      chatGroupId: loaded.row.chatGroupId,
      gridName: loaded.gridName,
      unitName: loaded.unitName,
      state: after,
      before,
      extraStaff: actor.kind === 'staff' ? [actor.staffId] : [],
    });
    if (command.type === 'merge') ctx.mergedIntoNo = command.into.no;
    const drafts = notificationsFor({ before, after, events: result.events, ctx });
    if (drafts.some((d) => d.recipientType === 'resident' && d.residentId === after.residentId)) {
      drafts.push(...followerNotices({ drafts, after, events: result.events, followers: await supporterIds(tx, after.id) }));
    }
    // The department's dispatch record follows the order, and the grid leader hears what the department did.
    drafts.push(...(await syncDispatches({ tx, changes: [{ before, after, events: result.events, text: loaded.row.text, categoryName: ctx.categoryName }], now })));
    const assignee = after.assigneeId === null ? undefined : ctx.people.get(after.assigneeId);
    drafts.push(...(extraOutbox?.({ after: { state: after, handler: assignee ? `${assignee.roleLabel}${assignee.name}` : '工作人员' } }) ?? []));
    await insertOutbox(tx, drafts, deps.botAccount, now);
    await extraWrites?.({ tx, before, after, events: result.events, now });
    return { loaded, before, after, events: result.events };
  });
  const reloaded = await loadOrder(deps.db, { id: outcome.loaded.row.id });
  return { order: await summarize(deps, reloaded!), before: outcome.before, after: outcome.after, events: outcome.events };
}

/** The responsible person one level above the order's unit (for 上报, 退回 and 重办), with fresh limits. */
export async function assignmentAbove({
  tx,
  state,
  now,
  calendar,
  deadlineAt,
}: {
  tx: Database;
  state: OrderState;
  now: Date;
  calendar: WorkCalendar;
  deadlineAt?: Date;
}): Promise<AssignmentWithLimits> {
  const chain = await loadChain(tx, state.unitPath);
  const staff = await loadStaffAtUnits(tx, chain.slice(1).map((u) => u.id));
  return assignmentAboveIn({ chain, staff, state, now, calendar, deadlineAt });
}

/** The assignment one level up from the order's unit (`chain[0]`), with fresh limits; NO_ASSIGNEE when nobody. */
export function assignmentAboveIn({
  chain,
  staff,
  state,
  now,
  calendar,
  deadlineAt,
}: {
  chain: UnitNode[];
  staff: StaffAtUnit[];
  state: OrderState;
  now: Date;
  calendar: WorkCalendar;
  deadlineAt?: Date;
}): AssignmentWithLimits {
  const target = responsibleAbove({ chain, staff });
  if (!target) throw new DomainError('NO_ASSIGNEE', `nobody above order #${state.no} to take it`);
  return withLimits({ assignment: target, path: chain.find((u) => u.id === target.unitId)!.path, state, now, calendar, deadlineAt });
}

export function withLimits({
  assignment,
  path,
  state,
  now,
  calendar,
  deadlineAt,
}: {
  assignment: Assignment;
  path: string;
  state: OrderState;
  now: Date;
  calendar: WorkCalendar;
  deadlineAt?: Date;
}): AssignmentWithLimits {
  return {
    ...assignment,
    unitPath: path,
    signDeadlineAt: signDeadlineFor(state, now, calendar),
    deadlineAt,
  };
}

function signDeadlineFor(state: OrderState, now: Date, calendar: WorkCalendar): Date {
  return signDeadline({ now, urgency: state.urgency, calendar });
}

/** Checks that `staffId` holds a handling role at a unit the actor oversees; returns that role's assignment. */
export async function assignmentForStaff({
  tx,
  actor,
  staffId,
}: {
  tx: Database;
  actor: Actor;
  staffId: number;
}): Promise<Assignment & { path: string }> {
  const roles = await tx
    .select({ unitId: staffRoles.unitId, role: staffRoles.role, path: gridUnits.path, level: gridUnits.level, active: staff.active })
    .from(staffRoles)
    .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .innerJoin(staff, eq(staff.id, staffRoles.staffId))
    .where(eq(staffRoles.staffId, staffId));
  const handling = roles.filter((r) => r.active && r.role !== 'informant');
  if (handling.length === 0) throw new DomainError('INVALID_ARGUMENT', `staff ${staffId} cannot handle orders`);
  const isAdminActor = actor.kind === 'staff' && actor.roles.some((r) => r.role === 'admin');
  const inScope = handling.filter(
    (r) => isAdminActor || actor.kind === 'system' || (actor.kind === 'staff' && actor.roles.some((a) => isAncestorOrSelf(a.unitPath, r.path))),
  );
  // Prefer the lowest level: a grid leader who is also a community officer takes it as the grid leader.
  const chosen = inScope.sort((a, b) => levelRank(a.level) - levelRank(b.level))[0];
  if (!chosen) throw new DomainError('NOT_ALLOWED', `staff ${staffId} is outside the actor's area`);
  return { staffId, unitId: chosen.unitId, level: chosen.level, path: chosen.path };
}
