import { type Contact, type Message, type Room, type Wechaty, types } from 'wechaty';
import type { AppContext } from '../../src/app-context';
import { isPassingDbError } from '../../src/db/errors';
import { processInbound } from '../../src/modules/chat/conversation.usecases';
import type { IncomingMessage, Reply } from '../../src/modules/chat/conversation.types';
import { markFriend, renameGroup } from '../../src/modules/chat/identity.repository';
import { dropClaims } from '../../src/modules/chat/inbound-claims.repository';
import { type StoredMessage, incomingFromRow, rowsToSweep, storeIncomingMessage } from '../../src/modules/chat/inbound.usecases';
import { settleNotice } from '../../src/modules/chat/replies.repository';
import { botTexts } from '../../src/i18n/zh-CN.bot';
import { safely } from '../bot';
import { createProbe, toIncomingMessage } from './incoming';
import { type ConversationTracker, createTracker } from './tracker';

export type ConversationHandle = {
  tracker: ConversationTracker;
  /** Queues what is stored and unprocessed, now and every few seconds; call once the chat network is ready. */
  startSweeping(): Promise<void>;
  detach(): void;
};

/**
 * Sends the replies where the message came from. Each reply is an outbox row claimed for this delivery: marked
 * sent, or handed back to the sender if the send failed, so the person still gets it. A reply to someone not on
 * record has no row: it is said once, or lost with a log line.
 */
async function deliver({ ctx, replies, room, contact }: { ctx: AppContext; replies: Reply[]; room: Room | undefined; contact: Contact }): Promise<void> {
  const via = room ? 'room' : 'direct';
  for (const reply of replies) {
    let error: unknown;
    try {
      if (room) await (reply.mention ? room.say(reply.text, contact) : room.say(reply.text));
      else await contact.say(reply.text);
    } catch (e) {
      error = e;
      ctx.log.warn({ err: e }, reply.notice ? 'an in-place reply failed; it goes through the outbox' : 'a reply to someone not on record failed');
    }
    if (reply.notice) {
      await settleNotice(ctx.db, { ...reply.notice, sent: !error, via, error: error ? String(error) : undefined, now: ctx.clock.now() });
    }
  }
}

/** How many messages wait in memory for processing, per talker and in all; past that they wait in the database. */
export type QueueBounds = { perTalker: number; total: number };
export const DEFAULT_QUEUE_BOUNDS: QueueBounds = { perTalker: 50, total: 1_000 };
/** How often rows nobody processed (a crash, a full queue, a failing database) are looked for. */
export const SWEEP_EVERY_MS = 5_000;

/** Tests shrink these; the product runs on the defaults. */
export type ConversationOptions = { bounds?: QueueBounds; sweepEveryMs?: number; sweepGraceMs?: number };
/** Storing a message is retried this long while the database is away (a restart) before it is given up. */
const STORE_RETRY_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One stored message waiting for processing; `live` when the chat network's message is still at hand. */
type Job = { inboundId: number; incoming: IncomingMessage; talker: string; trackId: string; live?: { msg: Message } };

/**
 * Attaches the conversation to a bot. Every message is stored the moment it arrives (a talker's messages in
 * the order they came); processing is serialised per talker (a photo right after a report must find the
 * report's order), different talkers run concurrently. The in-memory queue is bounded: past the bound a stored
 * message waits for the sweep, which also takes over what a crashed bot left unprocessed.
 */
export function attachConversation({
  ctx,
  bot,
  bounds = DEFAULT_QUEUE_BOUNDS,
  sweepEveryMs = SWEEP_EVERY_MS,
  sweepGraceMs,
}: ConversationOptions & { ctx: AppContext; bot: Wechaty }): ConversationHandle {
  const tracker = createTracker();
  const probe = createProbe(bot);
  const storing = new Map<string, Promise<void>>();
  const queues = new Map<string, Promise<void>>();
  const waiting = new Map<string, number>();
  const queued = new Set<number>();
  const offered = new Set<number>();
  let detached = false;

  async function store(message: IncomingMessage): Promise<StoredMessage> {
    const giveUpAt = Date.now() + STORE_RETRY_MS;
    for (let pause = 250; ; pause = Math.min(pause * 2, 5_000)) {
      try {
        return await storeIncomingMessage({ ctx, message, probe });
      } catch (error) {
        if (!isPassingDbError(error) || Date.now() > giveUpAt || detached) throw error;
        ctx.log.warn({ err: error, messageId: message.messageId }, 'storing a chat message failed; trying again');
        await sleep(pause);
      }
    }
  }

  async function process(job: Job): Promise<void> {
    const result = await processInbound({ ctx, inboundId: job.inboundId, message: job.incoming, probe, inPlace: Boolean(job.live) });
    if (!result.handled || result.duplicate || !job.live) return;
    const { msg } = job.live;
    const contact = msg.talker();
    await deliver({ ctx, replies: result.replies, room: msg.room(), contact });
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

  /** Queues a stored message for processing; false (it waits for the sweep) when the queue is full. */
  function enqueue(job: Job): boolean {
    if (queued.has(job.inboundId)) return true;
    const mine = waiting.get(job.talker) ?? 0;
    if (mine >= bounds.perTalker || queued.size >= bounds.total) return false;
    queued.add(job.inboundId);
    waiting.set(job.talker, mine + 1);
    tracker.started(job.trackId);
    const previous = queues.get(job.talker) ?? Promise.resolve();
    const next = previous
      .then(() => process(job))
      .catch((error: unknown) => ctx.log.error({ err: error, inboundId: job.inboundId }, 'chat message handler failed'))
      .finally(() => {
        queued.delete(job.inboundId);
        const left = (waiting.get(job.talker) ?? 1) - 1;
        if (left > 0) waiting.set(job.talker, left);
        else waiting.delete(job.talker);
        if (queues.get(job.talker) === next) queues.delete(job.talker);
        tracker.finished(job.trackId);
      });
    queues.set(job.talker, next);
    return true;
  }

  async function arrive(msg: Message): Promise<void> {
    // A message not for the bot (its own, a sticker, chatter) is deliberately not stored: that counts as done.
    let ok = true;
    try {
      if (msg.self()) return;
      const incoming = await toIncomingMessage({ bot, msg, botName: ctx.config.BOT_NAME });
      if (!incoming) return;
      const result = await store(incoming);
      tracker.stored(msg.id, true);
      if (result.kind !== 'stored') return;
      const job: Job = { inboundId: result.inboundId, incoming, talker: incoming.contact.id, trackId: `#${result.inboundId}`, live: { msg } };
      if (!enqueue(job)) ctx.log.warn({ inboundId: result.inboundId, talker: job.talker }, 'the chat queue is full; the stored message waits for the sweep');
    } catch (error) {
      ok = false;
      ctx.log.error({ err: error, messageId: msg.id }, 'a chat message could not be read or stored');
    } finally {
      tracker.stored(msg.id, ok);
    }
  }

  const onMessage = (msg: Message) => {
    tracker.started(msg.id);
    let key = msg.id;
    try {
      key = msg.talker().id;
    } catch {
      // No talker: stored on its own.
    }
    // Storing is serialised per talker only so their rows keep the order the messages came in.
    const next = (storing.get(key) ?? Promise.resolve()).then(() => arrive(msg)).finally(() => {
      if (storing.get(key) === next) storing.delete(key);
      tracker.finished(msg.id);
    });
    storing.set(key, next);
  };

  const network = {
    memberNames: async (roomId: string) => {
      const room = await bot.Room.find({ id: roomId });
      return room ? (await room.memberAll()).map((m) => m.name()) : [];
    },
  };
  let sweeping = false;
  async function sweep(): Promise<void> {
    if (sweeping || detached) return;
    sweeping = true;
    try {
      const room = bounds.total - queued.size;
      if (room <= 0) return;
      for (const row of await rowsToSweep({ ctx, limit: room, graceMs: sweepGraceMs })) {
        const incoming = incomingFromRow(row, network);
        if (!enqueue({ inboundId: row.id, incoming, talker: incoming.contact.id, trackId: `#${row.id}` })) continue;
      }
    } catch (error) {
      ctx.log.error({ err: error }, 'looking for unprocessed chat messages failed');
    } finally {
      sweeping = false;
    }
  }
  let sweeper: NodeJS.Timeout | undefined;
  /** Starts the sweep once the chat network is up (it looks people and rooms up): at once, then every few seconds. */
  async function startSweeping(): Promise<void> {
    // Embedded PGlite: this is the only process on the data, so every claim left is a dead one's.
    if (ctx.dbKind === 'pglite') {
      const dropped = await dropClaims(ctx.db, { botAccount: ctx.config.BOT_ACCOUNT }).catch((error: unknown) => {
        ctx.log.error({ err: error }, 'could not release old claims on chat messages');
        return 0;
      });
      if (dropped) ctx.log.warn({ dropped }, 'chat messages left half-processed by a previous run are processed again');
    }
    if (detached || sweeper) return;
    sweeper = setInterval(() => void sweep(), sweepEveryMs);
    sweeper.unref();
    await sweep();
  }

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
    startSweeping,
    detach() {
      detached = true;
      clearInterval(sweeper);
      bot.off('message', onMessage);
      bot.off('friendship', onFriendship as never);
      bot.off('room-topic', onTopic as never);
    },
  };
}
