import type { Contact, Room, Wechaty } from 'wechaty';
import { withMentions } from '../../src/modules/notifications/delivery.models';

/** A person to reach: their stable chat identity (chatKey), their current contact id, and their chat name. */
export type ContactTarget = { contactId: string | null; chatKey: string | null; name: string };

/** A group: its current room id (changes at re-login on web puppets) and its topic. */
export type RoomTarget = { roomId: string | null; topic: string };

/**
 * The only thing the sender needs from the chat network. Resolves when the network accepted the message and
 * throws otherwise; tests put a transport here that fails a share of sends.
 */
export type Transport = {
  sendToContact(to: ContactTarget, text: string): Promise<void>;
  sendToRoom(room: RoomTarget, text: string, mentions: ContactTarget[]): Promise<void>;
};

export class TargetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetNotFoundError';
  }
}

/** How a target is found among the bot's contacts; the identity module may pass a better one. */
export type FindContact = (bot: Wechaty, target: ContactTarget) => Promise<Contact | undefined>;

/** The stable key at the start of a remark ("GL-R12", or "GL-R12 陈阿姨" after someone edited it). */
function remarkKey(remark: string | undefined | null): string | null {
  return remark?.trim().match(/^GL-[RS]\d+/u)?.[0] ?? null;
}

/**
 * Looks an id up without Wechaty's `find`, which reports an unknown id as a bot error: after a re-login on a web
 * puppet every stored id is unknown, and that is expected, not an error.
 */
async function contactById(bot: Wechaty, id: string): Promise<Contact | undefined> {
  try {
    await bot.puppet.contactPayload(id);
  } catch {
    return undefined;
  }
  return bot.Contact.find({ id });
}

/**
 * By current contact id (unless that contact carries another person's key in its remark), then by the stable key
 * the bot writes as the contact's remark. Never by display name for a 1:1 message: two residents may share a
 * name, and a private notice must not reach the wrong one.
 */
export const findContactByIdentity: FindContact = async (bot, target) => {
  if (target.contactId) {
    const byId = await contactById(bot, target.contactId);
    if (byId) {
      const key = target.chatKey ? remarkKey(await byId.alias()) : null;
      if (!key || key === target.chatKey) return byId;
    }
  }
  if (target.chatKey) {
    const escaped = target.chatKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const byRemark = await bot.Contact.find({ alias: new RegExp(`^\\s*${escaped}(?![0-9])`) });
    if (byRemark) return byRemark;
  }
  return undefined;
};

async function findRoom(bot: Wechaty, target: RoomTarget): Promise<Room | undefined> {
  if (target.roomId) {
    let known = true;
    try {
      await bot.puppet.roomPayload(target.roomId);
    } catch {
      known = false;
    }
    const byId = known ? await bot.Room.find({ id: target.roomId }) : undefined;
    if (byId) return byId;
  }
  // Room ids change at re-login on web puppets; the topic is what the group is bound by.
  return bot.Room.find({ topic: target.topic });
}

/**
 * Sends through Wechaty. A group message with mentions is written as "@name text" by us (wechat4u has no real
 * mention, the text is all people see) and handed to the puppet with the mention ids, for puppets that have one.
 */
export function createWechatyTransport({
  bot,
  findContact = findContactByIdentity,
}: {
  bot: Wechaty;
  findContact?: FindContact;
}): Transport {
  return {
    async sendToContact(to, text) {
      const contact = await findContact(bot, to);
      if (!contact) throw new TargetNotFoundError(`contact not found (key ${to.chatKey ?? '-'}, id ${to.contactId ?? '-'})`);
      await contact.say(text);
    },
    async sendToRoom(target, text, mentions) {
      const room = await findRoom(bot, target);
      if (!room) throw new TargetNotFoundError(`room not found (topic ${target.topic}, id ${target.roomId ?? '-'})`);
      const names: string[] = [];
      const ids: string[] = [];
      for (const m of mentions) {
        const contact = (await findContact(bot, m)) ?? (m.name ? await room.member({ name: m.name }) : undefined);
        if (contact) {
          ids.push(contact.id);
          names.push((await room.alias(contact)) || contact.name() || m.name);
        } else {
          // Still write the name: on web puppets a mention is only ever text.
          names.push(m.name);
        }
      }
      await bot.puppet.messageSendText(room.id, withMentions(text, names), ids.length ? ids : undefined);
    },
  };
}
