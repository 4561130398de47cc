import { excerpt, orderNo } from './format';

/** What the bot says when it reads a resident's own words (follow-ups, thanks, withdrawals…), and the 催办 notice. */
export const intentTexts = {
  /** To the assignee, 1:1: the resident is waiting on the order. */
  urgeToAssignee: (o: { no: number; category: string; text: string; note: string | null }) =>
    `【居民催办】${orderNo(o.no)} ${o.category}\n反映：${excerpt(o.text, 40)}` + (o.note ? `\n居民说：${excerpt(o.note, 60)}` : '') + '\n请尽快处理，并用"进展"告知居民。',
  /** Before the status of the order, to a resident who chased it. */
  urged: (no: number) => `已帮您催办 ${orderNo(no)}，办理人会尽快处理。当前情况：`,
  /** A resident who chased again within the interval: the assignee was told already. */
  urgedRecently: (no: number) => `${orderNo(no)} 刚催办过，办理人已收到提醒。当前情况：`,
  /** The same (or nearly the same) words as their own recent report. */
  repeatOfOrder: (no: number) => `您反映的这件事已受理为 ${orderNo(no)}，不用重复发送。当前情况：`,
  /** The same words again while the bot still waits for their answer about it. */
  repeatOfHeld: '这件事我已经记下了，还差一点信息：',
  heldQuestion: {
    pending_vague: '请补充具体是什么问题、在什么位置（几号楼几单元），我马上登记。',
    pending_duplicate: '请回复 +1 加入已有工单，或回复 新建 提交为新工单。',
    pending_grid: '请回复您所在的网格序号或名称。',
  },
  /** A follow-up or question from someone with no open order. */
  noOpenOrder: '您目前没有在办的工单。如需反映问题，请直接描述是什么问题、在什么位置。',
  /** Several open orders and nothing says which: a one-key answer. */
  whichOrder: (orders: { no: number; text: string }[]) =>
    `您有${orders.length}件在办的工单，说的是哪一件？回复序号：\n` +
    orders.map((o, i) => `${i + 1}. ${orderNo(o.no)} ${excerpt(o.text, 24)}`).join('\n'),
  /** They speak of a matter none of their open orders is about. */
  notAbout: (orders: { no: number; text: string }[]) =>
    `您在办的工单里没有找到这件事：\n${orders.map((o) => `${orderNo(o.no)} ${excerpt(o.text, 24)}`).join('\n')}\n如果是新的问题，请直接描述是什么问题、在什么位置；要处理上面的工单，请带上单号。`,
  /** A number the resident gave that is not one of theirs (or not open). */
  notYourOrder: (no: number) => `没有找到您的在办工单 ${orderNo(no)}。回复"我的工单"查看全部。`,
  /** Added detail appended to the order. */
  detailAdded: (no: number) => `已把您补充的内容加到工单 ${orderNo(no)}，并转告办理人。`,
  /** Added detail with nothing to add it to. */
  detailNothingOpen: '您目前没有在办的工单，补充的内容没有可以附上的地方。如需反映问题，请直接描述是什么问题、在什么位置。',
  /** A held demand withdrawn before it became an order. */
  heldWithdrawn: '好的，这条反映不再提交。以后有问题随时找我。',
  /** A withdrawal in words of an order already withdrawn. */
  alreadyWithdrawn: (no: number) => `工单 ${orderNo(no)} 已经撤回了，不用再操作。`,
  /** "不用了" with one open order: asked, not done, because "不用了" alone may mean something else. */
  confirmWithdraw: (no: number) => `您是要撤回工单 ${orderNo(no)} 吗？确认请回复"撤回 ${no}"。`,
  /** A withdrawal in words of a held message already withdrawn. */
  heldAlreadyWithdrawn: '您刚才那条反映已经撤回了，不会登记为工单。',
  /** A withdrawal in words with nothing to withdraw. */
  nothingToWithdraw: '好的。您目前没有在办的工单，不需要撤回。',
  /** Thanks and acknowledgements. */
  thanks: '不客气，有事随时找我。',
  /** Greetings and small talk: one short line, with how to report. */
  chatter: '您好，我是社区小格。有问题直接告诉我是什么问题、在什么位置就行。',
  /** Told once, after 30 minutes, about a held message that never said what the problem is. */
  heldDropped: '您之前发给我的消息没有说明具体问题，所以没有登记为工单。需要反映时，请直接告诉我是什么问题、在什么位置，例如"3号楼2单元楼道灯坏了"。',
  /** A survey answer in words, with the order it applied to. */
  surveyRecorded: (no: number) => `已记录您对工单 ${orderNo(no)} 的评价，谢谢！`,
} as const;
