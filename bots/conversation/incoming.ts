import { type Readable } from 'node:stream';
import { type Message, type Wechaty, types } from 'wechaty';
import type { ChatProbe, IncomingMessage } from '../../src/modules/chat/conversation.types';
import { stripBotMention } from '../../src/modules/chat/intake.models';
import { cleanInput } from '../../src/shared/text/normalize';

const KINDS: Partial<Record<number, IncomingMessage['kind']>> = {
  [types.Message.Text]: 'text',
  [types.Message.Image]: 'image',
  [types.Message.Audio]: 'voice',
  [types.Message.Video]: 'video',
  [types.Message.Attachment]: 'file',
  [types.Message.Location]: 'location',
  [types.Message.Url]: 'link',
};

/**
 * A Wechaty message as the conversation rules see it; null for what the bot does not handle (stickers, red
 * envelopes, recalls, system notes). Media is not downloaded here: the rules open it only when they keep it.
 * Every text in it (the message, names, the group's topic, a file name, a place) is cleaned here, once, so that
 * no NUL or lone surrogate from the network reaches the database.
 */
export async function toIncomingMessage({ bot, msg, botName }: { bot: Wechaty; msg: Message; botName: string }): Promise<IncomingMessage | null> {
  const kind = KINDS[msg.type()];
  if (!kind) return null;
  const talker = msg.talker();
  const room = msg.room();
  const selfName = bot.isLoggedIn ? bot.currentUser.name() : botName;
  const rawText = kind === 'text' ? cleanInput(msg.text()) : '';

  let mentionsBot = false;
  if (room && kind === 'text') {
    try {
      mentionsBot = await msg.mentionSelf();
    } catch {
      mentionsBot = false;
    }
    // Web puppets deliver a mention as text only.
    mentionsBot ||= [botName, selfName].some((n) => n && rawText.includes(`@${n}`));
  }

  let alias: string | null = null;
  try {
    const written = await talker.alias();
    alias = written ? cleanInput(written) : null;
  } catch {
    alias = null;
  }

  const message: IncomingMessage = {
    messageId: msg.id,
    kind,
    text: kind === 'text' ? stripBotMention(rawText, [botName, selfName]) : '',
    mentionsBot,
    contact: { id: talker.id, name: cleanInput(talker.name()), alias, friend: talker.friend() ?? null },
    room: room
      ? {
          id: room.id,
          topic: cleanInput(await room.topic()),
          memberNames: async () => (await room.memberAll()).map((m) => cleanInput(m.name())),
        }
      : null,
  };

  if (kind === 'location') {
    // msg.toLocation() throws in wechaty 1.20; the puppet call does not.
    const location = await bot.puppet.messageLocation(msg.id);
    const text = (v: string | undefined) => (v ? cleanInput(v) : null);
    message.location = { lat: location.latitude, lng: location.longitude, address: text(location.address), name: text(location.name) };
  } else if (kind === 'link') {
    message.url = cleanInput((await msg.toUrlLink()).url());
  } else if (kind !== 'text') {
    message.file = {
      name: null,
      open: async () => {
        const box = await msg.toFileBox();
        const stream = (await box.toStream()) as Readable;
        return { stream, name: box.name ? cleanInput(box.name) : null, mime: box.mediaType ?? null, size: typeof box.size === 'number' && box.size >= 0 ? box.size : null };
      },
    };
  }
  return message;
}

/** What the conversation rules ask the chat network: is an old id still a contact/room, which rooms we share. */
export function createProbe(bot: Wechaty): ChatProbe {
  return {
    isLiveContact: async (id) => Boolean(await bot.Contact.find({ id }).catch(() => undefined)),
    isLiveRoom: async (id) => Boolean(await bot.Room.find({ id }).catch(() => undefined)),
    sharedRoomIds: async (contactId) => {
      const rooms = await bot.Room.findAll();
      const shared: string[] = [];
      for (const room of rooms) {
        try {
          if ((await room.memberAll()).some((m) => m.id === contactId)) shared.push(room.id);
        } catch {
          // A room we can not read the members of is not evidence either way.
        }
      }
      return shared;
    },
  };
}
