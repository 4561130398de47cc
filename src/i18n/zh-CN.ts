/**
 * Every Chinese text the product sends or shows about work orders, in one place so it can be changed without
 * touching code. Feature modules keep their own texts beside this file (zh-CN.<feature>.ts).
 */
import type { ErrorCode } from '../shared/errors/domain-error';
import { departmentTexts } from './zh-CN.departments';
import { excerpt, formatDeadline, orderNo } from './format';

export const STATUS_LABELS = {
  submitted: '已受理',
  assigned: '已派单',
  accepted: '已签收',
  resolved: '已办结',
  closed: '已归档',
  cancelled: '已撤回',
  merged: '已并单',
  invalid: '无效',
} as const;

export const LEVEL_LABELS = { grid: '网格', community: '社区', town: '街道', district: '区' } as const;

export const ROLE_LABELS = {
  leader: '网格长',
  assistant: '协理员',
  informant: '信息员',
  officer: '干部',
  admin: '管理员',
} as const;

export const URGENCY_LABELS = { normal: '一般', urgent: '紧急' } as const;

export const SURVEY_LABELS = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  unanswered: '未评价',
} as const;

export const EVENT_LABELS: Record<string, string> = {
  submit: '受理',
  assign: '派单',
  reassign: '改派',
  accept: '签收',
  progress: '进展',
  note: '内部备注',
  resolve: '办结',
  escalate: '上报',
  return: '退回',
  request_extension: '申请延期',
  approve_extension: '同意延期',
  deny_extension: '驳回延期',
  cancel: '撤回',
  merge: '并单',
  survey: '评价',
  reopen: '重办',
  survey_timeout: '超时未评价',
  ask_resident: '询问居民',
  resident_reply: '居民答复',
  resident_info: '居民补充',
  urge: '居民催办',
  supervise: '督办',
  invalidate: '标记无效',
  reply: '回复居民',
  support: '附议(+1)',
  change_category: '改类别',
  attachment: '附件',
  reminder: '提醒',
  overdue: '超期',
};

/** Who handles an order, as the resident is told: "网格长张三". */
export function handlerLabel(h: { name: string; roleLabel: string }): string {
  return `${h.roleLabel}${h.name}`;
}

type OrderRef = { no: number; category: string; urgent: boolean };

const urgentMark = (o: { urgent: boolean }) => (o.urgent ? '【紧急】' : '');

export const orderTexts = {
  /** Where an order is handled: "柳岸社区第一网格", or "柳岸社区第一网格（现由柳岸社区办理）" once it moved up. */
  place: (o: { gridName: string; unitName: string }) => (o.unitName === o.gridName ? o.gridName : `${o.gridName}（现由${o.unitName}办理）`),
  receipt: (o: OrderRef & { handler: string; deadlineAt: Date | null }) =>
    `${urgentMark(o)}已受理 ${orderNo(o.no)} ${o.category}，${o.handler}将于${formatDeadline(o.deadlineAt)}前办理。` +
    `回复"查询 ${o.no}"可查看进度。`,
  assignment: (
    o: OrderRef & {
      text: string;
      place: string;
      signDeadlineAt: Date | null;
      deadlineAt: Date | null;
      reason?: string;
      /** Who reported it: staff are reached only 1:1, so their notice may carry the resident's name and phone. */
      reporter?: { name: string | null; phone: string | null };
    },
  ) =>
    `${urgentMark(o)}【新工单】${orderNo(o.no)} ${o.category}\n${o.place}\n居民反映：${excerpt(o.text, 120)}\n` +
    (o.reporter ? `报事人：${o.reporter.name ?? '未留姓名'} ${o.reporter.phone ?? '未留电话'}\n` : '') +
    (o.reason ? `原因：${o.reason}\n` : '') +
    `请于${formatDeadline(o.signDeadlineAt)}前签收（回复"接单 ${o.no}"），${formatDeadline(o.deadlineAt)}前办结。`,
  returnedForReassignment: (o: OrderRef & { text: string; from: string; reason: string }) =>
    `【退回待派】${orderNo(o.no)} ${o.category} 被${o.from}退回：${o.reason}\n居民反映：${excerpt(o.text, 80)}\n` +
    `请在后台重新派单，或自行办理（回复"接单 ${o.no}"）。`,
  accepted: (o: { no: number; handler: string }) => `您的工单 ${orderNo(o.no)} 已由${o.handler}签收，正在办理。`,
  progress: (o: { no: number; note: string }) => `工单 ${orderNo(o.no)} 进展：${o.note}`,
  escalatedToResident: (o: { no: number; unit: string; handler: string }) =>
    `工单 ${orderNo(o.no)} 已上报至${o.unit}，由${o.handler}继续办理。`,
  reassignedToResident: (o: { no: number; handler: string }) => `工单 ${orderNo(o.no)} 已改由${o.handler}办理。`,
  takenAway: (o: { no: number; to: string }) => `工单 ${orderNo(o.no)} 已转由${o.to}办理，您无需继续处理。`,
  extensionRequest: (o: { no: number; handler: string; days: number; reason: string; deadlineAt: Date | null }) =>
    `【延期申请】${orderNo(o.no)} ${o.handler}申请延期${o.days}个工作日（原时限${formatDeadline(o.deadlineAt)}）：${o.reason}\n` +
    `回复"同意延期 ${o.no}"或"驳回延期 ${o.no}"。`,
  extensionApproved: (o: { no: number; deadlineAt: Date | null }) =>
    `工单 ${orderNo(o.no)} 延期已批准，新的办结时限：${formatDeadline(o.deadlineAt)}。`,
  extensionApprovedToResident: (o: { no: number; deadlineAt: Date | null }) =>
    `您的工单 ${orderNo(o.no)} 需要更多时间办理，预计${formatDeadline(o.deadlineAt)}前办结。`,
  extensionDenied: (o: { no: number; reason?: string | null }) =>
    `工单 ${orderNo(o.no)} 的延期申请未获批准${o.reason ? `：${o.reason}` : ''}，请按原时限办结。`,
  cancelledToResident: (o: { no: number }) => `已撤回工单 ${orderNo(o.no)}。`,
  cancelledToAssignee: (o: { no: number }) => `工单 ${orderNo(o.no)} 已由居民撤回，无需继续办理。`,
  mergedToResident: (o: { no: number; intoNo: number }) =>
    `您的工单 ${orderNo(o.no)} 与 ${orderNo(o.intoNo)} 为同一问题，已合并办理，进展会一并通知您。`,
  mergedToAssignee: (o: { no: number; intoNo: number }) => `工单 ${orderNo(o.no)} 已并入 ${orderNo(o.intoNo)}，无需单独办理。`,
  invalidatedToResident: (o: { no: number; reason: string }) =>
    `工单 ${orderNo(o.no)} 经核实不属于需要办理的诉求（${o.reason}），已关闭。如仍有问题，请直接告诉我。`,
  invalidatedToAssignee: (o: { no: number; by: string; reason: string }) =>
    `工单 ${orderNo(o.no)} 已由${o.by}标记为无效：${o.reason}。无需继续办理。`,
  surveyThanks: (o: { no: number }) => `感谢您的评价！工单 ${orderNo(o.no)} 已归档。`,
  /** The 回访 was made by phone or in person and recorded by staff: the resident is thanked for taking the call. */
  visitThanks: (o: { no: number }) => `感谢您接受回访！工单 ${orderNo(o.no)} 的回访结果已记录，工单已归档。`,
  surveyResultToAssignee: (o: { no: number; answer: string; comment?: string | null }) =>
    `工单 ${orderNo(o.no)} 居民评价：${o.answer}${o.comment ? `（${o.comment}）` : ''}`,
  reopenedToResident: (o: { no: number; handler: string }) =>
    `已收到您的评价，工单 ${orderNo(o.no)} 将由${o.handler}重新办理。`,
  reopenedToAssignee: (
    o: OrderRef & {
      text: string;
      place: string;
      comment?: string | null;
      /** What the resident's 回访 said: not solved (未解决), not satisfied (不满意), or both. */
      unsolved: boolean;
      unsatisfied: boolean;
      signDeadlineAt: Date | null;
      deadlineAt: Date | null;
      reporter?: { name: string | null; phone: string | null };
    },
  ) =>
    `【重办】${orderNo(o.no)} ${o.category} ${o.unsolved ? (o.unsatisfied ? '居民反映问题未解决，且不满意' : '居民反映问题未解决') : '居民不满意'}` +
    `${o.comment ? `：${o.comment}` : ''}\n${o.place}\n居民反映：${excerpt(o.text, 100)}\n` +
    (o.reporter ? `报事人：${o.reporter.name ?? '未留姓名'} ${o.reporter.phone ?? '未留电话'}\n` : '') +
    `请于${formatDeadline(o.signDeadlineAt)}前签收（回复"接单 ${o.no}"），${formatDeadline(o.deadlineAt)}前办结。`,
  askResident: (o: { no: number; handler: string; question: string }) =>
    `关于工单 ${orderNo(o.no)}，${o.handler}想了解：${o.question}\n（直接回复即可）`,
  residentReplied: (o: { no: number; text: string }) => `工单 ${orderNo(o.no)} 居民补充：${o.text}`,
  supervise: (o: { no: number; from: string; note: string; deadlineAt: Date | null }) =>
    `【督办】${orderNo(o.no)} ${o.from}：${o.note}（时限${formatDeadline(o.deadlineAt)}）`,
  replyToResident: (o: { no: number; note: string }) => `关于工单 ${orderNo(o.no)}：${o.note}`,
  supported: (o: { no: number; supporters: number }) =>
    `工单 ${orderNo(o.no)} 又有居民反映同一问题（共${o.supporters + 1}人关注）。`,
  supportReceipt: (o: { no: number; handler: string; deadlineAt: Date | null }) =>
    `已为您加入工单 ${orderNo(o.no)}，${o.handler}正在办理，预计${formatDeadline(o.deadlineAt)}前办结，进展会通知您。`,
  categoryChanged: (o: OrderRef & { deadlineAt: Date | null }) =>
    `工单 ${orderNo(o.no)} 已改为${urgentMark(o)}${o.category}，办结时限：${formatDeadline(o.deadlineAt)}。`,
};

/** A friendly reply for each refusal code, for the bot. */
export const errorReplies: Record<ErrorCode, string> = {
  NOT_FOUND: '没有找到这个工单，请核对单号（如"查询 1024"）。',
  NOT_ALLOWED: '抱歉，您没有权限对这个工单进行该操作。',
  INVALID_TRANSITION: '这个工单当前的状态不能进行该操作。',
  INVALID_ARGUMENT: '格式不太对，请回复"帮助"查看用法。',
  EXTENSION_PENDING: '这个工单已有延期申请在等待审批。',
  NO_EXTENSION_PENDING: '这个工单没有待审批的延期申请。',
  TOP_LEVEL: '这个工单已在区级办理，无法继续上报。',
  NO_ASSIGNEE: '暂时找不到可以接手的人员，已通知管理员。',
  SURVEY_NOT_OPEN: '这个工单当前不需要评价。',
  ALREADY_PAUSED: '已在等待居民答复。',
  NOT_PAUSED: '这个工单没有在等待答复。',
  MERGE_INTO_SELF: '不能把工单并入它自己。',
  MERGE_TARGET_CLOSED: '目标工单已结束，不能并入。',
  GRID_UNKNOWN: '还不知道您属于哪个网格，请在所在小区的群里@我报事，或告诉我您的小区和楼栋。',
  CONFLICT: '工单刚被其他人更新，请稍后再试。',
  RETURN_CLOSED: departmentTexts.returnClosed,
};
