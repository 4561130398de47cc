import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { consoleTexts } from '../../i18n/zh-CN.console';
import { type StaffChannel, isStaffChannel, preferredChannelOf, readWecomUserId } from './staff-wecom.models';
import { staff } from './staff.table';
import { isUniqueViolation } from './staff.usecases';
import { sameWecomUser } from '../wecom/wecom.repository';

const e = consoleTexts.staff.wecom.errors;

export type WecomSetting = { wecomUserId: string | null; preferredChannel: StaffChannel };

/**
 * Sets, changes or clears (unbinds) a member's 企业微信 userid and which channel notices go to first, as an admin
 * does on the staff page. A userid held by another member is refused with their name. `preferred` absent keeps
 * the stored preference; the stored value then follows `preferredChannelOf`. Undefined when there is no such
 * member.
 */
export async function setStaffWecom({
  db,
  id,
  userIdText,
  preferred,
}: {
  db: Database;
  id: number;
  userIdText: string;
  preferred?: string;
}): Promise<{ ok: true; before: WecomSetting; after: WecomSetting; changed: boolean } | { ok: false; message: string } | undefined> {
  const read = readWecomUserId(userIdText);
  if (!read.ok) return { ok: false, message: e.userId };
  if (preferred !== undefined && !isStaffChannel(preferred)) return { ok: false, message: e.channel };
  const userId = read.userId;
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .select({ wecomUserId: staff.wecomUserId, preferredChannel: staff.preferredChannel, chatKey: staff.chatKey, chatContactId: staff.chatContactId })
        .from(staff)
        .where(eq(staff.id, id))
        .for('update');
      if (!row) return undefined;
      if (userId) {
        const [holder] = await tx.select({ name: staff.name }).from(staff).where(and(sameWecomUser(userId), ne(staff.id, id)));
        if (holder) return { ok: false as const, message: e.taken(userId, holder.name) };
      }
      const before: WecomSetting = { wecomUserId: row.wecomUserId, preferredChannel: isStaffChannel(row.preferredChannel) ? row.preferredChannel : 'wechat' };
      const after: WecomSetting = {
        wecomUserId: userId,
        preferredChannel: preferredChannelOf({
          wecomUserId: userId,
          wechatBound: Boolean(row.chatKey || row.chatContactId),
          wanted: isStaffChannel(preferred) ? preferred : before.preferredChannel,
        }),
      };
      const changed = before.wecomUserId !== after.wecomUserId || before.preferredChannel !== after.preferredChannel;
      if (changed) await tx.update(staff).set(after).where(eq(staff.id, id));
      return { ok: true as const, before, after, changed };
    });
  } catch (error) {
    // Another admin bound the same userid at the same moment.
    if (userId && isUniqueViolation(error)) return { ok: false, message: e.taken(userId, null) };
    throw error;
  }
}
