/**
 * Texts of the classifier's part of the conversation: the safety advice appended to an urgent receipt, and the
 * reply that lists the orders one message about several problems became.
 */
import type { AdviceKind } from '../modules/classification/safety-advice.models';
import { orderNo } from './format';

export const SAFETY_ADVICE: Record<AdviceKind, string> = {
  gas: '燃气泄漏：请立即开窗通风，不要开关任何电器、不要打电话或点火，关闭燃气总阀后撤离到室外，再拨打燃气抢修电话或119。',
  fire: '火情：请立即拨打119，用湿毛巾捂住口鼻、弯腰沿安全通道撤离，不要乘坐电梯，不要返回取物。',
  electric: '漏电：请远离漏电处，不要用手触碰，能安全操作时先拉下电闸；有人触电请用干燥木棍挑开电线并拨打120。',
  lift: '电梯困人：请被困人员按电梯内警铃或拨打电梯内电话，保持冷静，不要扒门、不要强行出来；可拨打96333或物业电话。',
  trapped: '有人被困：请不要贸然进入施救，拨打119，并告诉我们具体位置和被困人数。',
  injured: '有人受伤：请立即拨打120，不要随意搬动伤者（颈部、腰部受伤尤其不能动），保持通话等候救护车。',
  flood: '进水险情：请先关闭水阀、拉下电闸，远离积水中的电线和电器；有人被困水中或车库进水，请立即撤离到高处并拨打119。',
  collapse: '塌方/坠落险情：请远离危险区域，提醒过往行人和车辆绕行，能安全放置时在周围设置警示；有人受伤请拨打120。',
  manhole: '井盖缺失：请在井口周围放置明显的警示物，提醒行人车辆绕行，尤其照看好小孩和老人。',
  children: '孩子安全：请先让孩子远离危险处，家长接送时绕行；能安全放置时在周围设置警示。',
  elderly: '老人安全：请家人或邻居先去看看老人是否安好，需要时拨打120；我们会尽快安排人员上门。',
  violence: '人身安全：请远离冲突现场，确保自身安全，立即拨打110。',
  missing: '人员走失：请立即拨打110报警，并准备好走失者的照片和衣着特征。',
  general: '紧急情况：请先确保自身安全，远离危险处；有人受伤拨打120，火情拨打119，治安情况拨打110。',
};

export const classifyTexts = {
  /** Appended to the receipt of an urgent order. */
  urgentAdvice: (kinds: readonly AdviceKind[]) => `\n⚠️ 安全提示：\n${kinds.map((k) => SAFETY_ADVICE[k]).join('\n')}`,
  /**
   * One message about several problems became several orders: one reply lists them all, and the problems that
   * look like an order already open (not created again; the resident may join it with "+1").
   */
  severalOrders: (
    orders: readonly { no: number; category: string; urgent: boolean; receipt: string }[],
    known: readonly { no: number; category: string }[] = [],
  ) =>
    `您反映了${orders.length + known.length}件事，已分别登记：\n` +
    orders.map((o, i) => `${i + 1}. ${o.urgent ? '【紧急】' : ''}${orderNo(o.no)} ${o.category}`).join('\n') +
    (known.length
      ? `\n${known.map((k) => `${k.category}：可能已经有人反映过 ${orderNo(k.no)}，回复"+1 ${k.no}"加入该工单。`).join('\n')}`
      : '') +
    `\n\n${orders.map((o) => o.receipt).join('\n')}`,
};
