/**
 * The facts the figures count, derived from one order's event log by replaying it. Pure: no I/O, no clock.
 *
 * The log records what happened (who signed, resolved, answered the survey, when) but not the limits that were in
 * force, so the replay recomputes them exactly as the use cases set them: the 签收 limit of every assignment from
 * its time and the order's urgency, the 办结 limit from the submission (and again at 重办), moved by approved
 * extensions (their `data.to`), by pauses while waiting on the resident, and recomputed on a change of category.
 * Where an event carries the limit itself (`data.signDeadlineAt`, `data.deadlineAt`), that value wins, so a log
 * that starts recording limits needs no change here.
 */
import { type WorkCalendar, chinaDate, computeDeadline } from '../calendar/calendar.models';
import { type CategoryLimits, resolveDeadline, signDeadline, timeLimitRule } from '../work-orders/rules/order-limits.models';
import { type SurveyAnswer, type Urgency, surveyReopens } from '../work-orders/work-orders.models';

export type StatsEvent = { type: string; at: Date; data: Record<string, unknown> | null };

/** How an assignment's 签收 went. Only in_time, late and missed are judged; void and pending are not. */
export type ResponseOutcome =
  /** signed for on or before its limit */
  | 'in_time'
  /** signed for after its limit */
  | 'late'
  /** never signed for, and the limit ran out (still waiting, or moved on only after the limit) */
  | 'missed'
  /** taken away (reassigned, cancelled, merged) unsigned before its limit ran out: nobody failed */
  | 'void'
  /** unsigned and its limit has not run out yet */
  | 'pending';

/** The satisfaction of a round: answered, 'unrated' (answered, but only whether it was solved), or 未评价. */
export type SurveyOutcome = 'satisfied' | 'basically_satisfied' | 'unsatisfied' | 'unrated' | 'unanswered';

export type OrderFact =
  | { kind: 'submit'; at: Date }
  | { kind: 'assignment'; at: Date; signDeadlineAt: Date; signedAt: Date | null; outcome: ResponseOutcome; returned: boolean }
  | { kind: 'resolution'; at: Date; deadlineAt: Date | null; onTime: boolean }
  /** `solved` only when the resident said whether it was solved (absent: not said, or a round from before it was asked). */
  | { kind: 'survey'; at: Date; answer: SurveyOutcome; solved?: boolean }
  | { kind: 'close'; at: Date; firstTime: boolean }
  | { kind: 'reopen'; at: Date }
  | { kind: 'escalate'; at: Date };

/** Event types that begin a new assignment (a new assignee, or the same one again, who must sign for it). */
export const ASSIGNMENT_EVENTS = ['assign', 'reassign', 'escalate', 'return', 'reopen'] as const;

/** Every event type the replay reads; the refresh looks for orders with new events of these types. */
export const FACT_EVENT_TYPES = [
  'submit',
  ...ASSIGNMENT_EVENTS,
  'accept',
  'resolve',
  'survey',
  'survey_complete',
  'survey_timeout',
  'cancel',
  'merge',
  'invalidate',
  'ask_resident',
  'resident_reply',
  'approve_extension',
  'change_category',
] as const;

export type ReplayContext = {
  calendar: WorkCalendar;
  /** The category's limits, or undefined if the category is gone (the limit then stays as it was). */
  categoryLimits(categoryId: number): CategoryLimits | undefined;
};

type OpenAssignment = { at: Date; signDeadlineAt: Date; signedAt: Date | null; endedAt: Date | null; returned: boolean };

const SURVEY_ANSWERS: readonly string[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];

function dateFrom(value: unknown): Date | null {
  if (typeof value !== 'string' && !(value instanceof Date)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

function numberFrom(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Judges an assignment as of `now`. */
export function responseOutcome(
  a: { signDeadlineAt: Date; signedAt: Date | null; endedAt: Date | null },
  now: Date,
): ResponseOutcome {
  const limit = a.signDeadlineAt.getTime();
  if (a.signedAt) return a.signedAt.getTime() <= limit ? 'in_time' : 'late';
  if (a.endedAt) return a.endedAt.getTime() <= limit ? 'void' : 'missed';
  return now.getTime() > limit ? 'missed' : 'pending';
}

/**
 * Replays one order's events (in log order: `at`, then id) into the facts the figures count. `now` only decides
 * whether an unsigned assignment whose limit has passed is 'missed' or still 'pending'. An order marked 无效 has no
 * facts at all: it leaves 受理 and every rate, whenever it was marked.
 */
export function deriveOrderFacts({
  events,
  ctx,
  now,
}: {
  events: readonly StatsEvent[];
  ctx: ReplayContext;
  now: Date;
}): OrderFact[] {
  if (events.some((e) => e.type === 'invalidate')) return [];
  const facts: OrderFact[] = [];
  const assignments: OpenAssignment[] = [];
  let current: OpenAssignment | null = null;
  let status = 'submitted';
  let createdAt: Date | null = null;
  let categoryId: number | null = null;
  let urgency: Urgency = 'normal';
  let deadline: Date | null = null;
  let pausedAt: Date | null = null;
  let escalated = false;
  let reopened = false;
  /** Each survey round's fact, by round, for a later survey_complete. */
  const rounds = new Map<number, OrderFact>();

  const endCurrent = (at: Date) => {
    if (current && !current.signedAt) current.endedAt = at;
    current = null;
  };
  const limits = () => (categoryId === null ? undefined : ctx.categoryLimits(categoryId));

  for (const e of events) {
    const data = e.data ?? {};
    switch (e.type) {
      case 'submit': {
        createdAt = e.at;
        categoryId = numberFrom(data.categoryId);
        urgency = data.urgency === 'urgent' ? 'urgent' : 'normal';
        status = 'submitted';
        facts.push({ kind: 'submit', at: e.at });
        break;
      }
      case 'assign':
      case 'reassign':
      case 'escalate':
      case 'return':
      case 'reopen': {
        if (e.type === 'return' && current) current.returned = true;
        // The first assignment (at submission, by routing) sets the 办结 limit; later ones keep it, except 重办.
        if (e.type === 'assign' && status === 'submitted' && deadline === null && createdAt && e.at.getTime() === createdAt.getTime()) {
          const category = limits();
          if (category) deadline = resolveDeadline({ now: e.at, urgency, category, calendar: ctx.calendar });
        }
        if (e.type === 'reopen') {
          const category = limits();
          if (category) deadline = resolveDeadline({ now: e.at, urgency, category, calendar: ctx.calendar });
          reopened = true;
          pausedAt = null;
          facts.push({ kind: 'reopen', at: e.at });
        }
        if (e.type === 'escalate') {
          escalated = true;
          facts.push({ kind: 'escalate', at: e.at });
        }
        deadline = dateFrom(data.deadlineAt) ?? deadline;
        endCurrent(e.at);
        current = {
          at: e.at,
          signDeadlineAt: dateFrom(data.signDeadlineAt) ?? signDeadline({ now: e.at, urgency, calendar: ctx.calendar }),
          signedAt: null,
          endedAt: null,
          returned: false,
        };
        assignments.push(current);
        status = 'assigned';
        break;
      }
      case 'accept': {
        if (current && !current.signedAt) current.signedAt = e.at;
        status = 'accepted';
        break;
      }
      case 'resolve': {
        const deadlineAt = dateFrom(data.deadlineAt) ?? deadline;
        facts.push({ kind: 'resolution', at: e.at, deadlineAt, onTime: deadlineAt === null || e.at.getTime() <= deadlineAt.getTime() });
        endCurrent(e.at);
        status = 'resolved';
        pausedAt = null;
        break;
      }
      case 'survey': {
        const answer = typeof data.answer === 'string' && SURVEY_ANSWERS.includes(data.answer) ? (data.answer as SurveyAnswer) : null;
        const solved = typeof data.solved === 'boolean' ? data.solved : null;
        if (!answer && solved === null) break;
        const fact: OrderFact = { kind: 'survey', at: e.at, answer: answer ?? 'unrated', ...(solved !== null ? { solved } : {}) };
        facts.push(fact);
        const round = numberFrom(data.round);
        if (round !== null) rounds.set(round, fact);
        if (!surveyReopens({ answer, solved })) {
          facts.push({ kind: 'close', at: e.at, firstTime: !reopened && !escalated });
          status = 'closed';
        }
        break;
      }
      case 'survey_complete': {
        // The satisfaction given after the round (the bot's one follow-up) completes that round, on its own date.
        const fact = rounds.get(numberFrom(data.round) ?? -1);
        if (fact?.kind === 'survey' && fact.answer === 'unrated' && typeof data.answer === 'string' && SURVEY_ANSWERS.includes(data.answer)) {
          fact.answer = data.answer as SurveyOutcome;
        }
        break;
      }
      case 'survey_timeout': {
        facts.push({ kind: 'survey', at: e.at, answer: 'unanswered' });
        facts.push({ kind: 'close', at: e.at, firstTime: !reopened && !escalated });
        status = 'closed';
        break;
      }
      case 'cancel':
      case 'merge': {
        endCurrent(e.at);
        status = e.type === 'cancel' ? 'cancelled' : 'merged';
        pausedAt = null;
        break;
      }
      case 'ask_resident': {
        pausedAt ??= e.at;
        break;
      }
      case 'resident_reply': {
        if (!pausedAt) break;
        const from = pausedAt;
        const pausedMs = numberFrom(data.pausedMs) ?? Math.max(0, e.at.getTime() - from.getTime());
        // As the rules do: time left when the pause began is kept; a limit already run out is not revived.
        const shift = (d: Date) => (d.getTime() > from.getTime() ? new Date(d.getTime() + pausedMs) : d);
        if (deadline) deadline = shift(deadline);
        if (status === 'assigned' && current) {
          // An assignment made during the pause had a whole 签收 limit from then: only the wait since moves it.
          const signFrom = current.at > from ? current.at : from;
          const signPausedMs = Math.max(0, e.at.getTime() - signFrom.getTime());
          if (current.signDeadlineAt.getTime() > signFrom.getTime()) current.signDeadlineAt = new Date(current.signDeadlineAt.getTime() + signPausedMs);
        }
        pausedAt = null;
        break;
      }
      case 'approve_extension': {
        deadline = dateFrom(data.to) ?? deadline;
        break;
      }
      case 'change_category': {
        categoryId = numberFrom(data.toCategoryId) ?? categoryId;
        urgency = data.toUrgency === 'urgent' ? 'urgent' : data.toUrgency === 'normal' ? 'normal' : urgency;
        const category = limits();
        if (category && createdAt) {
          deadline = computeDeadline({ start: createdAt, rule: timeLimitRule({ category, urgency }), calendar: ctx.calendar });
        }
        deadline = dateFrom(data.deadlineAt) ?? deadline;
        break;
      }
      default:
        break;
    }
  }

  for (const a of assignments) {
    facts.push({
      kind: 'assignment',
      at: a.at,
      signDeadlineAt: a.signDeadlineAt,
      signedAt: a.signedAt,
      outcome: responseOutcome(a, now),
      returned: a.returned,
    });
  }
  return facts.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The earliest 签收 limit still pending: when it passes, the order's facts change without a new event. */
export function nextDueAt(facts: readonly OrderFact[]): Date | null {
  let next: Date | null = null;
  for (const f of facts) {
    if (f.kind === 'assignment' && f.outcome === 'pending' && (!next || f.signDeadlineAt < next)) next = f.signDeadlineAt;
  }
  return next;
}

/** The China date a fact counts on. */
export function factDay(fact: OrderFact): string {
  return chinaDate(fact.at);
}
