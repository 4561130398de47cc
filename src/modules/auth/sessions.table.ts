import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';
import { staff } from '../people/staff.table';

/**
 * Console sessions, server-side: the cookie carries only a random token; the row is looked up by the token's
 * SHA-256, so a leaked table does not give working cookies. Any instance behind a load balancer can serve any
 * session, and logging out (or a password change) ends it everywhere at once.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    /** sha256(token), hex. */
    id: text('id').primaryKey(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    /** Checked on every POST of this session (sent back in a hidden form field or the x-csrf-token header). */
    csrfToken: text('csrf_token').notNull(),
    createdAt: tstz('created_at').notNull(),
    lastSeenAt: tstz('last_seen_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('console_sessions_staff_idx').on(t.staffId)],
);

/**
 * Failed log-ins, counted per key ("user:<name>|ip:<addr>" and "ip:<addr>") in the database so the limit
 * holds across every console instance and survives a restart.
 */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStartedAt: tstz('window_started_at').notNull(),
  lockedUntil: tstz('locked_until'),
});
