import type { AppContext } from '../../app-context';
import { isPassingDbError } from '../../db/errors';
import { botTexts } from '../../i18n/zh-CN.bot';
import { type Step, type Turn, refusal, speakerKey, step } from './conversation.turn';
import type { ChatProbe, ConversationResult, IncomingMessage, Reply } from './conversation.types';
import { handleDirectMessage } from './direct.usecases';
import { expectedInGroup } from './group-expectation.usecases';
import { handleGroupMessage } from './group.usecases';
import { parseStableKey, stableKey } from './identity.models';
import { type ResolvedSpeaker, resolveGroup, resolveSpeaker } from './identity.usecases';
import { type ReplyDraft, claimInbound, forgetInbound, releaseInbound, writeReplies } from './inbound-claims.repository';
import { type InboundRow, finishInbound } from './inbound.repository';
import { type StoredPayload, commandOf } from './inbound.usecases';
import { settleNotice } from './replies.repository';
import { MAX_DEMAND_TEXT } from '../../shared/text/limits';

/** How long a bot holds a message it processes; if it dies meanwhile, the sweep takes the message after this. */
export const PROCESS_LEASE_MS = 60_000;
/** Claims of one message before it is filed 'failed' (it crashed the bot, or the database kept failing). */
export const MAX_ATTEMPTS = 5;

/** Processing came to nothing this time (another bot has it, or it must wait); it stays stored. */
const NOT_NOW: ConversationResult = { handled: true, duplicate: true, replies: [] };

/**
 * Processes one stored message: claim it (exactly one bot does, and only after the talker's earlier messages),
 * find who and where, act, then file the outcome together with the replies, which go to the outbox as well: if
 * the bot dies before saying them in place, the sender does. `inPlace` false (the chat network's message is gone,
 * after a restart): the sender delivers them. A fault in the rules is filed 'error' with an apology; a database
 * that went away leaves the message for the sweep; a message claimed too often is filed 'failed'.
 */
export async function processInbound({
  ctx,
  inboundId,
  message,
  probe,
  inPlace = true,
}: {
  ctx: AppContext;
  inboundId: number;
  message: IncomingMessage;
  probe: ChatProbe;
  inPlace?: boolean;
}): Promise<ConversationResult> {
  const { db } = ctx;
  const botAccount = ctx.config.BOT_ACCOUNT;
  const now = ctx.clock.now();
  const lockedUntil = new Date(now.getTime() + PROCESS_LEASE_MS);
  const inbound = await claimInbound(db, { id: inboundId, now, lockedUntil });
  if (!inbound) return NOT_NOW;
  const channel = message.room ? 'group' : 'direct';

  let turn: Turn | undefined;
  let result: Step;
  try {
    if (inbound.attempts > MAX_ATTEMPTS) {
      ctx.log.error({ messageId: inbound.messageId, attempts: inbound.attempts - 1, lastError: inbound.error }, 'a chat message could not be processed; filed as failed');
      turn = await resolveTurn({ ctx, message, probe, inbound, now, write: false });
      result = step({ channel }, 'failed', botTexts.internalError);
    } else {
      if ((inbound.payload as StoredPayload | null)?.addressed === false && !(await expectedInGroup({ ctx, message, probe, command: commandOf(message) }))) {
        await forgetInbound(db, { id: inbound.id, lockedUntil });
        return { handled: false, replies: [] };
      }
      turn = await resolveTurn({ ctx, message, probe, inbound, now, write: true });
      // Too long for a demand or a note: refused in words, while the message stays stored as received.
      if (message.text.length > MAX_DEMAND_TEXT) result = step(turn, 'refused', botTexts.tooLong(MAX_DEMAND_TEXT));
      else result = channel === 'group' ? await handleGroupMessage(turn, commandOf(message)) : await handleDirectMessage(turn, commandOf(message));
    }
  } catch (error) {
    if (isPassingDbError(error)) return leaveForLater({ ctx, inbound, lockedUntil, error });
    const refused = refusal({ channel }, error);
    if (refused) result = refused;
    else {
      ctx.log.error({ err: error, messageId: inbound.messageId }, 'chat message failed');
      result = step({ channel }, 'error', botTexts.internalError, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }

  const speaker = turn?.speaker;
  const recipient = replyRecipient({ speaker, channel, chatGroupId: turn?.group?.id ?? null });
  let filedReplies: Reply[] | null;
  try {
    filedReplies = await db.transaction(async (tx): Promise<Reply[] | null> => {
      const filed = await finishInbound(tx, {
        id: inbound.id,
        claim: lockedUntil,
        outcome: result.outcome,
        orderId: result.orderId ?? null,
        error: result.error ?? null,
        payload: result.payload,
        fromKey: turn ? speakerKey(turn) : undefined,
        now: ctx.clock.now(),
      });
      if (!filed) return null;
      const plain = result.replies.filter((r) => !r.notice);
      const written = recipient
        ? await writeReplies(tx, {
            botAccount,
            messageId: inbound.messageId,
            replies: plain.map((r) => ({ ...recipient, text: r.text })),
            inPlaceUntil: inPlace ? new Date(ctx.clock.now().getTime() + PROCESS_LEASE_MS) : null,
            now: ctx.clock.now(),
          })
        : [];
      return result.replies.map((r) => {
        if (r.notice) return r;
        const row = written.find((w) => w.position === plain.indexOf(r));
        return row?.lockedUntil ? { ...r, notice: { id: row.id, lockedUntil: row.lockedUntil } } : r;
      });
    });
  } catch (error) {
    return leaveForLater({ ctx, inbound, lockedUntil, error });
  }
  // Our claim lapsed and another bot took the message over: it answers.
  if (filedReplies === null) return NOT_NOW;
  let replies = filedReplies;
  if (!inPlace) {
    await handBack({ ctx, replies, recipient });
    replies = [];
  }

  const wanted = speaker?.staff ? stableKey('staff', speaker.staff.id) : speaker?.resident ? stableKey('resident', speaker.resident.id) : null;
  const current = parseStableKey(message.contact.alias);
  return {
    handled: true,
    replies,
    speaker: speaker ? { residentId: speaker.resident?.id ?? null, staffId: speaker.staff?.id ?? null, key: wanted } : undefined,
    chatGroupId: turn?.group?.id ?? null,
    setAlias: wanted && (!current || stableKey(current.kind, current.id) !== wanted) ? wanted : undefined,
    offerFriendship: result.offerFriendship,
  };
}

async function resolveTurn({
  ctx,
  message,
  probe,
  inbound,
  now,
  write,
}: {
  ctx: AppContext;
  message: IncomingMessage;
  probe: ChatProbe;
  inbound: InboundRow;
  now: Date;
  write: boolean;
}): Promise<Turn> {
  const { db } = ctx;
  const botAccount = ctx.config.BOT_ACCOUNT;
  const channel = message.room ? 'group' : 'direct';
  const group = message.room ? await resolveGroup({ db, botAccount, room: message.room, probe, now, write }) : null;
  const speaker = await resolveSpeaker({
    db,
    botAccount,
    contact: message.contact,
    group,
    probe,
    now,
    write,
    direct: channel === 'direct',
    roomMemberNames: message.room ? () => message.room!.memberNames() : null,
  });
  return { ctx, db, botAccount, now, message, probe, inbound, channel, group, speaker };
}

/** Who the outbox would send a reply to: the speaker on record (as staff in a 1:1 chat), else nobody. */
function replyRecipient({
  speaker,
  channel,
  chatGroupId,
}: {
  speaker: ResolvedSpeaker | undefined;
  channel: 'group' | 'direct';
  chatGroupId: number | null;
}): Omit<ReplyDraft, 'text'> | null {
  const residentId = speaker?.resident?.id ?? null;
  const staffId = speaker?.staff?.id ?? null;
  if (residentId === null && staffId === null) return null;
  const toResident = residentId !== null && !(channel === 'direct' && staffId !== null);
  return {
    recipientType: toResident ? 'resident' : 'staff',
    residentId: toResident ? residentId : null,
    staffId: toResident ? null : staffId,
    chatGroupId,
  };
}

/** Notices claimed for an in-place reply that can not be given in place go back to the sender. */
async function handBack({ ctx, replies, recipient }: { ctx: AppContext; replies: Reply[]; recipient: Omit<ReplyDraft, 'text'> | null }) {
  for (const reply of replies) {
    if (reply.notice) {
      await settleNotice(ctx.db, { ...reply.notice, sent: false, via: 'direct', error: 'the bot restarted before replying in place', now: ctx.clock.now() });
    }
  }
  if (!recipient && replies.length > 0) ctx.log.warn({ replies: replies.length }, 'replies to someone not on record could not be sent after a restart');
}

async function leaveForLater({ ctx, inbound, lockedUntil, error }: { ctx: AppContext; inbound: InboundRow; lockedUntil: Date; error: unknown }) {
  ctx.log.warn({ err: error, messageId: inbound.messageId }, 'the database failed while a chat message was processed; it is tried again later');
  await releaseInbound(ctx.db, { id: inbound.id, lockedUntil, error: String(error) }).catch(() => {
    // The database is still away: the claim lapses by itself.
  });
  return NOT_NOW;
}
