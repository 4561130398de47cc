import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR, dbId } from '../../../shared/ids';
import { consoleTexts } from '../../../i18n/zh-CN.console';

const CANNED_REPLIES = consoleTexts.orders.cannedReplies;
import { MAX_DEMAND_TEXT } from '../../../shared/text/limits';
import { orderStatusEnum } from '../work-orders.table';
import type { OrderFilters } from './orders.queries';

const STATUSES = orderStatusEnum.enumValues;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A China calendar date (YYYY-MM-DD) → the instant its day begins there. */
export function chinaDayStart(date: string, addDays = 0): Date | undefined {
  if (!isoDate.test(date)) return undefined;
  const year = Number(date.slice(0, 4));
  if (year < MIN_YEAR || year > MAX_YEAR) return undefined;
  const d = new Date(`${date}T00:00:00+08:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  return new Date(d.getTime() + addDays * 86_400_000);
}

const optionalId = z.preprocess((v) => (v === '' ? undefined : v), dbId.optional());
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), z.string().max(200).optional());
const list = z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : String(v).split(',')), z.array(z.string()));

/** The list's query string as it comes from a GET form; unknown or bad values are dropped, not errors. */
export const orderListQuery = z.object({
  status: list.catch([]),
  category: optionalId.catch(undefined),
  unit: optionalId.catch(undefined),
  level: z.enum(['grid', 'community', 'town', 'district']).optional().catch(undefined),
  assignee: optionalId.catch(undefined),
  /** The department holding the order (分流交办). */
  department: optionalId.catch(undefined),
  overdue: z.preprocess((v) => v === '1' || v === 'on' || v === 'true', z.boolean()).catch(false),
  urgency: z.enum(['normal', 'urgent']).optional().catch(undefined),
  from: optionalText.catch(undefined),
  to: optionalText.catch(undefined),
  q: optionalText.catch(undefined),
  after: optionalId.catch(undefined),
  /** 'due': urgent open orders first, then by deadline (see OrderSort); newest first otherwise. */
  sort: z.enum(['due']).optional().catch(undefined),
});

export type OrderListQuery = z.infer<typeof orderListQuery>;

export function parseOrderListQuery(query: unknown): { query: OrderListQuery; filters: OrderFilters } {
  const parsed = orderListQuery.parse(query ?? {});
  const status = parsed.status.filter((s): s is (typeof STATUSES)[number] => (STATUSES as readonly string[]).includes(s));
  return {
    query: { ...parsed, status },
    filters: {
      status: status.length ? status : undefined,
      categoryId: parsed.category,
      unitId: parsed.unit,
      level: parsed.level,
      assigneeId: parsed.assignee,
      departmentId: parsed.department,
      overdue: parsed.overdue || undefined,
      urgency: parsed.urgency,
      from: parsed.from ? chinaDayStart(parsed.from) : undefined,
      // The "to" date is inclusive: up to the start of the next day.
      to: parsed.to ? chinaDayStart(parsed.to, 1) : undefined,
      q: parsed.q,
    },
  };
}

/** The query string of a filter set (for pager links and the CSV export link). */
export function orderListSearch(query: OrderListQuery, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  if (query.status.length) params.set('status', query.status.join(','));
  const pairs: [string, string | number | boolean | undefined][] = [
    ['category', query.category],
    ['unit', query.unit],
    ['level', query.level],
    ['assignee', query.assignee],
    ['department', query.department],
    ['overdue', query.overdue ? '1' : undefined],
    ['urgency', query.urgency],
    ['from', query.from],
    ['to', query.to],
    ['q', query.q],
    ['sort', query.sort],
    ...Object.entries(extra),
  ];
  for (const [k, v] of pairs) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

const note = z.string().trim().min(1).max(MAX_DEMAND_TEXT);
const optionalNote = z.string().trim().max(MAX_DEMAND_TEXT).optional();

/** The forms of the order page's actions, by action name in the URL. */
export const orderActionForms = {
  accept: z.object({}),
  progress: z.object({ note }),
  note: z.object({ note }),
  resolve: z.object({ note }),
  assign: z.object({ staffId: dbId, note: optionalNote }),
  escalate: z.object({ note }),
  return: z.object({ note }),
  'approve-extension': z.object({ note: optionalNote }),
  'deny-extension': z.object({ note: optionalNote }),
  supervise: z.object({ note }),
  merge: z.object({ intoNo: dbId }),
  invalidate: z.object({ note }),
  category: z.object({
    categoryId: dbId,
    urgency: z.enum(['normal', 'urgent']),
    note: optionalNote,
  }),
  // 电话回访: both answers of the round, either may be "the resident did not say" (not both).
  survey: z
    .object({
      solved: z.enum(['yes', 'no', 'unknown']),
      answer: z.enum(['satisfied', 'basically_satisfied', 'unsatisfied', 'unknown']),
      note: optionalNote,
    })
    .refine((f) => f.solved !== 'unknown' || f.answer !== 'unknown'),
  // A canned reply (by its index) stands in for an empty note; a written note wins.
  reply: z
    .object({ note: optionalNote, canned: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(CANNED_REPLIES.length - 1).optional()) })
    .transform(({ note, canned }) => ({ note: note || (canned === undefined ? '' : CANNED_REPLIES[canned]!) }))
    .pipe(z.object({ note })),
} as const;

export type OrderActionName = keyof typeof orderActionForms;

/** At most this many orders in one batch action: a page of the list is 50. */
export const MAX_BATCH_ORDERS = 100;

/** The batch form under the order list: the ticked numbers (one field per box), then 督办 or 派单 for them all. */
export const batchActionForm = z.object({
  nos: z.preprocess((v) => (v === undefined ? [] : [...new Set(Array.isArray(v) ? v : [v])]), z.array(dbId).min(1).max(MAX_BATCH_ORDERS)),
  action: z.enum(['supervise', 'assign']),
  note: z.string().trim().max(MAX_DEMAND_TEXT).optional(),
  staffId: optionalId,
});
export type BatchActionForm = z.infer<typeof batchActionForm>;
