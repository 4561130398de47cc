import { boolean, index, integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { createdAt, tstz } from '../../db/columns';
import { gridUnits } from '../grids/grids.table';

/** A resident known to the bot (or to Open311). */
export const residents = pgTable(
  'residents',
  {
    id: serial('id').primaryKey(),
    /** Stable chat identity (see bots/identity); null for residents who came through Open311 only. */
    chatKey: text('chat_key').unique(),
    chatContactId: text('chat_contact_id'),
    /** Display name on the chat network at last contact. */
    chatName: text('chat_name'),
    name: text('name'),
    phone: text('phone'),
    gridId: integer('grid_id').references(() => gridUnits.id),
    points: integer('points').notNull().default(0),
    /** A personal WeChat account can only message its friends directly. */
    isFriend: boolean('is_friend').notNull().default(false),
    /** Where the resident came from when not from the chat ('open311', 'console'). */
    source: text('source').notNull().default('chat'),
    lastSeenAt: tstz('last_seen_at'),
    createdAt: createdAt(),
  },
  (t) => [index('residents_grid_idx').on(t.gridId)],
);
