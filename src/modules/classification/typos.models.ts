/**
 * Typos and homophones residents type with pinyin keyboards ("路等坏了", "垃级没人收", "煤汽味"), mapped to the
 * word they meant before any classification rule reads the message. The stored text is never changed: this is
 * only how the classifier and the urgent detector read it. Each pair is a whole wrong word that does not occur
 * in ordinary writing with another meaning, so the replacement cannot damage a correct message.
 */
export const TYPO_FIXES: readonly (readonly [wrong: string, meant: string])[] = [
  ['路等', '路灯'], ['路登', '路灯'], ['路丁', '路灯'], ['楼道等', '楼道灯'], ['声空灯', '声控灯'], ['灯怀', '灯坏'],
  ['垃级', '垃圾'], ['垃极', '垃圾'], ['拉级', '垃圾'], ['拉圾', '垃圾'], ['辣鸡', '垃圾'], ['拉鸡', '垃圾'], ['垃鸡', '垃圾'],
  ['躁音', '噪音'], ['燥音', '噪音'], ['造音', '噪音'], ['扰名', '扰民'],
  ['煤汽', '煤气'], ['燃汽', '燃气'], ['天燃气', '天然气'], ['漏汽', '漏气'], ['泄露', '泄漏'],
  ['电悌', '电梯'], ['电体', '电梯'], ['电题', '电梯'], ['电涕', '电梯'],
  ['井改', '井盖'], ['井概', '井盖'], ['下水到', '下水道'], ['楼到', '楼道'],
  ['物叶', '物业'], ['物页', '物业'], ['栏干', '栏杆'], ['拦杆', '栏杆'], ['护拦', '护栏'],
  ['着伙', '着火'], ['起伙', '起火'], ['漏点', '漏电'], ['停点', '停电'], ['跳匝', '跳闸'],
  ['违见', '违建'], ['违章建设', '违法建设'], ['遛够', '遛狗'], ['够屎', '狗屎'],
  ['漏谁', '漏水'], ['渗谁', '渗水'], ['停谁', '停水'], ['水官', '水管'],
];

const FIX_PATTERN = new RegExp(
  [...TYPO_FIXES].sort((a, b) => b[0].length - a[0].length).map(([wrong]) => wrong).join('|'),
  'gu',
);
const MEANT = new Map(TYPO_FIXES);

/** The message with known typos replaced by the words meant; everything else as written. */
export function fixTypos(text: string): string {
  return text.replace(FIX_PATTERN, (wrong) => MEANT.get(wrong) ?? wrong);
}
