import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../../db/columns';
import { gridUnits } from '../grids/grids.table';

/** A chat group (WeChat room) bound to a grid. */
export const chatGroups = pgTable(
  'chat_groups',
  {
    id: serial('id').primaryKey(),
    /** The chat network's current room id; changes at re-login on web puppets, so `topic` re-attaches it. */
    roomId: text('room_id').unique(),
    topic: text('topic').notNull(),
    gridId: integer('grid_id').references(() => gridUnits.id),
    botAccount: text('bot_account').notNull().default('default'),
    createdAt: createdAt(),
  },
  (t) => [index('chat_groups_grid_idx').on(t.gridId), index('chat_groups_topic_idx').on(t.topic)],
);

/**
 * Every raw message addressed to the bot, stored before anything else happens, so that nothing a resident sent
 * is lost and a repeated message event (same id) creates nothing.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The chat network's message id (or an Open311/console request id, prefixed). */
    messageId: text('message_id').notNull().unique(),
    botAccount: text('bot_account').notNull().default('default'),
    channel: text('channel').notNull(),
    fromKey: text('from_key'),
    fromName: text('from_name'),
    roomId: text('room_id'),
    roomTopic: text('room_topic'),
    type: text('type').notNull().default('text'),
    text: text('text'),
    payload: jsonb('payload'),
    /** What the bot made of it: 'order', 'command', 'survey', 'attachment', 'ignored', 'error', ... */
    outcome: text('outcome'),
    orderId: integer('order_id'),
    error: text('error'),
    receivedAt: tstz('received_at').notNull(),
    processedAt: tstz('processed_at'),
    /** How many times a bot claimed it for processing; past a few, it is filed 'failed' instead of tried again. */
    attempts: integer('attempts').notNull().default(0),
    /** A bot processing it holds it until then; a crashed bot's claim lapses and the sweep takes the row over. */
    lockedUntil: tstz('locked_until'),
  },
  (t) => [
    index('inbound_messages_from_idx').on(t.fromKey, t.receivedAt.desc().nullsFirst()),
    index('inbound_messages_unprocessed_idx').on(t.botAccount, t.id).where(sql`${t.outcome} is null`),
  ],
);
