import { DomainError } from '../../../shared/errors/domain-error';
import type { WorkCalendar } from '../../calendar/calendar.models';
import { type StaffAtUnit, type UnitNode, routeUp } from '../../grids/grids.models';
import { type CategoryLimits, resolveDeadline, signDeadline } from './order-limits.models';
import { type OrderEventDraft, type OrderState, type Urgency, submittedOrder, transition } from '../work-orders.models';

type Unnumbered = Omit<OrderState, 'id' | 'no'>;

/** The order as submitted, as it is after routing, and the events between. */
export type NewOrder = { submitted: Unnumbered; order: Unnumbered; events: OrderEventDraft[] };

/**
 * 受理 then 分流交办 of a new demand, before anything is written: the order as submitted, then assigned to whoever
 * is responsible from the grid up (`chain[0]` is the grid), with its sign-for and handling limits. Left
 * unassigned at the grid when nobody staffs the chain. The id and the number come from the insert; no rule of
 * submission or assignment reads them.
 */
export function planNewOrder({
  residentId,
  chain,
  staff,
  categoryId,
  category,
  urgency,
  text,
  now,
  calendar,
}: {
  residentId: number;
  chain: UnitNode[];
  staff: StaffAtUnit[];
  categoryId: number;
  category: CategoryLimits;
  urgency: Urgency;
  text: string;
  now: Date;
  calendar: WorkCalendar;
}): NewOrder {
  const grid = chain[0]!;
  const submitted = submittedOrder({ id: 0, no: 0, residentId, gridId: grid.id, gridPath: grid.path, categoryId, urgency, now, text });
  const assignee = routeUp({ chain, staff });
  if (!assignee) return { submitted: unnumbered(submitted.order), order: unnumbered(submitted.order), events: [submitted.event] };
  const result = transition({
    order: submitted.order,
    command: {
      type: 'assign',
      to: {
        ...assignee,
        unitPath: chain.find((u) => u.id === assignee.unitId)!.path,
        signDeadlineAt: signDeadline({ now, urgency, calendar }),
        deadlineAt: resolveDeadline({ now, urgency, category, calendar }),
      },
    },
    actor: { kind: 'system' },
    now,
  });
  if (!result.ok) throw new DomainError(result.code, result.message);
  return { submitted: unnumbered(submitted.order), order: unnumbered(result.order), events: [submitted.event, ...result.events] };
}

function unnumbered({ id: _id, no: _no, ...order }: OrderState): Unnumbered {
  return order;
}
