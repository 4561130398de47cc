import type { AppContext } from '../../app-context';
import { type ChatCommand, parseCommand } from './commands.models';
import type { ChatProbe, IncomingMessage } from './conversation.types';
import { hasUnprocessedFrom, storeInbound, unprocessedInbound } from './inbound-claims.repository';
import type { InboundRow } from './inbound.repository';
import { expectedInGroup } from './group-expectation.usecases';
import { startsWithTrigger } from './intake.models';

/** How long a stored row is left to the bot that stored it before the sweep takes it (it may be queued there). */
export const SWEEP_GRACE_MS = 10_000;

/** What storing a message came to. */
export type StoredMessage =
  /** Group chatter, not for the bot: not stored. */
  | { kind: 'ignored' }
  /** Stored (or stored before and not yet processed): process it by `inboundId`. */
  | { kind: 'stored'; inboundId: number; fresh: boolean }
  /** The same event again, already processed: nothing more to do. */
  | { kind: 'processed'; inboundId: number };

/** What a stored row keeps of the message beyond its columns, so it can be processed without the chat network. */
export type StoredPayload = {
  contactId: string;
  alias?: string | null;
  friend?: boolean | null;
  mentionsBot?: boolean;
  /** False for a group message kept only because it may answer the bot: processing asks again. */
  addressed?: boolean;
  location?: IncomingMessage['location'];
  url?: string;
  fileName?: string;
};

/** The key a row is filed under until it is processed (then the person's stable key replaces it). */
export function talkerKey(contactId: string): string {
  return `C:${contactId}`;
}

export function commandOf(message: IncomingMessage): ChatCommand {
  return message.kind === 'text' ? parseCommand(message.text) : { kind: 'text', text: '' };
}

/**
 * The first thing that happens to a message, the moment it arrives: decide whether it is for the bot (group
 * chatter is not, and is not stored) and store it. Nothing else: processing comes after, in each talker's order.
 * A group message that is not addressed to the bot is kept when it may be an answer the bot asked for, or when
 * the talker's earlier messages are still unprocessed (they may ask the question it answers); processing then
 * decides again and forgets it if it was chatter after all.
 */
export async function storeIncomingMessage({
  ctx,
  message,
  probe,
}: {
  ctx: AppContext;
  message: IncomingMessage;
  probe: ChatProbe;
}): Promise<StoredMessage> {
  const botAccount = ctx.config.BOT_ACCOUNT;
  const channel = message.room ? 'group' : 'direct';
  const fromKey = talkerKey(message.contact.id);
  const addressed = channel === 'direct' || message.mentionsBot || (message.kind === 'text' && startsWithTrigger(message.text));
  if (!addressed) {
    const maybeAnswer =
      (await hasUnprocessedFrom(ctx.db, { botAccount, fromKey })) ||
      (await expectedInGroup({ ctx, message, probe, command: commandOf(message) }));
    if (!maybeAnswer) return { kind: 'ignored' };
  }
  const payload: StoredPayload = {
    contactId: message.contact.id,
    alias: message.contact.alias,
    friend: message.contact.friend,
    mentionsBot: message.mentionsBot,
    addressed,
    location: message.location ?? undefined,
    url: message.url ?? undefined,
    fileName: message.file?.name ?? undefined,
  };
  const { row, fresh } = await storeInbound(ctx.db, {
    messageId: `${botAccount}:${message.messageId}`,
    botAccount,
    channel,
    fromKey,
    fromName: message.contact.name,
    roomId: message.room?.id ?? null,
    roomTopic: message.room?.topic ?? null,
    type: message.kind,
    text: message.text || null,
    payload,
    receivedAt: ctx.clock.now(),
  });
  if (!fresh && row.outcome !== null) return { kind: 'processed', inboundId: row.id };
  return { kind: 'stored', inboundId: row.id, fresh };
}

/** The chat network's message id of a stored row (the row's id carries the bot account in front). */
export function networkMessageId(row: Pick<InboundRow, 'messageId' | 'botAccount'>): string {
  const prefix = `${row.botAccount}:`;
  return row.messageId.startsWith(prefix) ? row.messageId.slice(prefix.length) : row.messageId;
}

/**
 * A stored row as the conversation rules see a message, for processing it when the chat network's message is
 * gone (after a restart). The chat network supplies what only it knows: a room's members, the media.
 */
export function incomingFromRow(
  row: InboundRow,
  network: {
    memberNames(roomId: string): Promise<string[]>;
    openFile?: NonNullable<IncomingMessage['file']>['open'];
  },
): IncomingMessage {
  const payload = (row.payload ?? {}) as StoredPayload;
  const contactId = payload.contactId ?? (row.fromKey?.startsWith('C:') ? row.fromKey.slice(2) : '');
  const kind = row.type as IncomingMessage['kind'];
  const media = kind !== 'text' && kind !== 'location' && kind !== 'link' && kind !== 'other';
  return {
    messageId: networkMessageId(row),
    kind,
    text: row.text ?? '',
    mentionsBot: payload.mentionsBot ?? true,
    contact: { id: contactId, name: row.fromName ?? '', alias: payload.alias ?? null, friend: payload.friend ?? null },
    room: row.roomId ? { id: row.roomId, topic: row.roomTopic ?? '', memberNames: () => network.memberNames(row.roomId!) } : null,
    location: payload.location ?? null,
    url: payload.url ?? null,
    file: media
      ? {
          name: payload.fileName ?? null,
          open: network.openFile ?? (() => Promise.reject(new Error('the media of this message is no longer available'))),
        }
      : null,
  };
}

/** Rows the sweep should process now: unprocessed, past the grace, not held by a live claim; in storage order. */
export function rowsToSweep({ ctx, limit, graceMs = SWEEP_GRACE_MS }: { ctx: AppContext; limit: number; graceMs?: number }): Promise<InboundRow[]> {
  const now = ctx.clock.now();
  return unprocessedInbound(ctx.db, { botAccount: ctx.config.BOT_ACCOUNT, before: new Date(now.getTime() - graceMs + 1), now, limit });
}
