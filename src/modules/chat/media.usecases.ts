import { botTexts } from '../../i18n/zh-CN.bot';
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

  let draft;
  try {
    draft = await saveMessageMedia({ ctx: turn.ctx, message, key: turn.inbound.messageId });
  } catch (error) {
    if (error instanceof AttachmentTooLargeError) {
      return step(turn, 'attachment_too_large', botTexts.attachmentTooLarge(Math.round(error.maxBytes / 1024 / 1024)));
    }
    throw error;
  }
  if (pending) return step(turn, 'attachment_held', botTexts.attachmentHeld(label), { payload: draft });

  await attachToOrder({ db: turn.db, orderId: order!.id, residentId: resident.id, channel: turn.channel, draft, sourceMessageId: turn.inbound.messageId, now });
  // In a group, one acknowledgement per batch of photos is enough.
  const quiet = turn.channel === 'group' && (await recentlyAttached(turn.db, { orderId: order!.id, residentId: resident.id, now }));
  return step(turn, 'attachment', quiet ? null : botTexts.attachmentAdded(order!.no, label), { orderId: order!.id, payload: draft });
}
