/**
 * The messages and timeline entries of the overdue 督办 and the 催办升级, built from an order and the recipients
 * the rules chose (overdue.models). Pure: the job and the synthetic history (bench/synthetic/order-walk.ts) both
 * call these, so they write the same texts under the same dedupe keys.
 */
import { jobTexts } from '../i18n/zh-CN.jobs';
import type { OutboxDraft } from '../modules/notifications/notifications.models';
import type { OverdueRecipient } from './overdue.models';

/** An overdue order as the notices name it. */
export type OverdueNoticeOrder = {
  id: number;
  no: number;
  categoryName: string;
  urgency: 'normal' | 'urgent';
  /** Where it is handled (orderTexts.place). */
  place: string;
  text: string;
  deadlineAt: Date;
};

/** The department holding the order, as its notices name it; null for an order in the grid tree. */
export type NoticeDepartment = {
  departmentId: number;
  name: string;
  dispatcherUnitId: number | null;
  /** The dispatching unit's name ("柳岸街道"), null when no dispatch is on record. */
  dispatcherName: string | null;
  /** The department works every day (its overdue days are days, not 工作日). */
  everyDay: boolean;
};

function lineOf(order: OverdueNoticeOrder) {
  return { no: order.no, category: order.categoryName, urgent: order.urgency === 'urgent', place: order.place };
}

/**
 * The first 督办: one message per recipient. `handler` names the assignee to those who press them ("网格长张伟",
 * or a department member's own name).
 */
export function overdueNoticeDrafts({
  order,
  recipients,
  department,
  handler,
  escalateAfterDays,
}: {
  order: OverdueNoticeOrder;
  recipients: readonly OverdueRecipient[];
  department: NoticeDepartment | null;
  handler: string;
  escalateAfterDays: number;
}): OutboxDraft[] {
  const line = lineOf(order);
  const deadlineAt = order.deadlineAt;
  const key = `overdue:${order.id}:${deadlineAt.toISOString()}`;
  const departmentName = department?.name ?? '';
  return recipients.map(({ staffId, as }) => {
    const text =
      as === 'assignee'
        ? jobTexts.overdueToAssignee({ ...line, deadlineAt, escalateAfterDays, department: department?.name, everyDay: department?.everyDay })
        : as === 'head'
          ? jobTexts.overdueToDepartmentHead({ ...line, deadlineAt, department: departmentName, handler, text: order.text })
          : as === 'dispatcher' && department
            ? jobTexts.overdueToDispatcher({ ...line, deadlineAt, department: departmentName, text: order.text })
            : jobTexts.overdueToSupervisor({ ...line, deadlineAt, handler, text: order.text });
    return {
      kind: 'supervise',
      orderId: order.id,
      recipientType: 'staff' as const,
      staffId,
      text,
      dedupeKey: as === 'assignee' ? `${key}:assignee` : `${key}:${as}:${staffId}`,
    };
  });
}

/** The data of the `overdue` timeline entry: the deadline and who was told besides the assignee. */
export function overdueNoticeData({
  order,
  recipients,
  department,
}: {
  order: Pick<OverdueNoticeOrder, 'deadlineAt'>;
  recipients: readonly OverdueRecipient[];
  department: NoticeDepartment | null;
}): Record<string, unknown> {
  const supervisors = recipients.filter((r) => r.as !== 'assignee').map((r) => r.staffId);
  return {
    deadlineAt: order.deadlineAt.toISOString(),
    supervisors,
    ...(department ? { departmentId: department.departmentId, dispatcherUnitId: department.dispatcherUnitId } : {}),
  };
}

/**
 * The 催办升级 of a department's order `days` working days overdue, named by the instant it fell due (`dueAt`, so
 * two instances write the same messages once): its messages, and the note and data of its `supervise` entry.
 */
export function urgeNotice({
  order,
  recipients,
  department,
  days,
  dueAt,
}: {
  order: OverdueNoticeOrder;
  recipients: readonly OverdueRecipient[];
  department: NoticeDepartment;
  days: number;
  dueAt: Date;
}): { drafts: OutboxDraft[]; note: string; data: Record<string, unknown> } {
  const line = lineOf(order);
  const key = `overdue-urge:${order.id}:${dueAt.toISOString()}`;
  const drafts = recipients.map(({ staffId, as }) => ({
    kind: 'supervise',
    orderId: order.id,
    recipientType: 'staff' as const,
    staffId,
    text: jobTexts.overdueUrge({
      ...line,
      deadlineAt: order.deadlineAt,
      days,
      everyDay: department.everyDay,
      department: department.name,
      dispatcher: department.dispatcherName,
      toHead: as === 'head',
      text: order.text,
    }),
    dedupeKey: `${key}:${staffId}`,
  }));
  return {
    drafts,
    note: jobTexts.overdueUrgeNote({ days, everyDay: department.everyDay, department: department.name }),
    data: {
      urge: true,
      days,
      deadlineAt: order.deadlineAt.toISOString(),
      departmentId: department.departmentId,
      dispatcherUnitId: department.dispatcherUnitId,
      recipients: recipients.map((r) => r.staffId),
    },
  };
}
