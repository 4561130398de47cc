import type { Readable } from 'node:stream';
import type { AttachmentKind } from './intake.models';
import type { SeenContact, SeenRoom } from './identity.models';

/**
 * One chat message as the conversation rules see it, whatever the chat network: the bot adapter (bots/) builds
 * it from a Wechaty message. Nothing here imports Wechaty.
 */
export type IncomingMessage = {
  /** The chat network's message id. */
  messageId: string;
  kind: 'text' | AttachmentKind | 'other';
  /** Normalized text with the bot's @-mention removed ('' for media). */
  text: string;
  mentionsBot: boolean;
  contact: SeenContact & { friend: boolean | null };
  /** Null for a 1:1 chat. Member names are read only when a renamed or duplicated group must be told apart. */
  room: (Omit<SeenRoom, 'memberNames'> & { memberNames(): Promise<string[]> }) | null;
  location?: { lat: number; lng: number; address: string | null; name: string | null } | null;
  url?: string | null;
  /** Media: opened only when the bot decides to keep it. */
  file?: { name: string | null; open(): Promise<{ stream: Readable; name: string | null; mime: string | null; size: number | null }> } | null;
};

/** What the conversation rules need to ask the chat network. */
export type ChatProbe = {
  /** Whether a contact id from an earlier login still names a contact. */
  isLiveContact(contactId: string): Promise<boolean>;
  isLiveRoom(roomId: string): Promise<boolean>;
  /** Ids of the rooms the bot shares with this contact. */
  sharedRoomIds(contactId: string): Promise<string[]>;
};

/**
 * A reply in the conversation the message came from (in a group, @-mentioning the speaker). `notice` is an outbox
 * row claimed to be delivered here: the adapter marks it sent, or hands it back to the sender if the send fails.
 */
export type Reply = { text: string; mention: boolean; notice?: { id: number; lockedUntil: Date } };

export type Speaker = { residentId: number | null; staffId: number | null; key: string | null };

export type ConversationResult = {
  /** False: group chatter not for the bot, not stored. */
  handled: boolean;
  /** The same message event came again: nothing was done. */
  duplicate?: boolean;
  replies: Reply[];
  speaker?: Speaker;
  chatGroupId?: number | null;
  /** A remark to set on the contact: the stable key, so the person is recognised after a re-login. */
  setAlias?: string;
  /** Offer friendship (a non-friend reported in a group): 1:1 notices are more private than @ in the group. */
  offerFriendship?: boolean;
};
