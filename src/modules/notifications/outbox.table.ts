import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgEnum, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../../db/columns';

export const outboxStatusEnum = pgEnum('outbox_status', ['pending', 'sending', 'sent', 'dead']);

/**
 * Every message the product sends, written in the same transaction as the change that caused it. The bot's
 * sender claims pending rows, delivers them with pacing and retries, and dead-letters them after N tries.
 * The recipient is a person (staff or resident) or a chat group; how to reach a person (1:1 or @ in a group)
 * is decided at send time by the bot, which knows who is its friend.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    botAccount: text('bot_account').notNull().default('default'),
    /** What the message is ('receipt', 'assignment', 'status', 'survey', 'reminder', 'digest', 'reply', ...). */
    kind: text('kind').notNull(),
    orderId: integer('order_id'),
    recipientType: text('recipient_type').notNull(),
    staffId: integer('staff_id'),
    residentId: integer('resident_id'),
    /** Group to use for a resident who is not the bot's friend, or the target of a 'group' message. */
    chatGroupId: integer('chat_group_id'),
    text: text('text').notNull(),
    status: outboxStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    /** A claim by one sender; a crashed sender's claims expire and are picked up again. */
    lockedUntil: tstz('locked_until'),
    lastError: text('last_error'),
    /** Jobs set a key so a notice is written once however many instances run. */
    dedupeKey: text('dedupe_key').unique(),
    /**
     * A channel this row must take: null = the recipient's preferred one (staff.preferred_channel), 'wechat' (a
     * WeCom send failed for good, or the row answers a WeChat message), 'wecom' (it answers a WeCom message).
     */
    channel: text('channel'),
    /** How it went out: 'direct', 'room', 'wecom' or 'withheld'. */
    deliveredVia: text('delivered_via'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('outbox_pending_idx')
      .on(t.botAccount, t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index('outbox_order_idx').on(t.orderId),
    index('outbox_dead_idx').on(t.createdAt.desc().nullsFirst()).where(sql`${t.status} = 'dead'`),
  ],
);
