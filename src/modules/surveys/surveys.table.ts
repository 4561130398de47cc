import { boolean, index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { residents } from '../people/residents.table';
import { workOrders } from '../work-orders/work-orders.table';

export const surveyAnswerEnum = pgEnum('survey_answer', [
  'satisfied',
  'basically_satisfied',
  'unsatisfied',
  'unanswered',
]);

/**
 * One survey round (回访) per resolution of an order (a reopened order is surveyed again: round = reopen count).
 * The round records two answers apart, as 接诉即办 asks them: whether the problem was solved (`solved`) and how
 * satisfied the resident is (`answer`). Either may be unknown (null): the resident said only one of the two, or
 * the round is older than the question about solving (those rows have `solved` null).
 */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    residentId: integer('resident_id').references(() => residents.id),
    round: integer('round').notNull(),
    /** 满意度: null when the resident said only whether it was solved (and did not answer the one follow-up). */
    answer: surveyAnswerEnum('answer'),
    /** 是否解决: true 已解决, false 未解决, null not said (and every round recorded before it was asked). */
    solved: boolean('solved'),
    comment: text('comment'),
    channel: text('channel').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [uniqueIndex('survey_answers_round_idx').on(t.orderId, t.round), index('survey_answers_at_idx').on(t.at)],
);
