import type { AppContext } from '../../app-context';
import { botTexts } from '../../i18n/zh-CN.bot';
import { type ChatCommand, parseCommand } from './commands.models';
import { type Step, type Turn, refusal, speakerKey, step } from './conversation.turn';
import type { ChatProbe, ConversationResult, IncomingMessage } from './conversation.types';
import { handleDirectMessage } from './direct.usecases';
import { handleGroupMessage } from './group.usecases';
import { parseStableKey, stableKey } from './identity.models';
import { resolveGroup, resolveSpeaker } from './identity.usecases';
import { PENDING_DEMAND_OUTCOMES, finishInbound, latestPending, recordInbound } from './inbound.repository';
import { ATTACHMENT_WINDOW_MS, PENDING_DEMAND_MS, startsWithTrigger } from './intake.models';
import { latestOrderSince, residentOrders } from './chat.repository';
import { MAX_DEMAND_TEXT } from '../../shared/text/limits';

/** How long after the bot's question an unaddressed group message still counts as the answer. */
const GROUP_ANSWER_WINDOW_MS = 10 * 60_000;

/**
 * Whether a group message that neither mentions the bot nor starts with a trigger word is still for it: an
 * answer it asked this resident for, or media right after their demand. Reads only; writes nothing.
 */
async function expectedInGroup({ ctx, message, probe, command }: { ctx: AppContext; message: IncomingMessage; probe: ChatProbe; command: ChatCommand }) {
  const db = ctx.db;
  const now = ctx.clock.now();
  const botAccount = ctx.config.BOT_ACCOUNT;
  const group = await resolveGroup({ db, botAccount, room: message.room!, probe, now, write: false });
  if (!group?.gridId) return false;
  const { resident } = await resolveSpeaker({ db, botAccount, contact: message.contact, group, probe, now, write: false, direct: false });
  if (!resident) return false;
  const fromKey = stableKey('resident', resident.id);
  const since = (ms: number) => new Date(now.getTime() - ms);
  if (message.kind !== 'text') {
    if (message.kind === 'other') return false;
    const pending = await latestPending(db, { fromKey, outcomes: PENDING_DEMAND_OUTCOMES, since: since(PENDING_DEMAND_MS) });
    return Boolean(pending ?? (await latestOrderSince(db, { residentId: resident.id, since: since(ATTACHMENT_WINDOW_MS) })));
  }
  if (command.kind === 'survey' && (command.comment === null || /^[123]/u.test(message.text))) {
    return (await residentOrders(db, { residentId: resident.id, statuses: ['resolved'], limit: 1 })).length > 0;
  }
  if (command.kind === 'support' || command.kind === 'new_order') {
    return Boolean(await latestPending(db, { fromKey, outcomes: ['pending_duplicate'], since: since(PENDING_DEMAND_MS) }));
  }
  if (command.kind !== 'text') return false;
  return Boolean(await latestPending(db, { fromKey, outcomes: ['pending_vague'], since: since(GROUP_ANSWER_WINDOW_MS), roomId: message.room!.id }));
}

/**
 * One chat message, end to end: decide whether it is for the bot (group chatter is not, and is not stored),
 * store it before anything else (a repeated event stops here), find who and where, act, and file the outcome.
 * Never throws: a failure is stored on the message and answered with an apology, since the adapter must not
 * crash on a message.
 */
export async function handleIncomingMessage({
  ctx,
  message,
  probe,
}: {
  ctx: AppContext;
  message: IncomingMessage;
  probe: ChatProbe;
}): Promise<ConversationResult> {
  const { db } = ctx;
  const botAccount = ctx.config.BOT_ACCOUNT;
  const now = ctx.clock.now();
  const channel = message.room ? 'group' : 'direct';
  const command: ChatCommand = message.kind === 'text' ? parseCommand(message.text) : { kind: 'text', text: '' };

  if (channel === 'group') {
    const addressed = message.mentionsBot || (message.kind === 'text' && startsWithTrigger(message.text));
    if (!addressed && !(await expectedInGroup({ ctx, message, probe, command }))) return { handled: false, replies: [] };
  }

  const inbound = await recordInbound(db, {
    messageId: `${botAccount}:${message.messageId}`,
    botAccount,
    channel,
    fromKey: `C:${message.contact.id}`,
    fromName: message.contact.name,
    roomId: message.room?.id ?? null,
    roomTopic: message.room?.topic ?? null,
    type: message.kind,
    text: message.text || null,
    payload: { contactId: message.contact.id, location: message.location ?? undefined, url: message.url ?? undefined, fileName: message.file?.name ?? undefined },
    receivedAt: now,
  });
  if (!inbound) return { handled: true, duplicate: true, replies: [] };

  let turn: Turn | undefined;
  let result: Step;
  try {
    const group = message.room ? await resolveGroup({ db, botAccount, room: message.room, probe, now, write: true }) : null;
    const speaker = await resolveSpeaker({ db, botAccount, contact: message.contact, group, probe, now, write: true, direct: channel === 'direct' });
    turn = { ctx, db, botAccount, now, message, probe, inbound, channel, group, speaker };
    // Too long for a demand or a note: refused in words, while the message stays stored as received.
    if (message.text.length > MAX_DEMAND_TEXT) result = step(turn, 'refused', botTexts.tooLong(MAX_DEMAND_TEXT));
    else result = channel === 'group' ? await handleGroupMessage(turn, command) : await handleDirectMessage(turn, command);
  } catch (error) {
    const refused = refusal({ channel }, error);
    if (refused) result = refused;
    else {
      ctx.log.error({ err: error, messageId: inbound.messageId }, 'chat message failed');
      result = step({ channel }, 'error', botTexts.internalError, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }

  try {
    await finishInbound(db, {
      id: inbound.id,
      outcome: result.outcome,
      orderId: result.orderId ?? null,
      error: result.error ?? null,
      payload: result.payload,
      fromKey: turn ? speakerKey(turn) : undefined,
      now: ctx.clock.now(),
    });
  } catch (error) {
    ctx.log.error({ err: error, messageId: inbound.messageId }, 'could not file the outcome of a chat message');
  }

  const speaker = turn?.speaker;
  const wanted = speaker?.staff ? stableKey('staff', speaker.staff.id) : speaker?.resident ? stableKey('resident', speaker.resident.id) : null;
  const current = parseStableKey(message.contact.alias);
  return {
    handled: true,
    replies: result.replies,
    speaker: speaker
      ? { residentId: speaker.resident?.id ?? null, staffId: speaker.staff?.id ?? null, key: wanted }
      : undefined,
    chatGroupId: turn?.group?.id ?? null,
    setAlias: wanted && (!current || stableKey(current.kind, current.id) !== wanted) ? wanted : undefined,
    offerFriendship: result.offerFriendship,
  };
}
