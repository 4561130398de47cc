import { boolean, integer, pgEnum, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt } from '../../db/columns';

export const categoryKindEnum = pgEnum('category_kind', ['consultation', 'help', 'complaint', 'emergency']);
export const urgencyEnum = pgEnum('urgency', ['normal', 'urgent']);

/**
 * A category of demand and its time limit (限时): normal orders get `limitWorkingDays` working days, urgent ones
 * `urgentLimitHours` clock hours. Keywords drive the classifier.
 */
export const categories = pgTable('categories', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  kind: categoryKindEnum('kind').notNull(),
  keywords: text('keywords').array().notNull().default([]),
  defaultUrgency: urgencyEnum('default_urgency').notNull().default('normal'),
  limitWorkingDays: integer('limit_working_days').notNull(),
  urgentLimitHours: integer('urgent_limit_hours').notNull().default(4),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(0),
  createdAt: createdAt(),
});
