import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgSequence,
  pgTable,
  primaryKey,
  serial,
  text,
} from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../../db/columns';
import { categories, urgencyEnum } from '../categories/categories.table';
import { chatGroups } from '../chat/chat.table';
import { departments } from '../departments/departments.table';
import { gridUnits, unitLevelEnum } from '../grids/grids.table';
import { residents } from '../people/residents.table';
import { staff } from '../people/staff.table';

export const orderStatusEnum = pgEnum('order_status', [
  'submitted',
  'assigned',
  'accepted',
  'resolved',
  'closed',
  'cancelled',
  'merged',
  'invalid',
]);

/**
 * How a closed order ended: the satisfaction answered at its survey, 'unsatisfied' for a problem solved but not to
 * the resident's liking (closed, not reopened), 'unrated' when the resident said it was solved but not how
 * satisfied, or the survey timing out (未评价). The figures read the event log, not this.
 */
export const closureEnum = pgEnum('order_closure', ['satisfied', 'basically_satisfied', 'unanswered', 'unsatisfied', 'unrated']);

/** Order numbers residents type on a phone (`#1024`): short, sequential, unique across the deployment. */
export const workOrderNoSeq = pgSequence('work_order_no_seq', { startWith: 1001 });

/**
 * A work order (工单). Its life is in `order_events`; these columns are the current state plus the markers
 * the jobs use to send each reminder once.
 */
export const workOrders = pgTable(
  'work_orders',
  {
    id: serial('id').primaryKey(),
    no: integer('no')
      .notNull()
      .unique()
      .default(sql`nextval('work_order_no_seq')`),
    residentId: integer('resident_id')
      .notNull()
      .references(() => residents.id),
    gridId: integer('grid_id')
      .notNull()
      .references(() => gridUnits.id),
    /** The unit the order sits at now (the grid, or a level above after 上报/退回/重办). */
    unitId: integer('unit_id')
      .notNull()
      .references(() => gridUnits.id),
    level: unitLevelEnum('level').notNull(),
    assigneeId: integer('assignee_id').references(() => staff.id),
    /** The department holding the order as 主办 while it is dispatched (分流交办); null inside the grid tree. */
    departmentId: integer('department_id').references(() => departments.id),
    categoryId: integer('category_id')
      .notNull()
      .references(() => categories.id),
    urgency: urgencyEnum('urgency').notNull(),
    status: orderStatusEnum('status').notNull(),
    text: text('text').notNull(),
    /** jieba tokens of the text, space separated, for full-text search with the 'simple' configuration. */
    searchTokens: text('search_tokens').notNull().default(''),
    locationText: text('location_text'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    channel: text('channel').notNull(),
    chatGroupId: integer('chat_group_id').references(() => chatGroups.id),
    sourceMessageId: text('source_message_id').unique(),
    createdAt: createdAt(),
    assignedAt: tstz('assigned_at'),
    acceptedAt: tstz('accepted_at'),
    resolvedAt: tstz('resolved_at'),
    closedAt: tstz('closed_at'),
    /** 签收 limit for the current assignment. */
    signDeadlineAt: tstz('sign_deadline_at'),
    /** 办结 limit; moved by approved extensions and by pauses while waiting on the resident. */
    deadlineAt: tstz('deadline_at'),
    /** Set while the order waits on the resident (the clock is paused). */
    pausedAt: tstz('paused_at'),
    pendingExtensionDays: integer('pending_extension_days'),
    pendingExtensionReason: text('pending_extension_reason'),
    reopenCount: integer('reopen_count').notNull().default(0),
    escalationCount: integer('escalation_count').notNull().default(0),
    returnCount: integer('return_count').notNull().default(0),
    /** Residents who joined this order as a duplicate ("+1"). */
    supporters: integer('supporters').notNull().default(0),
    mergedIntoId: integer('merged_into_id'),
    closure: closureEnum('closure'),
    surveySentAt: tstz('survey_sent_at'),
    surveyRemindedAt: tstz('survey_reminded_at'),
    signRemindedAt: tstz('sign_reminded_at'),
    reminded75At: tstz('reminded_75_at'),
    remindedLastDayAt: tstz('reminded_last_day_at'),
    urgentRemindedAt: tstz('urgent_reminded_at'),
    overdueNoticeAt: tstz('overdue_notice_at'),
    overdueEscalatedAt: tstz('overdue_escalated_at'),
    /** True once the order passed its deadline unresolved (counted as overdue in the figures). */
    wasOverdue: boolean('was_overdue').notNull().default(false),
    version: integer('version').notNull().default(0),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('work_orders_assignee_open_idx')
      .on(t.assigneeId, t.deadlineAt)
      .where(sql`${t.status} in ('assigned', 'accepted')`),
    index('work_orders_grid_deadline_idx').on(t.gridId, t.deadlineAt),
    // The console lists newest first, (created_at, id) descending: each of these is walked in that order.
    index('work_orders_grid_created_idx').on(t.gridId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('work_orders_assignee_created_idx').on(t.assigneeId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // A scoped list's count of the orders assigned to the user outside their grids, from the index alone (an
    // officer's history elsewhere reaches thousands of orders: 15-75 ms through the table at a million orders).
    index('work_orders_assignee_grid_idx').on(t.assigneeId, t.gridId),
    // A department's orders newest first, and its open ones by deadline (its console list and figures).
    index('work_orders_department_created_idx')
      .on(t.departmentId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.departmentId} is not null`),
    index('work_orders_department_open_idx')
      .on(t.departmentId, t.deadlineAt)
      .where(sql`${t.departmentId} is not null and ${t.status} in ('assigned', 'accepted')`),
    // The duplicate check at every demand: the grid's open orders, newest first.
    index('work_orders_grid_open_created_idx')
      .on(t.gridId, t.createdAt.desc().nullsFirst())
      .where(sql`${t.status} in ('submitted', 'assigned', 'accepted')`),
    index('work_orders_status_created_idx').on(t.status, t.createdAt.desc().nullsFirst()),
    index('work_orders_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('work_orders_unit_status_idx').on(t.unitId, t.status),
    index('work_orders_resident_idx').on(t.residentId, t.createdAt.desc().nullsFirst()),
    index('work_orders_category_created_idx').on(t.categoryId, t.createdAt.desc().nullsFirst()),
    index('work_orders_open_deadline_idx')
      .on(t.deadlineAt)
      .where(sql`${t.status} in ('assigned', 'accepted')`),
    index('work_orders_sign_deadline_idx')
      .on(t.signDeadlineAt)
      .where(sql`${t.status} = 'assigned'`),
    index('work_orders_resolved_idx')
      .on(t.resolvedAt)
      .where(sql`${t.status} = 'resolved'`),
    // The sweeps' due sets (src/jobs): each rule reads its own small index, so a sweep with nothing due is a few probes.
    index('work_orders_urgent_remind_idx')
      .on(sql`greatest(${t.assignedAt}, ${t.urgentRemindedAt})`)
      .where(sql`${t.status} in ('assigned', 'accepted') and ${t.urgency} = 'urgent'`),
    index('work_orders_remind_last_day_idx')
      .on(t.deadlineAt)
      .where(sql`${t.status} in ('assigned', 'accepted') and ${t.urgency} = 'normal' and ${t.remindedLastDayAt} is null`),
    // Not "and reminded_last_day_at is null" (the last-day reminder sets reminded_75_at too): the 75% query
    // must not fit the last-day index, which the planner would otherwise scan whole instead of this range.
    index('work_orders_remind_75_idx')
      .on(reminder75Key(t))
      .where(sql`${t.status} in ('assigned', 'accepted') and ${t.urgency} = 'normal' and ${t.reminded75At} is null`),
    index('work_orders_overdue_notice_idx')
      .on(t.deadlineAt)
      .where(sql`${t.status} in ('assigned', 'accepted') and ${t.overdueNoticeAt} is null`),
    index('work_orders_overdue_escalation_idx')
      .on(sql`coalesce(${t.overdueEscalatedAt}, ${t.deadlineAt})`)
      // A department's order is 催办'd at any level (it is never moved up); a grid order goes up until the district.
      .where(sql`${t.status} in ('assigned', 'accepted') and ${t.overdueNoticeAt} is not null and (${t.level} <> 'district' or ${t.departmentId} is not null)`),
    index('work_orders_survey_remind_idx')
      .on(t.resolvedAt)
      .where(sql`${t.status} = 'resolved' and ${t.surveyRemindedAt} is null`),
    index('work_orders_search_idx').using('gin', sql`to_tsvector('simple', ${t.searchTokens})`),
    /**
     * Substring search: the distinct two-character pieces of the lowered text (SQL function text_bigrams, created
     * by migration 0008). Chinese words are mostly two characters, which pg_trgm's trigrams cannot match.
     */
    index('work_orders_text_bigram_idx').using('gin', sql`text_bigrams(${t.text})`),
  ],
);

/** Where an order's time limit is counted from: receipt, or the reopening (重办) that set a fresh limit. */
type LimitColumns = Record<'createdAt' | 'assignedAt' | 'reopenCount' | 'deadlineAt', AnyPgColumn>;

function limitStartSql(t: LimitColumns): SQL {
  return sql`(case when ${t.reopenCount} > 0 and ${t.assignedAt} is not null then ${t.assignedAt} else ${t.createdAt} end)`;
}

/**
 * The instant 75% of an order's limit has passed (limitStart + 0.75 × (deadline − limitStart)), as an interval
 * since 2000-01-01 UTC: `timestamptz + interval` is not immutable, so that form could not be indexed. The
 * deadline-reminder sweep compares this same expression with `now − 2000-01-01`.
 */
export function reminder75Key(t: LimitColumns): SQL {
  const start = limitStartSql(t);
  return sql`((${start} - '2000-01-01 00:00:00+00'::timestamptz) + (${t.deadlineAt} - ${start}) * 0.75)`;
}

/** The order's timeline: every event, who did it, when, through which channel, what was said. */
export const orderEvents = pgTable(
  'order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    type: text('type').notNull(),
    actorKind: text('actor_kind').notNull(),
    actorStaffId: integer('actor_staff_id'),
    actorResidentId: integer('actor_resident_id'),
    channel: text('channel').notNull(),
    note: text('note'),
    fromStatus: orderStatusEnum('from_status'),
    toStatus: orderStatusEnum('to_status'),
    fromAssigneeId: integer('from_assignee_id'),
    toAssigneeId: integer('to_assignee_id'),
    fromUnitId: integer('from_unit_id'),
    toUnitId: integer('to_unit_id'),
    data: jsonb('data'),
    at: tstz('at').notNull(),
  },
  (t) => [
    index('order_events_order_idx').on(t.orderId, t.at),
    index('order_events_type_at_idx').on(t.type, t.at),
  ],
);

/** Photos, voice, files and locations attached to an order. */
export const attachments = pgTable(
  'attachments',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    kind: text('kind').notNull(),
    /** Relative to DATA_DIR; null for a location or a link. */
    storagePath: text('storage_path'),
    url: text('url'),
    mime: text('mime'),
    sizeBytes: integer('size_bytes'),
    originalName: text('original_name'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    sourceMessageId: text('source_message_id').unique(),
    /**
     * When in the order's life it was added: 'report' (the resident, with their demand), 'progress' (staff while
     * handling: before/during), 'after' (staff right after 办结). See attachments.models.ts for the rule.
     */
    stage: text('stage').notNull().default('report'),
    /** The member of staff who sent it (1:1 to the bot); null for a resident's. */
    addedByStaffId: integer('added_by_staff_id').references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_order_idx').on(t.orderId)],
);

export type WorkOrderRow = typeof workOrders.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferSelect;

/** Residents who joined an order as a duplicate ("+1"): they hear of its resolution too. */
export const orderSupporters = pgTable(
  'order_supporters',
  {
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    residentId: integer('resident_id')
      .notNull()
      .references(() => residents.id),
    chatGroupId: integer('chat_group_id'),
    at: tstz('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.residentId] })],
);
