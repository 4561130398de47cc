import type { AppContext } from '../../app-context';
import type { ChatCommand } from './commands.models';
import type { ChatProbe, IncomingMessage } from './conversation.types';
import { stableKey } from './identity.models';
import { resolveGroup, resolveSpeaker } from './identity.usecases';
import { PENDING_DEMAND_OUTCOMES, latestPending } from './inbound.repository';
import { ATTACHMENT_WINDOW_MS, PENDING_DEMAND_MS } from './intake.models';
import { latestOrderSince, residentOrders } from './chat.repository';

/** How long after the bot's question an unaddressed group message still counts as the answer. */
const GROUP_ANSWER_WINDOW_MS = 10 * 60_000;

/**
 * Whether a group message that neither mentions the bot nor starts with a trigger word is still for it: an
 * answer it asked this resident for, or media right after their demand. Reads only; writes nothing.
 */
export async function expectedInGroup({ ctx, message, probe, command }: { ctx: AppContext; message: IncomingMessage; probe: ChatProbe; command: ChatCommand }) {
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
