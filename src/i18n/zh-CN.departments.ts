import { excerpt, formatDeadline, orderNo } from './format';
import { SATISFACTION_LABELS, SOLVED_LABELS } from './zh-CN.survey';

/** What department staff, dispatchers and grid leaders read about 分流交办 (dispatching orders to departments). */
export const departmentTexts = {
  /** The grid leader stays the resident's contact: told where the order went and what the department does. */
  toLeader: {
    dispatched: (o: { no: number; category: string; department: string; text: string; deadlineAt: Date | null }) =>
      `【分流交办】工单 ${orderNo(o.no)} ${o.category} 已交${o.department}办理，请跟进居民。\n` +
      `居民反映：${excerpt(o.text, 80)}\n办理时限：${formatDeadline(o.deadlineAt)}`,
    accepted: (o: { no: number; department: string }) => `工单 ${orderNo(o.no)} 已由${o.department}签收。`,
    progress: (o: { no: number; department: string; note: string }) => `工单 ${orderNo(o.no)} ${o.department}进展：${o.note}`,
    extension: (o: { no: number; department: string; days: number; reason: string }) =>
      `工单 ${orderNo(o.no)} ${o.department}申请延期${o.days}天：${o.reason}`,
    returned: (o: { no: number; department: string; reason: string; to: string }) =>
      `工单 ${orderNo(o.no)} 被${o.department}退回（${o.reason}），已交${o.to}重新派单。`,
    reopened: (o: { no: number; department: string; unsolved: boolean; unsatisfied: boolean; comment: string | null; to: string }) =>
      `工单 ${orderNo(o.no)} ${o.department}办结后，居民反映${o.unsolved ? '问题未解决' : '不满意'}${o.comment ? `：${o.comment}` : ''}。已交${o.to}重新办理。`,
    resolved: (o: { no: number; department: string; note: string; residentByChat: boolean }) =>
      `工单 ${orderNo(o.no)} ${o.department}已办结：${o.note}\n` +
      (o.residentByChat
        ? '已请居民评价，请留意居民反馈。'
        : `居民无法通过微信联系，请电话或上门回访，并回复"回访 ${o.no} 满意"（或 基本满意、不满意）。`),
  },
  /** Added to the 退回 notice of the unit that dispatched: how to dispatch again. */
  redispatchHint: (o: { no: number; dispute: boolean; departments: string[] }) =>
    (o.dispute
      ? `【争议派单】该工单已被承办单位两次退回，由区级最终确定承办单位，派出后不得再退回。\n`
      : '') +
    `可回复"派单 ${o.no} 单位名称"重新派单` +
    (o.departments.length ? `（如：${o.departments.slice(0, 4).join('、')}）。` : '。'),
  /** A dispatch notice's extra line for the department: how long 退回 is allowed. */
  returnWindow: (o: { no: number; returnDeadlineAt: Date | null }) =>
    o.returnDeadlineAt
      ? `如不属于本单位职责，请于${formatDeadline(o.returnDeadlineAt)}前回复"退回 ${o.no} 原因"。`
      : '此为区级争议派单的最终决定，不得退回。',
  /** To a 协办 department's handler. */
  assistNotice: (o: { no: number; category: string; lead: string; text: string; place: string }) =>
    `【协办】工单 ${orderNo(o.no)} ${o.category}（${o.place}）由${o.lead}主办，请配合办理，进展可回复"进展 ${o.no} 内容"。\n` +
    `居民反映：${excerpt(o.text, 80)}`,
  /** Replies to the officer who dispatches in the chat ("派单 1007 燃气公司"). */
  dispatched: (o: { no: number; department: string; assists: string[] }) =>
    `已将工单 ${orderNo(o.no)} 派给${o.department}办理` + (o.assists.length ? `，${o.assists.join('、')}协办。` : '。'),
  dispatchUsage: '用法：派单 单号 单位名称，如"派单 1024 区燃气公司"；协办单位写在"协办"后，如"派单 1024 区住建局 协办 城管、市政"。',
  unknownDepartment: (o: { query: string; choices: string[] }) =>
    `没有找到"${o.query}"。可派的单位：${o.choices.slice(0, 12).join('、') || '（无）'}。`,
  ambiguousDepartment: (o: { query: string; choices: string[] }) => `"${o.query}"对应多个单位：${o.choices.join('、')}，请写全称。`,
  /** The note of a dispatch after a 重办, when the officer wrote none: why the order is back. */
  residentSaidNote: (comment: string) => `居民反映仍未解决：${comment}`,
  /** Dispatched to the department that already holds it. */
  alreadyWith: (o: { no: number; department: string; status: string }) =>
    `工单 ${orderNo(o.no)} 已由${o.department}办理（${o.status}），无需再派。回复"查询 ${o.no}"可查看进度。`,
  /** No number, and no order of theirs to dispatch. */
  noOrderToDispatch: '您名下没有待派的工单，请带上单号。',
  /** A grid member (or a department's) asks to dispatch: only officers and admins do. */
  dispatchNotAllowed: (no: number | null) =>
    '派单给职能部门和企业由工单所在社区、街道或区的干部办理。' +
    (no === null ? '' : `如需上级处理，请回复"上报 ${no} 原因"。`),
  /** The department named does not serve the order's place. */
  notServing: (o: { department: string; place: string; choices: string[] }) =>
    `${o.department}不负责${o.place}，不能派给它。可派的单位：${o.choices.slice(0, 12).join('、') || '（无）'}。`,
  /** Nobody active in the department to take the order. */
  noHandler: (department: string) => `${department}目前没有在岗的办理人员，请改派其他单位，或请管理员在后台补充人员。`,
  /** A refused 退回, whatever the reason (the chat and the console say this). */
  returnClosed: '已超过退回时限，或为区级争议派单的最终决定，不能退回，请继续办理；确有困难可申请延期。',
  /** Why a 退回 is refused. */
  returnRefused: {
    too_late: '已超过退回时限，请继续办理；确有困难可申请延期或联系派单人。',
    final: '该工单是区级争议派单的最终决定，不能退回，请办理。',
    not_open: '这个工单目前不在本单位办理，无法退回。',
    not_lead: '协办单位不能退回工单，请联系主办单位。',
  },
  /**
   * The 回访 a leader recorded for a resident who cannot be reached by chat: what was said (解决/未解决, the
   * satisfaction, each when said), and what happens to the order.
   */
  visitRecorded: (o: { no: number; answer: keyof typeof SATISFACTION_LABELS | null; solved: boolean | null; reopenedTo: string | null }) =>
    `已记录工单 ${orderNo(o.no)} 的回访结果：` +
    [o.solved === null ? null : SOLVED_LABELS[`${o.solved}`], o.answer === null ? null : SATISFACTION_LABELS[o.answer]].filter(Boolean).join('，') +
    (o.reopenedTo ? `。工单已转${o.reopenedTo}重新办理。` : '。工单已归档。'),
  visitUsage: '用法：回访 单号 回访结果，如"回访 1024 满意""回访 1024 解决了 基本满意""回访 1024 没解决 居民原话"。',
  /** No number, and no order of theirs waiting for a 回访. */
  noVisitWaiting: '没有等您回访的工单，请带上单号。',
  /** A 回访 on an order that is not waiting for one (not yet resolved, or already answered). */
  visitNotOpen: (o: { no: number; status: string }) =>
    `工单 ${orderNo(o.no)} 当前${o.status}，不在待回访状态：办结后、居民评价前才能记录回访。`,
} as const;

/** Kinds of department, as the console shows them. */
export const DEPARTMENT_KIND_LABELS = { department: '职能部门', company: '公共服务企业', property: '物业公司' } as const;

export const DISPATCH_ROLE_LABELS = { lead: '主办', assist: '协办' } as const;

export const DISPATCH_STATUS_LABELS = {
  dispatched: '待签收',
  signed: '办理中',
  returned: '已退回',
  resolved: '已办结',
  withdrawn: '已撤回',
} as const;
