import { jobTexts } from '../../src/i18n/zh-CN.jobs';
import { systemEvent } from '../../src/jobs/jobs.repository';
import { clockStopped, lastDayReminderAt, limitStart, overdueFollowUp, reminder75At, type ReminderOrder, signEscalationDueAt, signRemindedForAssignment, URGENT_REMINDER_EVERY_MS } from '../../src/jobs/order-reminders.models';
import { overdueNoticeRecipients } from '../../src/jobs/overdue.models';
import { overdueNoticeData, overdueNoticeDrafts } from '../../src/jobs/overdue.notices';
import { SURVEY_REMINDER_AFTER_MS, SURVEY_TIMEOUT_AFTER_MS } from '../../src/jobs/surveys.models';
import { workStartOn } from '../../src/jobs/notice-window.models';
import { orderTexts } from '../../src/i18n/zh-CN';
import { staffTexts } from '../../src/i18n/zh-CN.staff';
import { surveyTexts } from '../../src/i18n/zh-CN.survey';
import { type WorkCalendar, chinaDate, extendDeadlineByWorkingDays, nextWorkingDay } from '../../src/modules/calendar/calendar.models';
import { isoTimestamp } from '../lib/bench-db';
import { type Assignment, type UnitNode, chainIds, routeUp } from '../../src/modules/grids/grids.models';
import { type NotifyContext, type OutboxDraft, notificationsFor } from '../../src/modules/notifications/notifications.models';
import type { Actor } from '../../src/modules/people/people.models';
import { resolveDeadline, signDeadline } from '../../src/modules/work-orders/rules/order-limits.models';
import { type OrderCommand, type OrderEventDraft, type OrderState, submittedOrder, transition } from '../../src/modules/work-orders/work-orders.models';
import type { Rng } from '../lib/rng';
import type { EventRow, LifeWorld, Markers, OrderInput, OrderLife, OutboxRow, PointsRow, SupporterRow, SurveyRow, SynthCategory } from './lifecycle.types';
import type { SynthUnit } from './tree';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

/**
 * The jobs' settings the synthetic history assumes: the sweeps' rules themselves come from src/jobs, so an
 * order's markers, reminders and events agree with its status as if the jobs had run all along.
 */
export const SYNTH_RULES = {
  /** OVERDUE_ESCALATE_AFTER_WORKING_DAYS's default. */
  overdueEscalateAfterWorkingDays: 5,
  /** JOB_SWEEP_CRON's default. */
  sweepEveryMs: 5 * MINUTE,
};

/** The first sweep at or after `ms`. */
function sweepTick(ms: number): number {
  return Math.ceil(ms / SYNTH_RULES.sweepEveryMs) * SYNTH_RULES.sweepEveryMs;
}

/** `ms`, or the start of the next working period (09:00 of a working day) when `ms` lies outside one. */
function nextWorkingMoment(ms: number, calendar: WorkCalendar): number {
  const date = chinaDate(new Date(ms));
  if (calendar.isWorkingDay(date)) {
    const start = workStartOn(date).getTime();
    if (ms < start) return start;
    if (ms < start + 9 * HOUR) return ms;
  }
  return workStartOn(nextWorkingDay(date, calendar)).getTime();
}

function iso(d: Date | null): string {
  return d ? isoTimestamp(d.getTime()) : '';
}

/** Stops the walk: the next step lies after `now`. A plain object: an Error would capture a stack each time. */
export const FUTURE = { future: true } as const;

/** Who acts: a fixed actor, or whoever holds that place when the step happens (timers may have moved the order). */
export type ActorRef = Actor | 'assignee' | 'supervisor';

type TimerKind = 'sign' | 'sign_escalate' | 'take_over' | 'urgent' | 'r75' | 'last' | 'overdue' | 'overdue_escalate' | 'survey_remind' | 'survey_timeout';

/**
 * One order walked forward in time through the real state machine (`transition`) and notice rules
 * (`notificationsFor`), with the jobs' timers firing between steps. A class rather than closures: a million
 * orders would otherwise allocate (and, under tsx, name) a dozen functions each.
 */
export class OrderWalk {
  state: OrderState;
  t: number;
  readonly events: EventRow[] = [];
  readonly outbox: OutboxRow[] = [];
  readonly surveys: SurveyRow[] = [];
  readonly points: PointsRow[];
  readonly supporters: SupporterRow[] = [];
  readonly markers: Markers = {};
  readonly category: SynthCategory;
  readonly grid: SynthUnit;
  readonly resident: Actor;
  readonly residentChannel: 'group' | 'direct';
  readonly rng: Rng;
  private version = 0;
  private readonly dedupeKeys = new Set<string>();
  /** The resident's 补充 so far (resident_info, resident_reply), which whoever takes the order over reads. */
  private readonly additions: string[] = [];
  /** When the officer an order was escalated to by the system signs for it. */
  private takeOverAt: number | null = null;
  private updatedAt: Date;
  private readonly nowMs: number;

  constructor(
    readonly world: LifeWorld,
    readonly input: OrderInput,
  ) {
    this.rng = world.rng;
    this.nowMs = world.now.getTime();
    this.category = world.categoriesById.get(input.categoryId)!;
    this.grid = world.district.unitsById.get(input.gridId)!;
    this.points = [{ residentId: input.residentId, delta: 2, reason: 'report', orderId: input.id, at: input.createdAt }];
    this.updatedAt = input.createdAt;
    this.t = input.createdAt.getTime();
    this.resident = { kind: 'resident', residentId: input.residentId };
    this.residentChannel = input.channel === 'group' || input.channel === 'direct' ? input.channel : 'direct';
    const submitted = submittedOrder({
      id: input.id,
      no: input.no,
      residentId: input.residentId,
      gridId: this.grid.id,
      gridPath: this.grid.path,
      categoryId: this.category.id,
      urgency: input.urgency,
      now: input.createdAt,
      text: input.text,
    });
    this.state = submitted.order;
    this.events.push({
      ...submitted.event,
      orderId: input.id,
      channel: input.channel,
      data: { ...submitted.event.data, classification: { matched: [this.category.name], urgentTerms: [], confidence: 0.8 } },
    });
  }

  chainOf(path: string): UnitNode[] {
    return chainIds(path).map((id) => this.world.district.unitsById.get(id)!);
  }

  route(chain: UnitNode[]): (Assignment & { path: string }) | null {
    const staff = chain.flatMap((u) => this.world.staffAtUnit.get(u.id) ?? []);
    const found = routeUp({ chain, staff });
    return found ? { ...found, path: this.world.district.unitsById.get(found.unitId)!.path } : null;
  }

  /** Whoever is responsible one level above the order's unit, as an actor. */
  supervisor(): Extract<Actor, { kind: 'staff' }> | null {
    const above = this.chainOf(this.state.unitPath).slice(1);
    const who = above.length ? this.route(above) : null;
    return who ? this.world.actors.get(who.staffId)! : null;
  }

  limits(to: Assignment & { path: string }, at: number, withDeadline: boolean) {
    return {
      staffId: to.staffId,
      unitId: to.unitId,
      level: to.level,
      unitPath: to.path,
      signDeadlineAt: signDeadline({ now: new Date(at), urgency: this.state.urgency, calendar: this.world.calendar }),
      deadlineAt: withDeadline ? this.resolveDeadlineAt(at) : undefined,
    };
  }

  /** A fresh sign-for limit counted from `at` (what the sweep gives after its reminder). */
  signDeadlineAfter(at: number): number {
    return signDeadline({ now: new Date(at), urgency: this.state.urgency, calendar: this.world.calendar }).getTime();
  }

  /** Working-day limits depend on the China date only, so they are computed once per date and category. */
  resolveDeadlineAt(at: number): Date {
    const { calendar } = this.world;
    if (this.state.urgency === 'urgent') return resolveDeadline({ now: new Date(at), urgency: 'urgent', category: this.category, calendar });
    const key = `r${this.category.id}:${Math.floor((at + CHINA_OFFSET) / DAY)}`;
    let ms = this.world.deadlineMemo.get(key);
    if (ms === undefined) {
      ms = resolveDeadline({ now: new Date(at), urgency: 'normal', category: this.category, calendar }).getTime();
      this.world.deadlineMemo.set(key, ms);
    }
    return new Date(ms);
  }

  extendDeadline(deadline: Date, days: number): Date {
    const key = `e${days}:${deadline.getTime()}`;
    let ms = this.world.deadlineMemo.get(key);
    if (ms === undefined) {
      ms = extendDeadlineByWorkingDays({ deadline, days, calendar: this.world.calendar }).getTime();
      this.world.deadlineMemo.set(key, ms);
    }
    return new Date(ms);
  }

  staffChannel(): 'direct' | 'console' {
    return this.rng.chance(0.7) ? 'direct' : 'console';
  }

  /** Staff act in the daytime: an action planned for the night waits for the morning, unless the order is urgent. */
  daytime(at: number): number {
    if (this.state.urgency === 'urgent') return at;
    const local = at + CHINA_OFFSET;
    const hour = Math.floor((local % DAY) / HOUR);
    if (hour >= 8 && hour < 21) return at;
    const dayStart = local - (local % DAY) - CHINA_OFFSET;
    return (hour < 8 ? dayStart : dayStart + DAY) + 8 * HOUR + this.rng.between(0, 2 * HOUR);
  }

  isOpen(): boolean {
    return this.state.status === 'assigned' || this.state.status === 'accepted';
  }

  /**
   * Applies one command at `at` (no earlier than the last step); timers due before it fire first. Throws FUTURE
   * when the step lies after now. A command given as a function is decided after the timers (null: skipped).
   */
  apply(
    planned: OrderCommand | (() => OrderCommand | null),
    actor: ActorRef,
    at: number,
    channel: string,
    extraMarkers?: Markers,
    extraCtx?: Partial<NotifyContext>,
  ): OrderEventDraft[] {
    this.t = Math.max(this.t, at);
    this.fireTimers(this.t);
    if (this.t > this.nowMs) throw FUTURE;
    const command = typeof planned === 'function' ? planned() : planned;
    if (!command) return [];
    const who = actor === 'assignee' ? this.assignee() : actor === 'supervisor' ? this.supervisor() : actor;
    if (!who) return [];
    return this.commit(command, who, new Date(this.t), channel, extraMarkers, extraCtx);
  }

  private assignee(): Actor {
    return this.state.assigneeId ? this.world.actors.get(this.state.assigneeId)! : { kind: 'system' };
  }

  private commit(command: OrderCommand, actor: Actor, when: Date, channel: string, extraMarkers?: Markers, extraCtx?: Partial<NotifyContext>) {
    const before = this.state;
    const result = transition({ order: before, command, actor, now: when });
    if (!result.ok) throw new Error(`synthetic order ${this.input.id}: ${command.type} refused: ${result.message}`);
    this.state = result.order;
    for (const e of result.events) {
      this.events.push({ ...e, orderId: this.input.id, channel });
      if ((e.type === 'resident_info' || e.type === 'resident_reply') && e.note) this.additions.push(e.note);
    }
    this.notify(before, result.events, when, extraCtx);
    if (extraMarkers) Object.assign(this.markers, extraMarkers);
    this.version++;
    this.updatedAt = when;
    return result.events;
  }

  /** The receipt to the resident, as submitDemand writes it. */
  receipt(): void {
    const handler = this.state.assigneeId ? this.world.people.get(this.state.assigneeId) : undefined;
    this.pushOutbox(
      {
        kind: 'receipt',
        orderId: this.input.id,
        recipientType: 'resident',
        residentId: this.input.residentId,
        chatGroupId: this.input.chatGroupId,
        text: orderTexts.receipt({
          no: this.input.no,
          category: this.category.name,
          urgent: this.input.urgency === 'urgent',
          handler: handler ? `${handler.roleLabel}${handler.name}` : '工作人员',
          deadlineAt: this.state.deadlineAt,
        }),
      },
      this.input.createdAt,
    );
  }

  /** The assignment in the submit transaction itself (no timers can be due yet). */
  assignAtSubmit(to: Assignment & { path: string }): void {
    this.commit({ type: 'assign', to: this.limits(to, this.t, true) }, { kind: 'system' }, this.input.createdAt, this.input.channel);
  }

  private notify(before: OrderState, events: OrderEventDraft[], at: Date, extra?: Partial<NotifyContext>) {
    const after = this.state;
    const ctx: NotifyContext = {
      // As buildNotifyContext: a new assignee reads the report with the resident's 补充.
      text: before.assigneeId !== after.assigneeId ? this.reportText() : this.input.text,
      categoryName: this.category.name,
      chatGroupId: this.input.chatGroupId,
      place: this.place(),
      people: this.world.people,
      unitNames: this.world.unitNames,
      approverIds: [],
      reporter: this.reporter(),
      ...extra,
    };
    for (const d of notificationsFor({ before, after, events, ctx })) this.pushOutbox(d, at);
  }

  private reportText(): string {
    return staffTexts.reportWithAdditions(this.input.text, this.additions);
  }

  /** Old messages were sent (a few dead-lettered); the last minutes' are still pending. */
  pushOutbox(d: OutboxDraft, at: Date): void {
    // A repeated dedupe key is dropped, as insertOutbox's ON CONFLICT DO NOTHING drops it.
    if (d.dedupeKey) {
      if (this.dedupeKeys.has(d.dedupeKey)) return;
      this.dedupeKeys.add(d.dedupeKey);
    }
    const age = this.nowMs - at.getTime();
    const old = age > 10 * MINUTE;
    const dead = old && this.rng.chance(0.002);
    const sent = old && !dead;
    this.outbox.push({
      botAccount: 'default',
      kind: d.kind,
      orderId: d.orderId,
      recipientType: d.recipientType,
      staffId: d.staffId ?? null,
      residentId: d.residentId ?? null,
      chatGroupId: d.chatGroupId ?? null,
      text: d.text,
      status: sent ? 'sent' : dead ? 'dead' : 'pending',
      attempts: sent ? 1 : dead ? 8 : 0,
      nextAttemptAt: at,
      lastError: dead ? 'contact not found' : null,
      dedupeKey: d.dedupeKey ?? null,
      deliveredVia: sent ? (d.recipientType === 'resident' && this.rng.chance(0.5) ? 'room' : 'direct') : null,
      createdAt: at,
      sentAt: sent ? new Date(at.getTime() + this.rng.int(2_000, 5 * MINUTE)) : null,
    });
  }

  /** Fires the jobs' timers due up to `until` (and not after now), in time order. */
  fireTimers(until: number): void {
    const limit = Math.min(until, this.nowMs);
    for (let guard = 0; guard < 200; guard++) {
      const due = this.nextTimer();
      if (!due || due.at > limit) return;
      this.fireTimer(due.kind, due.at, due.dueAt);
    }
  }

  /**
   * The next thing a sweep would do to this order, by the jobs' own rules (src/jobs/*.models): when it falls due,
   * moved to the next moment the notice window allows, and to the next 5-minute sweep.
   */
  private nextTimer(): { kind: TimerKind; at: number; dueAt: number } | null {
    const { state: s, markers: m } = this;
    const order = this.reminderOrder();
    let best: { kind: TimerKind; at: number; dueAt: number } | null = null;
    const consider = (kind: TimerKind, dueAt: number, at: number) => {
      if (!best || at < best.at) best = { kind, at, dueAt };
    };
    const handling = this.isOpen();
    if (s.status === 'assigned' && this.takeOverAt !== null) consider('take_over', this.takeOverAt, this.takeOverAt);
    if (handling && !s.pausedAt) {
      if (s.status === 'assigned' && s.signDeadlineAt) {
        if (!signRemindedForAssignment(order)) consider('sign', s.signDeadlineAt.getTime(), this.staffMoment(s.signDeadlineAt.getTime()));
        else if (s.level !== 'district') {
          const dueAt = signEscalationDueAt({ order, calendar: this.world.calendar });
          if (dueAt) consider('sign_escalate', dueAt.getTime(), this.staffMoment(dueAt.getTime()));
        }
      }
      if (s.deadlineAt) {
        const deadline = s.deadlineAt.getTime();
        if (s.urgency === 'urgent' && s.assignedAt) {
          const dueAt = Math.max(s.assignedAt.getTime(), m.urgentRemindedAt?.getTime() ?? 0) + URGENT_REMINDER_EVERY_MS;
          const at = sweepTick(dueAt);
          if (at < deadline) consider('urgent', dueAt, at);
        } else if (s.urgency === 'normal') {
          const lastDay = this.lastDayAt(s.deadlineAt);
          if (!m.remindedLastDayAt && lastDay !== null) {
            const at = this.staffMoment(lastDay);
            if (at < deadline) consider('last', lastDay, at);
          }
          if (!m.reminded75At && !m.remindedLastDayAt) {
            const start = limitStart(order).getTime();
            if (start < deadline) {
              const dueAt = reminder75At({ start: new Date(start), deadline: s.deadlineAt }).getTime();
              const at = this.staffMoment(dueAt);
              // When 75% falls on the last day, the last-day reminder goes alone (it was considered first).
              if (at < deadline) consider('r75', dueAt, at);
            }
          }
        }
      }
    }
    if (handling && s.deadlineAt && !clockStopped(s)) {
      const deadline = s.deadlineAt.getTime();
      if (!m.overdueNoticeAt) consider('overdue', deadline + 1, this.staffMoment(deadline + 1));
      else if (overdueFollowUp(s) !== null) {
        const dueAt = this.extendDeadline(m.overdueEscalatedAt ?? s.deadlineAt, SYNTH_RULES.overdueEscalateAfterWorkingDays).getTime();
        consider('overdue_escalate', dueAt, this.staffMoment(dueAt));
      }
    }
    if (s.status === 'resolved' && s.resolvedAt) {
      const resolvedAt = s.resolvedAt.getTime();
      const timeoutAt = sweepTick(resolvedAt + SURVEY_TIMEOUT_AFTER_MS);
      if (!m.surveyRemindedAt) {
        const at = this.residentMoment(resolvedAt + SURVEY_REMINDER_AFTER_MS);
        if (at < resolvedAt + SURVEY_TIMEOUT_AFTER_MS) consider('survey_remind', resolvedAt + SURVEY_REMINDER_AFTER_MS, at);
      }
      consider('survey_timeout', resolvedAt + SURVEY_TIMEOUT_AFTER_MS, timeoutAt);
    }
    return best;
  }

  private reminderOrder(): ReminderOrder {
    const { state: s, markers: m } = this;
    return {
      status: s.status,
      urgency: s.urgency,
      level: s.level,
      departmentId: s.departmentId ?? null,
      createdAt: this.input.createdAt,
      assignedAt: s.assignedAt,
      reopenCount: s.reopenCount,
      signDeadlineAt: s.signDeadlineAt,
      deadlineAt: s.deadlineAt,
      pausedAt: s.pausedAt,
      signRemindedAt: m.signRemindedAt ?? null,
      reminded75At: m.reminded75At ?? null,
      remindedLastDayAt: m.remindedLastDayAt ?? null,
      urgentRemindedAt: m.urgentRemindedAt ?? null,
      overdueNoticeAt: m.overdueNoticeAt ?? null,
      overdueEscalatedAt: m.overdueEscalatedAt ?? null,
    };
  }

  private fireTimer(kind: TimerKind, atMs: number, dueAtMs: number): void {
    const { state: s, markers: m } = this;
    const at = new Date(atMs);
    const line = { no: s.no, category: this.category.name, urgent: s.urgency === 'urgent', place: this.place() };
    const id = this.input.id;
    switch (kind) {
      case 'sign': {
        m.signRemindedAt = at;
        const escalateAt = s.level === 'district' ? null : signEscalationDueAt({ order: this.reminderOrder(), calendar: this.world.calendar });
        this.systemEvent('reminder', at, { reminder: 'sign' });
        this.remind(s.assigneeId, jobTexts.signReminder({ ...line, signDeadlineAt: s.signDeadlineAt!, escalateAt }), `sign-remind:${id}:${iso(s.assignedAt)}`, at);
        return;
      }
      case 'take_over':
        this.takeOverAt = null;
        this.commit({ type: 'accept' }, this.world.actors.get(s.assigneeId!)!, at, this.staffChannel());
        return;
      case 'sign_escalate':
        // Nobody above: the job records the attempt and tries again after another sign-for limit.
        if (!this.escalateBySystem(jobTexts.signTimeoutReason, at)) m.signRemindedAt = at;
        return;
      case 'urgent':
        m.urgentRemindedAt = at;
        this.systemEvent('reminder', at, { reminder: 'urgent_hourly' });
        this.remind(s.assigneeId, jobTexts.urgentReminder({ ...line, deadlineAt: s.deadlineAt!, now: at }), `urgent-remind:${id}:${iso(new Date(dueAtMs))}`, at);
        return;
      case 'last':
        m.remindedLastDayAt = at;
        m.reminded75At ??= at;
        this.systemEvent('reminder', at, { reminder: 'last_day' });
        this.remind(s.assigneeId, jobTexts.reminderLastDay({ ...line, deadlineAt: s.deadlineAt! }), `remind-last-day:${id}:${iso(s.deadlineAt)}`, at);
        return;
      case 'r75':
        m.reminded75At = at;
        this.systemEvent('reminder', at, { reminder: '75%' });
        this.remind(s.assigneeId, jobTexts.reminder75({ ...line, deadlineAt: s.deadlineAt! }), `remind-75:${id}:${iso(s.deadlineAt)}`, at);
        return;
      case 'overdue': {
        m.overdueNoticeAt = at;
        m.wasOverdue = true;
        // The walk dispatches no order (bench/synthetic/departments.ts adds the dispatches afterwards), so every
        // order it walks is in the grid tree: the 督办 goes to the assignee and the level above, as the job sends it.
        const chain = this.chainOf(s.unitPath);
        const staff = chain.flatMap((u) => this.world.staffAtUnit.get(u.id) ?? []);
        const recipients = overdueNoticeRecipients({ order: s, department: null, chainOf: () => chain, staff });
        const handler = s.assigneeId ? this.world.people.get(s.assigneeId) : undefined;
        const order = { id, no: s.no, categoryName: this.category.name, urgency: s.urgency, place: line.place, text: this.reportText(), deadlineAt: s.deadlineAt! };
        const drafts = overdueNoticeDrafts({
          order,
          recipients,
          department: null,
          handler: handler ? `${handler.roleLabel}${handler.name}` : '',
          escalateAfterDays: SYNTH_RULES.overdueEscalateAfterWorkingDays,
        });
        for (const d of drafts) this.pushOutbox(d, at);
        this.systemEvent('overdue', at, overdueNoticeData({ order, recipients, department: null }));
        return;
      }
      case 'overdue_escalate':
        m.overdueEscalatedAt = at;
        m.wasOverdue = true;
        if (overdueFollowUp(s) === 'escalate') this.escalateBySystem(jobTexts.overdueEscalationReason(SYNTH_RULES.overdueEscalateAfterWorkingDays), at);
        return;
      case 'survey_remind':
        m.surveyRemindedAt = at;
        this.pushOutbox(
          {
            kind: 'survey',
            orderId: id,
            recipientType: 'resident',
            residentId: this.input.residentId,
            chatGroupId: this.input.chatGroupId,
            text: surveyTexts.reminder({ no: s.no }),
            dedupeKey: `survey-remind:${id}:${iso(s.resolvedAt)}`,
          },
          at,
        );
        return;
      case 'survey_timeout':
        this.commit({ type: 'survey_timeout' }, { kind: 'system' }, at, 'system');
        this.surveys.push({ orderId: id, residentId: this.input.residentId, round: s.reopenCount, answer: 'unanswered', comment: null, channel: 'system', at });
        return;
    }
  }

  /** escalateOrder by the system, as the sweeps call it; false when nobody above can take the order. */
  private escalateBySystem(reason: string, at: Date): boolean {
    if (this.state.level === 'district') return false;
    const to = this.route(this.chainOf(this.state.unitPath).slice(1));
    if (!to) return false;
    this.commit({ type: 'escalate', reason, to: this.limits(to, at.getTime(), false) }, { kind: 'system' }, at, 'system');
    // The officer who receives it signs for it within the hour or so, in the daytime.
    this.takeOverAt = this.daytime(at.getTime() + this.rng.between(10 * MINUTE, 90 * MINUTE));
    return true;
  }

  /** Who reported the order, as loadReporter reads it: every assignment, escalation and 重办 notice names them. */
  private reporter(): { name: string | null; phone: string | null } {
    const r = this.world.district.residents[this.input.residentId - 1];
    return { name: r?.name.trim() || r?.chatName.trim() || null, phone: r?.phone?.trim() || null };
  }

  private place(): string {
    return orderTexts.place({ gridName: this.grid.name, unitName: this.world.unitNames.get(this.state.unitId) ?? this.grid.name });
  }

  private systemEvent(type: string, at: Date, data: Record<string, unknown>): void {
    this.events.push({ ...systemEvent(this.state, type, at, data), orderId: this.input.id, channel: 'system' });
  }

  private remind(staffId: number | null, text: string, dedupeKey: string, at: Date, kind = 'reminder'): void {
    if (staffId === null) return;
    this.pushOutbox({ kind, orderId: this.input.id, recipientType: 'staff', staffId, text, dedupeKey }, at);
  }

  /** Staff notices wait for the working period of a working day, unless the order is urgent; then the next sweep. */
  private staffMoment(ms: number): number {
    if (this.state.urgency === 'urgent') return sweepTick(ms);
    const tick = sweepTick(ms);
    const memo = this.world.deadlineMemo;
    const key = `w${tick}`;
    let at = memo.get(key);
    if (at === undefined) {
      at = nextWorkingMoment(tick, this.world.calendar);
      memo.set(key, at);
    }
    return at;
  }

  /** Residents are not messaged by a job outside 09:00–20:00 China time. */
  private residentMoment(ms: number): number {
    const tick = sweepTick(ms);
    const local = (tick + CHINA_OFFSET) % DAY;
    if (local >= 9 * HOUR && local < 20 * HOUR) return tick;
    const dayStart = tick - local;
    return (local < 9 * HOUR ? dayStart : dayStart + DAY) + 9 * HOUR;
  }

  private lastDayAt(deadline: Date): number | null {
    const key = `l${deadline.getTime()}`;
    let ms = this.world.deadlineMemo.get(key);
    if (ms === undefined) {
      ms = lastDayReminderAt({ deadline, calendar: this.world.calendar })?.getTime() ?? -1;
      this.world.deadlineMemo.set(key, ms);
    }
    return ms < 0 ? null : ms;
  }

  /** The rows the walk produced, with the order as it stands at `now`. */
  finish(): OrderLife {
    this.fireTimers(this.nowMs);
    const { state: s, markers: m, input } = this;
    return {
      order: {
        id: input.id,
        no: input.no,
        residentId: input.residentId,
        gridId: s.gridId,
        unitId: s.unitId,
        level: s.level,
        assigneeId: s.assigneeId,
        categoryId: s.categoryId,
        urgency: s.urgency,
        status: s.status,
        text: input.text,
        searchTokens: input.searchTokens,
        locationText: input.locationText,
        lat: input.lat,
        lng: input.lng,
        channel: input.channel,
        chatGroupId: input.chatGroupId,
        sourceMessageId: input.channel === 'console' ? null : `synth-${input.channel}-${input.id}`,
        createdAt: input.createdAt,
        assignedAt: s.assignedAt,
        acceptedAt: s.acceptedAt,
        resolvedAt: s.resolvedAt,
        closedAt: s.closedAt,
        signDeadlineAt: s.signDeadlineAt,
        deadlineAt: s.deadlineAt,
        pausedAt: s.pausedAt,
        pendingExtensionDays: s.pendingExtensionDays,
        pendingExtensionReason: s.pendingExtensionReason,
        reopenCount: s.reopenCount,
        escalationCount: s.escalationCount,
        returnCount: s.returnCount,
        supporters: s.supporters,
        mergedIntoId: s.mergedIntoId,
        closure: s.closure,
        surveySentAt: m.surveySentAt ?? null,
        surveyRemindedAt: m.surveyRemindedAt ?? null,
        signRemindedAt: m.signRemindedAt ?? null,
        reminded75At: m.reminded75At ?? null,
        remindedLastDayAt: m.remindedLastDayAt ?? null,
        urgentRemindedAt: m.urgentRemindedAt ?? null,
        overdueNoticeAt: m.overdueNoticeAt ?? null,
        overdueEscalatedAt: m.overdueEscalatedAt ?? null,
        wasOverdue: m.wasOverdue ?? false,
        version: this.version,
        updatedAt: this.updatedAt,
      },
      events: this.events,
      outbox: this.outbox,
      surveys: this.surveys,
      points: this.points,
      supporters: this.supporters,
      open: this.isOpen() || s.status === 'submitted',
    };
  }
}
