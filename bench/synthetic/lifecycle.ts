import { ROLE_LABELS } from '../../src/i18n/zh-CN';
import type { WorkCalendar } from '../../src/modules/calendar/calendar.models';
import type { StaffAtUnit } from '../../src/modules/grids/grids.models';
import type { Person } from '../../src/modules/notifications/notifications.models';
import type { Actor } from '../../src/modules/people/people.models';
import type { SurveyAnswer } from '../../src/modules/work-orders/work-orders.models';
import type { Rng } from '../lib/rng';
import type { LifeWorld, Markers, OrderInput, OrderLife, SynthCategory } from './lifecycle.types';
import { DAY, FUTURE, HOUR, MINUTE, OrderWalk } from './order-walk';
import type { SynthDistrict } from './tree';

export type { LifeWorld, OrderInput, OrderLife, SynthCategory } from './lifecycle.types';

export function createLifeWorld({
  rng,
  now,
  calendar,
  district,
  categories,
}: {
  rng: Rng;
  now: Date;
  calendar: WorkCalendar;
  district: SynthDistrict;
  categories: SynthCategory[];
}): LifeWorld {
  const staffAtUnit = new Map<number, StaffAtUnit[]>();
  const actors = new Map<number, Extract<Actor, { kind: 'staff' }>>();
  const people = new Map<number, Person>();
  for (const s of district.staff) {
    actors.set(s.id, { kind: 'staff', staffId: s.id, roles: s.roles });
    people.set(s.id, { name: s.name, roleLabel: ROLE_LABELS[s.roles[0]!.role] });
    for (const r of s.roles) {
      const list = staffAtUnit.get(r.unitId) ?? [];
      list.push({ staffId: s.id, unitId: r.unitId, role: r.role, active: true });
      staffAtUnit.set(r.unitId, list);
    }
  }
  return {
    rng,
    now,
    calendar,
    district,
    categoriesById: new Map(categories.map((c) => [c.id, c])),
    staffAtUnit,
    actors,
    people,
    unitNames: new Map(district.units.map((u) => [u.id, u.name])),
    deadlineMemo: new Map(),
  };
}

const RESOLUTIONS = ['已修复', '已清理完毕', '已协调解决', '已更换', '已劝导并整改', '已答复居民'];
const PROGRESS = ['已联系物业', '已到现场查看', '已通知维修人员', '配件已订购', '已约谈当事人'];
const ESCALATION_REASONS = ['需社区协调', '涉及多个部门，需上级协调', '网格无法解决'];

/**
 * One order's life up to `now`: a plan of what the people involved do and when (sign for, progress, escalate,
 * ask the resident, extend, resolve, answer the survey ...), walked forward through the real state machine
 * with the jobs' timers firing in between. The walk stops at the first step after `now`, so the status, the
 * markers, the timeline and the outbox always agree.
 */
export function simulateOrder(world: LifeWorld, input: OrderInput): OrderLife {
  const walk = new OrderWalk(world, input);
  try {
    live(walk);
  } catch (error) {
    if (error !== FUTURE) throw error;
  }
  return walk.finish();
}

/**
 * When the current assignment is signed for (签收): mostly within the limit; some after the reminder but before the
 * second limit runs out; a few not at all, so the sign-for sweep escalates the order and the next level signs.
 */
function planSignFor(w: OrderWalk): number {
  const { rng } = w;
  const assignedAt = w.state.assignedAt!.getTime();
  const deadline = w.state.signDeadlineAt!.getTime();
  const r = rng.next();
  if (r < 0.8) return Math.min(w.daytime(assignedAt + rng.between(0.02, 0.9) * (deadline - assignedAt)), deadline - MINUTE);
  const second = w.signDeadlineAfter(deadline);
  if (r < 0.95) return deadline + rng.between(0.05, 0.9) * (second - deadline);
  return w.daytime(second + rng.between(10 * MINUTE, 90 * MINUTE));
}

function live(w: OrderWalk): void {
  const { rng, input } = w;
  // 受理 → 分流交办, in the submit transaction itself.
  const first = w.route(w.chainOf(w.grid.path));
  if (!first) return; // nobody staffs the chain: it waits as submitted
  w.assignAtSubmit(first);
  w.receipt();

  // The resident may withdraw it early.
  const cancelAt = rng.chance(0.04) ? w.t + rng.between(10 * MINUTE, 2 * DAY) : Infinity;
  const cancelIfDue = (next: number) => {
    if (cancelAt > next || !w.isOpen()) return;
    w.apply({ type: 'cancel', reason: rng.chance(0.5) ? '已自行解决' : undefined }, w.resident, cancelAt, w.residentChannel);
    throw FUTURE;
  };

  for (let round = 0; round < 2; round++) {
    const assignedAt = w.state.assignedAt!.getTime();
    let signAt = planSignFor(w);
    cancelIfDue(signAt);

    if (round === 0 && rng.chance(0.02)) {
      // 退回 "不属本网格", and the community reassigns it to the right grid.
      const returned = w.apply(
        () => {
          const above = w.state.level === 'grid' && w.state.status === 'assigned' ? w.route(w.chainOf(w.state.unitPath).slice(1)) : null;
          return above ? { type: 'return', reason: '不属本网格', to: w.limits(above, w.t, false) } : null;
        },
        'assignee',
        signAt,
        w.staffChannel(),
      );
      if (returned.length) {
        const community = w.world.district.unitsById.get(w.state.unitId)!;
        const siblings = w.world.district.grids.filter((g) => g.parentId === community.id && g.id !== input.gridId);
        const target = siblings.length ? w.route([rng.pick(siblings), community]) : null;
        w.apply(
          () =>
            target && target.staffId !== w.state.assigneeId && w.state.level === 'community'
              ? { type: 'reassign', to: w.limits(target, w.t, false), note: '改派至所属网格' }
              : null,
          'assignee',
          w.daytime(signAt + rng.between(HOUR, DAY)),
          'console',
        );
        signAt = planSignFor(w);
      }
    }
    cancelIfDue(signAt);
    w.apply(() => (w.state.status === 'assigned' ? { type: 'accept' } : null), 'assignee', signAt, w.staffChannel());

    if (round === 0 && input.mergeTarget) {
      w.apply({ type: 'merge', into: { ...input.mergeTarget, status: 'accepted' } }, 'assignee', signAt + rng.between(5 * MINUTE, 3 * HOUR), w.staffChannel());
      w.supporters.push({ orderId: input.mergeTarget.id, residentId: input.residentId, chatGroupId: null, at: new Date(w.t) });
      throw FUTURE;
    }

    const limit = Math.max(w.state.deadlineAt!.getTime() - assignedAt, HOUR);
    const resolveAt = w.daytime(assignedAt + (rng.chance(0.88) ? rng.between(0.1, 0.95) : rng.between(1.02, 2.2)) * limit);
    const before = () => w.daytime(Math.min(resolveAt - MINUTE, w.t + MINUTE + rng.next() * Math.max(0, resolveAt - w.t)));

    if (round === 0 && rng.chance(0.07)) {
      const at = before();
      cancelIfDue(at);
      const reason = rng.pick(ESCALATION_REASONS);
      const moved = w.apply(
        () => {
          const to = w.state.level === 'district' ? null : w.route(w.chainOf(w.state.unitPath).slice(1));
          return to ? { type: 'escalate', reason, to: w.limits(to, w.t, false) } : null;
        },
        'assignee',
        at,
        w.staffChannel(),
      );
      if (moved.length && rng.chance(0.8)) w.apply(() => (w.state.status === 'assigned' ? { type: 'accept' } : null), 'assignee', w.daytime(at + rng.between(10 * MINUTE, 4 * HOUR)), w.staffChannel());
    }
    if (rng.chance(0.03)) {
      const at = before();
      cancelIfDue(at);
      w.apply({ type: 'ask_resident', question: rng.pick(['具体是几号楼几单元？', '方便发张照片吗？', '大概什么时间开始的？']) }, 'assignee', at, w.staffChannel());
      w.apply({ type: 'resident_reply', text: rng.pick(['5号楼2单元', '已发照片', '上周开始的', '就在楼下']) }, w.resident, w.t + rng.between(20 * MINUTE, DAY), w.residentChannel);
    }
    if (rng.chance(0.05) && w.state.pendingExtensionDays === null) {
      const at = before();
      cancelIfDue(at);
      const approver = w.supervisor();
      w.apply(
        { type: 'request_extension', days: rng.int(2, 5), reason: rng.pick(['等待配件到货', '需协调物业和业委会', '需要施工队排期']) },
        'assignee',
        at,
        w.staffChannel(),
        undefined,
        { approverIds: approver ? [approver.staffId] : [] },
      );
      const decideAt = w.daytime(w.t + rng.between(HOUR, DAY));
      if (rng.chance(0.85)) {
        let reset: Markers = {};
        w.apply(
          () => {
            if (w.state.pendingExtensionDays === null || !w.supervisor()) return null;
            const newDeadlineAt = w.extendDeadline(w.state.deadlineAt!, w.state.pendingExtensionDays);
            // A new limit deserves its own reminders, as decideExtension does.
            if (newDeadlineAt.getTime() > w.t) reset = { reminded75At: null, remindedLastDayAt: null, overdueNoticeAt: null };
            return { type: 'approve_extension', newDeadlineAt };
          },
          'supervisor',
          decideAt,
          'console',
        );
        Object.assign(w.markers, reset);
      } else {
        w.apply(() => (w.state.pendingExtensionDays === null ? null : { type: 'deny_extension', reason: '请按期办结' }), 'supervisor', decideAt, 'console');
      }
    }
    if (rng.chance(0.03)) w.apply({ type: 'supervise', note: '请加快办理进度' }, 'supervisor', before(), 'console');
    for (let p = rng.int(0, 2); p > 0; p--) {
      const at = before();
      cancelIfDue(at);
      w.apply({ type: 'progress', note: rng.pick(PROGRESS) }, 'assignee', at, w.staffChannel());
    }
    cancelIfDue(resolveAt);
    const at = Math.max(w.t, resolveAt);
    const late = w.state.deadlineAt !== null && at > w.state.deadlineAt.getTime();
    w.apply({ type: 'resolve', note: rng.pick(RESOLUTIONS) }, 'assignee', at, w.staffChannel(), {
      surveySentAt: new Date(at),
      surveyRemindedAt: null,
      ...(late ? { wasOverdue: true } : {}),
    });

    // 回访: an answer within the window; otherwise the time-out timer closes it as 未评价.
    if (!rng.chance(0.6)) return;
    // Most answer the survey that came with the 办结 notice; some only after the reminder a day later.
    const answerAt = w.t + (rng.chance(0.8) ? rng.between(10 * MINUTE, 20 * HOUR) : rng.between(25 * HOUR, 70 * HOUR));
    const roll = rng.next();
    // A reopened order is answered once more, without a third round.
    const answer: SurveyAnswer =
      round === 1
        ? roll < 0.6 ? 'satisfied' : 'basically_satisfied'
        : roll < 0.72 ? 'satisfied' : roll < 0.92 ? 'basically_satisfied' : 'unsatisfied';
    const comment = answer === 'unsatisfied' ? rng.pick(['问题还在', '灯还是不亮', '没人来看过']) : rng.chance(0.1) ? '辛苦了' : undefined;
    const roundBefore = w.state.reopenCount;
    const done = w.apply(
      () => {
        if (answer !== 'unsatisfied') return { type: 'answer_survey', answer, comment };
        const chain = w.chainOf(w.state.unitPath);
        const to = w.state.level === 'district' ? w.route(chain) : w.route(chain.slice(1));
        return to ? { type: 'answer_survey', answer, comment, reopenTo: w.limits(to, w.t, true) } : null;
      },
      w.resident,
      answerAt,
      w.residentChannel,
      answer === 'unsatisfied'
        ? { surveySentAt: null, surveyRemindedAt: null, reminded75At: null, remindedLastDayAt: null, overdueNoticeAt: null, overdueEscalatedAt: null, signRemindedAt: null }
        : undefined,
    );
    if (!done.length) return;
    w.surveys.push({ orderId: input.id, residentId: input.residentId, round: roundBefore, answer, comment: comment ?? null, channel: w.residentChannel, at: new Date(w.t) });
    // A survey earns its point once per order, as awardPoints does (a reopened order's second answer earns nothing).
    if (!w.points.some((p) => p.reason === 'survey')) w.points.push({ residentId: input.residentId, delta: 1, reason: 'survey', orderId: input.id, at: new Date(w.t) });
    if (answer !== 'unsatisfied') return;
  }
}
