import { bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';

/** Every console action and every administrative change: who, what, on what, when, from where. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorStaffId: integer('actor_staff_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    data: jsonb('data'),
    ip: text('ip'),
    at: tstz('at').notNull(),
  },
  (t) => [index('audit_log_at_idx').on(t.at.desc().nullsFirst()), index('audit_log_target_idx').on(t.targetType, t.targetId)],
);
