/**
 * Which safety instructions go with an urgent order. The resident reads them in the receipt, minutes before
 * anyone arrives: what to do (or not do) now matters more than the order number. Chosen from the dangers the
 * urgent detector found, then from the category; an urgent order with neither (set urgent in the console)
 * gets the general advice.
 */
export type AdviceKind =
  | 'gas'
  | 'fire'
  | 'electric'
  | 'lift'
  | 'trapped'
  | 'injured'
  | 'flood'
  | 'collapse'
  | 'manhole'
  | 'violence'
  | 'missing'
  | 'children'
  | 'elderly'
  | 'general';

/** Urgent terms (see urgency.models.ts) by the advice they call for; the first list a term is in wins. */
const ADVICE_TERMS: readonly { kind: AdviceKind; terms: readonly string[] }[] = [
  { kind: 'gas', terms: ['燃气泄漏', '煤气泄漏', '天然气泄漏', '液化气泄漏', '泄漏', '煤气味', '燃气味', '天然气味', '液化气味', '漏气', '臭鸡蛋味'] },
  { kind: 'fire', terms: ['着火', '起火', '失火', '火灾', '大火', '火苗', '明火', '烧起来', '冒烟', '冒黑烟', '浓烟', '烧焦', '焦糊味', '爆炸', '炸了', '救火'] },
  { kind: 'lift', terms: ['电梯困人', '关在电梯', '卡在电梯', '电梯下坠', '电梯坠落', '电梯失控', '溜梯', '冲顶'] },
  { kind: 'electric', terms: ['漏电', '触电', '电到人', '麻手', '冒火花', '打火花', '电火花', '火花', '火星子', '冒火星', '电线冒火', '短路', '水浸电器'] },
  { kind: 'flood', terms: ['涉水被困', '溺水', '落水', '掉河里', '掉水里', '掉进水', '爆管', '水管爆', '管子爆', '管道爆', '水管裂', '倒灌'] },
  { kind: 'trapped', terms: ['被困', '困在', '困住', '困人', '困了人', '人员被困'] },
  {
    kind: 'injured',
    terms: ['受伤', '伤人', '流血', '出血', '头破', '骨折', '摔伤', '砸伤', '咬伤', '砸到人', '砸中', '晕倒', '昏倒', '昏迷', '被咬', '咬人',
      '咬了人', '休克', '叫不醒', '不省人事', '没呼吸', '抽搐', '心脏病', '急救', '救护车', '打120', '叫120', '人员受伤'],
  },
  { kind: 'manhole', terms: ['井盖缺失', '井盖没了', '井盖丢', '井盖被偷', '没有井盖', '没井盖', '井盖碎', '井盖破', '井盖坏', '井盖塌'] },
  { kind: 'collapse', terms: ['坍塌', '倒塌', '塌了', '塌方', '要塌', '快塌', '塌下来', '快倒了', '要倒了', '倒下来', '树倒了', '断裂', '坠落危险', '倒树'] },
  { kind: 'children', terms: ['儿童危险'] },
  { kind: 'elderly', terms: ['老人受困', '制氧机', '呼吸机', '吸氧', '好几天没出门', '没人应', '没见人', '几天没见'] },
  { kind: 'violence', terms: ['打架', '打起来', '持刀', '拿刀', '拿着刀', '拿菜刀', '砍人', '动刀', '跳楼', '轻生', '自杀'] },
  { kind: 'missing', terms: ['走丢', '走失', '失踪', '人员走失', '老年痴呆'] },
];

/** Dangers of each category when the message itself named none (an officer marked it urgent). */
const CATEGORY_ADVICE: Readonly<Record<string, AdviceKind>> = {
  safety_hazard: 'general',
  water_leak: 'flood',
  road_facility: 'collapse',
  greening: 'collapse',
  neighbour_dispute: 'violence',
};

/** At most this many instructions: a receipt is read on a phone, in a hurry. */
export const MAX_ADVICE = 2;

/**
 * The advice for an urgent order, most specific first: a gas leak that also trapped someone gets the gas
 * advice (do not switch anything on) before the trapped advice.
 */
export function adviceFor({ urgentTerms, categoryCode }: { urgentTerms: readonly string[]; categoryCode: string }): AdviceKind[] {
  const kinds: AdviceKind[] = [];
  for (const { kind, terms } of ADVICE_TERMS) {
    if (urgentTerms.some((t) => terms.includes(t)) && !kinds.includes(kind)) kinds.push(kind);
  }
  // A lift with someone in it is the lift advice, not the general trapped one.
  const specific = kinds.includes('lift') ? kinds.filter((k) => k !== 'trapped') : kinds;
  if (specific.length > 0) return specific.slice(0, MAX_ADVICE);
  return [CATEGORY_ADVICE[categoryCode] ?? 'general'];
}
