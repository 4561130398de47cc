/**
 * The new-order notice as a WeCom template card (button_interaction) with 接单 / 退回 / 查看, and what a click's
 * task id and key mean. Pure: the card is built from the outbox row and the order it is about.
 */
import { wecomTexts } from '../../i18n/zh-CN.wecom';
import type { WecomCard } from './wecom.api';

export type CardButton = 'accept' | 'return' | 'view';
const BUTTONS: readonly CardButton[] = ['accept', 'return', 'view'];

/** Notices that offer 接单: a new assignment to this member. */
export function isCardNotice(row: { kind: string; orderId: number | null; recipientType: string }): boolean {
  return row.kind === 'assignment' && row.orderId !== null && row.recipientType === 'staff';
}

/** Unique per app (WeCom refuses a reused task_id): the outbox row's id, and the order's for reading the click back. */
export function cardTaskId({ orderId, outboxId }: { orderId: number; outboxId: number }): string {
  return `gl-o${orderId}-n${outboxId}`;
}

export function readTaskId(taskId: string): { orderId: number; outboxId: number } | null {
  const m = /^gl-o(\d{1,10})-n(\d{1,15})$/.exec(taskId);
  if (!m) return null;
  const orderId = Number(m[1]);
  const outboxId = Number(m[2]);
  return orderId > 0 && orderId <= 2_147_483_647 && Number.isSafeInteger(outboxId) ? { orderId, outboxId } : null;
}

export function readButton(key: string): CardButton | null {
  return (BUTTONS as readonly string[]).includes(key) ? (key as CardButton) : null;
}

/** WeCom's field limits (characters) for the parts of a card this product fills. */
const LIMIT = { title: 36, desc: 44, sub: 500 };

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function newOrderCard({ no, categoryName, text, taskId }: { no: number; categoryName: string; text: string; taskId: string }): WecomCard {
  return {
    card_type: 'button_interaction',
    source: { desc: wecomTexts.cardSource },
    main_title: { title: cut(wecomTexts.cardTitle(no), LIMIT.title), desc: cut(wecomTexts.cardDesc(categoryName), LIMIT.desc) },
    sub_title_text: cut(text, LIMIT.sub),
    task_id: taskId,
    button_list: [
      { text: wecomTexts.buttons.accept, style: 1, key: 'accept' },
      { text: wecomTexts.buttons.return, style: 2, key: 'return' },
      { text: wecomTexts.buttons.view, style: 3, key: 'view' },
    ],
  };
}
