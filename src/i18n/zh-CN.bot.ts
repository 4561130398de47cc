/**
 * Every text the bot says in a conversation (besides the order notices in zh-CN.ts, which the outbox carries).
 * Short, polite, and always saying what to type next: people read these on a phone.
 */
import type { CommandName, MalformedProblem } from '../modules/chat/commands.models';
import { excerpt, formatDeadline, orderNo } from './format';
import { STATUS_LABELS } from './zh-CN';
import { surveyTexts } from './zh-CN.survey';

/** The expected form of each command, shown when what was typed does not fit. */
export const COMMAND_USAGE: Record<CommandName, string> = {
  help: '帮助',
  query: '查询 1024',
  my_orders: '我的工单',
  cancel: '撤回 1024',
  points: '积分',
  survey: surveyTexts.usage,
  support: '+1',
  new_order: '新建',
  accept: '接单 1024',
  progress: '进展 1024 已联系物业',
  resolve: '办结 1024 已更换灯泡',
  escalate: '上报 1024 需街道协调',
  return: '退回 1024 不属本网格',
  extend: '延期 1024 3 等待配件（3为工作日天数）',
  todo: '待办',
  approve_extension: '同意延期 1024',
  deny_extension: '驳回延期 1024 理由',
  bind: '绑定 483920（控制台生成的绑定码）',
  bind_group: '绑定网格 D01-T01-C01-G01（网格编码）',
  dispatch: '派单 1024 区燃气公司（可加"协办 单位、单位"和备注）',
  visit: '回访 1024 满意（或 解决了 基本满意、没解决 居民原话）',
};

const PROBLEMS: Record<MalformedProblem, string> = {
  missing_text: '请写明内容',
  missing_days: '请写明延期的工作日天数',
  bad_days: '延期天数应为1到30个工作日',
  missing_code: '请写明编码',
  missing_department: '请写明承办单位',
  missing_answer: '请写明回访结果：是否解决、是否满意',
};

type OrderLine = { no: number; status: keyof typeof STATUS_LABELS; categoryName: string; deadlineAt: Date | null; text: string };

const line = (o: OrderLine) =>
  `${orderNo(o.no)} ${o.categoryName} · ${STATUS_LABELS[o.status]}${o.deadlineAt && (o.status === 'assigned' || o.status === 'accepted') ? ` · 时限${formatDeadline(o.deadlineAt)}` : ''}\n  ${excerpt(o.text, 30)}`;

export const botTexts = {
  residentHelp:
    '您好，我是社区民情直通车。可以这样用：\n' +
    '· 直接描述问题（在群里请@我或以"报事"开头），如"3号楼楼道灯坏了"\n' +
    '· 查询 1024 —— 查看工单进度\n' +
    '· 我的工单 —— 最近的工单\n' +
    '· 撤回 1024 —— 撤回未办结的工单\n' +
    `${surveyTexts.help}\n` +
    '· 积分 —— 查看参与积分\n' +
    '可以补发照片、语音、位置，10分钟内会自动附到您刚报的工单上。',
  /** The staff help; 派单 is listed for those who may dispatch (officers and admins). */
  staffHelp: ({ dispatches }: { dispatches: boolean }) =>
    '工作人员指令（私聊我）：\n' +
    '· 待办 —— 我的待办工单\n' +
    '· 接单 1024 —— 签收\n' +
    '· 进展 1024 已联系物业\n' +
    '· 办结 1024 已更换灯泡\n' +
    '· 上报 1024 需街道协调\n' +
    '· 退回 1024 不属本网格\n' +
    '· 延期 1024 3 等待配件（工作日）\n' +
    '· 同意延期 1024 / 驳回延期 1024 理由（上级审批）\n' +
    '· 查询 1024\n' +
    (dispatches ? '· 派单 1024 区燃气公司 —— 派给职能部门或企业，可加"协办 单位、单位"和备注\n' : '') +
    '· 回访 1024 满意 —— 记录电话或上门回访：解决了/没解决、满意/基本满意/不满意\n' +
    '只有一件相关工单时可以省略单号。也可以直接说："收到"（签收）、"1038收到了，明天去看看"、"宽限几天，要等施工队"、' +
    '"1007和1001是同一个事，合并一下"、"这个是谁报的，电话多少"、"修好了"。\n' +
    '在群里发"绑定网格 网格编码"可把群绑定到网格。',
  malformed: (command: CommandName, problem: MalformedProblem) => `${PROBLEMS[problem]}，格式如：${COMMAND_USAGE[command]}`,
  staffOnly:
    '抱歉，这是工作人员的指令。如果您是网格员，请先在管理后台生成绑定码，然后私聊我发送"绑定 绑定码"。',
  staffRebindNeeded: (name: string) =>
    `${name}您好，系统暂时无法确认您的身份（可能是微信重新登录过）。请在管理后台重新生成绑定码，私聊我发送"绑定 绑定码"。`,
  staffCommandInGroup: '工单操作请私聊我办理，群里只用于居民报事。',
  notUnderstoodStaff: '没看懂这条指令。回复"帮助"查看工作人员指令。',
  chitchat: { thanks: '不客气，有事随时找我。', greeting: '您好！有什么问题可以直接告诉我，回复"帮助"查看用法。', ack: '好的。' },
  internalError: '抱歉，系统开了个小差，您的消息已记录，我们会尽快处理。',

  // Group intake
  unboundGroup:
    '您好，本群还没有绑定到网格，暂时不能受理，您的消息已记录。请网格员在群里发送"绑定网格 网格编码"，' +
    '或由管理员在后台绑定；绑定后会自动受理。',
  groupBound: (gridName: string, pending: number) =>
    `本群已绑定到${gridName}，居民在群里@我或以"报事"开头即可反映问题。${pending ? `之前记录的${pending}条反映已自动受理。` : ''}`,
  groupBindNotStaff: '只有已绑定的网格员可以绑定群，请在管理后台操作。',
  groupBindUnknownGrid: (code: string) => `没有找到网格编码"${code}"，请核对后重发，如：${COMMAND_USAGE.bind_group}`,
  groupBindNotAllowed: '您不负责这个网格，不能把本群绑定到它。',

  // Follow-ups
  vagueQuestion: {
    too_short: '收到。能再具体说说是什么问题吗？比如："3号楼2单元楼道灯坏了"。',
    no_place: '收到。请问具体在什么位置？比如几号楼、几单元、哪个路口，或直接发个位置。',
  },
  duplicateOffer: (candidates: { no: number; text: string }[]) => {
    const [first, ...rest] = candidates;
    if (!first) return '';
    if (rest.length === 0) {
      return `这个问题可能已经有人反映过：${orderNo(first.no)} ${excerpt(first.text, 40)}\n回复 +1 加入该工单，或回复 新建 提交为新工单。`;
    }
    return (
      `这个问题可能已经有人反映过：\n${candidates.map((c) => `${orderNo(c.no)} ${excerpt(c.text, 30)}`).join('\n')}\n` +
      `回复"+1 ${first.no}"加入其中一件，或回复 新建 提交为新工单。`
    );
  },
  tooLong: (max: number) => `您的消息超过了${max}字，我没能收下。请精简后重发，或分成几条发送。`,
  noPendingChoice: '现在没有待确认的反映。如需反映问题，请直接描述。',
  askGrid: (options: { name: string }[]) =>
    options.length
      ? `请问您反映的是哪个网格的问题？回复序号：\n${options.map((o, i) => `${i + 1}. ${o.name}`).join('\n')}`
      : '请问您住在哪个小区、哪个网格？回复网格名称即可（也可以在所在小区的居民群里@我报事）。',
  gridNotRecognised: '没能确定是哪个网格。请回复上面列出的序号，或在所在小区的居民群里@我报事。',

  // Resident commands
  orderStatus: (o: OrderLine & { handler: string; latest: string | null }) =>
    `${orderNo(o.no)} ${o.categoryName} · ${STATUS_LABELS[o.status]}\n${o.handler}办理` +
    (o.deadlineAt && (o.status === 'assigned' || o.status === 'accepted') ? `，时限${formatDeadline(o.deadlineAt)}` : '') +
    `\n反映：${excerpt(o.text, 60)}` +
    (o.latest ? `\n最新：${o.latest}` : ''),
  myOrders: (orders: OrderLine[]) =>
    orders.length ? `您最近的工单：\n${orders.map(line).join('\n')}\n回复"查询 单号"看详情。` : '您还没有工单。直接描述问题即可反映。',
  points: (points: number) => `您的参与积分：${points}分。反映问题、参与评价都可以获得积分。`,
  noOrderFor: {
    query: '您目前没有在办的工单。回复"我的工单"查看全部。',
    cancel: '您没有可以撤回的工单。',
    survey: '目前没有需要您评价的工单。',
    support: '现在没有可以加入的工单。',
    staff: '您名下没有可以这样处理的工单，回复"待办"查看。',
    approve: '没有等您审批的延期申请。',
  },
  whichOrder: (nos: number[], usage: string) =>
    `您有多件相关工单：${[...nos].sort((a, b) => a - b).map(orderNo).join('、')}，请带上单号，如：${usage.replace(/\d{4}/u, String(Math.min(...nos)))}`,
  /** Added to what a provisional resident asks about their orders: their earlier history waits for staff. */
  unconfirmedNote: '（您的身份尚待工作人员确认，确认后可查看您以前反映的工单；新的问题可以照常反映。）',
  cancelled: (no: number) => `已撤回工单 ${orderNo(no)}。`,
  supported: (no: number) => `已为您加入工单 ${orderNo(no)}。`,
  surveyDone: (no: number) => `感谢您的评价！工单 ${orderNo(no)} 已处理。`,

  // Staff commands
  accepted: (no: number, deadlineAt: Date | null) => `已签收 ${orderNo(no)}，请于${formatDeadline(deadlineAt)}前办结。`,
  progressRecorded: (no: number) => `已记录 ${orderNo(no)} 的进展，并告知居民。`,
  resolved: (no: number) => `${orderNo(no)} 已办结，已请居民评价。`,
  escalated: (no: number, handler: string) => `${orderNo(no)} 已上报，由${handler}继续办理。`,
  returned: (no: number, handler: string) => `${orderNo(no)} 已退回，由${handler}重新派单。`,
  extensionRequested: (no: number, days: number) => `${orderNo(no)} 的${days}个工作日延期申请已提交，等待上级审批。`,
  extensionApproved: (no: number, deadlineAt: Date | null) => `已同意 ${orderNo(no)} 延期，新时限${formatDeadline(deadlineAt)}。`,
  extensionDenied: (no: number) => `已驳回 ${orderNo(no)} 的延期申请。`,

  // Binding
  bound: (name: string, roles: string) => `绑定成功：${name}（${roles}）。之后的新工单会私聊通知您，回复"帮助"查看指令。`,
  bindFailed: '绑定码无效或已过期，请在管理后台重新生成后再试。',
  bindTooMany: '尝试次数过多，请一小时后再试。',

  // Attachments
  attachmentAdded: (no: number, what: string) => `已将${what}附到工单 ${orderNo(no)}。`,
  attachmentHeld: (what: string) => `已收到${what}，会附到您这件反映上。`,
  attachmentTooLarge: (maxMb: number) => `文件太大（超过${maxMb}MB），没能保存。可以压缩后重发，或用文字描述。`,
  attachmentUnlinked: '收到。如果要反映问题，请先用文字描述，10分钟内补发的照片、语音和位置会附到工单上。',
  attachmentLabels: { image: '照片', voice: '语音', video: '视频', file: '文件', location: '位置', link: '链接' } as const,

  friendshipHello: '您好，我是社区民情直通车。加个好友，工单进展会私聊告诉您。',
};
