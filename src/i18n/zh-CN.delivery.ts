/**
 * Why a message could not be delivered: stored as the outbox row's last error and shown to admins beside the dead
 * letter, so each says what to fix before pressing "retry". Kept apart from zh-CN.ts to avoid edit conflicts.
 */
import type { UnreachableReason } from '../modules/notifications/delivery.models';

export const unreachableTexts: Record<UnreachableReason, string> = {
  staff_unknown: '无法送达：收件的工作人员不存在（可能已被删除）',
  staff_inactive: '无法送达：该工作人员已停用',
  staff_unbound: '无法送达：该工作人员尚未绑定微信（请其向机器人发送“绑定 验证码”后重试）',
  resident_unknown: '无法送达：收件居民不存在',
  resident_no_channel: '无法送达：该居民不是机器人的微信好友，也没有可以@他的网格群（请在控制台绑定群后重试）',
  group_unknown: '无法送达：目标群不存在或尚未绑定',
  recipient_type_unknown: '无法送达：未知的收件人类型',
};

export const deliveryTexts = {
  /** A failed try; the chat network's own message is kept (often English) because it is what helps diagnose. */
  failed: ({ attempt, maxAttempts, message }: { attempt: number; maxAttempts: number; message: string }) =>
    `第${attempt}/${maxAttempts}次发送失败：${message}`,
  timedOut: (ms: number) => `发送超时（${Math.round(ms / 1000)}秒无响应）`,
  /** The last try hung (or its sender crashed) and never answered: it may have arrived, so it is not sent again. */
  noAnswer: ({ attempt, maxAttempts }: { attempt: number; maxAttempts: number }) =>
    `第${attempt}/${maxAttempts}次发送无回应，不再自动重试（对方可能已收到；请确认后在控制台重试）`,
};
