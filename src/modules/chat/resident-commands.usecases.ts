import { eq } from 'drizzle-orm';
import { errorReplies } from '../../i18n/zh-CN';
import { COMMAND_USAGE, botTexts } from '../../i18n/zh-CN.bot';
import { residents } from '../people/residents.table';
import { OPEN_STATUSES, type OrderStatus } from '../work-orders/work-orders.models';
import { cancelOrder } from '../work-orders/handling/order-actions.usecases';
import { recordSurveyAnswer } from './survey.usecases';
import { supportOrder } from '../work-orders/intake/submit-demand.usecases';
import { loadOrder } from '../work-orders/work-orders.repository';
import { summarize } from '../work-orders/handling/apply-command.usecases';
import { type ChatOrder, followedOrders, followsOrder, latestNote, latestOpenInGroup, orderByNo, residentOrders } from './chat.repository';
import type { ChatCommand } from './commands.models';
import { type Step, type Turn, noticesOr, outboxMark, refusal, step } from './conversation.turn';
import { choosePending } from './demand.usecases';
import { ensureResident } from './identity.usecases';
import { chooseOrder } from './intake.models';
import { EVENT_LABELS } from '../../i18n/zh-CN';
import { noiseTexts } from '../../i18n/zh-CN.noise';
import { insertOutbox } from '../work-orders/work-orders.repository';
import { isPrivateReport } from './privacy.models';

type ResidentCommand = Extract<
  ChatCommand,
  { kind: 'query' | 'my_orders' | 'cancel' | 'points' | 'survey' | 'support' | 'new_order' | 'help' | 'chitchat' }
>;

export function isResidentCommand(command: ChatCommand): command is ResidentCommand {
  return ['query', 'my_orders', 'cancel', 'points', 'survey', 'support', 'new_order', 'help', 'chitchat'].includes(command.kind);
}

/** The order a resident means: the number given, or their only order in `statuses`. */
async function pick(turn: Turn, residentId: number, given: number | null, statuses: readonly OrderStatus[]) {
  const candidates = await residentOrders(turn.db, { residentId, statuses });
  return chooseOrder<ChatOrder>({ given, candidates });
}

/** A resident's order as the status reply shows it (the handler, the deadline, the latest note). */
export async function orderStatusText(turn: Turn, no: number): Promise<string | null> {
  const loaded = await loadOrder(turn.db, { no });
  if (!loaded) return null;
  const summary = await summarize(turn.ctx.orderDeps, loaded);
  const note = await latestNote(turn.db, loaded.row.id);
  return botTexts.orderStatus({
    no: summary.no,
    status: summary.status,
    categoryName: summary.categoryName,
    deadlineAt: summary.deadlineAt,
    text: summary.text,
    handler: summary.handler,
    latest: note ? `${EVENT_LABELS[note.type] ?? note.type} ${note.note}` : null,
  });
}

/**
 * The resident's commands: 查询, 我的工单, 撤回, 积分, a survey answer, "+1"/"新建" after a duplicates offer,
 * 帮助. Returns null when the message is not one of them after all (a "满意…" with more text and no survey
 * waiting is a demand).
 */
export async function residentCommand(turn: Turn, command: ResidentCommand): Promise<Step | null> {
  const result = await residentCommandStep(turn, command);
  // A provisional resident sees only what they reported themselves: an answer without an order of theirs says
  // why their history is not there.
  if (!result || !turn.speaker.unconfirmed || !ASKS_HISTORY.has(command.kind) || result.orderId) return result;
  return { ...result, replies: result.replies.map((r) => ({ ...r, text: `${r.text}\n${botTexts.unconfirmedNote}` })) };
}

/** How recent a neighbour's report in the group must be for a bare "+1" to join it (the time held demands wait). */
const GROUP_SUPPORT_WINDOW_MS = 30 * 60_000;

async function joinLatestInGroup(turn: Turn, residentId: number): Promise<Step | null> {
  const group = turn.group;
  if (turn.channel !== 'group' || !group?.gridId) return null;
  const since = new Date(turn.now.getTime() - GROUP_SUPPORT_WINDOW_MS);
  const order = await latestOpenInGroup(turn.db, { gridId: group.gridId, chatGroupId: group.id, notResidentId: residentId, since });
  if (!order) return null;
  // Someone who reported since then is answering about their own report, not the neighbour's.
  const [own] = await residentOrders(turn.db, { residentId, limit: 1 });
  if (own && own.createdAt >= order.createdAt) return null;
  const mark = await outboxMark(turn);
  const supported = await supportOrder({ deps: turn.ctx.orderDeps, no: order.no, residentId, chatGroupId: group.id, channel: turn.channel });
  const replies = await noticesOr(turn, { orderIds: [supported.order.id], residentId, since: mark }, botTexts.supported(order.no));
  return { outcome: 'command', orderId: supported.order.id, replies };
}

/**
 * The answer to a resident's question about their orders. In a group, an answer that would show a private order
 * (a 举报, a complaint naming a neighbour) goes 1:1 only: to a friend through the outbox, with a short line in the
 * group; a non-friend is asked to write 1:1 and offered the bot's friendship. Elsewhere it is the reply itself.
 */
async function answerAbout(
  turn: Turn,
  resident: { id: number; isFriend: boolean },
  shown: readonly Pick<ChatOrder, 'text'>[],
  text: string | null,
  orderId?: number,
): Promise<Step> {
  if (!turn.group || text === null || !shown.some((o) => isPrivateReport(o.text))) return step(turn, 'command', text, orderId ? { orderId } : undefined);
  if (resident.isFriend) {
    await insertOutbox(
      turn.db,
      [{ kind: 'reply', orderId: orderId ?? null, recipientType: 'resident', residentId: resident.id, chatGroupId: null, text, dedupeKey: `private-answer:${turn.message.messageId}` }],
      turn.botAccount,
    );
  }
  return step(turn, 'command', noiseTexts.privateAnswerInGroup(resident.isFriend), {
    ...(orderId ? { orderId } : {}),
    offerFriendship: !resident.isFriend && turn.message.contact.friend !== true,
  });
}

/** Commands whose answer depends on the resident's history. */
const ASKS_HISTORY = new Set<ChatCommand['kind']>(['query', 'my_orders', 'cancel', 'survey', 'points']);

async function residentCommandStep(turn: Turn, command: ResidentCommand): Promise<Step | null> {
  const resident = await ensureResident({ db: turn.db, speaker: turn.speaker, contact: turn.message.contact, group: turn.group, now: turn.now, direct: turn.channel === 'direct' });
  const actor = { kind: 'resident' as const, residentId: resident.id };
  try {
    switch (command.kind) {
      case 'help':
        return step(turn, 'reply', botTexts.residentHelp);
      case 'chitchat':
        return step(turn, 'reply', botTexts.chitchat[command.what]);
      case 'points': {
        const [row] = await turn.db.select({ points: residents.points }).from(residents).where(eq(residents.id, resident.id));
        return step(turn, 'command', botTexts.points(row?.points ?? 0));
      }
      case 'my_orders': {
        const orders = await residentOrders(turn.db, { residentId: resident.id, limit: 5 });
        return answerAbout(turn, resident, orders, botTexts.myOrders(orders));
      }
      case 'query': {
        if (command.no === null) {
          const statuses = [...OPEN_STATUSES, 'resolved'] as const;
          const own = await residentOrders(turn.db, { residentId: resident.id, statuses });
          // Without orders of their own, the orders they "+1"d are the ones they wait for.
          const open = own.length > 0 ? own : await followedOrders(turn.db, { residentId: resident.id, statuses });
          if (open.length === 0) return step(turn, 'command', botTexts.noOrderFor.query);
          if (open.length > 1) return answerAbout(turn, resident, open.slice(0, 5), botTexts.myOrders(open.slice(0, 5)));
          return answerAbout(turn, resident, open.slice(0, 1), await orderStatusText(turn, open[0]!.no), open[0]!.id);
        }
        // Residents see their own orders and the ones they follow ("+1") only; any other number reads as not found.
        const own = await orderByNo(turn.db, command.no);
        const mayView = own && (own.residentId === resident.id || (await followsOrder(turn.db, { residentId: resident.id, orderId: own.id })));
        if (!own || !mayView) return step(turn, 'refused', errorReplies.NOT_FOUND);
        return answerAbout(turn, resident, [own], await orderStatusText(turn, own.no), own.id);
      }
      case 'cancel': {
        const choice = await pick(turn, resident.id, command.no, OPEN_STATUSES);
        if (choice.kind === 'none') return step(turn, 'command', botTexts.noOrderFor.cancel);
        if (choice.kind === 'ambiguous') return step(turn, 'command', botTexts.whichOrder(choice.orders.map((o) => o.no), COMMAND_USAGE.cancel));
        const no = choice.kind === 'found' ? choice.order.no : choice.no;
        const since = await outboxMark(turn);
        const outcome = await cancelOrder({ deps: turn.ctx.orderDeps, ref: { no }, actor, channel: turn.channel, reason: command.reason ?? undefined });
        const replies = await noticesOr(turn, { orderIds: [outcome.order.id], residentId: resident.id, since }, botTexts.cancelled(no));
        return { outcome: 'command', orderId: outcome.order.id, replies };
      }
      case 'survey': {
        const choice = await pick(turn, resident.id, command.no, ['resolved']);
        if (choice.kind === 'none') return command.comment ? null : step(turn, 'command', botTexts.noOrderFor.survey);
        if (choice.kind === 'ambiguous') {
          return step(turn, 'command', botTexts.whichOrder(choice.orders.map((o) => o.no), '满意 1024'));
        }
        // Only an order awaiting this resident's answer can be rated: any other number reads as not found.
        if (choice.kind === 'given') return step(turn, 'refused', errorReplies.NOT_FOUND);
        return recordSurveyAnswer(turn, {
          residentId: resident.id,
          no: choice.order.no,
          reply: { answer: command.answer, solved: command.solved, comment: command.comment },
          fallback: botTexts.surveyDone(choice.order.no),
        });
      }
      case 'support':
      case 'new_order': {
        const chosen = await choosePending(turn, command);
        if (chosen) return chosen;
        if (command.kind === 'support' && command.no !== null) {
          const since = await outboxMark(turn);
          const supported = await supportOrder({
            deps: turn.ctx.orderDeps,
            no: command.no,
            residentId: resident.id,
            chatGroupId: turn.group?.id ?? null,
            channel: turn.channel,
          });
          const replies = await noticesOr(turn, { orderIds: [supported.order.id], residentId: resident.id, since }, botTexts.supported(command.no));
          return { outcome: 'command', orderId: supported.order.id, replies };
        }
        // "@小格 +1" right after a neighbour's report in the group: they have the same problem, so they follow it.
        const joined = command.kind === 'support' && (await joinLatestInGroup(turn, resident.id));
        if (joined) return joined;
        return step(turn, 'command', botTexts.noPendingChoice);
      }
    }
  } catch (error) {
    const refused = refusal(turn, error);
    if (refused) return refused;
    throw error;
  }
}
