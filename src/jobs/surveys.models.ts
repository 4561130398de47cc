/**
 * Survey follow-up (回访). The survey itself goes out with the 办结 notice (resolveOrder); the jobs add one
 * reminder after 24 hours and close the order as 未评价 after 72 hours without an answer. Only resolved orders
 * are surveyed: a cancelled or merged order is never resolved, so it is never asked. Pure.
 */
import type { OrderStatus } from '../modules/work-orders/work-orders.models';
import { mayNotifyResident } from './notice-window.models';

const HOUR_MS = 3_600_000;

export const SURVEY_REMINDER_AFTER_MS = 24 * HOUR_MS;
export const SURVEY_TIMEOUT_AFTER_MS = 72 * HOUR_MS;

export type SurveyOrder = { status: OrderStatus; resolvedAt: Date | null; surveyRemindedAt: Date | null };

export function surveyTimeoutDue({ order, now }: { order: SurveyOrder; now: Date }): boolean {
  if (order.status !== 'resolved' || !order.resolvedAt) return false;
  return now.getTime() >= order.resolvedAt.getTime() + SURVEY_TIMEOUT_AFTER_MS;
}

/**
 * One reminder, 24 hours after the resolution, in the resident's daytime; none once the survey is about to
 * time out (the order closes instead).
 */
export function surveyReminderDue({ order, now }: { order: SurveyOrder; now: Date }): boolean {
  if (order.status !== 'resolved' || !order.resolvedAt || order.surveyRemindedAt) return false;
  if (now.getTime() < order.resolvedAt.getTime() + SURVEY_REMINDER_AFTER_MS) return false;
  if (surveyTimeoutDue({ order, now })) return false;
  return mayNotifyResident({ now });
}

/** Index range bounds of the survey sweep: resolved at or before these instants. */
export function surveySweepBounds(now: Date): { remindBefore: Date; timeoutBefore: Date } {
  return {
    remindBefore: new Date(now.getTime() - SURVEY_REMINDER_AFTER_MS),
    timeoutBefore: new Date(now.getTime() - SURVEY_TIMEOUT_AFTER_MS),
  };
}
