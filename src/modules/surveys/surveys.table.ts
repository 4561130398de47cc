import { index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { residents } from '../people/residents.table';
import { workOrders } from '../work-orders/work-orders.table';

export const surveyAnswerEnum = pgEnum('survey_answer', [
  'satisfied',
  'basically_satisfied',
  'unsatisfied',
  'unanswered',
]);

/** One survey round per resolution of an order (a reopened order is surveyed again: round = reopen count). */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    id: serial('id').primaryKey(),
    orderId: integer('order_id')
      .notNull()
      .references(() => workOrders.id),
    residentId: integer('resident_id').references(() => residents.id),
    round: integer('round').notNull(),
    answer: surveyAnswerEnum('answer').notNull(),
    comment: text('comment'),
    channel: text('channel').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [uniqueIndex('survey_answers_round_idx').on(t.orderId, t.round), index('survey_answers_at_idx').on(t.at)],
);
