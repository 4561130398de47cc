import { and, desc, eq, gte, inArray, ne } from 'drizzle-orm';
import { botTexts } from '../../i18n/zh-CN.bot';
import { mediaTexts } from '../../i18n/zh-CN.media';
import { staffAttachmentTarget } from '../work-orders/rules/attachments.models';
import { orderEvents, workOrders } from '../work-orders/work-orders.table';
import { AttachmentTooLargeError } from './attachments.storage';
import { attachToOrder, recentlyAttached, saveMessageMedia } from './attachments.usecases';
import { latestOrderSince } from './chat.repository';
import { type Step, type Turn, speakerKey, step } from './conversation.turn';
import { answerVague } from './demand.usecases';
import { PENDING_DEMAND_OUTCOMES, latestPending } from './inbound.repository';
import { ATTACHMENT_WINDOW_MS, type AttachmentKind, PENDING_DEMAND_MS } from './intake.models';

/**
 * A photo, voice message, video, file, location or link from a resident. Right after their demand (10 minutes)
 * it is added to that order; while their demand waits for an answer it is kept and added once the order exists;
 * a location answers "where is it?". Otherwise it is acknowledged and kept on record only as a message.
 */
export async function handleMedia(turn: Turn): Promise<Step> {
  const { message, now } = turn;
  const kind = message.kind as AttachmentKind;
  const label = botTexts.attachmentLabels[kind];
  if (turn.speaker.staff && turn.channel === 'direct') {
    const handled = await staffMedia(turn, turn.speaker.staff.id);
    // A member of staff who is also a resident and has no order at hand may be adding to their own report.
    if (handled.outcome !== 'attachment_unlinked' || !turn.speaker.resident) return handled;
  }
  const resident = turn.speaker.resident;
  if (!resident) return step(turn, 'attachment_unlinked', botTexts.attachmentUnlinked);

  if (kind === 'location') {
    const answered = await answerVague(turn, { text: '', location: message.location });
    if (answered) return answered;
  }

  const fromKey = speakerKey(turn);
  const pending = await latestPending(turn.db, {
    fromKey,
    outcomes: PENDING_DEMAND_OUTCOMES,
    since: new Date(now.getTime() - PENDING_DEMAND_MS),
  });
  const order = pending ? undefined : await latestOrderSince(turn.db, { residentId: resident.id, since: new Date(now.getTime() - ATTACHMENT_WINDOW_MS) });
  if (!pending && !order) return step(turn, 'attachment_unlinked', botTexts.attachmentUnlinked);

  const saved = await saveOrRefuse(turn);
  if (saved.refused) return saved.refused;
  const draft = saved.draft;
  if (pending) return step(turn, 'attachment_held', botTexts.attachmentHeld(label), { payload: draft });

  await attachToOrder({ db: turn.db, orderId: order!.id, residentId: resident.id, channel: turn.channel, draft, sourceMessageId: turn.inbound.messageId, now });
  // In a group, one acknowledgement per batch of photos is enough.
  const quiet = turn.channel === 'group' && (await recentlyAttached(turn.db, { orderId: order!.id, residentId: resident.id, now }));
  return step(turn, 'attachment', quiet ? null : botTexts.attachmentAdded(order!.no, label), { orderId: order!.id, payload: draft });
}

/** Saves the message's file, or the reply saying it was too large. */
async function saveOrRefuse(turn: Turn) {
  try {
    return { draft: await saveMessageMedia({ ctx: turn.ctx, message: turn.message, key: turn.inbound.messageId }) };
  } catch (error) {
    if (error instanceof AttachmentTooLargeError) {
      return { refused: step(turn, 'attachment_too_large', botTexts.attachmentTooLarge(Math.round(error.maxBytes / 1024 / 1024))) };
    }
    throw error;
  }
}

/**
 * A photo, voice note or location a member of staff sends 1:1 documents the order they are working on: the
 * order of their latest action within the attachment window (after their 办结: an 'after' photo; otherwise
 * 'progress'), else their only open order. See staffAttachmentTarget.
 */
async function staffMedia(turn: Turn, staffId: number): Promise<Step> {
  const { message, now } = turn;
  const kind = message.kind as AttachmentKind;
  const label = botTexts.attachmentLabels[kind];
  const [recent] = await turn.db
    .select({ orderId: orderEvents.orderId, type: orderEvents.type, toStatus: orderEvents.toStatus, orderStatus: workOrders.status, assigneeId: workOrders.assigneeId, no: workOrders.no })
    .from(orderEvents)
    .innerJoin(workOrders, eq(workOrders.id, orderEvents.orderId))
    .where(and(eq(orderEvents.actorStaffId, staffId), ne(orderEvents.type, 'attachment'), gte(orderEvents.at, new Date(now.getTime() - ATTACHMENT_WINDOW_MS))))
    .orderBy(desc(orderEvents.at), desc(orderEvents.id))
    .limit(1);
  const open = await turn.db
    .select({ id: workOrders.id, no: workOrders.no })
    .from(workOrders)
    .where(and(eq(workOrders.assigneeId, staffId), inArray(workOrders.status, ['assigned', 'accepted'])))
    .limit(2);
  const target = staffAttachmentTarget({
    recent: recent ? { ...recent, stillTheirs: recent.assigneeId === staffId } : null,
    openOrderIds: open.map((o) => o.id),
  });
  if (!target) return step(turn, 'attachment_unlinked', mediaTexts.staff.unlinked(ATTACHMENT_WINDOW_MS / 60_000));
  const no = recent?.orderId === target.orderId ? recent.no : open.find((o) => o.id === target.orderId)!.no;

  const saved = await saveOrRefuse(turn);
  if (saved.refused) return saved.refused;
  await attachToOrder({ db: turn.db, orderId: target.orderId, staffId, stage: target.stage, channel: turn.channel, draft: saved.draft, sourceMessageId: turn.inbound.messageId, now });
  return step(turn, 'attachment', mediaTexts.staff.added(no, label, target.stage), { orderId: target.orderId, payload: saved.draft });
}
