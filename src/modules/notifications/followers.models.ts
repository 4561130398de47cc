import { noiseTexts } from '../../i18n/zh-CN.noise';
import type { OrderEventDraft, OrderState } from '../work-orders/work-orders.models';
import { RESIDENT_KINDS } from './noise.models';
import type { OutboxDraft } from './notifications.models';

export type Follower = { residentId: number; chatGroupId: number | null };

/**
 * "+1" followers hear what the reporter hears about the order's progress: every status step (签收, 进展, 改派,
 * 上报, 延期, 重办) and its resolution. Not the survey (only the reporter answers it), a staff question, or what is
 * personal to the reporter (撤回, thanks for their answer). Each copy is an ordinary resident notice, so it goes
 * 1:1 where the follower is reachable and within the group budget otherwise.
 */
export function followerNotices({
  drafts,
  after,
  events,
  followers,
}: {
  drafts: OutboxDraft[];
  after: OrderState;
  events: OrderEventDraft[];
  followers: Follower[];
}): OutboxDraft[] {
  const others = followers.filter((f) => f.residentId !== after.residentId);
  if (others.length === 0) return [];
  const toReporter = drafts.filter((d) => d.recipientType === 'resident' && d.residentId === after.residentId && d.orderId === after.id);
  const out: OutboxDraft[] = [];
  for (const d of toReporter) {
    let copy: Pick<OutboxDraft, 'kind' | 'text'> | null = null;
    if (d.kind === RESIDENT_KINDS.confirmation || d.kind === RESIDENT_KINDS.change) copy = { kind: d.kind, text: noiseTexts.forFollower(d.text) };
    else if (d.kind === 'survey') {
      const note = events.find((e) => e.type === 'resolve')?.note ?? '';
      copy = { kind: RESIDENT_KINDS.result, text: noiseTexts.followerResolved({ no: after.no, note }) };
    }
    if (!copy) continue;
    for (const f of others) {
      out.push({ ...copy, orderId: after.id, recipientType: 'resident', residentId: f.residentId, chatGroupId: f.chatGroupId ?? d.chatGroupId ?? null });
    }
  }
  return out;
}
