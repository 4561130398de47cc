/**
 * 民情沟通日 agendas. On the town-level day each town, on the district-level day the district, gets the list of
 * what is left for that level to talk through with residents: the open orders that sit at that unit (上报, 退回
 * or 重办 brought them there), and the open orders anywhere below it that were reopened (重办) or are past their
 * deadline. Pure.
 */
import { isAncestorOrSelf } from '../modules/grids/grids.models';
import type { AgendaLevel } from './periods.models';

export type AgendaOrder = {
  id: number;
  no: number;
  unitId: number;
  gridPath: string;
  gridName: string;
  categoryName: string;
  text: string;
  createdAt: Date;
  deadlineAt: Date | null;
  reopenCount: number;
  escalationCount: number;
};

export type AgendaUnit = { id: number; name: string; path: string };

export type AgendaTag = 'overdue' | 'reopened' | 'escalated';

export type AgendaItem = {
  orderId: number;
  no: number;
  gridName: string;
  categoryName: string;
  text: string;
  createdAt: string;
  deadlineAt: string | null;
  daysOpen: number;
  tags: AgendaTag[];
};

export type Agenda = { unitId: number; unitName: string; level: AgendaLevel; items: AgendaItem[] };

const DAY_MS = 86_400_000;
const TAG_ORDER: AgendaTag[] = ['overdue', 'reopened', 'escalated'];

export function tagsOf(order: AgendaOrder, now: Date): AgendaTag[] {
  const tags: AgendaTag[] = [];
  if (order.deadlineAt && order.deadlineAt.getTime() < now.getTime()) tags.push('overdue');
  if (order.reopenCount > 0) tags.push('reopened');
  if (order.escalationCount > 0) tags.push('escalated');
  return tags;
}

/** Whether the order belongs on `unit`'s agenda. */
export function onAgenda(order: AgendaOrder, unit: AgendaUnit, now: Date): boolean {
  if (order.unitId === unit.id) return true;
  if (!isAncestorOrSelf(unit.path, order.gridPath)) return false;
  const tags = tagsOf(order, now);
  return tags.includes('overdue') || tags.includes('reopened');
}

/** Overdue first, then reopened, then escalated, then the oldest; one agenda per unit, empty ones included. */
export function buildAgendas({
  orders,
  units,
  level,
  now,
}: {
  orders: AgendaOrder[];
  units: AgendaUnit[];
  level: AgendaLevel;
  now: Date;
}): Agenda[] {
  const rank = (tags: AgendaTag[]) => {
    const first = TAG_ORDER.findIndex((t) => tags.includes(t));
    return first === -1 ? TAG_ORDER.length : first;
  };
  return units.map((unit) => {
    const items = orders
      .filter((o) => onAgenda(o, unit, now))
      .map((o) => ({ order: o, tags: tagsOf(o, now) }))
      .sort((a, b) => rank(a.tags) - rank(b.tags) || a.order.createdAt.getTime() - b.order.createdAt.getTime() || a.order.no - b.order.no)
      .map(({ order: o, tags }) => ({
        orderId: o.id,
        no: o.no,
        gridName: o.gridName,
        categoryName: o.categoryName,
        text: o.text,
        createdAt: o.createdAt.toISOString(),
        deadlineAt: o.deadlineAt?.toISOString() ?? null,
        daysOpen: Math.floor((now.getTime() - o.createdAt.getTime()) / DAY_MS),
        tags,
      }));
    return { unitId: unit.id, unitName: unit.name, level, items };
  });
}
