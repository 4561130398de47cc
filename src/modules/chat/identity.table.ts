import { index, integer, jsonb, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { tstz } from '../../db/columns';

/**
 * A chat contact or room the bot could not tie to a record with certainty (a namesake after a re-login, a
 * renamed group), shown in the console for an admin to confirm. Meanwhile a contact is served as
 * `provisionalResidentId`, so the resident is answered and nothing they send is lost; confirming merges it.
 */
export const unmatchedIdentities = pgTable(
  'unmatched_identities',
  {
    id: serial('id').primaryKey(),
    botAccount: text('bot_account').notNull().default('default'),
    /** 'contact' or 'room'. */
    kind: text('kind').notNull(),
    /** The chat network's id at the time (changes at re-login on web puppets). */
    chatId: text('chat_id').notNull(),
    /** Contact name or room topic. */
    name: text('name').notNull(),
    alias: text('alias'),
    /** Where a contact was seen (a group's topic), for the admin. */
    seenIn: text('seen_in'),
    /** Why it was not matched: 'same_name', 'same_topic', 'renamed_group'. */
    reason: text('reason').notNull(),
    /** The records it could be: [{ type: 'resident' | 'group', id, name, gridId }]. */
    candidates: jsonb('candidates').notNull(),
    provisionalResidentId: integer('provisional_resident_id'),
    firstSeenAt: tstz('first_seen_at').notNull(),
    lastSeenAt: tstz('last_seen_at').notNull(),
    resolvedAt: tstz('resolved_at'),
    resolvedByStaffId: integer('resolved_by_staff_id'),
    /** What the admin decided, e.g. 'resident:12', 'group:3', 'new'. */
    resolution: text('resolution'),
  },
  (t) => [
    uniqueIndex('unmatched_identities_chat_idx').on(t.botAccount, t.kind, t.chatId),
    index('unmatched_identities_open_idx').on(t.lastSeenAt.desc().nullsFirst()),
  ],
);

export type UnmatchedIdentityRow = typeof unmatchedIdentities.$inferSelect;
