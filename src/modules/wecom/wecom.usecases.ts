/**
 * What the WeCom app does with a member's message once it is stored: the same staff path as a WeChat 1:1 (the
 * text commands and own words of staff-commands / staff-words), and the new-order card's buttons as the
 * commands they stand for (接单 = accept, 查看 = query; 退回 asks for the reason in words). Replies go to the
 * outbox for the WeCom app; a clicked card is updated to show what came of it.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../app-context';
import type { Database } from '../../db/client';
import { isPassingDbError } from '../../db/errors';
import { STATUS_LABELS } from '../../i18n/zh-CN';
import { botTexts } from '../../i18n/zh-CN.bot';
import { wecomTexts } from '../../i18n/zh-CN.wecom';
import { type ChatCommand, parseCommand } from '../chat/commands.models';
import { type Step, type Turn, step } from '../chat/conversation.turn';
import type { ChatProbe, IncomingMessage } from '../chat/conversation.types';
import { stableKey } from '../chat/identity.models';
import { claimInbound, releaseInbound, storeInbound, unprocessedInbound } from '../chat/inbound-claims.repository';
import { type InboundRow, finishInbound } from '../chat/inbound.repository';
import { staffCommand, staffDirectMessage } from '../chat/staff-commands.usecases';
import { outbox } from '../notifications/outbox.table';
import { staff } from '../people/staff.table';
import type { WecomApi } from './wecom.api';
import type { WecomInbound } from './wecom.callback.models';
import { readButton, readTaskId } from './wecom.cards.models';
import type { Channel } from '../work-orders/work-orders.deps';
import { bindWecomUser, cardFactsOf, staffByWecomUser } from './wecom.repository';

/** The inbound rows of the WeCom app are filed under this account, apart from the WeChat bots' rows. */
export const WECOM_ACCOUNT = 'wecom';
const LEASE_MS = 60_000;
const MAX_ATTEMPTS = 5;

/** What a stored WeCom message keeps, so it can be processed after a restart. */
type WecomPayload = { userId: string; kind: WecomInbound['kind']; taskId?: string; responseCode?: string; eventKey?: string; what?: string };

/**
 * Stores a member's message the moment the callback is verified (before it is answered), keyed so a callback WeCom
 * repeats (it retries three times when not answered in 5 s) is stored once: a text by its MsgId, a click by its
 * response code (one per click). Null for events that need nothing (entering the app, …).
 */
export async function storeWecomInbound({ ctx, message }: { ctx: AppContext; message: WecomInbound }): Promise<{ inboundId: number; fresh: boolean; processed: boolean } | null> {
  if (message.kind === 'other' && message.what.startsWith('event')) return null;
  const key =
    message.kind === 'text' ? `msg:${message.msgId}` : message.kind === 'card_click' ? `card:${message.responseCode}` : `other:${message.userId}:${message.createTime}:${message.what}`;
  const payload: WecomPayload =
    message.kind === 'card_click'
      ? { userId: message.userId, kind: message.kind, taskId: message.taskId, responseCode: message.responseCode, eventKey: message.eventKey }
      : { userId: message.userId, kind: message.kind, what: message.kind === 'other' ? message.what : undefined };
  const { row, fresh } = await storeInbound(ctx.db, {
    messageId: `${WECOM_ACCOUNT}:${key}`.slice(0, 400),
    botAccount: WECOM_ACCOUNT,
    channel: 'wecom',
    fromKey: `W:${message.userId}`,
    fromName: message.userId,
    roomId: null,
    roomTopic: null,
    type: message.kind === 'text' ? 'text' : message.kind === 'card_click' ? 'card' : 'other',
    text: message.kind === 'text' ? message.content : message.kind === 'card_click' ? message.eventKey : null,
    payload,
    receivedAt: ctx.clock.now(),
  });
  return { inboundId: row.id, fresh, processed: row.outcome !== null };
}

/** What the app's turns are recorded as: an order event a member makes here says 企业微信 on the timeline, not 私聊. */
const WECOM_CHANNEL = 'wecom' satisfies Channel & Turn['channel'];
const APP: Pick<Turn, 'channel'> = { channel: WECOM_CHANNEL };

/** Nothing of the WeChat network is asked: a WeCom member is never a contact or in a room. */
const noChatNetwork: ChatProbe = {
  isLiveContact: async () => false,
  isLiveRoom: async () => false,
  sharedRoomIds: async () => [],
};

function turnFor({ ctx, row, staffRow, text }: { ctx: AppContext; row: InboundRow; staffRow: typeof staff.$inferSelect; text: string }): Turn {
  const message: IncomingMessage = {
    messageId: row.messageId,
    kind: 'text',
    text,
    mentionsBot: true,
    contact: { id: row.fromKey ?? '', name: staffRow.name, alias: null, friend: null },
    room: null,
  };
  return {
    ctx,
    db: ctx.db,
    botAccount: ctx.config.BOT_ACCOUNT,
    now: ctx.clock.now(),
    message,
    probe: noChatNetwork,
    inbound: row,
    channel: WECOM_CHANNEL,
    group: null,
    speaker: { resident: null, unconfirmed: false, staff: staffRow, staffNamesake: null, alias: null },
  };
}

/** A click on a card: the command its button stands for, run as the member typed it. */
async function clickStep({ ctx, api, turn, payload }: { ctx: AppContext; api: WecomApi; turn: Turn; payload: WecomPayload }): Promise<Step> {
  const task = readTaskId(payload.taskId ?? '');
  const button = readButton(payload.eventKey ?? '');
  const facts = task ? await cardFactsOf(ctx.db, { orderId: task.orderId, staffId: turn.speaker.staff!.id }) : null;
  if (!task || !button || !facts) return step(turn, 'refused', wecomTexts.cardUnknown);
  if (button === 'return') return step(turn, 'reply', wecomTexts.askReturnReason(facts.no));
  if (button === 'view') return staffCommand(turn, { kind: 'query', no: facts.no });
  const result = await staffCommand(turn, { kind: 'accept', no: facts.no });
  // The card shows what came of it: 已接单, or the order's state when it no longer waits for this member.
  const after = await cardFactsOf(ctx.db, { orderId: task.orderId, staffId: turn.speaker.staff!.id });
  const label = result.outcome === 'command' ? wecomTexts.done.accepted : wecomTexts.done.notAssigned(STATUS_LABELS[after?.status ?? facts.status] ?? '');
  try {
    await api.updateCardButton(payload.userId, payload.responseCode ?? '', label);
  } catch (error) {
    // The command stands; only the card still shows its buttons (a second click is refused in words).
    ctx.log.warn({ err: error }, 'WeCom: the clicked card could not be updated');
  }
  return result;
}

/** Notices a command claimed for its speaker go to the WeCom sender instead (nothing is said in place here). */
async function handToWecom(db: Database, notices: { id: number; lockedUntil: Date }[], now: Date): Promise<void> {
  for (const n of notices) {
    await db
      .update(outbox)
      .set({ status: 'pending', channel: 'wecom', lockedUntil: null, nextAttemptAt: now, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
      .where(and(eq(outbox.id, n.id), eq(outbox.status, 'sending'), eq(outbox.lockedUntil, n.lockedUntil)));
  }
}

/**
 * Processes one stored WeCom message: claim it (one processor, the member's messages in order), act, then file
 * the outcome with the replies (outbox rows for the WeCom app) in one transaction. A member not bound yet may
 * only bind (`绑定 <code>`); they are answered directly, having no outbox identity. A fault in the rules is filed
 * 'error' with the apology; a database that went away leaves the row for the sweep.
 */
export async function processWecomInbound({ ctx, api, inboundId }: { ctx: AppContext; api: WecomApi; inboundId: number }): Promise<void> {
  const now = ctx.clock.now();
  const lockedUntil = new Date(now.getTime() + LEASE_MS);
  const row = await claimInbound(ctx.db, { id: inboundId, now, lockedUntil });
  if (!row) return;
  const payload = (row.payload ?? {}) as WecomPayload;
  const userId = payload.userId ?? '';
  let result: Step;
  let staffId: number | null = null;
  try {
    const member = await staffByWecomUser(ctx.db, userId);
    const [staffRow] = member ? await ctx.db.select().from(staff).where(eq(staff.id, member.id)) : [];
    if (row.attempts > MAX_ATTEMPTS) {
      ctx.log.error({ messageId: row.messageId }, 'a WeCom message could not be processed; filed as failed');
      result = step(APP, 'failed', botTexts.internalError);
    } else if (!staffRow) {
      result = await unboundStep({ ctx, row, userId });
    } else if (payload.kind === 'other') {
      result = step(APP, 'reply', wecomTexts.textOnly);
    } else {
      const turn = turnFor({ ctx, row, staffRow, text: row.text ?? '' });
      result = payload.kind === 'card_click' ? await clickStep({ ctx, api, turn, payload }) : await staffDirectMessage(turn, parseCommand(row.text ?? ''));
    }
    staffId = staffRow?.id ?? null;
  } catch (error) {
    if (isPassingDbError(error)) {
      await releaseInbound(ctx.db, { id: row.id, lockedUntil, error: String(error) }).catch(() => {});
      return;
    }
    ctx.log.error({ err: error, messageId: row.messageId }, 'WeCom message failed');
    result = step(APP, 'error', botTexts.internalError, { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }

  const claimed = result.replies.filter((r) => r.notice).map((r) => r.notice!);
  const plain = result.replies.filter((r) => !r.notice).map((r) => r.text);
  try {
    await ctx.db.transaction(async (tx) => {
      const filed = await finishInbound(tx, {
        id: row.id,
        claim: lockedUntil,
        outcome: result.outcome,
        orderId: result.orderId ?? null,
        error: result.error ?? null,
        payload: result.payload ?? row.payload,
        fromKey: staffId !== null ? stableKey('staff', staffId) : undefined,
        now: ctx.clock.now(),
      });
      if (!filed) return;
      if (staffId !== null && plain.length > 0) {
        await tx
          .insert(outbox)
          .values(
            plain.map((text, i) => ({
              botAccount: ctx.config.BOT_ACCOUNT,
              kind: 'reply',
              orderId: null,
              recipientType: 'staff',
              staffId,
              text,
              channel: 'wecom',
              dedupeKey: `reply:${row.messageId}:${i}`,
              createdAt: ctx.clock.now(),
            })),
          )
          .onConflictDoNothing({ target: outbox.dedupeKey });
      }
      await handToWecom(tx, claimed, ctx.clock.now());
    });
  } catch (error) {
    await releaseInbound(ctx.db, { id: row.id, lockedUntil, error: String(error) }).catch(() => {});
    ctx.log.warn({ err: error, messageId: row.messageId }, 'the database failed while a WeCom message was filed; it is tried again later');
    return;
  }
  if (staffId === null && plain.length > 0) {
    // Not on record: answered in place (there is no outbox identity to write to).
    for (const text of plain) await api.sendText(userId, text).catch((error: unknown) => ctx.log.warn({ err: error }, 'WeCom: reply to an unbound member failed'));
  }
}

/** A userid bound to nobody: `绑定 <code>` binds it; anything else is told how. */
async function unboundStep({ ctx, row, userId }: { ctx: AppContext; row: InboundRow; userId: string }): Promise<Step> {
  const command: ChatCommand = row.type === 'text' ? parseCommand(row.text ?? '') : { kind: 'text', text: '' };
  if (command.kind !== 'bind') return step(APP, 'refused', wecomTexts.unbound);
  const bound = await bindWecomUser(ctx.db, { code: command.code, userId, now: ctx.clock.now() });
  return bound ? step(APP, 'bind', wecomTexts.bound(bound.name)) : step(APP, 'bind_failed', wecomTexts.bindFailed);
}

/** Rows left unprocessed (a crash, a database outage): processed by the sweep, in order. */
export async function sweepWecomInbound({ ctx, api, graceMs = 10_000 }: { ctx: AppContext; api: WecomApi; graceMs?: number }): Promise<number> {
  const now = ctx.clock.now();
  const rows = await unprocessedInbound(ctx.db, { botAccount: WECOM_ACCOUNT, before: new Date(now.getTime() - graceMs + 1), now, limit: 50 });
  for (const r of rows) await processWecomInbound({ ctx, api, inboundId: r.id });
  return rows.length;
}
