import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { normalizeText } from './normalize';

/** Splits a resident's message into meaningful, lower-cased tokens. Injected into every text rule. */
export type Tokenize = (text: string) => string[];

/**
 * Words of grid governance that jieba's general dictionary splits badly ("路灯" → 路/灯不亮, "占道经营" →
 * 占/道/经营). A high frequency makes jieba prefer them over the pieces.
 */
const GRID_WORDS = [
  '路灯', '楼道灯', '声控灯', '感应灯', '庭院灯', '照明灯',
  '燃气泄漏', '煤气味', '燃气味', '漏气', '漏电', '电梯困人', '困在电梯', '冒火花', '打火花',
  '井盖', '占道经营', '占道', '乱停车', '乱停乱放', '僵尸车', '高空抛物', '电动车', '飞线充电',
  '私搭乱建', '违建', '违章建筑', '加盖', '彩钢棚',
  '狗屎', '狗粪', '遛狗', '流浪狗', '犬吠', '牵绳', '拴绳',
  '漏水', '渗水', '漏雨', '爆管', '水管爆了',
  '停水', '停电', '停气', '没电', '没水', '来电', '跳闸',
  '扰民', '噪音', '广场舞', '拉圾', '垃圾桶', '垃圾站', '垃圾房', '建筑垃圾', '小广告',
  '消防通道', '灭火器', '充电桩', '健身器材', '减速带', '坑洼', '地砖',
  '物业费', '报修', '门禁', '道闸', '业委会',
  '社保卡', '医保', '居住证', '低保', '残疾证', '上户口', '高龄补贴',
  '号楼', '地下车库', '楼道',
];

/**
 * Function words and chat particles that carry no meaning for classification or duplicate detection.
 * "不" and "没" stay: "不亮" and "没人管" are what residents report.
 */
const STOP_WORDS = new Set([
  '了', '的', '地', '得', '着', '过', '啊', '吧', '呢', '吗', '呀', '哦', '喔', '哈', '嘛', '么', '啦', '咯', '噢',
  '哎', '唉', '诶', '嗯', '呃', '哇', '嘞', '哟', '滴', '额',
  '也', '都', '就', '还', '又', '在', '是', '和', '与', '跟', '及', '或', '而', '被', '把', '给', '让',
  '我', '我们', '你', '你们', '他', '她', '它', '他们', '她们', '咱', '咱们', '俺',
  '这', '那', '这个', '那个', '这里', '那里', '这边', '那边', '这儿', '那儿', '一下', '一个',
]);

/** A token made only of punctuation, symbols (emoji too) or spaces. */
const NOISE_TOKEN = /^[\p{P}\p{S}\p{Z}\p{C}\s\uFE0E\uFE0F]*$/u;

let jieba: Jieba | undefined;

/** Loading the dictionary takes a few hundred milliseconds, so it happens once, on first use. */
function sharedJieba(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(GRID_WORDS.map((w) => `${w} 200000 n`).join('\n')));
  }
  return jieba;
}

export function createJiebaTokenizer(): Tokenize {
  return (text) => {
    const normalized = normalizeText(text);
    if (!normalized) return [];
    const tokens: string[] = [];
    for (const raw of sharedJieba().cut(normalized, false)) {
      const token = raw.trim().toLowerCase();
      if (!token || NOISE_TOKEN.test(token) || STOP_WORDS.has(token)) continue;
      tokens.push(token);
    }
    return tokens;
  };
}
