import { and, eq } from 'drizzle-orm';
import { botTexts } from '../../i18n/zh-CN.bot';
import { isAncestorOrSelf } from '../grids/grids.models';
import { gridUnits } from '../grids/grids.table';
import { submitDemand } from '../work-orders/intake/submit-demand.usecases';
import { loadStaffActor } from '../work-orders/work-orders.repository';
import { type ChatCommand, STAFF_COMMANDS, readAsResident } from './commands.models';
import { type Step, type Turn, step } from './conversation.turn';
import { answerVague, intakeDemand } from './demand.usecases';
import { ensureResident } from './identity.usecases';
import { setGroupGrid } from './identity.repository';
import { finishInbound, unboundDemands } from './inbound.repository';
import { handleMedia } from './media.usecases';
import { takePrivately } from './privacy.usecases';
import { type StaffWords, readStaffWords } from './staff-words.models';
import { isResidentCommand, residentCommand } from './resident-commands.usecases';
import { answerWhichOrder, understandResident } from './intent.usecases';
import { answerSatisfactionAsk } from './survey.usecases';

/** A staff member's words that act on an order (an acknowledgement or a note only when it names one). */
function isStaffWork(words: StaffWords): boolean {
  if (words.kind === 'merge' || words.kind === 'who' || words.kind === 'extend' || words.kind === 'done') return true;
  return (words.kind === 'ack' || words.kind === 'progress') && words.no !== null;
}

/** Demands written in a group before it was bound are submitted when it is bound, if this recent. */
const UNBOUND_REPLAY_MS = 24 * 3_600_000;

/**
 * A message for the bot in a group: `绑定网格` by staff; in an unbound group, the one reply saying how to bind
 * it (the message is kept and submitted once bound); otherwise media, resident commands, then what the resident
 * means in their own words (a follow-up, a survey answer, thanks… see intent.usecases.ts), answers the bot asked
 * for, and demands. Staff commands belong in a 1:1 chat.
 */
export async function handleGroupMessage(turn: Turn, command: ChatCommand): Promise<Step> {
  const group = turn.group!;
  if (command.kind === 'bind_group') return bindGroup(turn, command.code);

  if (group.gridId === null) {
    const resident = turn.speaker.resident;
    return step(turn, 'unbound_group', botTexts.unboundGroup, {
      payload: { contactId: turn.message.contact.id, residentId: resident?.id ?? null, text: turn.message.text },
    });
  }
  if (turn.message.kind !== 'text') return handleMedia(turn);
  if (!turn.speaker.staff) command = readAsResident(command, turn.message.text);
  if (STAFF_COMMANDS.has(command.kind as never) || command.kind === 'bind') return step(turn, 'refused', botTexts.staffCommandInGroup);
  if (command.kind === 'malformed') return step(turn, 'refused', botTexts.malformed(command.command, command.problem));
  // Staff work in their own words ("@小格 1007谁报的") belongs in a 1:1 chat, as the commands do: a reply here
  // would show a resident's name and phone to the group, and it must not become a demand either.
  if (turn.speaker.staff && isStaffWork(readStaffWords(turn.message.text))) return step(turn, 'refused', botTexts.staffCommandInGroup);
  const privately = await takePrivately(turn);
  if (privately) return privately;
  // "2" answers the bot's "which order?" before it could be read as a survey answer.
  const which = await answerWhichOrder(turn);
  if (which) return which;
  const satisfaction = await answerSatisfactionAsk(turn, command);
  if (satisfaction) return satisfaction;
  const understood = await understandResident(turn, command);
  if (understood) return understood;
  if (isResidentCommand(command)) {
    const handled = await residentCommand(turn, command);
    if (handled) return handled;
    // "满意满意" with no survey waiting: the resident's own words, read as any other text.
    if (command.kind === 'survey') {
      const words = await understandResident(turn, { kind: 'text', text: turn.message.text });
      if (words) return words;
    }
  }

  const answered = await answerVague(turn, { text: turn.message.text });
  if (answered) return answered;

  const resident = await ensureResident({ db: turn.db, speaker: turn.speaker, contact: turn.message.contact, group, now: turn.now, direct: false });
  const result = await intakeDemand(turn, { residentId: resident.id, gridId: group.gridId, chatGroupId: group.id, channel: 'group', text: turn.message.text });
  const offer = !resident.isFriend && turn.message.contact.friend !== true && result.outcome !== 'error';
  return { ...result, offerFriendship: offer };
}

/**
 * "绑定网格 <code>": a bound member of staff responsible for that grid (or above it) binds the group. Demands
 * residents wrote here while it was unbound are submitted now; their receipts go out through the outbox.
 */
async function bindGroup(turn: Turn, code: string): Promise<Step> {
  const staff = turn.speaker.staff;
  if (!staff) return step(turn, 'refused', botTexts.groupBindNotStaff);
  const actor = await loadStaffActor(turn.db, staff.id);
  const [grid] = await turn.db.select().from(gridUnits).where(and(eq(gridUnits.code, code), eq(gridUnits.level, 'grid')));
  if (!grid) return step(turn, 'refused', botTexts.groupBindUnknownGrid(code));
  const allowed = actor?.roles.some((r) => r.role !== 'informant' && (r.role === 'admin' || isAncestorOrSelf(r.unitPath, grid.path)));
  if (!allowed) return step(turn, 'refused', botTexts.groupBindNotAllowed);

  const group = turn.group!;
  await setGroupGrid(turn.db, { groupId: group.id, gridId: grid.id });
  turn.group = { ...group, gridId: grid.id };

  let replayed = 0;
  const held = await unboundDemands(turn.db, { roomId: turn.message.room!.id, since: new Date(turn.now.getTime() - UNBOUND_REPLAY_MS) });
  for (const row of held) {
    const payload = row.payload as { residentId: number | null; text: string } | null;
    if (!payload?.residentId || !payload.text) continue;
    try {
      const result = await submitDemand({
        deps: turn.ctx.orderDeps,
        input: {
          sourceMessageId: row.messageId,
          channel: 'group',
          residentId: payload.residentId,
          gridId: grid.id,
          chatGroupId: group.id,
          text: payload.text,
          checkDuplicates: false,
        },
      });
      if (result.outcome !== 'possible_duplicates') {
        await finishInbound(turn.db, { id: row.id, outcome: 'order', orderId: result.order.id, now: turn.now });
        replayed++;
      }
    } catch (error) {
      turn.ctx.log.error({ err: error, inboundId: row.id }, 'a demand from before the group was bound could not be submitted');
    }
  }
  return step(turn, 'command', botTexts.groupBound(grid.name, replayed));
}
