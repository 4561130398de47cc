import type { AppContext } from '../../app-context';
import { type ChatCommand, readAsResident } from './commands.models';
import type { ChatProbe, IncomingMessage } from './conversation.types';
import { stableKey } from './identity.models';
import { resolveGroup, resolveSpeaker } from './identity.usecases';
import { PENDING_DEMAND_OUTCOMES, latestPending } from './inbound.repository';
import { ATTACHMENT_WINDOW_MS, PENDING_DEMAND_MS } from './intake.models';
import { latestOrderSince, residentOrders } from './chat.repository';
import { readIntent } from './intent.models';
import { latestWhichOrderAsk } from './intent.repository';
import { WHICH_ORDER_WINDOW_MS, speakerState } from './intent.usecases';
import { compactText } from '../../shared/text/normalize';
import { readSatisfaction } from '../surveys/surveys.models';
import { hasSatisfactionAsk } from './survey.usecases';

/** Acknowledgements too short to be taken as a survey answer when the bot was not addressed. */
const BARE_ACK = /^(好|好的|嗯+|哦+|ok|收到|行|可以|对|是的)$/u;

/** A group message this soon after the resident's own order or held demand may add to it without @. */
const GROUP_DETAIL_WINDOW_MS = 60 * 60_000;

/**
 * Whether the text calls the bot by one of its names ("小格你好，…", "请问一下…小格"): residents who do not
 * know how to @ write to the bot as to a person, and must not get silence.
 */
export function namesBot(text: string, names: readonly string[]): boolean {
  const body = compactText(text);
  return names.some((name) => {
    const n = compactText(name);
    return n.length >= 2 && body.includes(n);
  });
}

/** How long after the bot's question an unaddressed group message still counts as the answer. */
const GROUP_ANSWER_WINDOW_MS = 10 * 60_000;

/**
 * Whether a group message that neither mentions the bot nor starts with a trigger word is still for it: it
 * calls the bot by name, answers what the bot asked this resident, is media right after their demand, or
 * plainly continues their own open conversation (a survey answer in words after their survey, a follow-up or
 * question about their open order, a withdrawal or detail of what they just reported). Everything else is the
 * residents' own chat. Reads only; writes nothing.
 */
export async function expectedInGroup({ ctx, message, probe, command }: { ctx: AppContext; message: IncomingMessage; probe: ChatProbe; command: ChatCommand }) {
  const db = ctx.db;
  const now = ctx.clock.now();
  const botAccount = ctx.config.BOT_ACCOUNT;
  const group = await resolveGroup({ db, botAccount, room: message.room!, probe, now, write: false });
  if (!group?.gridId) return false;
  if (message.kind === 'text' && namesBot(message.text, [ctx.config.BOT_NAME])) return true;
  const { resident } = await resolveSpeaker({ db, botAccount, contact: message.contact, group, probe, now, write: false, direct: false });
  if (!resident) return false;
  command = readAsResident(command, message.text);
  const fromKey = stableKey('resident', resident.id);
  const since = (ms: number) => new Date(now.getTime() - ms);
  if (message.kind !== 'text') {
    if (message.kind === 'other') return false;
    const pending = await latestPending(db, { fromKey, outcomes: PENDING_DEMAND_OUTCOMES, since: since(PENDING_DEMAND_MS) });
    return Boolean(pending ?? (await latestOrderSince(db, { residentId: resident.id, since: since(ATTACHMENT_WINDOW_MS) })));
  }
  if (command.kind === 'survey' && (command.comment === null || /^[1234]/u.test(message.text))) {
    if ((await residentOrders(db, { residentId: resident.id, statuses: ['resolved'], limit: 1 })).length > 0) return true;
  }
  // The answer to the bot's one follow-up about satisfaction ("满意" after "修好了").
  if ((command.kind === 'survey' || command.kind === 'text' || command.kind === 'chitchat') && readSatisfaction(message.text) && (await hasSatisfactionAsk({ db, now }, fromKey))) {
    return true;
  }
  if (command.kind === 'survey' && (command.comment === null || /^[1234]/u.test(message.text))) return false;
  if (command.kind === 'support' || command.kind === 'new_order') {
    return Boolean(await latestPending(db, { fromKey, outcomes: ['pending_duplicate'], since: since(PENDING_DEMAND_MS) }));
  }
  if (/^\s*[1-9]\s*$/u.test(message.text.normalize('NFKC')) && (await latestWhichOrderAsk(db, { fromKey, since: since(WHICH_ORDER_WINDOW_MS) }))) return true;
  if (command.kind === 'text' && (await latestPending(db, { fromKey, outcomes: ['pending_vague'], since: since(GROUP_ANSWER_WINDOW_MS), roomId: message.room!.id }))) {
    return true;
  }
  if (command.kind !== 'text' && command.kind !== 'chitchat' && command.kind !== 'survey') return false;
  return continuesOwnConversation({ ctx, residentId: resident.id, fromKey, text: message.text, now });
}

/** Whether an unaddressed group line continues the resident's own matter, as the intent reader sees it. */
async function continuesOwnConversation({ ctx, residentId, fromKey, text, now }: { ctx: AppContext; residentId: number; fromKey: string; text: string; now: Date }) {
  const state = await speakerState({ db: ctx.db, now }, { residentId, fromKey });
  if (state.open.length === 0 && state.resolved.length === 0 && !state.held) return false;
  const reading = readIntent({ text, context: state.context, tokenize: ctx.tokenize });
  const fresh = state.held !== undefined || state.open.some((o) => now.getTime() - o.createdAt.getTime() <= GROUP_DETAIL_WINDOW_MS);
  switch (reading.intent) {
    case 'survey_answer':
      // A bare "好的" in the group may be said to a neighbour: without @ it takes words of its own to close an order.
      return state.resolved.length > 0 && !BARE_ACK.test(compactText(text));
    case 'follow_up':
    case 'status_question':
      return state.open.length > 0 && reading.aboutOrder === true;
    case 'cancellation':
      return reading.explicit === true && fresh;
    case 'added_detail':
      return fresh;
    default:
      return false;
  }
}
