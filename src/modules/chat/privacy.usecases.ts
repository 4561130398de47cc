import { noiseTexts } from '../../i18n/zh-CN.noise';
import { insertOutbox } from '../work-orders/work-orders.repository';
import { type Step, type Turn, step } from './conversation.turn';
import { ensureResident } from './identity.usecases';
import { privateReport } from './privacy.models';

/**
 * A 举报 or a complaint naming a neighbour, written in a residents' group, is taken privately: in the group the bot
 * says only a short "请私聊我" line, without repeating the content; a resident who is the bot's friend is also
 * written to 1:1, asking them to tell it there. The bot does not file the group message as an order itself: what
 * was said in anger in front of the neighbours is not necessarily what the resident wants filed, and details they
 * would not give in the group (the flat, their name) are asked for 1:1, where the order is then taken and all its
 * notices stay 1:1. A non-friend is offered the bot's friendship so they can. The message itself stays stored
 * (its inbound row, outcome 'private', keeps the text). Null when the message is not such a report.
 */
export async function takePrivately(turn: Turn): Promise<Step | null> {
  const verdict = privateReport(turn.message.text);
  if (!verdict.private) return null;
  const group = turn.group!;
  const resident = await ensureResident({ db: turn.db, speaker: turn.speaker, contact: turn.message.contact, group, now: turn.now, direct: false });
  // The record the sender routes by: a 1:1 line to someone it holds for a non-friend would land in the group.
  const friend = resident.isFriend;
  if (friend) {
    // The 1:1 line goes through the outbox (the sender reaches a friend 1:1); keyed on the message, written once.
    await insertOutbox(
      turn.db,
      [
        {
          kind: 'reply',
          orderId: null,
          recipientType: 'resident',
          residentId: resident.id,
          chatGroupId: null,
          text: noiseTexts.privateDirect,
          dedupeKey: `private:${turn.message.messageId}`,
        },
      ],
      turn.botAccount,
    );
  }
  return step(turn, 'private', noiseTexts.privateInGroup, {
    payload: { why: verdict.why, residentId: resident.id, text: turn.message.text },
    offerFriendship: !friend && turn.message.contact.friend !== true,
  });
}
