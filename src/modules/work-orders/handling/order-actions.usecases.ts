import { DomainError } from '../../../shared/errors/domain-error';
import { computeDeadline, extendDeadlineByWorkingDays } from '../../calendar/calendar.models';
import type { Actor } from '../../people/people.models';
import { awardPoints } from '../../points/points.usecases';
import { surveyAnswers } from '../../surveys/surveys.table';
import { surveyRoundChannel } from '../../surveys/surveys.models';
import { resolveDeadline, timeLimitRule } from '../rules/order-limits.models';
import { type CommandOutcome, applyCommand, assignmentAbove, assignmentForStaff, withLimits } from './apply-command.usecases';
import type { Channel, OrderDeps } from '../work-orders.deps';
import { type SurveyAnswer, type Urgency, surveyReopens } from '../work-orders.models';
import { type OrderRef, loadChain, loadOrder, loadStaffAtUnits } from '../work-orders.repository';
import { orderSupporters } from '../work-orders.table';
import { routeUp } from '../../grids/grids.models';
import { departmentReturnCommand } from '../../departments/dispatch.usecases';
import { and, eq, isNull } from 'drizzle-orm';

type Base = { deps: OrderDeps; ref: OrderRef; actor: Actor; channel: Channel };

/** 签收 */
export function acceptOrder({ deps, ref, actor, channel }: Base): Promise<CommandOutcome> {
  return applyCommand({ deps, ref, actor, channel, type: 'accept', prepare: () => ({ type: 'accept' }) });
}

/** 进展 */
export function reportProgress({ note, ...base }: Base & { note: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'progress', prepare: () => ({ type: 'progress', note }) });
}

/** 内部备注: on the timeline for staff only; no notice to anyone (the notification rules have none for it). */
export function addInternalNote({ note, ...base }: Base & { note: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'note', prepare: () => ({ type: 'note', note }) });
}

/** 办结: the survey goes out with the resolution notice, in the same transaction. */
export function resolveOrder({ note, ...base }: Base & { note: string }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: 'resolve',
    prepare: () => ({ type: 'resolve', note }),
    extraColumns: ({ before, now }) => ({
      surveySentAt: now,
      surveyRemindedAt: null,
      wasOverdue: before.deadlineAt !== null && now.getTime() > before.deadlineAt.getTime() ? true : undefined,
    }),
  });
}

/** 上报: one level up the tree, to whoever is responsible there. */
export function escalateOrder({ reason, ...base }: Base & { reason: string }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: 'escalate',
    prepare: async ({ tx, loaded, calendar, now }) => ({
      type: 'escalate',
      reason,
      to: await assignmentAbove({ tx, state: loaded.state, now, calendar }),
    }),
  });
}

/**
 * 退回: a wrongly routed order goes to the level above for reassignment; one a department holds goes back to the
 * unit that dispatched it (不属于本部门职责, see departmentReturnCommand).
 */
export function returnOrder({ reason, ...base }: Base & { reason: string }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: 'return',
    prepare: async ({ tx, loaded, calendar, now }) =>
      loaded.state.departmentId != null
        ? departmentReturnCommand({ tx, loaded, actor: base.actor, reason, now, calendar })
        : { type: 'return', reason, to: await assignmentAbove({ tx, state: loaded.state, now, calendar }) },
  });
}

/** 改派 / 派单: to a named member of staff in the actor's area (a grid's staff moves the order to that grid). */
export function reassignOrder({ toStaffId, note, ...base }: Base & { toStaffId: number; note?: string }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    // An order nobody could be routed to at submission is assigned (派单) rather than reassigned (改派).
    type: (state) => (state.status === 'submitted' ? 'assign' : 'reassign'),
    prepare: async ({ tx, loaded, calendar, categoryOf, now }) => {
      const target = await assignmentForStaff({ tx, actor: base.actor, staffId: toStaffId });
      const { path, ...assignment } = target;
      // An order nobody could be routed to at submission has no 办结 limit yet: it runs from the order's creation,
      // as a recomputed limit does (the resident has been waiting since then).
      let deadlineAt: Date | undefined;
      if (loaded.state.deadlineAt === null) {
        const category = categoryOf(loaded.state.categoryId);
        if (category) deadlineAt = computeDeadline({ start: loaded.row.createdAt, rule: timeLimitRule({ category, urgency: loaded.state.urgency }), calendar });
      }
      return {
        type: loaded.state.status === 'submitted' ? 'assign' : 'reassign',
        to: withLimits({ assignment, path, state: loaded.state, now, calendar, deadlineAt }),
        note,
      };
    },
  });
}

/** 延期 request, to the supervisors one level up. */
export function requestExtension({ days, reason, ...base }: Base & { days: number; reason: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'request_extension', prepare: () => ({ type: 'request_extension', days, reason }) });
}

/** 同意延期 / 驳回延期 */
export function decideExtension({ approve, reason, ...base }: Base & { approve: boolean; reason?: string }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: approve ? 'approve_extension' : 'deny_extension',
    prepare: async ({ loaded, calendar, now }) => {
      const days = loaded.state.pendingExtensionDays;
      if (days === null) throw new DomainError('NO_EXTENSION_PENDING', `order #${loaded.state.no} has no extension request`);
      if (!approve) return { type: 'deny_extension', reason };
      const from = loaded.state.deadlineAt ?? now;
      return {
        type: 'approve_extension',
        newDeadlineAt: extendDeadlineByWorkingDays({ deadline: from, days, calendar }),
        note: reason,
      };
    },
    extraColumns: ({ after, now }) =>
      approve && after.deadlineAt && after.deadlineAt > now
        ? // A new limit deserves its own reminders.
          { reminded75At: null, remindedLastDayAt: null, overdueNoticeAt: null }
        : {},
  });
}

/** 撤回, by the resident before resolution. */
export function cancelOrder({ reason, ...base }: Base & { reason?: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'cancel', prepare: () => ({ type: 'cancel', reason }) });
}

/** 无效 (officers above the order): junk that leaves 受理 and every figure; the reason is kept on the timeline. */
export function invalidateOrder({ reason, ...base }: Base & { reason: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'invalidate', prepare: () => ({ type: 'invalidate', reason }) });
}

/** 并单: the order duplicates `intoNo`; its resident follows that one. */
export function mergeOrder({ intoNo, ...base }: Base & { intoNo: number }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: 'merge',
    prepare: async ({ tx }) => {
      const into = await loadOrder(tx, { no: intoNo });
      if (!into) throw new DomainError('NOT_FOUND', `order #${intoNo} not found`);
      return { type: 'merge', into: { id: into.row.id, no: into.row.no, status: into.state.status } };
    },
    extraWrites: async ({ tx, before, now }) => {
      const into = await loadOrder(tx, { no: intoNo });
      await tx
        .insert(orderSupporters)
        .values({ orderId: into!.row.id, residentId: before.residentId, chatGroupId: null, at: now })
        .onConflictDoNothing();
    },
  });
}

/**
 * The answer of a survey round (回访): whether the problem was solved and how satisfied the resident is, either of
 * which may be unknown. 未解决 reopens the order (重办) one level up with a fresh time limit, and so does 不满意 when
 * it is not known whether it was solved (`surveyReopens`); otherwise the order closes. Each round's answer is stored
 * once. Staff on the order or above record a 回访 made by phone (`byPhone`).
 */
export function answerSurvey({
  answer,
  solved = null,
  comment,
  byPhone = false,
  ...base
}: Base & { answer: SurveyAnswer | null; solved?: boolean | null; comment?: string; byPhone?: boolean }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: 'answer_survey',
    prepare: async ({ tx, loaded, calendar, categoryOf, now }) => {
      if (!surveyReopens({ answer, solved })) return { type: 'answer_survey', answer, solved, comment, byPhone };
      const category = categoryOf(loaded.state.categoryId);
      const deadlineAt = category ? resolveDeadline({ now, urgency: loaded.state.urgency, category, calendar }) : undefined;
      const reopenTo =
        loaded.state.level === 'district'
          ? await sameLevelAssignment({ tx, loaded, now, calendar, deadlineAt })
          : await assignmentAbove({ tx, state: loaded.state, now, calendar, deadlineAt });
      return { type: 'answer_survey', answer, solved, comment, byPhone, reopenTo };
    },
    extraColumns: ({ after }) =>
      after.status === 'assigned'
        ? { surveySentAt: null, surveyRemindedAt: null, reminded75At: null, remindedLastDayAt: null, overdueNoticeAt: null, overdueEscalatedAt: null, signRemindedAt: null }
        : {},
    extraWrites: async ({ tx, before, now }) => {
      await tx.insert(surveyAnswers).values({
        orderId: before.id,
        residentId: before.residentId,
        round: before.reopenCount,
        answer,
        solved,
        comment: comment ?? null,
        channel: surveyRoundChannel({ channel: base.channel, byPhone }),
        at: now,
      });
      await awardPoints({ db: tx, residentId: before.residentId, reason: 'survey', orderId: before.id, now });
    },
  });
}

/**
 * The satisfaction of a round the resident answered only with whether it was solved, given in reply to the bot's
 * one follow-up question. Fills that round only when it has no satisfaction yet; false when there is nothing to fill
 * (already given, or no such round), and then nothing is recorded.
 */
export async function completeSurvey({
  answer,
  round,
  ...base
}: Base & { answer: SurveyAnswer; round: number }): Promise<CommandOutcome | null> {
  const loaded = await loadOrder(base.deps.db, base.ref);
  if (!loaded) throw new DomainError('NOT_FOUND', 'order not found');
  const [open] = await base.deps.db
    .select({ id: surveyAnswers.id })
    .from(surveyAnswers)
    .where(and(eq(surveyAnswers.orderId, loaded.row.id), eq(surveyAnswers.round, round), isNull(surveyAnswers.answer)));
  if (!open) return null;
  return applyCommand({
    ...base,
    type: 'complete_survey',
    prepare: () => ({ type: 'complete_survey', round, answer }),
    extraWrites: async ({ tx, before }) => {
      const filled = await tx
        .update(surveyAnswers)
        .set({ answer })
        .where(and(eq(surveyAnswers.orderId, before.id), eq(surveyAnswers.round, round), isNull(surveyAnswers.answer)))
        .returning({ id: surveyAnswers.id });
      // Two replies at once: the first fills the round, the second must not add a second event.
      if (filled.length === 0) throw new DomainError('SURVEY_NOT_OPEN', `round ${round} of order #${before.no} already has its satisfaction`);
    },
  });
}

/** At the top of the tree, a reopened order stays at its level, with whoever is responsible there. */
async function sameLevelAssignment({
  tx,
  loaded,
  now,
  calendar,
  deadlineAt,
}: Omit<Parameters<typeof assignmentAbove>[0], 'state'> & { loaded: NonNullable<Awaited<ReturnType<typeof loadOrder>>> }) {
  const chain = await loadChain(tx, loaded.state.unitPath);
  const target = routeUp({ chain, staff: await loadStaffAtUnits(tx, chain.map((u) => u.id)) });
  if (!target) throw new DomainError('NO_ASSIGNEE', `nobody to reopen order #${loaded.state.no} to`);
  return withLimits({ assignment: target, path: chain.find((u) => u.id === target.unitId)!.path, state: loaded.state, now, calendar, deadlineAt });
}

/** No answer within the survey window: closed as 未评价 (never counted as satisfied). */
export function timeoutSurvey({ deps, ref }: { deps: OrderDeps; ref: OrderRef }): Promise<CommandOutcome> {
  return applyCommand({
    deps,
    ref,
    actor: { kind: 'system' },
    channel: 'system',
    type: 'survey_timeout',
    prepare: () => ({ type: 'survey_timeout' }),
    extraWrites: async ({ tx, before, now }) => {
      await tx
        .insert(surveyAnswers)
        .values({ orderId: before.id, residentId: before.residentId, round: before.reopenCount, answer: 'unanswered', channel: 'system', at: now })
        .onConflictDoNothing();
    },
  });
}

/** Ask the resident for more (the clock pauses until they answer). */
export function askResident({ question, ...base }: Base & { question: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'ask_resident', prepare: () => ({ type: 'ask_resident', question }) });
}

/** The resident's answer or additional information. */
export function residentReply({ text, ...base }: Base & { text: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'resident_reply', prepare: () => ({ type: 'resident_reply', text }) });
}

/** 催办 by the resident: recorded on the timeline and told to the assignee (the caller keeps to URGE_INTERVAL_MS). */
export function urgeOrder({ note, ...base }: Base & { note: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'urge', prepare: () => ({ type: 'urge', note }) });
}

/** 督办 note from a supervisor. */
export function superviseOrder({ note, ...base }: Base & { note: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'supervise', prepare: () => ({ type: 'supervise', note }) });
}

/** A message from staff to the resident, through the outbox. */
export function replyToResident({ note, ...base }: Base & { note: string }): Promise<CommandOutcome> {
  return applyCommand({ ...base, type: 'reply', prepare: () => ({ type: 'reply', note }) });
}

/** Change category or urgency; the time limit is recomputed from the order's creation. */
export function changeCategory({
  categoryId,
  urgency,
  note,
  ...base
}: Base & { categoryId: number; urgency: Urgency; note?: string }): Promise<CommandOutcome> {
  return applyCommand({
    ...base,
    type: 'change_category',
    prepare: ({ loaded, calendar, categoryOf }) => {
      const category = categoryOf(categoryId);
      if (!category) throw new DomainError('INVALID_ARGUMENT', `unknown category ${categoryId}`);
      const deadlineAt = computeDeadline({ start: loaded.row.createdAt, rule: timeLimitRule({ category, urgency }), calendar });
      return { type: 'change_category', categoryId, urgency, deadlineAt, note };
    },
  });
}
