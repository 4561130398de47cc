/**
 * What the bot says to grid leaders and other staff when they write in their own words ("收到", "宽限几天",
 * "合并一下", "谁报的"), and their 待办 with its marks. Short: they read it on a phone between two jobs.
 */
import type { StaffChoice } from '../modules/chat/staff-words.models';
import type { TimeLeft } from '../modules/work-orders/rules/order-time-left.models';
import { excerpt, formatDeadline, orderNo } from './format';
import { STATUS_LABELS } from './zh-CN';

const UNITS = { minutes: '分钟', hours: '小时', days: '天', working_days: '个工作日' } as const;

/** "剩2个工作日", "超期5小时", "暂停（等待居民答复）". */
export function timeLeftText(tl: TimeLeft): string {
  if (tl.state === 'paused') return '暂停计时（等待居民答复）';
  return tl.state === 'overdue' ? `超期${tl.amount}${UNITS[tl.unit]}` : `剩${tl.amount}${UNITS[tl.unit]}`;
}

/** What one option of a one-key question does. */
function choiceLabel(c: StaffChoice): string {
  switch (c.action) {
    case 'accept':
      return `签收 ${orderNo(c.no)}`;
    case 'resolve':
      return `办结 ${orderNo(c.no)}`;
    case 'progress':
      return `记为 ${orderNo(c.no)} 的进展`;
    case 'extend':
      return `为 ${orderNo(c.no)} 申请延期${c.days}个工作日`;
    case 'who':
      return `查看 ${orderNo(c.no)} 的报事人`;
  }
}

export type TodoLine = {
  no: number;
  status: keyof typeof STATUS_LABELS;
  categoryName: string;
  text: string;
  urgent: boolean;
  overdue: boolean;
  timeLeft: TimeLeft | null;
};

const todoLine = (o: TodoLine) =>
  `${o.overdue ? '【已超期】' : ''}${o.urgent ? '【紧急】' : ''}${orderNo(o.no)} ${o.categoryName} · ${STATUS_LABELS[o.status]}` +
  `${o.timeLeft ? ` · ${timeLeftText(o.timeLeft)}` : ''}\n  ${excerpt(o.text, 30)}`;

export const staffTexts = {
  /** The report as a new handler reads it: the resident's words, then what they added ("我家水管爆了（补充：5栋301 厨房）"). */
  reportWithAdditions: (text: string, additions: readonly string[]) => (additions.length ? `${text}（补充：${additions.join('；')}）` : text),
  /** The one-key question: "回复 1 签收 #1007（…），回复 2 签收 #1001（…）". */
  askChoice: (intro: string, choices: { choice: StaffChoice; text?: string }[]) =>
    `${intro}\n${choices.map((c, i) => `回复 ${i + 1} ${choiceLabel(c.choice)}${c.text ? `（${excerpt(c.text, 20)}）` : ''}`).join('\n')}`,
  whichToSign: '您有多件待签收的工单，签收哪一件？',
  whichForExtension: '为哪一件工单申请延期？',
  whichForWho: '查看哪一件工单的报事人？',
  whichForProgress: '这条进展记在哪一件工单上？',
  whichIsDone: '哪一件工单办好了？办结说明就用您这句话，居民会收到评价邀请。',
  offerResolve: (no: number, note: string) =>
    `要办结 ${orderNo(no)} 吗？办结说明："${excerpt(note, 40)}"，居民会收到评价邀请。\n回复 1 办结；还没办完请回复"进展 ${no} 情况"。`,
  /** Signed for, with the plan passed on to the resident as progress. */
  acceptedWithPlan: (no: number, deadlineAt: Date | null, plan: string) =>
    `已签收 ${orderNo(no)}，请于${formatDeadline(deadlineAt)}前办结。已把"${excerpt(plan, 40)}"作为进展告知居民。`,
  progressOnly: (no: number) => `已记录 ${orderNo(no)} 的进展，并告知居民。`,
  ackNothingToSign: '好的。',
  extensionAsked: (no: number, days: number, daysGiven: boolean) =>
    `已为 ${orderNo(no)} 申请延期${days}个工作日${daysGiven ? '' : `（您没写天数，按${days}个工作日申请；要改天数请发"延期 ${no} 天数 原因"）`}，等待上级审批。`,
  noOrderForWords: '您名下没有在办的工单，回复"待办"查看。',
  mergeNeedsTwo: '请写明要合并的两个单号，如"1007和1001是同一个事，合并一下"。',
  mergeSame: '两个单号相同，没有可合并的。',
  merged: (from: number, into: number) =>
    `已将 ${orderNo(from)} 并入 ${orderNo(into)}（后报的并入先报的），${orderNo(from)} 的居民会随 ${orderNo(into)} 收到进展。`,
  /** Who reported an order and how to reach them: staff only, 1:1 only. */
  reporter: (no: number, r: { name: string | null; phone: string | null }) =>
    `${orderNo(no)} 报事人：${r.name ?? '居民（未留姓名）'}，电话：${r.phone ?? '未留电话'}。\n（居民信息仅用于办理联系，请勿转发）`,
  /** The line added to a staff member's 查询. */
  reporterLine: (r: { name: string | null; phone: string | null }) => `报事人：${r.name ?? '未留姓名'} ${r.phone ?? '未留电话'}`,
  choiceGone: '这个选择已经失效了，请重新发送。',
  todo: (
    orders: TodoLine[],
    approvals: { no: number; days: number | null }[],
    followUps: { no: number; categoryName: string; text: string; department: string; deadlineAt: Date | null }[] = [],
  ) => {
    const first = orders.filter((o) => o.overdue || o.urgent);
    const rest = orders.filter((o) => !o.overdue && !o.urgent);
    const parts: string[] = [];
    if (orders.length === 0) parts.push('您目前没有待办工单。');
    else {
      parts.push(`您的待办工单（${orders.length}件${first.length ? `，其中${first.length}件需优先处理` : ''}）：`);
      if (first.length) parts.push(first.map(todoLine).join('\n'));
      if (first.length && rest.length) parts.push('其他：');
      if (rest.length) parts.push(rest.map(todoLine).join('\n'));
    }
    if (approvals.length) {
      parts.push(`待您审批的延期：\n${approvals.map((a) => `${orderNo(a.no)} 申请延期${a.days ?? '?'}个工作日`).join('\n')}`);
    }
    if (followUps.length) {
      parts.push(
        `您单位派出、已超期的工单（请跟进）：\n${followUps
          .map((o) => `【已超期】${orderNo(o.no)} ${o.categoryName} · ${o.department}办理 · 时限${formatDeadline(o.deadlineAt)}\n  ${excerpt(o.text, 30)}`)
          .join('\n')}`,
      );
    }
    return parts.join('\n');
  },
};
