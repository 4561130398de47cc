import { type TimeLimitRule, type WorkCalendar, addWorkingHours, computeDeadline } from '../../calendar/calendar.models';
import type { Urgency } from '../work-orders.models';

/** Sign-for (签收) limits: urgent orders are handled around the clock, others within working hours. */
export const SIGN_LIMITS = { urgentMinutes: 30, normalWorkingHours: 2 } as const;

export type CategoryLimits = { limitWorkingDays: number; urgentLimitHours: number };

/** 限时: urgent orders get the category's hours, others its working days. */
export function timeLimitRule({ category, urgency }: { category: CategoryLimits; urgency: Urgency }): TimeLimitRule {
  return urgency === 'urgent'
    ? { unit: 'hours', value: category.urgentLimitHours }
    : { unit: 'working_days', value: category.limitWorkingDays };
}

export function signDeadline({ now, urgency, calendar }: { now: Date; urgency: Urgency; calendar: WorkCalendar }): Date {
  return urgency === 'urgent'
    ? new Date(now.getTime() + SIGN_LIMITS.urgentMinutes * 60_000)
    : addWorkingHours({ start: now, hours: SIGN_LIMITS.normalWorkingHours, calendar });
}

export function resolveDeadline({
  now,
  urgency,
  category,
  calendar,
}: {
  now: Date;
  urgency: Urgency;
  category: CategoryLimits;
  calendar: WorkCalendar;
}): Date {
  return computeDeadline({ start: now, rule: timeLimitRule({ category, urgency }), calendar });
}
