import { orderTexts } from '../../i18n/zh-CN';
import { classifyTexts } from '../../i18n/zh-CN.classify';
import { adviceFor } from '../classification/safety-advice.models';
import { DUPLICATE_WINDOW_DAYS, findDuplicateCandidates } from '../classification/similarity.models';
import { type DemandPart, splitDemand } from '../classification/split.models';
import { recentOpenOrdersInGrid } from '../work-orders/intake/new-order.repository';
import { submitDemand } from '../work-orders/intake/submit-demand.usecases';
import { insertOutbox } from '../work-orders/work-orders.repository';
import { attachHeld } from './attachments.usecases';
import { type Step, type Turn, noticesOr, outboxMark } from './conversation.turn';
import { type DemandInput, orderInputOf } from './demand.usecases';
import { stableKey } from './identity.models';
import { rememberGrid } from './identity.repository';
import type { InboundRow } from './inbound.repository';

/**
 * A message naming several problems becomes one order per problem, each routed on its own (the street light
 * and the barking dog are not the same person's job), with one reply listing them all. Null when the message
 * is one problem: intakeDemand goes on as before. Each part has its own source id ("<message>#2"), so the
 * message submitted twice still makes each order once. A part that looks like an open order of the grid is
 * not created again: the reply names that order and how to join it ("+1 1001"), one line instead of a question
 * per part. When every part is already open, the message goes on as one demand (and is offered the duplicates).
 */
export async function intakeSeveral(turn: Turn, input: DemandInput, source: InboundRow): Promise<Step | null> {
  const { ctx } = turn;
  const categories = (await ctx.categories.all()).filter((c) => c.active);
  const parts = splitDemand({ text: input.text, categories, tokenize: ctx.tokenize, model: await ctx.classifier.model() });
  if (!parts) return null;
  const open = await openOrderOfEachPart(turn, input, parts);
  if (open.every((o) => o !== undefined)) return null;
  const known = parts.flatMap((part, i) => {
    const order = open[i];
    return order ? [{ no: order.no, category: categories.find((c) => c.code === part.categoryCode)?.name ?? '' }] : [];
  });

  const since = await outboxMark(turn);
  const orders = [];
  // Numbered by the part's place in the message, so a replay maps each part to the same source id.
  for (const [i, part] of parts.entries()) {
    if (open[i]) continue;
    const result = await submitDemand({
      deps: ctx.orderDeps,
      input: {
        ...orderInputOf({ ...input, text: part.text }, { gridId: input.gridId, sourceMessageId: source.messageId ? `${source.messageId}#${i + 1}` : null }),
        categoryCode: part.categoryCode,
        checkDuplicates: false,
        receipt: false,
      },
    });
    if (result.outcome === 'possible_duplicates') throw new Error('duplicates offered although the check was off');
    orders.push({ ...result.order, created: result.outcome === 'created', part });
  }
  const [first] = orders;
  if (!first) return null;
  if (orders.some((o) => o.created)) {
    const receipt = classifyTexts.severalOrders(
      orders.map((o) => ({
        no: o.no,
        category: o.categoryName,
        urgent: o.urgent,
        receipt:
          orderTexts.receipt({ no: o.no, category: o.categoryName, urgent: o.urgent, handler: o.handler, deadlineAt: o.deadlineAt }) +
          (o.urgent ? classifyTexts.urgentAdvice(adviceFor({ urgentTerms: o.part.urgentTerms, categoryCode: o.part.categoryCode })) : ''),
      })),
      known,
    );
    await insertOutbox(
      turn.db,
      [{ kind: 'receipt', orderId: first.id, recipientType: 'resident', residentId: input.residentId, chatGroupId: input.chatGroupId, text: receipt }],
      ctx.orderDeps.botAccount,
    );
  }
  await rememberGrid(turn.db, { residentId: input.residentId, gridId: input.gridId });
  await attachHeld({ db: turn.db, fromKey: stableKey('resident', input.residentId), orderId: first.id, residentId: input.residentId, channel: input.channel, now: turn.now });
  const replies = await noticesOr(turn, { orderIds: orders.map((o) => o.id), residentId: input.residentId, since }, null);
  return { outcome: 'order', orderId: first.id, replies, payload: { contactId: turn.message.contact.id, ...input, orderIds: orders.map((o) => o.id) } };
}

/** For each part, the open order of the grid from the duplicate window it resembles most (read before any is created). */
async function openOrderOfEachPart(turn: Turn, input: DemandInput, parts: readonly DemandPart[]): Promise<({ no: number } | undefined)[]> {
  const now = turn.ctx.clock.now();
  const recent = await recentOpenOrdersInGrid(turn.db, { gridId: input.gridId, since: new Date(now.getTime() - DUPLICATE_WINDOW_DAYS * 86_400_000) });
  if (recent.length === 0) return parts.map(() => undefined);
  const { tokenize, orderDeps } = turn.ctx;
  return parts.map(
    (part) => findDuplicateCandidates({ text: part.text, candidates: recent, now, tokenize, contentOf: orderDeps.demandContent, windowDays: DUPLICATE_WINDOW_DAYS })[0],
  );
}
