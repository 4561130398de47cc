import type { AppContext } from '../../app-context';
import type { Database } from '../../db/client';
import { errorReplies } from '../../i18n/zh-CN';
import { isDomainError } from '../../shared/errors/domain-error';
import type { ChatProbe, IncomingMessage, Reply } from './conversation.types';
import type { ChatGroupRow } from './identity.repository';
import type { ResolvedSpeaker } from './identity.usecases';
import type { InboundOutcome, InboundRow } from './inbound.repository';
import { stableKey } from './identity.models';
import { claimNoticesForSpeaker, outboxHighWater } from './replies.repository';

/** One message being handled: everything the conversation rules need, resolved once. */
export type Turn = {
  ctx: AppContext;
  db: Database;
  botAccount: string;
  now: Date;
  message: IncomingMessage;
  probe: ChatProbe;
  inbound: InboundRow;
  channel: 'group' | 'direct' | 'wecom';
  group: ChatGroupRow | null;
  speaker: ResolvedSpeaker;
};

/** What handling a message came to: stored on its inbound row, and the replies to send. */
export type Step = {
  outcome: InboundOutcome;
  orderId?: number | null;
  payload?: unknown;
  error?: string | null;
  replies: Reply[];
  offerFriendship?: boolean;
};

/** A reply in the conversation: in a group it @-mentions the speaker. */
export function say(turn: Pick<Turn, 'channel'>, text: string): Reply {
  return { text, mention: turn.channel === 'group' };
}

export function step(turn: Pick<Turn, 'channel'>, outcome: InboundOutcome, text: string | null, extra: Partial<Step> = {}): Step {
  return { outcome, replies: text ? [say(turn, text)] : [], ...extra };
}

/** The key inbound rows are filed under: the person's stable key, or the contact for someone not yet on record. */
export function speakerKey(turn: Pick<Turn, 'speaker' | 'message'>, prefer: 'resident' | 'staff' = 'resident'): string {
  const { resident, staff } = turn.speaker;
  if (prefer === 'staff' && staff) return stableKey('staff', staff.id);
  if (resident) return stableKey('resident', resident.id);
  if (staff) return stableKey('staff', staff.id);
  return `C:${turn.message.contact.id}`;
}

/**
 * The notices a command wrote to its own speaker, delivered here as the reply. When it wrote none, `fallback`;
 * when they wait behind earlier unsent notices about the order (or the sender already took them), nothing more:
 * the sender delivers them, in order.
 */
export async function noticesOr(
  turn: Turn,
  { orderIds, residentId, staffId, since }: { orderIds: number[]; residentId?: number | null; staffId?: number | null; since: number },
  fallback: string | null,
): Promise<Reply[]> {
  const { claimed, waiting } = await claimNoticesForSpeaker({
    db: turn.db,
    botAccount: turn.botAccount,
    orderIds,
    residentId,
    staffId,
    afterId: since,
    now: turn.now,
  });
  if (claimed.length > 0) {
    return claimed.map((n) => ({ ...say(turn, n.text), notice: { id: n.id, lockedUntil: n.lockedUntil } }));
  }
  return fallback && waiting === 0 ? [say(turn, fallback)] : [];
}

/** Marks the outbox before a command, so its own notices can be told from older ones (see noticesOr). */
export function outboxMark(turn: Pick<Turn, 'db'>): Promise<number> {
  return outboxHighWater(turn.db);
}

/** A refusal from the use cases becomes a polite reply; anything else is a real error. */
export function refusal(turn: Pick<Turn, 'channel'>, error: unknown): Step | null {
  if (!isDomainError(error)) return null;
  return step(turn, 'refused', errorReplies[error.code], { error: `${error.code}: ${error.message}` });
}

export type { Reply, IncomingMessage };
