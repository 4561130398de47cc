import { SURVEY_LABELS, orderTexts } from '../../i18n/zh-CN';
import { surveyTexts } from '../../i18n/zh-CN.survey';
import type { OrderEventDraft, OrderState } from '../work-orders/work-orders.models';
import { RESIDENT_KINDS } from './noise.models';
import { intentTexts } from '../../i18n/zh-CN.intent';

/** A message to write to the outbox. How a person is reached (1:1 or @ in a group) is decided when sending. */
export type OutboxDraft = {
  kind: string;
  orderId: number | null;
  recipientType: 'staff' | 'resident' | 'group';
  staffId?: number | null;
  residentId?: number | null;
  /** The group to fall back to (a resident who is not the bot's friend), or the target of a 'group' message. */
  chatGroupId?: number | null;
  text: string;
  dedupeKey?: string | null;
};

export type Person = { name: string; roleLabel: string };

/** What the notices need to know besides the order: names, places, who approves extensions. */
export type NotifyContext = {
  text: string;
  categoryName: string;
  chatGroupId: number | null;
  /** "XX社区 3号网格": where the order is, for staff notices. */
  place: string;
  people: ReadonlyMap<number, Person>;
  unitNames: ReadonlyMap<number, string>;
  /** Supervisors one level above the assignee (they approve extensions). */
  approverIds: number[];
  mergedIntoNo?: number;
  /**
   * Who reported the order, for the assignment notice: it goes to staff only, and staff only 1:1 (chooseRoute),
   * so the phone never reaches a group. Absent where the caller did not load it (the notice then omits it).
   */
  reporter?: { name: string | null; phone: string | null };
};

function label(ctx: NotifyContext, staffId: number | null): string {
  const p = staffId === null ? undefined : ctx.people.get(staffId);
  return p ? `${p.roleLabel}${p.name}` : '工作人员';
}

/**
 * Why a 回访 reopened an order, from its survey event's data: the resident said it is not solved, or that they
 * are not satisfied, or both (surveyReopens: 未解决 always reopens; 不满意 does when solved was not said).
 */
export function reopenReason(data: Record<string, unknown> | null | undefined): { unsolved: boolean; unsatisfied: boolean } {
  const unsolved = data?.solved === false;
  const unsatisfied = data?.answer === 'unsatisfied';
  // Without a survey on record (not a path the state machine takes), as the notice always said: 不满意.
  return { unsolved, unsatisfied: unsatisfied || !unsolved };
}

/**
 * The messages an order's change must send, as a pure function of the change: the resident hears of every
 * status change (its kind says what it is to a group: see noise.models), a new assignee gets the assignment, the one it was taken from is told, and so on. Written
 * in the same transaction as the change.
 */
export function notificationsFor({
  before,
  after,
  events,
  ctx,
}: {
  before: OrderState;
  after: OrderState;
  events: OrderEventDraft[];
  ctx: NotifyContext;
}): OutboxDraft[] {
  const out: OutboxDraft[] = [];
  const ref = { no: after.no, category: ctx.categoryName, urgent: after.urgency === 'urgent' };
  const toResident = (kind: string, text: string) =>
    out.push({ kind, orderId: after.id, recipientType: 'resident', residentId: after.residentId, chatGroupId: ctx.chatGroupId, text });
  const toStaff = (kind: string, staffId: number | null, text: string) => {
    if (staffId !== null) out.push({ kind, orderId: after.id, recipientType: 'staff', staffId, text });
  };
  const assignment = (reason?: string) =>
    orderTexts.assignment({
      ...ref,
      text: ctx.text,
      place: ctx.place,
      signDeadlineAt: after.signDeadlineAt,
      deadlineAt: after.deadlineAt,
      reason,
      reporter: ctx.reporter,
    });
  const tellPreviousAssignee = () => {
    if (before.assigneeId !== null && before.assigneeId !== after.assigneeId) {
      toStaff('handover', before.assigneeId, orderTexts.takenAway({ no: after.no, to: label(ctx, after.assigneeId) }));
    }
  };

  for (const e of events) {
    switch (e.type) {
      case 'assign':
        toStaff('assignment', after.assigneeId, assignment(e.note ?? undefined));
        break;
      case 'reassign':
        toStaff('assignment', after.assigneeId, assignment(e.note ?? undefined));
        // An officer who hands an order he holds to someone else (改派, 派单) knows: his confirmation says so.
        if (e.actorStaffId !== before.assigneeId) tellPreviousAssignee();
        toResident(RESIDENT_KINDS.change, orderTexts.reassignedToResident({ no: after.no, handler: label(ctx, after.assigneeId) }));
        break;
      case 'accept':
        toResident(RESIDENT_KINDS.confirmation, orderTexts.accepted({ no: after.no, handler: label(ctx, e.actorStaffId ?? after.assigneeId) }));
        break;
      case 'progress':
        toResident(RESIDENT_KINDS.confirmation, orderTexts.progress({ no: after.no, note: e.note ?? '' }));
        break;
      case 'resolve':
        // The survey goes out with the resolution itself.
        toResident('survey', surveyTexts.question({ no: after.no, note: e.note ?? '' }));
        break;
      case 'escalate':
        toStaff('assignment', after.assigneeId, assignment(`上报：${e.note ?? ''}`));
        tellPreviousAssignee();
        toResident(
          RESIDENT_KINDS.change,
          orderTexts.escalatedToResident({
            no: after.no,
            unit: ctx.unitNames.get(after.unitId) ?? '上级',
            handler: label(ctx, after.assigneeId),
          }),
        );
        break;
      case 'return':
        toStaff(
          'assignment',
          after.assigneeId,
          orderTexts.returnedForReassignment({ ...ref, text: ctx.text, from: label(ctx, before.assigneeId), reason: e.note ?? '' }),
        );
        toResident(RESIDENT_KINDS.change, orderTexts.reassignedToResident({ no: after.no, handler: label(ctx, after.assigneeId) }));
        break;
      case 'request_extension':
        for (const approver of ctx.approverIds) {
          toStaff(
            'extension_request',
            approver,
            orderTexts.extensionRequest({
              no: after.no,
              handler: label(ctx, after.assigneeId),
              days: Number(e.data?.days ?? 0),
              reason: e.note ?? '',
              deadlineAt: after.deadlineAt,
            }),
          );
        }
        break;
      case 'approve_extension':
        toStaff('status', after.assigneeId, orderTexts.extensionApproved({ no: after.no, deadlineAt: after.deadlineAt }));
        toResident(RESIDENT_KINDS.change, orderTexts.extensionApprovedToResident({ no: after.no, deadlineAt: after.deadlineAt }));
        break;
      case 'deny_extension':
        toStaff('status', after.assigneeId, orderTexts.extensionDenied({ no: after.no, reason: e.note }));
        break;
      case 'cancel':
        toResident(RESIDENT_KINDS.result, orderTexts.cancelledToResident({ no: after.no }));
        toStaff('status', before.assigneeId, orderTexts.cancelledToAssignee({ no: after.no }));
        break;
      case 'invalidate':
        // A resident whose order was already closed heard the end of it; an open one is told why it stops.
        if (before.status !== 'closed') toResident(RESIDENT_KINDS.result, orderTexts.invalidatedToResident({ no: after.no, reason: e.note ?? '' }));
        if (before.status === 'assigned' || before.status === 'accepted') {
          toStaff('status', before.assigneeId, orderTexts.invalidatedToAssignee({ no: after.no, by: label(ctx, e.actorStaffId), reason: e.note ?? '' }));
        }
        break;
      case 'merge': {
        const intoNo = ctx.mergedIntoNo ?? Number(e.data?.intoNo);
        toResident(RESIDENT_KINDS.result, orderTexts.mergedToResident({ no: after.no, intoNo }));
        toStaff('status', before.assigneeId, orderTexts.mergedToAssignee({ no: after.no, intoNo }));
        break;
      }
      case 'survey': {
        const answer = typeof e.data?.answer === 'string' ? e.data.answer : null;
        const solved = typeof e.data?.solved === 'boolean' ? e.data.solved : null;
        toStaff('status', before.assigneeId, surveyTexts.resultToAssignee({ no: after.no, answer, solved, comment: e.note, byPhone: e.data?.by === 'phone' }));
        if (after.status === 'closed') {
          const thanks = e.data?.by === 'phone' ? orderTexts.visitThanks : orderTexts.surveyThanks;
          toResident(RESIDENT_KINDS.result, thanks({ no: after.no }));
        }
        break;
      }
      case 'survey_complete':
        toStaff('status', after.assigneeId, surveyTexts.completedToAssignee({ no: after.no, label: SURVEY_LABELS[e.data?.answer as keyof typeof SURVEY_LABELS] ?? '' }));
        break;
      case 'reopen': {
        // Reopened by the resident's 回访: the notice says what they said (未解决, 不满意, or both).
        const survey = events.find((x) => x.type === 'survey');
        toStaff(
          'assignment',
          after.assigneeId,
          orderTexts.reopenedToAssignee({
            ...ref,
            text: ctx.text,
            place: ctx.place,
            comment: survey?.note,
            ...reopenReason(survey?.data),
            reporter: ctx.reporter,
            signDeadlineAt: after.signDeadlineAt,
            deadlineAt: after.deadlineAt,
          }),
        );
        toResident(RESIDENT_KINDS.change, orderTexts.reopenedToResident({ no: after.no, handler: label(ctx, after.assigneeId) }));
        break;
      }
      case 'ask_resident':
        toResident('question', orderTexts.askResident({ no: after.no, handler: label(ctx, e.actorStaffId), question: e.note ?? '' }));
        break;
      case 'resident_reply':
      case 'resident_info':
        toStaff('status', after.assigneeId, orderTexts.residentReplied({ no: after.no, text: e.note ?? '' }));
        break;
      case 'urge':
        toStaff('urge', after.assigneeId, intentTexts.urgeToAssignee({ no: after.no, category: ctx.categoryName, text: ctx.text, note: e.note }));
        break;
      case 'supervise':
        toStaff(
          'supervise',
          after.assigneeId,
          orderTexts.supervise({ no: after.no, from: label(ctx, e.actorStaffId), note: e.note ?? '', deadlineAt: after.deadlineAt }),
        );
        break;
      case 'reply':
        toResident('reply', orderTexts.replyToResident({ no: after.no, note: e.note ?? '' }));
        break;
      case 'support':
        toStaff('status', after.assigneeId, orderTexts.supported({ no: after.no, supporters: before.supporters }));
        break;
      case 'change_category':
        toStaff('status', after.assigneeId, orderTexts.categoryChanged({ ...ref, deadlineAt: after.deadlineAt }));
        break;
      default:
        break;
    }
  }
  return out;
}
