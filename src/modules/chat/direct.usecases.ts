import { and, eq, inArray } from 'drizzle-orm';
import { botTexts } from '../../i18n/zh-CN.bot';
import { ROLE_LABELS } from '../../i18n/zh-CN';
import { gridUnits } from '../grids/grids.table';
import { gridBoundaries } from '../grids/grids.usecases';
import { CHAT_LOCATION_DATUM, gridForPoint, storedPoint } from '../grids/places.models';
import { staffRoles } from '../people/staff.table';
import { chatGroups } from './chat.table';
import { type ChatCommand, STAFF_COMMANDS, readAsResident } from './commands.models';
import { type Step, type Turn, speakerKey, step } from './conversation.turn';
import { answerVague, intakeDemand } from './demand.usecases';
import { ensureResident } from './identity.usecases';
import { redeemBindCode } from './identity.repository';
import { stableKey } from './identity.models';
import { type PendingDemandPayload, claimPending, countOutcomes, finishInbound, latestPending, setOutcome } from './inbound.repository';
import { type GridOption, MAX_BIND_ATTEMPTS_PER_HOUR, PENDING_DEMAND_MS, gridForDirectDemand, matchGridAnswer } from './intake.models';
import { handleMedia } from './media.usecases';
import { isResidentCommand, residentCommand } from './resident-commands.usecases';
import { answerWhichOrder, understandResident } from './intent.usecases';
import { answerSatisfactionAsk } from './survey.usecases';
import { staffDirectMessage } from './staff-commands.usecases';

/**
 * A 1:1 message: everything in it is for the bot. Bound staff give order commands; residents (and everyone
 * not bound as staff) report, query, cancel, answer surveys and the bot's questions.
 */
export async function handleDirectMessage(turn: Turn, command: ChatCommand): Promise<Step> {
  if (command.kind === 'bind') return bindStaff(turn, command.code);
  if (turn.message.kind === 'location' && !turn.speaker.staff) {
    const placed = await answerGridByLocation(turn);
    if (placed) return placed;
  }
  if (turn.message.kind !== 'text') return handleMedia(turn);
  // 回访 is the staff's word; a resident who writes it is answering their own 回访 (staff who lost their binding
  // are asked to bind again below).
  if (!turn.speaker.staff && !turn.speaker.staffNamesake) command = readAsResident(command, turn.message.text);
  if (command.kind === 'malformed') return step(turn, 'refused', botTexts.malformed(command.command, command.problem));

  if (turn.speaker.staff) return staffDirectMessage(turn, command);

  if (STAFF_COMMANDS.has(command.kind as never)) {
    const namesake = turn.speaker.staffNamesake;
    return step(turn, 'refused', namesake ? botTexts.staffRebindNeeded(namesake.name) : botTexts.staffOnly);
  }
  // "2" answers "which grid?" before it could be read as a survey answer.
  const gridAnswer = await answerGridQuestion(turn, command);
  if (gridAnswer) return gridAnswer;
  const which = await answerWhichOrder(turn);
  if (which) return which;
  const satisfaction = await answerSatisfactionAsk(turn, command);
  if (satisfaction) return satisfaction;
  // Follow-ups, survey answers in words, added detail, withdrawals, thanks and chatter never become orders.
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
  const vagueAnswer = await answerVague(turn, { text: turn.message.text });
  if (vagueAnswer) return vagueAnswer;
  return directDemand(turn);
}

/** The grids of the bound groups this contact shares with the bot. */
async function sharedGrids(turn: Turn): Promise<GridOption[]> {
  const roomIds = await turn.probe.sharedRoomIds(turn.message.contact.id);
  if (roomIds.length === 0) return [];
  return turn.db
    .select({ id: gridUnits.id, name: gridUnits.name, code: gridUnits.code })
    .from(chatGroups)
    .innerJoin(gridUnits, eq(gridUnits.id, chatGroups.gridId))
    .where(and(eq(chatGroups.botAccount, turn.botAccount), inArray(chatGroups.roomId, roomIds)));
}

async function groupOfGrid(turn: Turn, gridId: number): Promise<number | null> {
  const [row] = await turn.db
    .select({ id: chatGroups.id })
    .from(chatGroups)
    .where(and(eq(chatGroups.botAccount, turn.botAccount), eq(chatGroups.gridId, gridId)))
    .limit(1);
  return row?.id ?? null;
}

/** A demand written 1:1: its grid comes from the groups the resident shares with the bot, or the bot asks. */
async function directDemand(turn: Turn): Promise<Step> {
  const resident = await ensureResident({ db: turn.db, speaker: turn.speaker, contact: turn.message.contact, group: null, now: turn.now, direct: true });
  const choice = gridForDirectDemand({ sharedGrids: await sharedGrids(turn), knownGridId: resident.gridId });
  if (choice.kind === 'ask') {
    const payload: PendingDemandPayload = {
      contactId: turn.message.contact.id,
      residentId: resident.id,
      gridId: null,
      chatGroupId: null,
      channel: 'direct',
      text: turn.message.text,
      gridOptions: choice.options,
    };
    return step(turn, 'pending_grid', botTexts.askGrid(choice.options), { payload });
  }
  return intakeDemand(turn, {
    residentId: resident.id,
    gridId: choice.gridId,
    chatGroupId: await groupOfGrid(turn, choice.gridId),
    channel: 'direct',
    text: turn.message.text,
  });
}

/**
 * The answer to "which grid?": with it the held demand goes on. An unrecognised answer is asked again, unless
 * it is a command of its own.
 */
async function answerGridQuestion(turn: Turn, command: ChatCommand): Promise<Step | null> {
  const pending = await pendingGridQuestion(turn);
  if (!pending) return null;
  const held = pending.payload as PendingDemandPayload;
  let options = held.gridOptions ?? [];
  if (options.length === 0) {
    options = await turn.db.select({ id: gridUnits.id, name: gridUnits.name, code: gridUnits.code }).from(gridUnits).where(eq(gridUnits.level, 'grid'));
  }
  const grid = matchGridAnswer({ text: turn.message.text, options });
  if (!grid) return command.kind === 'text' ? step(turn, 'answer', botTexts.gridNotRecognised) : null;
  return resumeWithGrid(turn, pending, grid.id);
}

/** The demand held for "which grid?" this speaker still has open, if any. */
function pendingGridQuestion(turn: Turn) {
  return latestPending(turn.db, {
    fromKey: speakerKey(turn),
    outcomes: ['pending_grid'],
    since: new Date(turn.now.getTime() - PENDING_DEMAND_MS),
    roomId: null,
  });
}

/**
 * A WeChat location sent while "which grid?" waits answers it when the point lies inside a grid's boundary
 * (WeChat gives GCJ-02; see gridForPoint). Outside every boundary it is an ordinary location (null).
 */
async function answerGridByLocation(turn: Turn): Promise<Step | null> {
  const location = turn.message.location;
  if (!location) return null;
  const pending = await pendingGridQuestion(turn);
  if (!pending) return null;
  const point = storedPoint({ ...location, datum: CHAT_LOCATION_DATUM });
  if (!point) return null;
  const grid = gridForPoint({ ...point, datum: 'wgs84', grids: await gridBoundaries(turn.db) });
  if (!grid) return null;
  // The order keeps the point (in WGS-84, as every stored point) and its address as WeChat sent it.
  return resumeWithGrid(turn, pending, grid.id, { ...point, locationText: location.address ?? location.name ?? null });
}

/** The held demand goes on in the grid now known. */
async function resumeWithGrid(
  turn: Turn,
  pending: NonNullable<Awaited<ReturnType<typeof pendingGridQuestion>>>,
  gridId: number,
  place: { lat: number; lng: number; locationText: string | null } | null = null,
): Promise<Step | null> {
  const held = pending.payload as PendingDemandPayload;
  const claimed = await claimPending(turn.db, { id: pending.id, from: ['pending_grid'] });
  if (!claimed) return null;
  try {
    const result = await intakeDemand(
      turn,
      { residentId: held.residentId, gridId, chatGroupId: await groupOfGrid(turn, gridId), channel: 'direct', text: held.text, ...place },
      { source: claimed },
    );
    await finishInbound(turn.db, { id: claimed.id, outcome: result.outcome, orderId: result.orderId ?? null, payload: result.payload ?? held, now: turn.now });
    return { ...result, outcome: 'answer' };
  } catch (error) {
    await setOutcome(turn.db, { id: claimed.id, outcome: 'pending_grid', from: ['resolving'] });
    throw error;
  }
}

/** "绑定 <code>": ties this contact to the member of staff the console gave the one-time code to. */
async function bindStaff(turn: Turn, code: string): Promise<Step> {
  const fromKey = speakerKey(turn);
  const since = new Date(turn.now.getTime() - 3_600_000);
  if ((await countOutcomes(turn.db, { fromKey, outcome: 'bind_failed', since })) >= MAX_BIND_ATTEMPTS_PER_HOUR) {
    return step(turn, 'bind_failed', botTexts.bindTooMany);
  }
  const bound = await redeemBindCode(turn.db, { code, contactId: turn.message.contact.id, now: turn.now });
  if (!bound) return step(turn, 'bind_failed', botTexts.bindFailed);
  turn.speaker.staff = bound;
  const roles = await turn.db
    .select({ role: staffRoles.role, unit: gridUnits.name })
    .from(staffRoles)
    .innerJoin(gridUnits, eq(gridUnits.id, staffRoles.unitId))
    .where(eq(staffRoles.staffId, bound.id));
  const label = roles.map((r) => `${r.unit}${ROLE_LABELS[r.role]}`).join('、') || '工作人员';
  return step(turn, 'bind', botTexts.bound(bound.name, label), { payload: { staffId: bound.id, alias: stableKey('staff', bound.id) } });
}
