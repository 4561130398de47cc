import { and, eq, gte, sql } from 'drizzle-orm';
import { CHAT_LOCATION_DATUM, storedPoint } from '../grids/places.models';
import type { AppContext } from '../../app-context';
import type { Database } from '../../db/client';
import { botTexts } from '../../i18n/zh-CN.bot';
import { mediaTexts } from '../../i18n/zh-CN.media';
import type { AttachmentStage } from '../work-orders/rules/attachments.models';
import type { Channel } from '../work-orders/work-orders.deps';
import { insertEvents } from '../work-orders/work-orders.repository';
import { attachments, orderEvents } from '../work-orders/work-orders.table';
import type { StoredFile } from './attachments.storage';
import { storeAttachment } from './attachments.storage';
import type { IncomingMessage } from './conversation.types';
import { heldAttachments, setOutcome } from './inbound.repository';
import { ATTACHMENT_WINDOW_MS, type AttachmentKind } from './intake.models';

/** What an attachment is, once its file (if any) is saved: the row for `attachments`, without the order. */
export type AttachmentDraft = {
  kind: AttachmentKind;
  file: StoredFile | null;
  lat?: number | null;
  lng?: number | null;
  address?: string | null;
  url?: string | null;
};

/** Saves the message's media under DATA_DIR, size-limited. Null for a location or link (nothing to save). */
export async function saveMessageMedia({
  ctx,
  message,
  key,
}: {
  ctx: AppContext;
  message: IncomingMessage;
  key: string;
}): Promise<AttachmentDraft> {
  const kind = message.kind as AttachmentKind;
  if (kind === 'location') {
    const point = storedPoint(message.location ? { ...message.location, datum: CHAT_LOCATION_DATUM } : null);
    return { kind, file: null, lat: point?.lat ?? null, lng: point?.lng ?? null, address: message.location?.address ?? message.location?.name ?? null };
  }
  if (kind === 'link' || !message.file) return { kind, file: null, url: message.url ?? null };
  const opened = await message.file.open();
  const file = await storeAttachment({ dataDir: ctx.config.DATA_DIR, key, now: ctx.clock.now(), file: opened, maxBytes: ctx.config.ATTACHMENT_MAX_BYTES });
  return { kind, file };
}

/**
 * Adds an attachment to an order, with an 'attachment' event on its timeline; a repeated message adds nothing.
 * A resident's is part of the report; a member of staff's (`staffId`) carries the stage it was sent at.
 */
export async function attachToOrder({
  db,
  orderId,
  residentId = null,
  staffId = null,
  stage = 'report',
  channel,
  draft,
  sourceMessageId,
  now,
}: {
  db: Database;
  orderId: number;
  residentId?: number | null;
  staffId?: number | null;
  stage?: AttachmentStage;
  channel: Channel;
  draft: AttachmentDraft;
  sourceMessageId: string;
  now: Date;
}): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(attachments)
      .values({
        orderId,
        kind: draft.kind,
        storagePath: draft.file?.storagePath ?? null,
        url: draft.url ?? null,
        mime: draft.file?.mime ?? null,
        sizeBytes: draft.file?.sizeBytes ?? null,
        originalName: draft.file?.originalName ?? null,
        lat: draft.lat ?? null,
        lng: draft.lng ?? null,
        address: draft.address ?? null,
        sourceMessageId,
        stage,
        addedByStaffId: staffId,
        createdAt: now,
      })
      .onConflictDoNothing({ target: attachments.sourceMessageId })
      .returning({ id: attachments.id });
    if (!row) return false;
    await insertEvents(tx, {
      orderId,
      channel,
      events: [
        {
          type: 'attachment',
          actorKind: staffId !== null ? 'staff' : 'resident',
          actorStaffId: staffId,
          actorResidentId: staffId !== null ? null : residentId,
          note: mediaTexts.timelineNote(botTexts.attachmentLabels[draft.kind], stage),
          fromStatus: null,
          toStatus: null,
          fromAssigneeId: null,
          toAssigneeId: null,
          fromUnitId: null,
          toUnitId: null,
          data: { attachmentId: row.id, kind: draft.kind, stage, address: draft.address ?? undefined },
          at: now,
        },
      ],
    });
    return true;
  });
}

/** Whether the resident already added something to this order in the last minutes (the group hears once). */
export async function recentlyAttached(db: Database, { orderId, residentId, now }: { orderId: number; residentId: number; now: Date }): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.orderId, orderId),
        eq(orderEvents.type, 'attachment'),
        eq(orderEvents.actorResidentId, residentId),
        gte(orderEvents.at, new Date(now.getTime() - ATTACHMENT_WINDOW_MS)),
      ),
    );
  return Number(row?.n ?? 0) > 1;
}

/** Attachments saved while the resident's demand was held are added once it becomes (or joins) an order. */
export async function attachHeld({
  db,
  fromKey,
  orderId,
  residentId,
  channel,
  now,
}: {
  db: Database;
  fromKey: string;
  orderId: number;
  residentId: number;
  channel: Channel;
  now: Date;
}): Promise<number> {
  const held = await heldAttachments(db, { fromKey, since: new Date(now.getTime() - 2 * ATTACHMENT_WINDOW_MS - 30 * 60_000) });
  let added = 0;
  for (const row of held) {
    const draft = row.payload as AttachmentDraft | null;
    if (!draft?.kind) continue;
    if (!(await setOutcome(db, { id: row.id, outcome: 'attachment', orderId, from: ['attachment_held'] }))) continue;
    if (await attachToOrder({ db, orderId, residentId, channel, draft, sourceMessageId: row.messageId, now })) added++;
  }
  return added;
}
