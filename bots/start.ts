import type { Wechaty } from 'wechaty';
import type { AppContext } from '../src/app-context';
import { flushPendingDuplicates } from '../src/modules/chat/demand.usecases';
import type { BotStatus } from './bot-status';
import { type RunningOutboxSender, startOutboxSender } from './sender/start';
import type { Transport } from './sender/transport';
import { createWechaty } from './bot';
import { type ConversationOptions, attachConversation } from './conversation/handler';
import type { ConversationTracker } from './conversation/tracker';
import { type MockWorld, createMockWorld } from './testing/mock-world';

export type StartedBot = {
  bot: Wechaty;
  status: BotStatus;
  /** Waits on the chat handling (tests, the simulator). */
  tracker: ConversationTracker;
  /** The offline simulator's world, when running on wechaty-puppet-mock. */
  mock?: MockWorld;
  sender: RunningOutboxSender;
  stop(): Promise<void>;
};

let running: StartedBot | undefined;

/** The bot this process runs, if any (the console's status and simulator pages read it). */
export function currentBot(): StartedBot | undefined {
  return running;
}

/** Held demands are created after 30 minutes without an answer; the jobs sweep does it too. */
const FLUSH_EVERY_MS = 60_000;

/**
 * The bot part of the product: the Wechaty instance, the conversation on it, the outbox sender, and (on the
 * mock puppet) the simulator's world built from the database.
 */
export async function startBot({
  ctx,
  wrapTransport,
  conversation: conversationOptions,
}: {
  ctx: AppContext;
  /** The chat queue's bounds and sweep (tests); the defaults otherwise. */
  conversation?: ConversationOptions;
  /** Puts something between the sender and the chat network (tests: a network that fails some sends). */
  wrapTransport?: (transport: Transport) => Transport;
}): Promise<StartedBot> {
  const { bot, status, mocker, dispose } = createWechaty({ config: ctx.config, dataDir: ctx.config.DATA_DIR, log: ctx.log });
  const conversation = attachConversation({ ctx, bot, ...conversationOptions });
  await bot.start();
  const mock = mocker ? await createMockWorld({ ctx, bot, mocker, tracker: conversation.tracker }) : undefined;
  // What a crash (or a full queue) left unprocessed: after the world is built, so people and rooms are found.
  await conversation.startSweeping();

  const sender = startOutboxSender({ ctx, bot, status, wrapTransport });
  mock?.addIdleProbe(() => sender.idle());

  let flushing = false;
  const flusher = setInterval(() => {
    if (flushing) return;
    flushing = true;
    flushPendingDuplicates({ ctx })
      .catch((error: unknown) => ctx.log.error({ err: error }, 'flushing held demands failed'))
      .finally(() => {
        flushing = false;
      });
  }, FLUSH_EVERY_MS);
  flusher.unref();

  let stopped = false;
  running = {
    bot,
    status,
    tracker: conversation.tracker,
    mock,
    sender,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(flusher);
      await sender.stop();
      mock?.stop();
      conversation.detach();
      dispose();
      if (running?.bot === bot) running = undefined;
      // Without stop() a one-hour keep-alive interval inside Wechaty holds the process open.
      await bot.stop();
    },
  };
  return running;
}
