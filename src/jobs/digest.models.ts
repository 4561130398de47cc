/**
 * 晨报: at 08:30 on working days every assignee with open orders gets one message: how many, which are past
 * their deadline and which are due by the end of the next working day. Pure.
 */
import { type WorkCalendar, addDays, chinaDate, chinaDayStart, nextWorkingDay } from '../modules/calendar/calendar.models';
import type { Urgency } from '../modules/work-orders/work-orders.models';

export type DigestOrder = {
  assigneeId: number;
  no: number;
  categoryName: string;
  urgency: Urgency;
  deadlineAt: Date | null;
};

export type Digest = { staffId: number; total: number; overdue: DigestOrder[]; dueSoon: DigestOrder[] };

export type PartOfDay = 'morning' | 'noon' | 'afternoon' | 'evening';

/**
 * How the digest is worded for the hour it is sent (China time): the greeting of that hour, and whether it is
 * a catch-up (sent more than LATE_AFTER_MS after its tick, e.g. after the process was down overnight), which
 * says so instead of pretending to be the morning's digest.
 */
export type DigestTone = { partOfDay: PartOfDay; late: boolean };

export const LATE_AFTER_MS = 30 * 60_000;

export function partOfDay(at: Date): PartOfDay {
  const hour = new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
  if (hour >= 5 && hour < 11) return 'morning';
  if (hour >= 11 && hour < 13) return 'noon';
  if (hour >= 13 && hour < 18) return 'afternoon';
  return 'evening';
}

export function digestTone({ now, tick }: { now: Date; tick: Date }): DigestTone {
  return { partOfDay: partOfDay(now), late: now.getTime() - tick.getTime() > LATE_AFTER_MS };
}

/** "Close to the deadline": due before the end of the next working day. */
export function dueSoonBefore({ now, calendar }: { now: Date; calendar: WorkCalendar }): Date {
  return chinaDayStart(addDays(nextWorkingDay(chinaDate(now), calendar), 1));
}

const byDeadline = (a: DigestOrder, b: DigestOrder) => (a.deadlineAt?.getTime() ?? 0) - (b.deadlineAt?.getTime() ?? 0) || a.no - b.no;

export function buildDigests({ orders, now, calendar }: { orders: DigestOrder[]; now: Date; calendar: WorkCalendar }): Digest[] {
  const soon = dueSoonBefore({ now, calendar }).getTime();
  const byStaff = new Map<number, Digest>();
  for (const o of orders) {
    let d = byStaff.get(o.assigneeId);
    if (!d) byStaff.set(o.assigneeId, (d = { staffId: o.assigneeId, total: 0, overdue: [], dueSoon: [] }));
    d.total += 1;
    const deadline = o.deadlineAt?.getTime();
    if (deadline === undefined) continue;
    if (deadline < now.getTime()) d.overdue.push(o);
    else if (deadline <= soon) d.dueSoon.push(o);
  }
  return [...byStaff.values()]
    .map((d) => ({ ...d, overdue: d.overdue.sort(byDeadline), dueSoon: d.dueSoon.sort(byDeadline) }))
    .sort((a, b) => a.staffId - b.staffId);
}
