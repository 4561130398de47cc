import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgEnum, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../../db/columns';
import { gridUnits } from '../grids/grids.table';

/**
 * "1+X+Y": a grid has one leader (网格长), assistants (协理员) and informants (信息员); higher levels have
 * officers; admins (热线中心) see everything.
 */
export const staffRoleEnum = pgEnum('staff_role', ['leader', 'assistant', 'informant', 'officer', 'admin']);

/** A member of staff: a chat identity for the bot and, optionally, a console account. */
export const staff = pgTable(
  'staff',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    phone: text('phone'),
    /** Stable chat identity (the alias the bot sets, or the puppet's stable id); null until bound. */
    chatKey: text('chat_key').unique(),
    /** The chat network's current contact id (changes at re-login on web puppets). */
    chatContactId: text('chat_contact_id'),
    /** One-time binding code from the console (`绑定 483920`). */
    bindCode: text('bind_code').unique(),
    bindCodeExpiresAt: tstz('bind_code_expires_at'),
    username: text('username').unique(),
    passwordHash: text('password_hash'),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    active: boolean('active').notNull().default(true),
    /**
     * The member's 企业微信 userid, once they bound it (`绑定 <code>` typed to the WeCom app): WeCom vouches for it
     * on every callback, so it is a stable identity. Or set by an admin on the staff page. Unique ignoring case,
     * as WeCom's own userids are.
     */
    wecomUserId: text('wecom_user_id'),
    /**
     * Where notices go: 'wecom' (the WeCom app, when a userid is bound and WeCom is configured) or 'wechat' (the
     * bot's 1:1). A member unreachable on the preferred channel is reached on the other.
     */
    preferredChannel: text('preferred_channel').notNull().default('wechat'),
    createdAt: createdAt(),
  },
  (t) => [
    check('staff_preferred_channel_check', sql`${t.preferredChannel} in ('wechat', 'wecom')`),
    uniqueIndex('staff_wecom_user_id_lower_idx').on(sql`lower(${t.wecomUserId})`),
  ],
);

/** A role held by a member of staff at one unit of the tree. */
export const staffRoles = pgTable(
  'staff_roles',
  {
    id: serial('id').primaryKey(),
    staffId: integer('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    unitId: integer('unit_id')
      .notNull()
      .references(() => gridUnits.id),
    role: staffRoleEnum('role').notNull(),
  },
  (t) => [
    uniqueIndex('staff_roles_unique').on(t.staffId, t.unitId, t.role),
    index('staff_roles_unit_idx').on(t.unitId, t.role),
  ],
);
