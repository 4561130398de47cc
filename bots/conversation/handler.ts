import { type Contact, type Message, type Room, type Wechaty, types } from 'wechaty';
import type { AppContext } from '../../src/app-context';
import { handleIncomingMessage } from '../../src/modules/chat/conversation.usecases';
import type { ConversationResult, Reply } from '../../src/modules/chat/conversation.types';
import { markFriend, renameGroup } from '../../src/modules/chat/identity.repository';
import { settleNotice } from '../../src/modules/chat/replies.repository';
import { insertOutbox } from '../../src/modules/work-orders/work-orders.repository';
import { botTexts } from '../../src/i18n/zh-CN.bot';
import { safely } from '../bot';
import { createProbe, toIncomingMessage } from './incoming';
import { type ConversationTracker, createTracker } from './tracker';

export type ConversationHandle = { tracker: ConversationTracker; detach(): void };

/**
 * Sends the replies where the message came from. A claimed outbox notice is marked sent, or handed back to the
 * sender if the send failed; a plain reply that fails goes to the outbox, so the person still gets it.
 */
async function deliver({
  ctx,
  replies,
  result,
  room,
  contact,
}: {
  ctx: AppContext;
  replies: Reply[];
  result: ConversationResult;
  room: Room | undefined;
  contact: Contact;
}): Promise<void> {
  const via = room ? 'room' : 'direct';
  for (const reply of replies) {
    let error: unknown;
    try {
      if (room) await (reply.mention ? room.say(reply.text, contact) : room.say(reply.text));
      else await contact.say(reply.text);
    } catch (e) {
      error = e;
      ctx.log.warn({ err: e }, 'an in-place reply failed; it goes through the outbox');
    }
    const now = ctx.clock.now();
    if (reply.notice) {
      await settleNotice(ctx.db, { ...reply.notice, sent: !error, via, error: error ? String(error) : undefined, now });
    } else if (error && result.speaker && (result.speaker.residentId || result.speaker.staffId)) {
      const toResident = result.speaker.residentId !== null && !(room === undefined && result.speaker.staffId);
      await insertOutbox(
        ctx.db,
        [
          {
            kind: 'reply',
            orderId: null,
            recipientType: toResident ? 'resident' : 'staff',
            residentId: toResident ? result.speaker.residentId : null,
            staffId: toResident ? null : result.speaker.staffId,
            chatGroupId: result.chatGroupId ?? null,
            text: reply.text,
          },
        ],
        ctx.config.BOT_ACCOUNT,
      );
    }
  }
}

/**
 * Attaches the conversation to a bot: every message goes through the conversation rules (src/modules/chat) and
 * the replies are sent back. Messages from one person are handled in order (a photo right after a report must
 * find the report's order); different people are handled concurrently.
 */
export function attachConversation({ ctx, bot }: { ctx: AppContext; bot: Wechaty }): ConversationHandle {
  const tracker = createTracker();
  const probe = createProbe(bot);
  const queues = new Map<string, Promise<void>>();
  const offered = new Set<number>();

  async function handle(msg: Message): Promise<void> {
    if (msg.self()) return;
    const message = await toIncomingMessage({ bot, msg, botName: ctx.config.BOT_NAME });
    if (!message) return;
    const result = await handleIncomingMessage({ ctx, message, probe });
    if (!result.handled || result.duplicate) return;
    const contact = msg.talker();
    await deliver({ ctx, replies: result.replies, result, room: msg.room(), contact });
    if (result.setAlias) {
      // A remark is the one identity WeChat keeps across logins; not every puppet (or contact) allows setting one.
      await contact.alias(result.setAlias).catch((e: unknown) => ctx.log.debug({ err: e }, 'could not set a remark'));
    }
    const residentId = result.speaker?.residentId;
    if (result.offerFriendship && residentId && !offered.has(residentId)) {
      offered.add(residentId);
      await bot.Friendship.add(contact, { hello: botTexts.friendshipHello }).catch((e: unknown) =>
        ctx.log.debug({ err: e }, 'this puppet can not offer friendship'),
      );
    }
  }

  const onMessage = (msg: Message) => {
    tracker.started(msg.id);
    let key = msg.id;
    try {
      key = msg.talker().id;
    } catch {
      // No talker: handled on its own.
    }
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => handle(msg))
      .catch((error: unknown) => ctx.log.error({ err: error, messageId: msg.id }, 'chat message handler failed'))
      .finally(() => {
        tracker.finished(msg.id);
        if (queues.get(key) === next) queues.delete(key);
      });
    queues.set(key, next);
  };

  const onFriendship = safely(ctx.log, 'friendship', async (friendship: { type(): number; contact(): Contact; accept(): Promise<void> }) => {
    if (friendship.type() === types.Friendship.Receive) await friendship.accept();
    if (friendship.type() === types.Friendship.Confirm || friendship.type() === types.Friendship.Receive) {
      await markFriend(ctx.db, { contactId: friendship.contact().id });
    }
  });
  const onTopic = safely(ctx.log, 'room-topic', async (room: Room, topic: string) => {
    await renameGroup(ctx.db, { botAccount: ctx.config.BOT_ACCOUNT, roomId: room.id, topic });
  });

  bot.on('message', onMessage);
  bot.on('friendship', onFriendship as never);
  bot.on('room-topic', onTopic as never);
  return {
    tracker,
    detach() {
      bot.off('message', onMessage);
      bot.off('friendship', onFriendship as never);
      bot.off('room-topic', onTopic as never);
    },
  };
}
