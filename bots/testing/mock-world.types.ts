import type { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { StaffRole } from '../../src/modules/people/people.models';

/** The simulator's chat network, as tests, the simulator page and its HTTP API use it (see mock-world.ts). */
/** A department's member (分流交办) has no unit role: they act for the department they work in. */
export type MemberRole = 'resident' | StaffRole | 'department';

export type TranscriptEntry = {
  /** The contact's name, for a 1:1 message. */
  to?: string;
  /** The group's topic, for a group message. */
  room?: string;
  text: string;
  /** Names @-mentioned. */
  mentions: string[];
  at: Date;
};

export type SayInput = {
  /** The speaking contact's name (a resident or member of staff), or a contact id from `addStranger`. */
  from: string;
  /** The group's topic; omitted for a 1:1 message to the bot. */
  room?: string;
  text?: string;
  mentionBot?: boolean;
  type?: 'text' | 'image' | 'voice' | 'video' | 'file' | 'location';
  /** For media: a file name (its extension decides the mime type) and its content (default: a few bytes). */
  file?: { name: string; base64?: string };
  location?: { lat: number; lng: number; address?: string; name?: string };
};

export type WorldContacts = {
  groups: { topic: string; grid: string | null; members: { name: string; role: MemberRole }[] }[];
  /** Staff the bot can reach 1:1, with the role they act in. */
  staff: { name: string; role: MemberRole; unit: string }[];
  residents: { name: string; grid: string | null }[];
};

export type MockWorld = {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  say(input: SayInput): Promise<{ id: string }>;
  /** Delivers the same message event again (some puppets do). */
  repeat(messageId: string): void;
  transcript(): TranscriptEntry[];
  contacts(): WorldContacts;
  /** Adds contacts and rooms for people and groups added to the database since the world was built. */
  sync(): Promise<void>;
  /** A contact the database does not know yet (a new resident), optionally in some groups. */
  addStranger(name: string, options?: { rooms?: string[]; friend?: boolean }): string;
  /** Resolves when the bot has handled everything said so far and every idle probe agrees. */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** Resolves true once the bot has stored the message `id` (or decided it is chatter), false if it could not. */
  stored(id: string, options?: { timeoutMs?: number }): Promise<boolean>;
  /** waitForIdle, then until the transcript stops growing (replies may trigger more work, e.g. the sender). */
  settle(options?: { timeoutMs?: number }): Promise<void>;
  /** More work to wait for (the outbox sender registers "nothing due"). */
  addIdleProbe(probe: () => boolean | Promise<boolean>): void;
  /** Makes sends fail (the chat network refusing): a predicate per send, or null to stop. */
  failSends(predicate: ((send: { conversationId: string; text: string }) => boolean) | null): void;
  /** Drops mock messages older than `olderThanMs` (the mock keeps every message forever otherwise). */
  clearCaches(olderThanMs?: number): number;
  stop(): void;
};
